"""The sandbox platform's own store: posts published 'to' a sandbox channel live here, so the demo works
with no network and shows each post as it would look."""

from django.db import models
from django.utils import timezone


class SandboxPost(models.Model):
    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="sandbox_posts")
    text = models.TextField()
    image_files = models.JSONField(default=list, blank=True)  # storage names, in order
    image_alts = models.JSONField(default=list, blank=True)
    idempotency_key = models.CharField(max_length=80, unique=True)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.text[:60]
