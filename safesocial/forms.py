"""What every app's forms share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


def errors_into(form: forms.Form, exc: ValidationError, *, field: str | None = None) -> None:
    """A service's refusal, shown against the field it names (else against `field`, else at the top of the form), so
    the form comes back with what was typed and the reason beside it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else field, error)
    else:
        for message in exc.messages:
            form.add_error(field, message)


class FormRenderer(TemplatesSetting):
    """Every form and every field drawn from one template of ours (FORM_RENDERER): `{{ form }}` and
    `{% include "partials/fields.html" %}` draw each field of a form, `{{ form.name.as_field_group }}` one field."""

    form_template_name = "partials/fields.html"
    field_template_name = "partials/field.html"


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


# The same for a date and a time: <input type=datetime-local> shows "mm/dd/yyyy, --:-- --" in a US-English browser.
DATETIME_INPUT_FORMATS = [f"{d} {t}" for d in DATE_INPUT_FORMATS for t in ("%H:%M", "%H.%M")] + ["%Y-%m-%dT%H:%M"]
DATETIME_HINT = "Day/month/year and the time on the 24-hour clock, for example 27/03/2026 14:30."


class BritishDateTimeInput(forms.DateTimeInput):
    input_type = "text"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})}, format="%d/%m/%Y %H:%M")


class BritishDateTimeField(forms.DateTimeField):
    widget = BritishDateTimeInput
    input_formats = DATETIME_INPUT_FORMATS

    def __init__(self, *, help_text: str = "", **kwargs) -> None:
        super().__init__(help_text=f"{DATETIME_HINT} {help_text}".strip(), **kwargs)
