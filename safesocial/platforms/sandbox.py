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

    def take_down(self, account: Account, external_id: str) -> None:
        """As a real page does: the post leaves the page, its comments with it."""
        from .base import NotFound

        pk = external_id.removeprefix("sandbox-")
        deleted = 0
        if pk.isdigit() and account.channel_id is not None:
            deleted, _ = SandboxPost.objects.filter(pk=int(pk), channel_id=account.channel_id).delete()
        if not deleted:
            raise NotFound("That post is no longer on the sandbox page.", code="not_found")

    @staticmethod
    def _result(post: SandboxPost) -> PublishResult:
        return PublishResult(
            external_id=f"sandbox-{post.pk}", url=reverse("sandbox", args=[post.channel_id]) + f"#post-{post.pk}"
        )


class SandboxModerator:
    """Moderation on a sandbox page: the same actions as a real page, applied to SafeSocial's own store."""

    @staticmethod
    def _channel(account: Account) -> int:
        if account.channel_id is None:
            raise PlatformError("the sandbox needs a channel")
        return account.channel_id

    def _comment(self, account: Account, comment_id: str):
        from .models import SandboxComment

        comment = SandboxComment.objects.filter(
            pk=int(comment_id.removeprefix("sandbox-comment-")), post__channel_id=self._channel(account)
        ).first()
        if comment is None:
            raise PlatformError("That comment is no longer on the sandbox page.")
        return comment

    def fetch_comments(self, account: Account, since=None) -> list:
        """What a poll of a real page returns: every comment on the sandbox page's posts."""
        from .base import RemoteComment
        from .models import SandboxComment

        comments = SandboxComment.objects.filter(post__channel_id=self._channel(account), by_page=False, deleted=False)
        if since is not None:
            comments = comments.filter(created_at__gt=since)
        return [
            RemoteComment(
                external_id=f"sandbox-comment-{c.pk}",
                parent_external_id=f"sandbox-{c.post_id}",
                author_id=c.author_id,
                author_name=c.author_name,
                text=c.text,
                created_at=c.created_at,
                url=None,
                post_external_id=f"sandbox-{c.post_id}",
                hidden=c.hidden,
            )
            for c in comments
        ]

    def hide(self, account: Account, comment_id: str) -> None:
        comment = self._comment(account, comment_id)
        comment.hidden = True
        comment.save(update_fields=["hidden"])

    def unhide(self, account: Account, comment_id: str) -> None:
        comment = self._comment(account, comment_id)
        comment.hidden = False
        comment.save(update_fields=["hidden"])

    def delete(self, account: Account, comment_id: str) -> None:
        comment = self._comment(account, comment_id)
        comment.deleted = True
        comment.save(update_fields=["deleted"])

    def reply(self, account: Account, comment_id: str, text: str) -> str:
        from .models import SandboxComment

        parent = self._comment(account, comment_id)
        reply = SandboxComment.objects.create(
            post=parent.post, author_id="page", author_name="", text=text, reply_to=parent, by_page=True
        )
        return f"sandbox-comment-{reply.pk}"

    def block(self, account: Account, author_id: str, *, comment_id: str | None = None) -> None:
        from .models import SandboxBlock

        SandboxBlock.objects.get_or_create(channel_id=account.channel_id, author_id=author_id)
