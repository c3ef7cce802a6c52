from django import forms
from django.utils import timezone

from safesocial.forms import BritishDateField

from .models import QUIZ_TOPIC, TrainingKind
from .quiz import Question

EVIDENCE_TYPES = {"pdf", "jpg", "jpeg", "png"}
EVIDENCE_MAX_MB = 10


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Your code",
        max_length=20,
        help_text=(
            "Eight letters and numbers printed on your letter, like ABCD-EFGH. Capitals or not, it does not matter."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class TrainingForm(forms.Form):
    user = forms.ChoiceField(label="Member of staff")
    topic = forms.ChoiceField(label="Topic")
    kind = forms.ChoiceField(choices=TrainingKind.choices, label="Induction or refresher", widget=forms.RadioSelect)
    completed_on = BritishDateField(label="Date of the training")
    provider = forms.CharField(
        label="Given by", max_length=200, help_text="A person or an organisation, e.g. the local authority."
    )
    evidence = forms.FileField(
        label="Evidence (optional)", required=False, help_text="A certificate or sign-in sheet, PDF or image."
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you attach no evidence: what was covered and where the record is kept.",
    )

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload is None:
            return None
        if upload.name.rsplit(".", 1)[-1].lower() not in EVIDENCE_TYPES:
            raise forms.ValidationError("Attach a PDF or a photo (JPEG or PNG).")
        if upload.size > EVIDENCE_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(f"The file is larger than {EVIDENCE_MAX_MB} MB.")
        return upload

    def __init__(self, *args, topics: list[str], people: list[tuple[int, str]] | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [(t, t) for t in dict.fromkeys([*topics, QUIZ_TOPIC])]
        self.fields["completed_on"].initial = timezone.localdate()
        if people is None:
            del self.fields["user"]
        else:
            self.fields["user"].choices = people


class QuizForm(forms.Form):
    """One radio group per question; the token makes a second submission of the same form count once."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        for i, q in enumerate(questions):
            self.fields[f"q{i}"] = forms.TypedChoiceField(
                label=f"{i + 1}. {q.question}",
                choices=[(str(n), option) for n, option in enumerate(q.options)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose an answer."},
            )

    def answers(self) -> list[int | None]:
        return [self.cleaned_data.get(name) for name in self.fields if name.startswith("q")]
