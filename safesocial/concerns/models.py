"""Safeguarding concerns. Seen only by the people the trust's policy names; every read and write is audited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ConcernKind(models.TextChoices):
    COMMENT_DISCLOSURE = "comment_disclosure", "A comment on an official channel that may disclose a risk to a child"
    COMMENT_THREAT = "comment_threat", "A threatening comment on an official channel"


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Concern(models.Model):
    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="concerns")
    school = models.ForeignKey(
        "people.School", null=True, blank=True, on_delete=models.PROTECT, related_name="concerns"
    )
    kind = models.CharField(max_length=30, choices=ConcernKind.choices)
    summary = models.TextField()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: raised by SafeSocial from a comment
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Concern {self.pk}"
