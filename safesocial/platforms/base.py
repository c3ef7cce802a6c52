"""The one small interface every social network sits behind.

An adapter turns a post into the platform's API calls and the platform's answers into results or
errors SafeSocial understands. It holds no state and touches no database except the sandbox's.

Adapters that can moderate comments also satisfy `Moderator`: they read the comments under the channel's posts and
hide, restore, delete, answer or block on the platform, or raise `Unsupported` saying plainly why they cannot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar, Protocol, runtime_checkable

from safesocial.policy.schema import Platform


@dataclass(frozen=True)
class MediaItem:
    filename: str
    content_type: str  # image/jpeg, image/png, image/gif, video/mp4
    data: bytes
    alt_text: str = ""


@dataclass(frozen=True)
class Account:
    """Where and as whom to publish: the channel's id on the platform and its decrypted credential.
    Never logged, never rendered."""

    external_id: str  # Facebook page id, Instagram professional account id, X user id, YouTube channel id
    access_token: str
    channel_id: int | None = None  # SafeSocial's channel (the sandbox stores posts against it)

    def __repr__(self) -> str:
        return f"Account(external_id={self.external_id!r}, access_token='***')"


@dataclass(frozen=True)
class PublishRequest:
    text: str
    media: tuple[MediaItem, ...] = ()
    link: str | None = None
    # Unique per post, channel and post version; the sandbox enforces it. Facebook and X take no idempotency key
    # and keep no hidden field a key could travel in, so their adapters find a post by its text and time instead.
    idempotency_key: str = ""
    # The earliest moment this post could have reached the platform (aware): find_published ignores older posts
    # with the same words, which a school may well have posted before.
    not_before: dt.datetime | None = None


def is_recent(created_at: dt.datetime, request: PublishRequest) -> bool:
    """Whether a post the platform created at this time could be this request's."""
    return request.not_before is None or created_at >= request.not_before


@dataclass(frozen=True)
class PublishResult:
    external_id: str
    url: str | None = None


@dataclass(frozen=True)
class Limits:
    max_text: int
    max_images: int
    max_image_bytes: int
    image_types: frozenset[str] = frozenset({"image/jpeg", "image/png"})
    needs_media: bool = False  # Instagram cannot publish text alone


