"""Comments on official channels, what was done to each and why, and the people who keep breaking the rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from safesocial.policy.schema import PLATFORM_LABELS, Platform


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", "Visible"
    HIDDEN = "hidden", "Hidden"
    DELETED = "deleted", "Deleted"


class Comment(models.Model):
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="comments")
    external_id = models.CharField(max_length=120)
    parent_external_id = models.CharField(max_length=120, blank=True)
    author_id = models.CharField(max_length=120)
    author_name = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField()  # on the platform
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=CommentStatus.choices, default=CommentStatus.VISIBLE)
    # What the classifier saw, kept as it was at the time: scores, spans and reasons per category.
    classification = models.JSONField(default=dict)
    suggested_action = models.CharField(max_length=10)
    needs_review = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Raised with the DSL as (part of) a safeguarding concern: kept, hidden, never deleted or answered in public.
    # The concern holds the link (concerns.Concern.comments): concerns sit above moderation (docs/architecture.md).
    kept_for_concern = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["channel", "external_id"], name="comment_once_per_channel")]
        indexes = [
            models.Index(fields=["needs_review", "-received_at"]),
            models.Index(fields=["author_id"]),
            # "All comments", newest first, reads the newest rows of this index instead of sorting every comment.
            models.Index(fields=["-received_at"], name="comment_newest_first"),
            # The inbox's counts and queues read only the flagged comments (a few in a hundred) by channel and state.
            models.Index(
                fields=["channel", "status", "kept_for_concern"],
                condition=models.Q(needs_review=True),
                name="comment_flagged_idx",
            ),
            # One school's moderator reads their own channels' comments newest first.
            models.Index(fields=["channel", "-received_at"], name="comment_channel_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def top_categories(self) -> list[dict]:
        cats = self.classification.get("categories", [])
        return sorted((c for c in cats if c.get("fired")), key=lambda c: -c["score"])

    @property
    def suggests_complaint_reply(self) -> bool:
        """Policy 001: a complaint is pointed to the complaints procedure with a polite reply. The reply is offered
        only when the trust's thresholds redirect the comment: one that is also abusive, hateful or threatening is
        hidden for that, and thanking its author "for getting in touch" would read as condoning it. A moderator may
        still write a reply of their own."""
        return self.suggested_action == "redirect" and any(c["name"] == "complaint" for c in self.top_categories)


class Action(models.TextChoices):
    HIDE = "hide", "Hidden"
    UNHIDE = "unhide", "Restored"
    DELETE = "delete", "Deleted"
    REPLY = "reply", "Replied"
    BLOCK = "block", "Author blocked"
    ESCALATE = "escalate", "Raised with the DSL"
    REVIEWED = "reviewed", "Reviewed and left up"
    EDITED = "edited", "Edited by its author and checked again"


class ModerationEvent(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: SafeSocial acted automatically, under the policy's thresholds
    reason = models.TextField()
    classification = models.JSONField(default=dict)
    at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField(default=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({'SafeSocial' if self.actor_id is None else self.actor})"


class Offender(models.Model):
    """One author on one platform, across the trust's channels."""

    trust = models.ForeignKey("people.Trust", on_delete=models.CASCADE, related_name="offenders")
    platform = models.CharField(max_length=20)
    author_id = models.CharField(max_length=120)
    author_name = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey("people.ParentCarer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    block_proposed_at = models.DateTimeField(null=True, blank=True)
    blocked_at = models.DateTimeField(null=True, blank=True)
    escalation_step = models.CharField(max_length=40, blank=True)  # the policy's parent escalation step proposed

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trust", "platform", "author_id"], name="offender_once_per_platform")
        ]

    def __str__(self) -> str:
        return self.author_name or self.author_id

    @property
    def platform_label(self) -> str:
        return PLATFORM_LABELS.get(Platform(self.platform), self.platform)
