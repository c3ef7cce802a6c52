from django import forms
from django.utils import timezone

from safesocial.channels.models import Channel
from safesocial.people.models import User

from .checks import too_long

MAX_IMAGES = 4


class PostForm(forms.Form):
    channels = forms.ModelMultipleChoiceField(
        queryset=Channel.objects.none(), widget=forms.CheckboxSelectMultiple, label="Publish to"
    )
    category = forms.ChoiceField(label="Category")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Text")
    scheduled_for = forms.DateTimeField(
        required=False,
        label="Publish at",
        help_text="Leave empty to publish as soon as a colleague approves it.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, channels, categories, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].queryset = channels
        # No silent default: an author who skips the question is asked it, not filed under the first category.
        self.fields["category"].choices = [("", "Choose a category"), *categories]
        if editing:
            del self.fields["channels"]
        for i in range(1, MAX_IMAGES + 1):
            self.fields[f"image_{i}"] = forms.ImageField(
                required=False, label=f"Image {i}", help_text="JPEG, PNG, GIF or WebP, up to 10 MB."
            )
            self.fields[f"alt_{i}"] = forms.CharField(
                required=False,
                max_length=500,
                label=f"Describe image {i}",
                help_text="For people who cannot see it; required with an image.",
            )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if problem := too_long(text):
            raise forms.ValidationError(problem)
        return text

    def clean_scheduled_for(self):
        when = self.cleaned_data["scheduled_for"]
        if when is not None and when < timezone.now():
            raise forms.ValidationError("That time has passed: choose a time from now on, or leave it empty.")
        return when

    def images(self):
        from .services import ImageUpload

        return [
            ImageUpload(self.cleaned_data[f"image_{i}"], self.cleaned_data.get(f"alt_{i}", ""))
            for i in range(1, MAX_IMAGES + 1)
            if self.cleaned_data.get(f"image_{i}")
        ]


class ReviewerChoiceField(forms.ModelChoiceField):
    """Twenty first names mean nothing: each colleague is shown with the roles they hold and where."""

    def label_from_instance(self, obj: User) -> str:
        roles = "; ".join(
            f"{a.role_label}, {a.school.name if a.school else 'across the trust'}" for a in obj.role_assignments.all()
        )
        return f"{obj.full_name} — {roles}" if roles else obj.full_name


class SubmitForm(forms.Form):
    reviewer = ReviewerChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Ask a colleague to review it",
        empty_label="Anyone who may review",
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers.prefetch_related("role_assignments__school")


class ReviewForm(forms.Form):
    """The policy's post criteria as a checklist the reviewer confirms (none when the policy lists none), and notes."""

    criteria = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="This post meets the policy's criteria",
        help_text="Tick each one to approve.",
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Notes for the author",
        help_text="Required when you return the post.",
    )

    def __init__(self, *args, criteria: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        if criteria:
            self.fields["criteria"].choices = [(c, c) for c in criteria]
        else:
            del self.fields["criteria"]