class PlatformError(Exception):
    """A platform said no. `retryable` decides between backing off and failing the post."""

    retryable: ClassVar[bool] = False

    def __init__(self, message: str, *, code: str = "", retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.retry_after = retry_after


class TemporaryError(PlatformError):
    """Network failure, a 5xx, a platform's 'try again later'."""

    retryable = True


class RateLimited(TemporaryError):
    pass


class TokenExpired(PlatformError):
    """The access token is expired or revoked: someone must reconnect the channel."""


class MediaRejected(PlatformError):
    """An image or video the platform will not take (type, size, dimensions)."""


class Unsupported(PlatformError):
    """The platform's public API cannot do this at all."""


class NotFound(PlatformError):
    """The comment, post or account is not there (any more), or this channel cannot see it. On delete it usually means
    someone removed the comment already."""


class PermissionDenied(PlatformError):
    """The platform understood but will not let this channel do it: a missing permission or scope, a comment on
    someone else's post, or an API plan that does not include the endpoint. Retrying will not help; a person must."""


@dataclass
class ValidationProblem:
    message: str
    field: str = "text"


class Adapter(Protocol):
    platform: ClassVar[Platform]
    limits: ClassVar[Limits]

    def validate(self, request: PublishRequest) -> list[ValidationProblem]:
        """Problems the platform would reject, found before any call is made."""
        ...

    def publish(self, account: Account, request: PublishRequest) -> PublishResult:
        """Publish, or raise a PlatformError subclass."""
        ...

    def find_published(self, account: Account, request: PublishRequest) -> PublishResult | None:
        """Before sending again after an attempt whose outcome is unknown (a timeout, a lost answer, a worker that
        died): is this post already on the platform? (Looks at the account's recent posts for the same text, created
        at or after `request.not_before`.) None if not found."""
        ...


@runtime_checkable
class TakeDowner(Protocol):
    """Deleting a published post through the platform's API. Adapters whose platform allows no such call (Instagram
    media, YouTube community posts, Facebook groups) do not satisfy it: their posts are taken down by hand."""

    def take_down(self, account: Account, external_id: str) -> None:
        """Delete the post, or raise NotFound (it is not there any more, or this channel cannot see it), TokenExpired,
        PermissionDenied or another PlatformError."""
        ...


@dataclass(frozen=True)
class RemoteComment:
    """A comment or reply as the platform holds it, read by polling or from a webhook."""

    external_id: str
    parent_external_id: str  # the post (or video) for a top-level comment, the comment answered for a reply
    author_id: str  # empty where the platform withholds who wrote it (Graph may leave `from` out)
    author_name: str
    text: str
    created_at: dt.datetime  # aware
    url: str | None
    post_external_id: str = ""  # the post or video the conversation hangs under, for replies too
    hidden: bool = False  # already hidden or held for review on the platform

    @property
    def is_reply(self) -> bool:
        return bool(self.post_external_id) and self.parent_external_id != self.post_external_id


@runtime_checkable
class Moderator(Protocol):
    """Comment moderation on one channel. Every method raises a PlatformError subclass when the platform says no, and
    Unsupported, with a reason a moderator can act on, when the platform's API cannot do it at all."""

    def fetch_comments(self, account: Account, since: dt.datetime | None = None) -> list[RemoteComment]:
        """Comments and replies under the channel's recent posts, created at or after `since`, oldest first. Polling:
        X and YouTube rely on it; for Facebook and Instagram it backs up the webhooks."""
        ...

    def hide(self, account: Account, comment_id: str) -> None:
        """Take the comment out of public view without destroying it (evidence for a safeguarding concern)."""
        ...

    def unhide(self, account: Account, comment_id: str) -> None: ...

    def delete(self, account: Account, comment_id: str) -> None: ...

    def reply(self, account: Account, comment_id: str, text: str) -> str:
        """Answer the comment as the channel; returns the reply's id."""
        ...

    def block(self, account: Account, author_id: str, *, comment_id: str | None = None) -> None:
        """Stop the author commenting on the channel. `comment_id` is the comment that prompted it: YouTube can only
        ban an author through one of their comments; the others ignore it."""
        ...


def check_limits(limits: Limits, request: PublishRequest) -> list[ValidationProblem]:
    """The checks every platform shares: text length, number, type and size of images."""
    problems: list[ValidationProblem] = []
    if len(request.text) > limits.max_text:
        problems.append(
            ValidationProblem(f"The text is {len(request.text)} characters; the limit is {limits.max_text}.")
        )
    images = [m for m in request.media if m.content_type.startswith("image/")]
    if len(images) > limits.max_images:
        problems.append(ValidationProblem(f"{len(images)} images; at most {limits.max_images} allowed.", "media"))
    for item in request.media:
        if item.content_type not in limits.image_types:
            problems.append(ValidationProblem(f"{item.filename}: {item.content_type} is not accepted here.", "media"))
        elif len(item.data) > limits.max_image_bytes:
            mb = limits.max_image_bytes / 1_000_000
            problems.append(ValidationProblem(f"{item.filename} is larger than {mb:g} MB.", "media"))
    if limits.needs_media and not request.media:
        problems.append(ValidationProblem("This platform needs at least one image.", "media"))
    return problems


@dataclass
class Registry:
    adapters: dict[str, Adapter] = field(default_factory=dict)

    def register(self, key: str, adapter: Adapter) -> None:
        self.adapters[key] = adapter

    def get(self, key: str) -> Adapter:
        try:
            return self.adapters[key]
        except KeyError:
            raise Unsupported(f"SafeSocial cannot publish to {key}") from None
