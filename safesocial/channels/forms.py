import datetime as dt

from django import forms
from django.utils import timezone

from safesocial.forms import BritishDateField
from safesocial.people.models import School, User

from .models import LIKELIHOOD, PLATFORM_CHOICES, AccessLevel, Delivery
from .services import CONTRIBUTORS


class ProposeForm(forms.Form):
    school = forms.ModelChoiceField(
        queryset=School.objects.none(), required=False, empty_label="The trust (all schools)", label="Whose channel"
    )
    platform = forms.ChoiceField(choices=PLATFORM_CHOICES)
    delivery = forms.ChoiceField(
        choices=Delivery.choices,
        initial=Delivery.LIVE,
        label="How posts reach it",
        help_text="A sandbox channel publishes only inside SafeSocial: for training and trying things out. Choose "
        "'By hand' for a closed Facebook group or any platform SafeSocial cannot post to: posts are still checked and "
        "reviewed here.",
    )
    manual_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why posts are published by hand",
        help_text="Only for 'By hand', for example: a closed Facebook group, which no app can post to.",
    )
    name = forms.CharField(max_length=150, label="Channel name")
    address = forms.URLField(required=False, label="Web address", assume_scheme="https")
    official_email = forms.EmailField(label="Official school email the account is registered with")
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Purpose and objectives")
    audience = forms.CharField(max_length=200, label="Who it is for")
    contributors = forms.MultipleChoiceField(
        choices=CONTRIBUTORS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Who can contribute content (comments, posts, messages)",
    )
    time_commitment = forms.CharField(
        max_length=200, label="Time staff will commit", help_text="For example: two hours a week"
    )
    success_measures = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="How success will be evaluated")
    hazard = forms.CharField(
        max_length=300, label="First risk: the hazard", help_text="You can add more risks after proposing."
    )
    likelihood = forms.ChoiceField(choices=LIKELIHOOD)
    impact = forms.ChoiceField(choices=LIKELIHOOD, initial="medium")
    mitigation = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="How the risk is reduced")

    def __init__(self, *args, schools, allow_trust: bool, considerations: list[str] | tuple[()] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school"].required = not allow_trust
        # Policy `channels.setup_considerations`: one required answer for each thing the trust asks proposers to weigh.
        self.considerations = list(considerations)
        for i, question in enumerate(self.considerations):
            self.fields[f"consider_{i}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                label=question,
                help_text="The policy asks you to consider this.",
            )

    def setup_answers(self) -> dict[str, str]:
        return {q: self.cleaned_data[f"consider_{i}"] for i, q in enumerate(self.considerations)}


class RiskForm(forms.Form):
    hazard = forms.CharField(max_length=300)
    likelihood = forms.ChoiceField(choices=LIKELIHOOD)
    impact = forms.ChoiceField(choices=LIKELIHOOD, initial="medium")
    mitigation = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="How the risk is reduced")
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label="Who owns this risk")

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff


class GrantForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label="Member of staff")
    level = forms.ChoiceField(choices=AccessLevel.choices, label="Access")
    expires_on = BritishDateField(
        label="Access ends on",
        help_text="Access is renewed after review.",
    )

    def __init__(self, *args, staff, max_months: int = 24, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff
        # Policy `channels.access_max_months`: the longest a grant may run.
        years, months = divmod(max_months, 12)
        longest = f"{years} year{'s' if years != 1 else ''}" if not months else f"{max_months} months"
        self.fields["expires_on"].help_text = f"At most {longest}; access is renewed after review."
        self.fields["expires_on"].initial = timezone.localdate() + dt.timedelta(days=365)


class CredentialForm(forms.Form):
    external_id = forms.CharField(
        max_length=100, required=False, label="ID on the platform", help_text="The page, account or channel ID."
    )
    kind = forms.ChoiceField(choices=[("token", "Access token"), ("password", "Password")], label="Kind of login")
    login = forms.CharField(max_length=200, required=False, label="Username or email (for a password)")
    secret = forms.CharField(
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        label="Token or password",
        help_text="Stored encrypted. Nobody sees it again except through emergency access.",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Reason")


class ReviewForm(forms.Form):
    objectives_met = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Is the channel meeting its objectives?",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What the review found")


class FollowForm(forms.Form):
    name = forms.CharField(max_length=200, label="Page name")
    url = forms.URLField(label="Page address", assume_scheme="https")
    kind = forms.ChoiceField(choices=[("follow", "Follow"), ("like", "Like")])
    commercial = forms.TypedChoiceField(
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Is it a commercial page (a business selling something)?",
    )
    reason = forms.CharField(max_length=300, label="Why the account follows it")


class SignForm(forms.Form):
    signed_name = forms.CharField(max_length=150, label="Type your full name to sign")
