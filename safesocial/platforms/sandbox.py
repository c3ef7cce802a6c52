"""The sandbox adapter: publishing stores the post inside SafeSocial, under the channel's sandbox feed."""

from __future__ import annotations

from typing import ClassVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse

from safesocial.policy.schema import Platform

from .base import Account, Limits, PlatformError, PublishRequest, PublishResult, ValidationProblem, check_limits
from .models import SandboxPost


class SandboxAdapter:
    platform: ClassVar[Platform] = Platform.OTHER
    # Generous limits, like Facebook's, so the sandbox refuses what a real page would.
    limits: ClassVar[Limits] = Limits(
        max_text=63206,
        max_images=10,
        max_image_bytes=10_000_000,
        image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
    )

    def validate(self, request: PublishRequest) -> list[ValidationProblem]:
        return check_limits(self.limits, request)

    def publish(self, account: Account, request: PublishRequest) -> PublishResult:
        if account.channel_id is None or not request.idempotency_key:
            raise PlatformError("the sandbox needs a channel and an idempotency key")
        existing = SandboxPost.objects.filter(idempotency_key=request.idempotency_key).first()
        if existing:
            return self._result(existing)
        names = [
            default_storage.save(f"sandbox/{account.channel_id}/{item.filename}", ContentFile(item.data))
            for item in request.media
        ]
        try:
            with transaction.atomic():
                post = SandboxPost.objects.create(
                    channel_id=account.channel_id,
                    text=request.text,
                    image_files=names,
                    image_alts=[item.alt_text for item in request.media],
                    idempotency_key=request.idempotency_key,
                )
        except IntegrityError:  # another worker stored it first: same key, same post
            post = SandboxPost.objects.get(idempotency_key=request.idempotency_key)
        return self._result(post)

    def find_published(self, account: Account, request: PublishRequest) -> PublishResult | None:
        post = SandboxPost.objects.filter(idempotency_key=request.idempotency_key).first()
        return self._result(post) if post else None

    @staticmethod
    def _result(post: SandboxPost) -> PublishResult:
        return PublishResult(
            external_id=f"sandbox-{post.pk}", url=reverse("sandbox", args=[post.channel_id]) + f"#post-{post.pk}"
        )
