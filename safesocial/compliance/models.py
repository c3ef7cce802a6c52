"""Who has read which version of the policy, and who is trained.

An acknowledgement belongs to one policy version: a new version asks everyone again. Parents and pupils have no
account, so they acknowledge through a signed link or a code printed on a letter; the code itself is never stored,
only its digest (the letter reprints it from a per-person nonce and the site's secret key)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Group(models.TextChoices):
    STAFF = "staff", "Staff"
    PARENTS = "parents", "Parents and carers"
    PUPILS = "pupils", "Pupils"


class Method(models.TextChoices):
    IN_APP = "in_app", "Read and confirmed in SafeSocial"
    LINK = "link", "Signed link"
    CODE = "code", "Code from a letter"


class Acknowledgement(models.Model):
    version = models.ForeignKey("policy.PolicyVersion", on_delete=models.PROTECT, related_name="acknowledgements")
    group = models.CharField(max_length=10, choices=Group.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    parent = models.ForeignKey(
        "people.ParentCarer", null=True, blank=True, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    pupil = models.ForeignKey(
        "people.Pupil", null=True, blank=True, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    method = models.CharField(max_length=10, choices=Method.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        constraints = [
            # Exactly one person, and the one the group names.
            models.CheckConstraint(
                condition=(
                    Q(group="staff", user__isnull=False, parent__isnull=True, pupil__isnull=True)
                    | Q(group="parents", user__isnull=True, parent__isnull=False, pupil__isnull=True)
                    | Q(group="pupils", user__isnull=True, parent__isnull=True, pupil__isnull=False)
                ),
                name="ack_one_person_of_its_group",
            ),
            models.UniqueConstraint(
                fields=["version", "user"], condition=Q(user__isnull=False), name="ack_once_per_staff_version"
            ),
            models.UniqueConstraint(
                fields=["version", "parent"], condition=Q(parent__isnull=False), name="ack_once_per_parent_version"
            ),
            models.UniqueConstraint(
                fields=["version", "pupil"], condition=Q(pupil__isnull=False), name="ack_once_per_pupil_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} acknowledgement of v{self.version_id}"


class AcknowledgementCode(models.Model):
    """A family's or a pupil's code for the letter. One per person, reused for every version of the policy;
    reissuing it (a new nonce) makes the old letter's code stop working."""

    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="+")
    parent = models.OneToOneField(
        "people.ParentCarer", null=True, blank=True, on_delete=models.CASCADE, related_name="ack_code"
    )
    pupil = models.OneToOneField(
        "people.Pupil", null=True, blank=True, on_delete=models.CASCADE, related_name="ack_code"
    )
    nonce = models.CharField(max_length=32)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=False, pupil__isnull=True) | Q(parent__isnull=True, pupil__isnull=False),
                name="ack_code_for_one_person",
            )
        ]

    def __str__(self) -> str:
        return f"Acknowledgement code for {'parent' if self.parent_id else 'pupil'} {self.parent_id or self.pupil_id}"


class Reminder(models.Model):
    """A reminder sent to a member of staff to acknowledge a version (so they are reminded every N days, not daily)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey("policy.PolicyVersion", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["version", "user", "-sent_at"])]

    def __str__(self) -> str:
        return f"Reminder to {self.user_id} on {self.sent_at:%d %b %Y}"


class TrainingKind(models.TextChoices):
    INDUCTION = "induction", "Induction"
    REFRESHER = "refresher", "Refresher"


class TrainingStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Not confirmed"


# The only moves a training record may make: a self-recorded record is confirmed or not, once.
TRAINING_TRANSITIONS: dict[str, set[str]] = {
    TrainingStatus.PENDING: {TrainingStatus.CONFIRMED, TrainingStatus.REJECTED},
    TrainingStatus.CONFIRMED: set(),
    TrainingStatus.REJECTED: set(),
}

# Passing the quiz on the trust's own policy is training on this topic, whatever the policy calls its topics.
QUIZ_TOPIC = "The social media policy"


class TrainingRecord(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_records")
    topic = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=TrainingKind.choices)
    completed_on = models.DateField()
    provider = models.CharField(max_length=200)
    evidence = models.FileField(upload_to="training-evidence/%Y/", blank=True)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=TrainingStatus.choices, default=TrainingStatus.PENDING)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    quiz_attempt = models.OneToOneField(
        "QuizAttempt", null=True, blank=True, on_delete=models.PROTECT, related_name="training_record"
    )

    class Meta:
        ordering = ["-completed_on", "-pk"]
        indexes = [models.Index(fields=["user", "status", "-completed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="training_decided_unless_pending",
            ),
            models.CheckConstraint(
                condition=~Q(evidence="") | ~Q(note="") | Q(quiz_attempt__isnull=False),
                name="training_has_evidence_or_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.topic} ({self.completed_on:%d %b %Y})"


class QuizAttempt(models.Model):
    """One submission of the quiz. The token comes with the form, so the same submission sent twice is one attempt."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    version = models.ForeignKey("policy.PolicyVersion", on_delete=models.PROTECT, related_name="+")
    token = models.UUIDField(default=uuid.uuid4, unique=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    score = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    answers = models.JSONField(default=list)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=models.F("total")), name="quiz_score_within_total"),
        ]

    def __str__(self) -> str:
        return f"Quiz attempt {self.score}/{self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.total) if self.total else 0
