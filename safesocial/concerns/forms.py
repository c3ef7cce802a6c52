from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from safesocial.forms import BritishDateField, BritishDateTimeField
from safesocial.people.models import ParentCarer, Pupil, School, User
from safesocial.policy.wording import staff_conduct_route

from . import referrals
from .services import ACCEPTED_TEXT, MAX_EVIDENCE_BYTES, MAX_FILES, STEPS
from .triage import ANSWERS
from .types import PLATFORMS, PUBLIC, REPORTABLE


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files; each is checked by the service, so one bad file never stops the report."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"Add up to {MAX_FILES} files at a time.")
        return [f for f in files if f]


def evidence_field(label: str = "Evidence: screenshots and files") -> MultipleFileField:
    return MultipleFileField(
        required=False,
        label=label,
        help_text=f"{ACCEPTED_TEXT}; up to {MAX_EVIDENCE_BYTES // 1024 // 1024} MB each. "
        "Files are kept exactly as you send them.",
        widget=MultipleFileInput(attrs={"accept": ".png,.jpg,.jpeg,.gif,.webp,.pdf,.txt,.mp4"}),
    )


def _not_future(value: dt.datetime | None) -> dt.datetime | None:
    if value and value > timezone.now() + dt.timedelta(minutes=5):
        raise forms.ValidationError("The date and time it happened cannot be in the future.")
    return value


class _WhereMixin:
    def clean_occurred_at(self):
        return _not_future(self.cleaned_data.get("occurred_at"))


def _answer(label: str, hint: str) -> forms.ChoiceField:
    # Not required: a report sent without the answer still goes, at the level a DSL looks at today.
    return forms.ChoiceField(label=label, help_text=hint, choices=ANSWERS, required=False, widget=forms.RadioSelect)


AT_RISK_NOW = "Is a child at risk of harm right now?"
AT_RISK_HINT = "If a child is in immediate danger, call 999 first. Say “not sure” if you do not know."


