"""Every version of a trust's policy file, kept verbatim with the date it took effect."""

from __future__ import annotations

from functools import cached_property, lru_cache

from django.conf import settings
from django.db import models
from django.utils import timezone

from .loader import parse_policy
from .schema import Policy


class PolicyVersion(models.Model):
    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="policy_versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    document_version = models.CharField(max_length=40)
    effective_from = models.DateTimeField(default=timezone.now)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        constraints = [models.UniqueConstraint(fields=["trust", "number"], name="policy_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.trust} policy v{self.number} ({self.document_version})"

    @cached_property
    def policy(self) -> Policy:
        return _parse(self.sha256, self.text)


@lru_cache(maxsize=32)
def _parse(sha256: str, text: str) -> Policy:
    # Versions are immutable, so a parsed policy can be shared by every request that asks for it.
    return parse_policy(text, f"policy {sha256[:8]}")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"
    NOTED = "noted", "Noted by the governing body"


# Every move a review may make, in one place; services refuse any other. The approver may send a submitted draft
# back for more work.
REVIEW_TRANSITIONS: dict[str, set[str]] = {
    ReviewStatus.DRAFT: {ReviewStatus.SUBMITTED},
    ReviewStatus.SUBMITTED: {ReviewStatus.APPROVED, ReviewStatus.DRAFT},
    ReviewStatus.APPROVED: {ReviewStatus.NOTED},
    ReviewStatus.NOTED: set(),
}
OPEN_REVIEW = [ReviewStatus.DRAFT, ReviewStatus.SUBMITTED]


class PolicyReview(models.Model):
    """One annual (or incident-led) review of the trust's policy: a draft of the next policy file, its approval by
    the role the policy names, and the governing body noting it."""

    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="policy_reviews")
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    base_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="reviews")
    review_due = models.DateField()  # the policy's next_review when the review began
    draft_text = models.TextField()
    change_note = models.CharField("What changed (for the document history)", max_length=300, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_note = models.TextField(blank=True)  # the approver's reasons for sending it back
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    adopted_version = models.OneToOneField(
        PolicyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="from_review"
    )
    noted_on = models.DateField(null=True, blank=True)  # the date of the meeting that noted it
    noted_body = models.CharField(max_length=200, blank=True)
    noted_minute = models.CharField("Minute reference", max_length=200, blank=True)
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # who recorded it

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["trust"], condition=models.Q(status__in=OPEN_REVIEW), name="one_open_policy_review"
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[ReviewStatus.APPROVED, ReviewStatus.NOTED])
                | models.Q(approved_at__isnull=False, approved_by__isnull=False, adopted_version__isnull=False),
                name="approved_review_has_version",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ReviewStatus.NOTED)
                | models.Q(noted_on__isnull=False, noted_by__isnull=False),
                name="noted_review_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Policy review begun {self.started_at:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REVIEW


class ReviewReminder(models.Model):
    """A reminder that the review is due, sent once for each of the policy's reminder days."""

    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="+")
    review_due = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "review_due", "days_before"], name="review_reminder_once")
        ]

    def __str__(self) -> str:
        return f"Reminder {self.days_before} days before {self.review_due}"


class ApprovalSignature(models.Model):
    """One signature on something the policy says a set of roles approves (`approvers.Approvers`): a register's
    risk assessment, an AI tool, the reviewed policy. With all_of, the thing stays waiting until every role has
    signed; each signature, and the role it was given in, stays on the record."""

    subject_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    role = models.CharField(max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id", "role"], name="one_signature_per_role"),
            # "The CEO and the headteacher" means two people: nobody signs one thing twice in two roles.
            models.UniqueConstraint(fields=["subject_type", "subject_id", "user"], name="one_signature_per_person"),
        ]

    def __str__(self) -> str:
        return f"Signed as {self.role} by {self.user}"
