import datetime as dt

from django import forms
from django.utils import timezone

from safesocial.forms import BritishDateField
from safesocial.people.models import ParentCarer, Pupil, School

from .models import PERSONAL_PLATFORMS, FriendshipDecision


class PupilChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Pupil) -> str:
        return f"{obj.first_name} {obj.last_name} (Year {obj.year_group}, {obj.school.name})"


class ParentChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ParentCarer) -> str:
        return obj.full_name


class FriendshipForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="School")
    pupils = PupilChoice(
        queryset=Pupil.objects.none(),
        required=False,
        label="Pupils on the school's records",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    parents = ParentChoice(
        queryset=ParentCarer.objects.none(),
        required=False,
        label="Parents or carers on the school's records",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    family_names = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Names of a family not yet at the school",
        help_text="Full names, one a line. When they join the school's records you will be asked to link them.",
    )
    nature = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="The relationship",
        help_text="For example: a family friend since before the child started school; a relative; a neighbour.",
    )
    platforms = forms.MultipleChoiceField(
        choices=PERSONAL_PLATFORMS, widget=forms.CheckboxSelectMultiple, label="Where you are connected"
    )

    def __init__(self, *args, schools, pupils, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if schools.count() == 1:
            self.fields["school"].initial = schools.first()
        self.fields["pupils"].queryset = pupils
        self.fields["parents"].queryset = parents
        if not pupils.exists():
            del self.fields["pupils"], self.fields["parents"]


class DecideFriendshipForm(forms.Form):
    decision = forms.ChoiceField(choices=FriendshipDecision.choices, widget=forms.RadioSelect, label="Decision")
    advice = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Advice given")


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300, label="Why it no longer applies")


class UnblockForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="School")
    url = forms.CharField(
        max_length=500,
        label="Web address of the blocked site",
        help_text="The full address, starting https://",
        widget=forms.URLInput,
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why it is needed")

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if schools.count() == 1:
            self.fields["school"].initial = schools.first()


class DecideUnblockForm(forms.Form):
    decision = forms.ChoiceField(widget=forms.RadioSelect, label="Decision")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Note for the person who asked")

    def __init__(self, *args, may_refer: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("approve", "Approve: unblock the site"), ("decline", "Decline: keep it blocked")]
        if may_refer:
            choices.append(("refer", "Refer to senior leaders to decide"))
        self.fields["decision"].choices = choices


def _next_year() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=365)


class _SchoolForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="School")

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if schools.count() == 1:
            self.fields["school"].initial = schools.first()
        self.fields["review_on"].initial = _next_year()


class RemoteLearningForm(_SchoolForm):
    platform = forms.CharField(max_length=200, label="App or platform")
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="What it will be used for")
    year_groups = forms.CharField(max_length=100, label="Year groups", help_text="For example: Years 5 and 6")
    data_protection = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Data protection",
        help_text="What personal data it holds, where, and whether a data protection impact assessment was done.",
    )
    age_limits = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="Age limits", help_text="The platform's minimum age."
    )
    risks = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Risks and how they are reduced")
    review_on = BritishDateField(label="Review by")


class AiToolForm(_SchoolForm):
    tool = forms.CharField(max_length=200, label="AI tool")
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="What it will be used for")
    data_shared = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Data it is given",
        help_text="Never pupils' personal data unless the approval says so.",
    )
    age_restrictions = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Age restrictions")
    risks = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Risks and how they are reduced")
    review_on = BritishDateField(label="Review by")


class DecideApprovalForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Do not approve")], widget=forms.RadioSelect, label="Decision"
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="Note", help_text="Conditions of approval, or why not."
    )
    review_on = BritishDateField(
        required=False, label="Review by", help_text="Leave as it is to keep the date proposed."
    )
