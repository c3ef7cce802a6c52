"""Posts, the colleague who reads each one, and the outbox that publishes each exactly once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from safesocial.people.roles import ROLE_CHOICES


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"  # automated checks run here, before any colleague reads it
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Returned to author"
    WITHDRAWN = "withdrawn", "Withdrawn"
    FAILED = "failed", "Failed"
    TAKEN_DOWN = "taken_down", "Taken down"


S = PostStatus
# Every move a post may make, in one place; services refuse any other.
POST_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.IN_REVIEW, S.DRAFT},
    # An edit of a submitted post is a resubmission: it goes through SUBMITTED and its checks again.
    S.IN_REVIEW: {S.APPROVED, S.REJECTED, S.WITHDRAWN, S.SUBMITTED},
    S.APPROVED: {S.SCHEDULED, S.SUBMITTED, S.WITHDRAWN},
    S.SCHEDULED: {S.PUBLISHED, S.FAILED, S.SUBMITTED, S.IN_REVIEW, S.WITHDRAWN},  # IN_REVIEW: approval expired
    S.REJECTED: {S.DRAFT, S.SUBMITTED, S.WITHDRAWN},
    S.FAILED: {S.SCHEDULED, S.IN_REVIEW, S.SUBMITTED, S.WITHDRAWN},
    S.PUBLISHED: {S.TAKEN_DOWN},
    S.WITHDRAWN: set(),
    S.TAKEN_DOWN: set(),
}
EDITABLE = {S.DRAFT, S.REJECTED, S.IN_REVIEW, S.APPROVED, S.SCHEDULED, S.FAILED}

# The most any platform takes (Facebook: 63,206 characters); longer text is refused before any check runs.
MAX_POST_CHARS = 63_206


class Post(models.Model):
    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="posts")
    school = models.ForeignKey("people.School", null=True, blank=True, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts")
    # Who wrote the current version (the author, or the colleague who last edited it): never its approver.
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    category = models.CharField(max_length=40)
    channels: models.ManyToManyField = models.ManyToManyField(
        "channels.Channel", through="Delivery", related_name="posts"
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)  # empty: as soon as it is approved
    status = models.CharField(max_length=12, choices=PostStatus.choices, default=PostStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)  # edits bump it; approvals count for one version only
    requested_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    status_note = models.TextField(blank=True)  # the reviewer's notes or the platform's message, for the author
    findings = models.JSONField(default=list, blank=True)  # the automated checks' findings at the last save

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["trust", "status"]), models.Index(fields=["scheduled_for"])]

    def __str__(self) -> str:
        first_line = self.text.strip().splitlines()[0] if self.text.strip() else "(empty)"
        return first_line[:60] + ("…" if len(first_line) > 60 else "")

    @property
    def blocked(self) -> bool:
        """A draft the automated checks stop: it cannot go to review until its blocking findings are fixed."""
        return self.status == PostStatus.DRAFT and any(f.get("severity") == "block" for f in self.findings)

    @property
    def status_label(self) -> str:
        return "Blocked by checks" if self.blocked else self.get_status_display()


def _image_path(instance: PostImage, filename: str) -> str:
    return f"posts/{instance.post_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=_image_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt_text = models.CharField("Description for people who cannot see the image", max_length=500)
    position = models.PositiveSmallIntegerField(default=0)
    # Before faces were blurred: kept inside SafeSocial only, never published or served publicly.
    original = models.FileField(upload_to=_image_path, blank=True)
    had_location = models.BooleanField(default=False)  # the upload carried GPS data, now removed

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text or self.file.name


class Decision(models.TextChoices):
    APPROVE = "approve", "Approved"
    REJECT = "reject", "Returned with notes"


class Review(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reviews")
    post_version = models.PositiveIntegerField()
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")  # of this version
    decision = models.CharField(max_length=10, choices=Decision.choices)
    notes = models.TextField(blank=True)
    # The policy's post criteria (posts.criteria) the reviewer confirmed this version meets, in the policy's words.
    criteria_confirmed = models.JSONField(default=list, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]
        constraints = [
            # The database itself refuses an author approving their own post.
            models.CheckConstraint(condition=~models.Q(reviewer=models.F("author")), name="reviewer_is_not_author"),
            # ... nor whoever wrote the version reviewed (a colleague who edited it reviews it no more than its author).
            models.CheckConstraint(condition=~models.Q(reviewer=models.F("editor")), name="reviewer_is_not_editor"),
            models.UniqueConstraint(fields=["post", "post_version", "reviewer"], name="one_review_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.reviewer}"


class DeliveryStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for approval"
    PENDING = "pending", "Due"
    SENDING = "sending", "Publishing"
    RETRY = "retry", "Will retry"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    TAKEN_DOWN = "taken_down", "Taken down"
    # A channel published by hand (a closed group): approved, waiting for a poster to publish it and record the link.
    MANUAL = "manual", "Waiting to be published by hand"


class Delivery(models.Model):
    """The outbox: one row per post and channel. A worker claims a row with a conditional update, so two
    workers never send the same post; the idempotency key lets a restarted worker find a post that reached
    the platform before the worker could record it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.WAITING)
    idempotency_key = models.CharField(max_length=80, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    external_id = models.CharField(max_length=120, blank=True)
    external_url = models.URLField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Published by hand: who recorded the link (the time is published_at), and when SafeSocial last reminded them.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "channel"], name="one_delivery_per_channel"),
            models.UniqueConstraint(
                fields=["idempotency_key"], condition=~models.Q(idempotency_key=""), name="delivery_key_unique"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.post} → {self.channel} ({self.get_status_display()})"


