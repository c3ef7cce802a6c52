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


# Day first, always: a native <input type=date> shows and reads the browser's locale (mm/dd/yyyy in a US-English
# browser), so 04/03 means April to one office PC and March to the next. A plain text box with a stated format is
# what a school office types into anyway; a month-first date like 03/31/2026 is refused rather than guessed.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d"]
DATE_HINT = "Day/month/year, for example 27/03/2026."


class BritishDateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})}, format="%d/%m/%Y")


class BritishDateField(forms.DateField):
    widget = BritishDateInput
    input_formats = DATE_INPUT_FORMATS

    def __init__(self, *, help_text: str = "", **kwargs) -> None:
        super().__init__(help_text=f"{DATE_HINT} {help_text}".strip(), **kwargs)
