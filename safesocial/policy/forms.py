from django import forms

MAX_POLICY_BYTES = 512 * 1024


class PolicyFileForm(forms.Form):
    file = forms.FileField(
        label="Policy file (YAML)",
        help_text="Check it first with `safesocial policy check FILE`; see docs/policy-schema.md.",
    )
    note = forms.CharField(max_length=300, required=False, label="What changed (for the document history)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_POLICY_BYTES:
            raise forms.ValidationError("The file is larger than 512 KB: a policy file is a few pages of text.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text: save it as a .yaml text file.") from None
