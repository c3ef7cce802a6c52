"""Messages sent privately to an official account, the one reply each conversation may get in a day, and the
sandbox account's own inbox.

Every seed policy forbids staff private contact with pupils. A pupil messaging the school's Instagram is exactly that
contact, and may be a disclosure: SafeSocial reads each message as it reads a comment, raises a possible disclosure
with the DSL, and answers only with the policy's standard redirect text. Nothing here can hold a conversation."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReplyStatus(models.TextChoices):
    WAITING = "waiting", "Not yet answered"
    SENT = "sent", "Sent the policy's standard reply"
    ALREADY = "already", "Already answered today: no second reply"
    FAILED = "failed", "The platform refused the standard reply"


# The moderation thresholds' decision, as for a comment; "checking" until the background task has read it.
CHECKING = "checking"


class DirectMessage(models.Model):
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="direct_messages")
    external_id = models.CharField("ID on the platform", max_length=255)
    sender_id = models.CharField("Sender's ID on the platform", max_length=120)
    sender_name = models.CharField("Sender's name", max_length=200, blank=True)
    text = models.TextField(blank=True)
    attachments = models.PositiveSmallIntegerField(default=0)  # photos or files SafeSocial did not read
    created_at = models.DateTimeField()  # on the platform
    received_at = models.DateTimeField(default=timezone.now)
    # What the moderation classifier saw, kept as it was at the time: scores, spans and reasons per category.
    classification = models.JSONField(default=dict)
    action = models.CharField(max_length=10, default=CHECKING)
    concern = models.ForeignKey(
        "concerns.Concern", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_messages"
    )
    reply_status = models.CharField(max_length=10, choices=ReplyStatus.choices, default=ReplyStatus.WAITING)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="direct_message_once_per_channel"),
            # A message was answered exactly when the reply it prompted went out.
            models.CheckConstraint(
                condition=Q(reply_status=ReplyStatus.SENT, replied_at__isnull=False)
                | (~Q(reply_status=ReplyStatus.SENT) & Q(replied_at__isnull=True)),
                name="direct_message_replied_when_sent",
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "sender_id"]),
            models.Index(fields=["-received_at"], name="direct_message_newest_first"),
        ]

    def __str__(self) -> str:
        return f"Direct message {self.pk} to {self.channel_id}"

    @property
    def top_categories(self) -> list[dict]:
        cats = self.classification.get("categories", [])
        return sorted((c for c in cats if c.get("fired")), key=lambda c: -c["score"])

    @property
    def is_safeguarding(self) -> bool:
        """Kept for the people the policy names for concerns: raised with the DSL, or read as a possible disclosure."""
        return bool(self.concern_id) or self.action == "escalate"


class StandardReply(models.Model):
    """The policy's standard reply, sent to one person on one channel on one day. The unique constraint is the rule:
    a conversation gets at most one reply a day, however many messages arrive at once."""

    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="+")
    recipient_id = models.CharField(max_length=120)
    day = models.DateField()  # in the trust's time zone
    message = models.OneToOneField(DirectMessage, on_delete=models.PROTECT, related_name="standard_reply")
    text = models.TextField()  # exactly what was sent: the policy's words, with the school named
    external_id = models.CharField(max_length=255, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "recipient_id", "day"], name="one_standard_reply_a_day"),
        ]

    def __str__(self) -> str:
        return f"Standard reply on {self.day} to {self.recipient_id}"


class SandboxMessage(models.Model):
    """The sandbox account's inbox, as a platform would hold it: a visitor's messages and the account's replies."""

    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="+")
    visitor_id = models.CharField(max_length=64)  # the pseudonymous visitor id kept in the visitor's session
    visitor_name = models.CharField(max_length=100)
    text = models.TextField()
    by_account = models.BooleanField(default=False)  # the account's (SafeSocial's standard) reply
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["channel", "visitor_id"])]

    def __str__(self) -> str:
        return f"Sandbox message {self.pk}"
