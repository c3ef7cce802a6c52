from django import forms
from django.utils import timezone

from safesocial.concerns.types import PLATFORMS
from safesocial.forms import BritishDateField
from safesocial.people.models import ParentCarer, School


def parent_label(parent: ParentCarer) -> str:
    """A parent as a choice, with their children when the query prefetched them (`children`), so that two parents
    of the same name are not confused: "Noah Abbott, parent or carer of Ruby Abbott (Year 4)"."""
    children = getattr(parent, "children", None)
    if not children:
        return str(parent)
    named = ", ".join(f"{c.first_name} {c.last_name} (Year {c.year_group})" for c in children)
    return f"{parent}, parent or carer of {named}"


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ParentCarer) -> str:
        return parent_label(obj)


class StartForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="School")
    parent = ParentChoiceField(
        queryset=ParentCarer.objects.none(),
        required=False,
        label="Parent or carer on the school's records",
        help_text="Leave empty for a member of the community who is not a parent at the school.",
    )
    account_name = forms.CharField(
        required=False, max_length=200, label="Name on the account", help_text="For someone not on the records."
    )
    account_platform = forms.ChoiceField(choices=[("", "Not known"), *PLATFORMS], required=False, label="Platform")
    account_handle = forms.CharField(required=False, max_length=200, label="Account or handle")
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What was posted, in brief",
        help_text="Describe it; do not copy the post. Keep evidence in the concern.",
    )

    def __init__(self, *args, schools, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["parent"].queryset = parents
        if schools.count() == 1 and not self.initial.get("school"):
            self.fields["school"].initial = schools.first()

    def clean(self):
        data = super().clean()
        if not data.get("parent") and not (data.get("account_name") or "").strip():
            self.add_error("parent", "Choose the parent or carer, or give the name on the community member's account.")
        return data


class StepForm(forms.Form):
    step = forms.ChoiceField(label="Step taken")
    taken_on = BritishDateField(label="Date it was taken")
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What happened")
    early_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why now, if it is ahead of the next step",
        help_text="Needed only when you take a later step early, for example the police where a crime may have "
        "been committed.",
    )

    def __init__(self, *args, steps, next_key=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(s.key, s.title) for s in steps]
        self.fields["step"].initial = next_key
        self.fields["taken_on"].initial = timezone.localdate()


class CorrectForm(forms.Form):
    taken_on = BritishDateField(label="Corrected date")
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Corrected account of what happened")
    reason = forms.CharField(max_length=300, label="What was wrong with the record")


class CloseForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why it is being closed", max_length=2000)


class LetterForm(forms.Form):
    parent_name = forms.CharField(max_length=200, label="Addressed to")
    summary = forms.CharField(
        max_length=500,
        label="What the letter is about",
        help_text="Completes “We are writing to you about …”. No pupil is named unless you type the name.",
    )
    incident_date = BritishDateField(label="Date it came to the school's attention")
    remove_by = BritishDateField(label="Remove it by")
    signed_by = forms.CharField(max_length=200, label="Signed by")
    job_title = forms.CharField(max_length=150, label="Job title of the person signing")


class LetterTextForm(LetterForm):
    """The letter's details carried from the first form, and its words as the person has edited them."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
        label="The letter",
        help_text="Edit the words as you need. A blank line starts a new paragraph.",
    )
