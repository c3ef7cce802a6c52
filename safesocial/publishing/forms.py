import datetime as dt

from django import forms
from django.utils import timezone

from safesocial.channels.models import Channel
from safesocial.forms import BritishDateField, BritishDateTimeField
from safesocial.people.models import User

from .post_checks import too_long

MAX_IMAGES = 4


class PostForm(forms.Form):
    channels = forms.ModelMultipleChoiceField(
        queryset=Channel.objects.none(), widget=forms.CheckboxSelectMultiple, label="Publish to"
    )
    category = forms.ChoiceField(label="Category")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Text")
    scheduled_for = BritishDateTimeField(
        required=False,
        label="Publish at",
        help_text="Leave empty to publish as soon as a colleague approves it.",
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


class ByHandForm(forms.Form):
    """Where and when a poster published an approved post by hand (a closed group)."""

    url = forms.CharField(
        max_length=200,
        label="Link to the post",
        help_text="Open the post on the platform and copy its address from the browser: it starts https://",
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    published_on = BritishDateField(label="Published on")
    published_time = forms.TimeField(
        label="At", help_text="24-hour clock, for example 14:30.", widget=forms.TimeInput(format="%H:%M")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.localtime()
        self.fields["published_on"].initial = now.date()
        self.fields["published_time"].initial = now.strftime("%H:%M")

    def published_at(self):
        tz = timezone.get_current_timezone()
        return dt.datetime.combine(self.cleaned_data["published_on"], self.cleaned_data["published_time"], tzinfo=tz)


class SuggestionForm(forms.Form):
    """A colleague's suggestion for a post: the channel, what it is about, the words and up to four photos."""

    channel = forms.ModelChoiceField(queryset=Channel.objects.none(), label="For which channel", empty_label="Choose…")
    category = forms.ChoiceField(label="Category")
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="What the post could say",
        help_text="It is checked as a post is: name no pupil whose parents have not agreed.",
    )

    def __init__(self, *args, channels, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels
        self.fields["category"].choices = [("", "Choose a category"), *categories]
        for i in range(1, MAX_IMAGES + 1):
            self.fields[f"image_{i}"] = forms.ImageField(
                required=False, label=f"Photo {i}", help_text="JPEG, PNG, GIF or WebP, up to 10 MB."
            )
            self.fields[f"alt_{i}"] = forms.CharField(
                required=False,
                max_length=500,
                label=f"Describe photo {i}",
                help_text="For people who cannot see it; required with a photo.",
            )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if problem := too_long(text):
            raise forms.ValidationError(problem)
        return text

    def images(self):
        from .services import ImageUpload

        return [
            ImageUpload(self.cleaned_data[f"image_{i}"], self.cleaned_data.get(f"alt_{i}", ""))
            for i in range(1, MAX_IMAGES + 1)
            if self.cleaned_data.get(f"image_{i}")
        ]


class DeclineForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why not",
        help_text="Your colleague reads this on the suggestion's page.",
        error_messages={"required": "Tell your colleague why, in a sentence."},
    )
