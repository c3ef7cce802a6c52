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