class ReportForm(_WhereMixin, forms.Form):
    mark_optional = True  # a worried reporter can see at a glance what they may skip
    at_risk_now = _answer(AT_RISK_NOW, AT_RISK_HINT)
    harm_likely = _answer(
        "Has a child been hurt or upset by it, or could one be?", "Any child: the one it is about, or others."
    )
    kind = forms.ChoiceField(
        label="What kind of concern is it?",
        choices=[("", "Choose…")] + [(t.key, t.label) for t in REPORTABLE],
        error_messages={"required": "Choose what kind of concern this is."},
    )
    school = forms.ModelChoiceField(
        queryset=School.objects.none(), label="School", empty_label="The trust (no one school)", required=False
    )
    summary = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The facts as you saw them, in your own words. Who, what, and what was said or shown.",
        error_messages={"required": "Say what happened."},
    )
    occurred_at = BritishDateTimeField(
        label="When did it happen?",
        help_text="The date and time of the incident, not of this report.",
        error_messages={"required": "Give the date and time it happened (your best estimate)."},
    )
    platform = forms.ChoiceField(
        label="Where: platform or app", choices=[("", "Not online / not known"), *PLATFORMS], required=False
    )
    url = forms.URLField(
        label="Address (URL) of the post, message or page",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://www.facebook.com/…"},
    )
    account_handle = forms.CharField(
        label="Account name or handle that posted or sent it", required=False, max_length=200
    )
    pupils = forms.ModelMultipleChoiceField(
        queryset=Pupil.objects.none(), required=False, label="Pupils involved", widget=forms.CheckboxSelectMultiple
    )
    parents = forms.ModelMultipleChoiceField(
        queryset=ParentCarer.objects.none(),
        required=False,
        label="Parents or carers involved",
        widget=forms.CheckboxSelectMultiple,
    )
    staff_subject = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Colleague the concern is about",
        help_text="It never goes to them.",
        widget=forms.CheckboxSelectMultiple,
    )
    staff_involved = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Colleagues involved or affected",
        widget=forms.CheckboxSelectMultiple,
    )
    other_accounts = forms.CharField(
        label="Other accounts involved",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line, as platform: name, e.g. “Instagram: @jo.bloggs”.",
    )
    files = evidence_field()

    def __init__(self, *args, schools, pupils=None, parents=None, staff=None, policy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if policy is not None:
            self.fields["staff_subject"].help_text = f"It goes to {staff_conduct_route(policy)}, never to them."
        self.fields["pupils"].queryset = pupils if pupils is not None else Pupil.objects.none()
        self.fields["parents"].queryset = parents if parents is not None else ParentCarer.objects.none()
        staff = staff if staff is not None else User.objects.none()
        self.fields["staff_subject"].queryset = staff
        self.fields["staff_involved"].queryset = staff

    def clean_other_accounts(self) -> list[tuple[str, str]]:
        return parse_accounts(self.cleaned_data.get("other_accounts", ""))


def parse_accounts(text: str) -> list[tuple[str, str]]:
    labels = {label.lower(): key for key, label in PLATFORMS} | {key: key for key, _ in PLATFORMS}
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        platform, sep, handle = line.partition(":")
        if sep and platform.strip().lower() in labels and handle.strip():
            found.append((labels[platform.strip().lower()], handle.strip()))
        else:
            found.append(("other", line))
    return found


RELATIONSHIPS = [
    ("", "Choose…"),
    ("parent", "A parent or carer"),
    ("pupil", "A pupil"),
    ("community", "Someone else in the community"),
]


class PublicReportForm(_WhereMixin, forms.Form):
    mark_optional = True
    at_risk_now = _answer(AT_RISK_NOW, AT_RISK_HINT)
    kind = forms.ChoiceField(
        label="What is it about?",
        choices=[("", "Choose…")] + [(t.key, t.label) for t in PUBLIC],
        error_messages={"required": "Choose what it is about."},
    )
    summary = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Tell us what happened."},
    )
    occurred_at = BritishDateTimeField(label="When did it happen?", required=False)
    platform = forms.ChoiceField(label="Which app or website?", choices=[("", "Not known"), *PLATFORMS], required=False)
    url = forms.URLField(
        label="Web address (URL)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://www.instagram.com/…"},
    )
    account_handle = forms.CharField(label="Name of the account involved", required=False, max_length=200)
    reporter_relationship = forms.ChoiceField(label="Who are you?", choices=RELATIONSHIPS, required=False)
    reporter_name = forms.CharField(label="Your name", required=False, max_length=150)
    reporter_contact = forms.CharField(
        label="Phone or email, if you would like the school to contact you", required=False, max_length=200
    )
    files = evidence_field("Screenshots or files")
    # A field people never see: a form that fills it in is a robot's.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class _Ids(forms.Form):
    """Several forms share the concern's page: each gets its own element ids."""

    ids = "f"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.ids}-%s")
        super().__init__(*args, **kwargs)


class EvidenceForm(_Ids):
    ids = "evidence"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].required = True

    files = evidence_field("Add evidence")

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError("Choose at least one file to add.")
        return files


