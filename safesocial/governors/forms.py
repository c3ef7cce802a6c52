from __future__ import annotations

import datetime as dt

from django import forms

from . import periods


class ReportForm(forms.Form):
    """Which report: a term or a school year, and the whole trust or one school. Sent with GET."""

    period = forms.ChoiceField(label="Period", help_text="A school year or one of its terms.")
    school = forms.ChoiceField(label="For", required=False)

    def __init__(self, *args, today: dt.date, schools, allow_trust: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.key, p.label) for p in periods.recent(today)]
        choices = [("", "The whole trust")] if allow_trust else []
        self.fields["school"].choices = choices + [(s.key, s.name) for s in schools]
        self.fields["school"].required = not allow_trust
        self.fields["period"].error_messages["invalid_choice"] = (
            "Choose a school year or term from the list: '%(value)s' is not one SafeSocial reports on."
        )
        self.fields["school"].error_messages["invalid_choice"] = (
            "Choose a school from the list: you cannot see a report for '%(value)s'."
        )
