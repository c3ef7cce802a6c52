from __future__ import annotations

from django import forms

from safesocial.concerns.types import PLATFORMS
from safesocial.forms import BritishDateField

from .selectors import People


class RequestForm(forms.Form):
    """A new request: who asked, about whom (a person on the school's records, or an account by its handle)."""

    school = forms.ModelChoiceField(queryset=None, empty_label=None)
    requester_name = forms.CharField(label="Who asked", max_length=150)
    requester_relationship = forms.CharField(
        label="Their relationship to the person",
        max_length=80,
        help_text="For example: the person themselves, parent of the pupil.",
    )
    received_on = BritishDateField(label="Date received", help_text="The answer is due one calendar month later.")
    subject = forms.ChoiceField(
        label="Whom it is about", required=False, help_text="Or leave this and give an account's handle below."
    )
    platform = forms.ChoiceField(label="Platform of the account", choices=[("", "Any"), *PLATFORMS], required=False)
    handle = forms.CharField(label="Account or handle that commented", max_length=200, required=False)

    def __init__(self, *args, schools, people: People, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["school"].queryset = schools
        self.fields["subject"].choices = [
            ("", "Not a person on our records"),
            ("Pupils", [(f"pupil:{p.pk}", f"{p} ({p.school.name}, year {p.year_group})") for p in people.pupils]),
            ("Parents and carers", [(f"parent:{p.pk}", p.full_name) for p in people.parents]),
            (
                "Staff",
                [
                    (f"staff:{u.pk}", f"{u.full_name}, {u.job_title}" if u.job_title else u.full_name)
                    for u in people.staff
                ],
            ),
        ]

    def subject_kwargs(self) -> dict:
        """The person chosen, as the service's keyword arguments."""
        kind, _, pk = self.cleaned_data["subject"].partition(":")
        found = {
            "pupil": {p.pk: p for p in self.people.pupils},
            "parent": {p.pk: p for p in self.people.parents},
            "staff": {u.pk: u for u in self.people.staff},
        }.get(kind, {})
        person = found.get(int(pk)) if pk.isdigit() else None
        if person is not None:
            return {kind: person}
        return {"platform": self.cleaned_data["platform"], "handle": self.cleaned_data["handle"]}


class RedactionForm(forms.Form):
    item = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    name = forms.CharField(label="Name to black out", required=False, max_length=200)
    reason = forms.CharField(label="Why", max_length=300)


class SentForm(forms.Form):
    sent_on = BritishDateField(label="Date sent")
    sent_how = forms.CharField(label="How and to whom", max_length=200)


class CloseForm(forms.Form):
    note = forms.CharField(label="Note", max_length=300, required=False)
