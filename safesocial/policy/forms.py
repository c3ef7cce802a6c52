from django import forms

from safesocial.forms import BritishDateField

from .loader import MAX_POLICY_BYTES


class PolicyFileForm(forms.Form):
    file = forms.FileField(
        label="Policy file (YAML)",
        help_text="Check it first with `safesocial policy check FILE`; see docs/policy-schema.md.",
    )
    note = forms.CharField(max_length=300, required=False, label="What changed (for the document history)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_POLICY_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_POLICY_BYTES // 1024} KB: a policy file is a few pages of text."
            )
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text: save it as a .yaml text file.") from None


class ReviewDraftForm(forms.Form):
    text = forms.CharField(
        label="The policy file (YAML)",
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code-editor"}),
        help_text="Change the rules and wording here. SafeSocial checks every field and names the line of any "
        "mistake; your changes are kept even while they have mistakes.",
        max_length=MAX_POLICY_BYTES,
        strip=False,
    )
    change_note = forms.CharField(
        label="What changed (for the document history)",
        max_length=300,
        required=False,
        help_text="For example: channel approval moves from heads of school to the CEO.",
    )


class ReturnForm(forms.Form):
    note = forms.CharField(label="What needs to change", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class NoteForm(forms.Form):
    noted_on = BritishDateField(
        label="Date of the meeting that noted it",
        help_text="The day the governing body met and noted the reviewed policy.",
    )
    minute = forms.CharField(label="Minute reference (optional)", max_length=200, required=False)