class FaceKind(models.TextChoices):
    UNTAGGED = "untagged", "Not tagged yet"
    PUPIL = "pupil", "A pupil"
    NOT_PUPIL = "not_pupil", "Not a pupil (an adult, or a child who is not ours)"
    NOT_A_FACE = "not_face", "Not a face (the detector was wrong)"


class FaceTag(models.Model):
    """A face found in a post's image, and whom a member of staff says it is."""

    image = models.ForeignKey(PostImage, on_delete=models.CASCADE, related_name="faces")
    x = models.PositiveIntegerField()
    y = models.PositiveIntegerField()
    w = models.PositiveIntegerField()
    h = models.PositiveIntegerField()
    score = models.FloatField(default=0)
    kind = models.CharField(max_length=10, choices=FaceKind.choices, default=FaceKind.UNTAGGED)
    pupil = models.ForeignKey("people.Pupil", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    suggested_pupil = models.ForeignKey(
        "people.Pupil", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tagged_at = models.DateTimeField(null=True, blank=True)
    blurred = models.BooleanField(default=False)

    class Meta:
        ordering = ["image", "x"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="pupil", pupil__isnull=False) | ~models.Q(kind="pupil"),
                name="pupil_face_names_a_pupil",
            )
        ]

    def __str__(self) -> str:
        return f"face {self.pk} in image {self.image_id}"

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (self.x, self.y, self.w, self.h)


