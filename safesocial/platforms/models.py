"""The sandbox platform's own store: posts published 'to' a sandbox channel live here, so the demo works
with no network and shows each post as it would look."""

from django.db import models
from django.utils import timezone


# The sandbox's rows are keyed by the channel the adapter is handed (base.Account.channel_id), a plain number and not
# a relation: channels sit above platforms (docs/architecture.md), and a channel is never deleted, only retired.
class SandboxPost(models.Model):
    channel_id = models.BigIntegerField(db_index=True)
    text = models.TextField()
    image_files = models.JSONField(default=list, blank=True)  # storage names, in order
    image_alts = models.JSONField(default=list, blank=True)
    idempotency_key = models.CharField(max_length=80, unique=True)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.text[:60]


class SandboxComment(models.Model):
    """A visitor's comment on a sandbox page, and what moderation did to it there."""

    post = models.ForeignKey(SandboxPost, on_delete=models.CASCADE, related_name="comments")
    author_id = models.CharField(max_length=64)  # a pseudonymous visitor id kept in the visitor's session
    author_name = models.CharField(max_length=100)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(default=False)
    deleted = models.BooleanField(default=False)
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    by_page = models.BooleanField(default=False)  # a reply from the school's page

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class SandboxBlock(models.Model):
    channel_id = models.BigIntegerField()
    author_id = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel_id", "author_id"], name="sandbox_block_once")]

    def __str__(self) -> str:
        return f"{self.author_id} blocked on {self.channel_id}"
