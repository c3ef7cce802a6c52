"""What every app's forms share."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError


def errors_into(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal, shown against the field it names (or at the top of the form when it names none), so the
    form comes back with what was typed and the reason beside it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def service_ran(form: forms.Form, call: Callable[[], object]) -> bool:
    """Run a service function for a valid form. A refusal (bad input, or a permission the policy does not give) goes
    back onto the form and the answer is False; True when the service went through."""
    try:
        call()
    except ValidationError as exc:
        errors_into(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    else:
        return True
    return False