class NoteForm(_Ids):
    ids = "note"

    text = forms.CharField(label="Add to the chronology", widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(_Ids):
    ids = "correction"

    text = forms.CharField(label="Correction", widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(_Ids):
    ids = "action"

    description = forms.CharField(label="What needs doing", max_length=300)
    assigned_to = forms.ModelChoiceField(queryset=User.objects.none(), label="Who", empty_label="Choose…")
    due_on = BritishDateField(label="By")

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = assignees
        self.fields["due_on"].initial = timezone.localdate() + dt.timedelta(days=7)


class StepForm(_Ids):
    ids = "step"

    step = forms.ChoiceField(label="Parents or carers", choices=[(k, label) for k, (_, label) in STEPS.items()])
    on = BritishDateField(label="On")
    text = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return on


class ReferralForm(_Ids):
    """A referral or a request for advice. The reference is checked by the service, which knows which kinds need
    one, so a missing crime reference comes back against its field with everything else as typed."""

    ids = "referral"

    kind = forms.ChoiceField(label="Referred to")
    made_on = BritishDateField(label="On")
    contact = forms.CharField(
        label="Sent or spoken to",
        required=False,
        max_length=200,
        help_text="The team, and the person you spoke to. Not needed for a report to a platform.",
    )
    reference = forms.CharField(
        label="Reference number",
        required=False,
        max_length=100,
        help_text="The crime reference for the police; the platform's reference for a report to a platform; "
        "otherwise the reference they gave, if any.",
    )
    details = forms.CharField(label="What you told them", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up_on = BritishDateField(
        label="Follow up by",
        required=False,
        help_text="When to chase them for an outcome: an action for you, on the list and your dashboard.",
    )

    def __init__(self, *args, advice: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose…")] + [
            (k.key, f"Advice from {advice}" if k.key == "la_advice" else k.label) for k in referrals.KINDS
        ]
        self.fields["made_on"].initial = timezone.localdate()


class ReferralOutcomeForm(forms.Form):
    outcome = forms.CharField(
        label="What came back",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Their decision or advice. For the LADO: the LADO's decision.",
    )
    on = BritishDateField(label="On")
    reference = forms.CharField(label="Their reference, if it came now", required=False, max_length=100)
    follow_up_on = BritishDateField(label="Follow up again by", required=False)

    def __init__(self, *args, referral_id: int, **kwargs):
        kwargs.setdefault("auto_id", f"outcome-{referral_id}-%s")
        super().__init__(*args, **kwargs)
        self.referral_id = referral_id
        self.fields["on"].initial = timezone.localdate()


class TriageForm(_Ids):
    ids = "triage"

    level = forms.ChoiceField(label="Level", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when you change the level; goes in the chronology.",
    )

    def __init__(self, *args, levels: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = levels


class CloseForm(_Ids):
    ids = "close"

    outcome = forms.CharField(label="Outcome", widget=forms.Textarea(attrs={"rows": 3}))
    lessons = forms.CharField(
        label="Debrief: lessons learnt",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What would you do the same or differently? Read by the policy's annual review, without names.",
    )
    policy_change = forms.BooleanField(label="The policy should change because of this", required=False)
    curriculum_change = forms.BooleanField(
        label="The curriculum (online safety teaching) should change", required=False
    )


class ReopenForm(_Ids):
    ids = "reopen"

    reason = forms.CharField(label="Why reopen it", widget=forms.Textarea(attrs={"rows": 2}))


class RetentionForm(_Ids):
    ids = "retention"

    keep_years = forms.IntegerField(label="Keep for another (years)", min_value=1, max_value=25, initial=5)
    reason = forms.CharField(label="Why it is kept", widget=forms.Textarea(attrs={"rows": 2}))


class DestroyForm(forms.Form):
    reason = forms.CharField(
        label="Why it is destroyed",
        help_text="Kept in the audit tombstone: give the rule or decision, no names.",
        max_length=300,
    )


class HoldForm(forms.Form):
    hold = forms.BooleanField(label="Set a legal hold (unticked: lift it)", required=False)
    reason = forms.CharField(label="Why", max_length=300)


class TransferForm(forms.Form):
    moved_on = BritishDateField(label="Date the pupil moved")
    to_school = forms.ModelChoiceField(
        label="To a school of the trust", queryset=None, required=False, empty_label="A school outside the trust"
    )
    destination = forms.CharField(label="Or: the school outside the trust", max_length=200, required=False)
    recipient = forms.CharField(
        label="Its designated safeguarding lead, and how to reach them", max_length=200, required=False
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_school"].queryset = schools


class SentForm(forms.Form):
    sent_on = BritishDateField(label="Sent on")
    sent_how = forms.CharField(label="How, and to whom", max_length=200)


class LinkForm(_Ids):
    ids = "link"
    mark_optional = True

    """Link people after the report: records found by search, or an account typed in."""

    pupils = forms.ModelMultipleChoiceField(
        queryset=Pupil.objects.none(), required=False, label="Pupils", widget=forms.CheckboxSelectMultiple
    )
    parents = forms.ModelMultipleChoiceField(
        queryset=ParentCarer.objects.none(),
        required=False,
        label="Parents or carers",
        widget=forms.CheckboxSelectMultiple,
    )
    staff_subject = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Colleague the concern is about",
        widget=forms.CheckboxSelectMultiple,
    )
    staff_involved = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, label="Colleagues involved", widget=forms.CheckboxSelectMultiple
    )
    other_accounts = forms.CharField(
        label="Accounts",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line, as platform: name, e.g. “Facebook: Jo Bloggs”.",
    )

    def __init__(self, *args, pupils, parents, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupils"].queryset = pupils
        self.fields["parents"].queryset = parents
        self.fields["staff_subject"].queryset = staff
        self.fields["staff_involved"].queryset = staff

    def clean_other_accounts(self) -> list[tuple[str, str]]:
        return parse_accounts(self.cleaned_data.get("other_accounts", ""))
