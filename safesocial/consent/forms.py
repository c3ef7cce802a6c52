from django import forms
from django.utils import timezone

from safesocial.forms import BritishDateField
from safesocial.people.models import ParentCarer

from .models import Method, Purpose


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=Purpose.choices, label="Purpose")
    given = forms.TypedChoiceField(
        choices=[("yes", "Given"), ("no", "Refused or withdrawn")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Decision",
    )
    parent = forms.ModelChoiceField(queryset=ParentCarer.objects.none(), label="Given or refused by")
    method = forms.ChoiceField(
        choices=[(m, label) for m, label in Method.choices if m not in (Method.MIS, Method.ONLINE)]
    )
    given_on = BritishDateField(label="Date")
    expires_on = BritishDateField(
        required=False,
        label="Ends on",
        help_text="Leave empty for the end of the school year.",
    )

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        self.fields["given_on"].initial = timezone.localdate()


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV exported from SIMS, Arbor or Bromcom", help_text="UTF-8 CSV; see the columns below."
    )


class ParentConsentForm(forms.Form):
    """One yes/no per purpose, for one child, on the parent's own page."""

    def __init__(self, *args, current: dict[str, bool | None], prefix: str, face_matching: bool = False, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        for purpose, label in Purpose.choices:
            if purpose == Purpose.BIOMETRIC and not face_matching:
                continue
            value = current.get(purpose)
            self.fields[purpose] = forms.ChoiceField(
                choices=[("yes", "Yes, I agree"), ("no", "No")],
                widget=forms.RadioSelect,
                label=label,
                required=False,
                initial=None if value is None else ("yes" if value else "no"),
            )