class FeaturedPupil(models.Model):
    """A pupil named in a post or tagged in its photos: who a withdrawal of consent affects."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="featured")
    pupil = models.ForeignKey("people.Pupil", on_delete=models.CASCADE, related_name="featured_in")
    how = models.CharField(max_length=10, choices=[("named", "Named"), ("photo", "In a photo")])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "pupil", "how"], name="featured_once")]

    def __str__(self) -> str:
        return f"pupil {self.pupil_id} {self.how} in post {self.post_id}"


class TakeDownReason(models.TextChoices):
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn"
    ERROR = "error", "A mistake in the post"
    COMPLAINT = "complaint", "A complaint"
    SAFEGUARDING = "safeguarding", "Safeguarding"


class TakeDownStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be taken down"
    SENDING = "sending", "Being taken down"
    DONE = "done", "Taken down"
    REFUSED = "refused", "Refused by the platform"
    MANUAL = "manual", "Waiting for someone to remove it by hand and confirm"


class TakeDown(models.Model):
    """Taking one published delivery off its platform: through the platform's API where it allows it, else by hand
    with a person's confirmation. A refused attempt stays here, with the platform's words, until retried."""

    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, related_name="take_down")
    reason = models.CharField(max_length=20, choices=TakeDownReason.choices)
    note = models.TextField(blank=True)  # may name a child: never copied into the audit trail
    status = models.CharField(max_length=10, choices=TakeDownStatus.choices, default=TakeDownStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)  # the platform's words when it refused
    done_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(  # who confirmed a manual take-down
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "chased_at"])]

    def __str__(self) -> str:
        return f"take-down of delivery {self.delivery_id} ({self.get_status_display()})"


class WithdrawalChoice(models.TextChoices):
    OPEN = "", "Not decided"
    TAKE_DOWN = "take_down", "Take down"
    KEEP = "keep", "Keep"


class WithdrawalDecision(models.Model):
    """A published post that relied on a consent a parent has withdrawn: someone decides, by `due_on`, to take it
    down or to keep it for a stated reason. Open decisions stay on the DSL's and channel owners' dashboards."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="withdrawal_decisions")
    consent = models.ForeignKey("consent.Consent", on_delete=models.CASCADE, related_name="+")  # the withdrawal
    pupil = models.ForeignKey("people.Pupil", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    decision = models.CharField(max_length=10, choices=WithdrawalChoice.choices, blank=True, default="")
    because = models.TextField(blank=True)  # why it is kept: may name a child, so fingerprinted in the audit trail
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "consent"], name="one_decision_per_post_and_withdrawal"),
            models.CheckConstraint(
                condition=~models.Q(decision="keep") | ~models.Q(because=""), name="keeping_a_post_says_why"
            ),
        ]

    def __str__(self) -> str:
        return f"decision on post {self.post_id} after withdrawal {self.consent_id}"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Waiting for a decision"
    AGREED = "agreed", "Agreed, waiting for a poster"  # the person the policy names agreed; a poster drafts it
    DRAFTED = "drafted", "Turned into a draft"
    DECLINED = "declined", "Declined"


# The only moves a suggestion makes; services refuse any other.
SUGGESTION_TRANSITIONS: dict[str, set[str]] = {
    SuggestionStatus.OPEN: {SuggestionStatus.AGREED, SuggestionStatus.DRAFTED, SuggestionStatus.DECLINED},
    SuggestionStatus.AGREED: {SuggestionStatus.DRAFTED, SuggestionStatus.DECLINED},
    SuggestionStatus.DRAFTED: set(),
    SuggestionStatus.DECLINED: set(),
}


class Suggestion(models.Model):
    """A colleague's idea for a post on a channel they cannot post to. It goes to whoever the policy names
    (posts.suggestions_to), else to the channel's posters, who turn it into a draft of their own or decline it."""

    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("people.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="suggestions")
    suggested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="suggestions")
    text = models.TextField()
    category = models.CharField(max_length=40)
    findings = models.JSONField(default=list, blank=True)  # the automated checks' warnings, for whoever decides
    # The role the policy named (posts.suggestions_to) when it was made, if anyone held it there; empty: the
    # channel's posters decide.
    to_role = models.CharField(max_length=20, choices=ROLE_CHOICES, blank=True)
    status = models.CharField(max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)  # why it was declined, for the colleague who suggested it
    post = models.OneToOneField(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="suggestion")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["trust", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(note=""), name="declining_a_suggestion_says_why"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="drafted") | models.Q(post__isnull=False),
                name="a_drafted_suggestion_has_its_post",
            ),
        ]

    def __str__(self) -> str:
        first_line = self.text.strip().splitlines()[0] if self.text.strip() else "(empty)"
        return first_line[:60] + ("…" if len(first_line) > 60 else "")


def _suggestion_image_path(instance: SuggestionImage, filename: str) -> str:
    return f"suggestions/{instance.suggestion_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class SuggestionImage(models.Model):
    """A photo sent with a suggestion, stripped of its metadata as a post's are; its faces are tagged once it is a
    draft, by the poster."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=_suggestion_image_path)
    content_type = models.CharField(max_length=40)
    alt_text = models.CharField("Description for people who cannot see the image", max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text or self.file.name
