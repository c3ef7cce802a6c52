"""The parent escalation ladder: what the school does, step by step, about a parent, carer or member of the
community who posts inappropriately about it. The steps are the trust's policy's (`parents.escalation`); each step
taken is a record that is never changed afterwards (a correction is a new record)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from safesocial.concerns.types import PLATFORMS

# The platforms a concern names, and the official channels moderation knows an offender from.
PLATFORM_NAMES = dict(PLATFORMS) | {
    "facebook_page": "Facebook Page",
    "facebook_group": "Facebook closed group",
}


class EscalationStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


# The only moves an escalation may make; services refuse any other. A proposal (from moderation) is opened when
# someone takes it up, or closed when they decide it needs no action.
ESCALATION_TRANSITIONS: dict[str, set[str]] = {
    EscalationStatus.PROPOSED: {EscalationStatus.OPEN, EscalationStatus.CLOSED},
    EscalationStatus.OPEN: {EscalationStatus.CLOSED},
    EscalationStatus.CLOSED: set(),
}


class Escalation(models.Model):
    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="escalations")
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="escalations")
    parent = models.ForeignKey(
        "people.ParentCarer", null=True, blank=True, on_delete=models.PROTECT, related_name="escalations"
    )
    # A member of the community who is not on the school's records is known by their account.
    account_name = models.CharField("Name on the account", max_length=200, blank=True)
    account_platform = models.CharField("Platform", max_length=30, blank=True)
    account_handle = models.CharField("Account or handle", max_length=200, blank=True)
    concern = models.ForeignKey(
        "concerns.Concern", null=True, blank=True, on_delete=models.PROTECT, related_name="escalations"
    )
    offender = models.ForeignKey(
        "moderation.Offender", null=True, blank=True, on_delete=models.SET_NULL, related_name="escalations"
    )
    summary = models.TextField("What was posted, in brief")
    status = models.CharField(max_length=10, choices=EscalationStatus.choices, default=EscalationStatus.OPEN)
    proposed_step = models.CharField(max_length=40, blank=True)  # the policy step moderation proposed
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: proposed by SafeSocial from repeated hidden comments
    started_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["school", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(parent__isnull=False) | ~models.Q(account_name=""),
                name="escalation_is_about_someone",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                name="escalation_closed_has_date",
            ),
            models.UniqueConstraint(
                fields=["offender"], condition=models.Q(offender__isnull=False), name="escalation_once_per_offender"
            ),
        ]

    def __str__(self) -> str:
        return f"Escalation {self.pk}: {self.subject}"

    @property
    def subject(self) -> str:
        if self.parent is not None:
            return self.parent.full_name
        return self.account_name

    @property
    def platform_label(self) -> str:
        return PLATFORM_NAMES.get(self.account_platform, self.account_platform)


class StepRecordQuerySet(models.QuerySet):
    """Recorded steps are evidence: a queryset cannot rewrite or remove them in bulk either."""

    def update(self, **kwargs):
        raise ValidationError("A recorded step is never changed: record a correction instead.")

    def delete(self):
        raise ValidationError("A recorded step is never deleted: record a correction instead.")


class StepRecord(models.Model):
    """One step of the ladder taken: when, by whom and what happened. Append-only."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="records")
    step_key = models.CharField(max_length=40)
    # The policy's title at the time, so the record reads the same after the policy changes.
    step_title = models.CharField(max_length=200)
    taken_on = models.DateField("Date the step was taken")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    outcome = models.TextField("What happened")
    early_reason = models.TextField("Why this step was taken ahead of the next one", blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )  # a correction points at the record it corrects; the original stays

    objects = StepRecordQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.step_title} on {self.taken_on:%d %b %Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError("A recorded step is never changed: record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A recorded step is never deleted: record a correction instead.")


def _letter_path(letter: WarningLetter, filename: str) -> str:
    return f"letters/{letter.escalation.school_id}/{letter.generated_at:%Y}/{filename}"


class WarningLetter(models.Model):
    """A warning letter as sent: the words as the person who made it last edited them, and the PDF made from them
    once, kept with the case so that every download is the same document."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="letters")
    text = models.TextField()
    parent_name = models.CharField(max_length=200)
    incident_date = models.DateField()
    remove_by = models.DateField()
    signed_by = models.CharField(max_length=200)
    job_title = models.CharField("Signatory's job title", max_length=150, blank=True)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    generated_at = models.DateTimeField(default=timezone.now)
    # Empty only for letters made before PDFs were kept: those are printed from their words on each download.
    pdf = models.FileField(upload_to=_letter_path, max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-generated_at", "-pk"]

    def __str__(self) -> str:
        return f"Warning letter of {self.generated_at:%d %b %Y}"

    @property
    def paragraphs(self) -> list[list[str]]:
        return letter_paragraphs(self.text)


def letter_paragraphs(text: str) -> list[list[str]]:
    """A letter's paragraphs, each a list of lines. A policy file wraps its prose at a fixed width, so lines of a
    paragraph of prose are joined; short lines (an address, a signature) keep their breaks."""
    out = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        prose = len(lines) > 1 and all(len(line) >= 60 for line in lines[:-1])
        out.append([" ".join(lines)] if prose else lines)
    return out
