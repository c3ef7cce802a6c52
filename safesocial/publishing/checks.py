"""The automated checks every submitted post passes before a colleague reads it.

Each check is a function (post) -> list[Finding]; run_checks runs them all. Consent, personal information
and image checks join this list; the workflow does not change when they do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Literal

from safesocial.platforms.base import PublishRequest

from .models import Post


@dataclass(frozen=True)
class Finding:
    check: str
    severity: Literal["block", "warn"]
    reason: str  # in words a teacher understands
    start: int | None = None  # the span of text it is about, if any
    end: int | None = None

    @property
    def blocks(self) -> bool:
        return self.severity == "block"

    def as_dict(self) -> dict:
        return asdict(self)


def category_allowed(post: Post) -> list[Finding]:
    policy = post.trust.policy
    if post.category in policy.category_keys():
        return []
    labels = ", ".join(c.label for c in policy.posts.categories)
    return [Finding("category", "block", f"The trust's policy allows posts about: {labels}.")]


def platform_limits(post: Post) -> list[Finding]:
    """What each channel's platform would refuse (length, number and size of images), found now rather
    than at publishing time."""
    from .delivery import adapter_for

    request = PublishRequest(text=post.text)
    findings = []
    images = list(post.images.all())
    for delivery in post.deliveries.select_related("channel"):
        adapter = adapter_for(delivery.channel)
        limits = adapter.limits
        problems = [p.message for p in adapter.validate(request) if p.field == "text"]
        if len(images) > limits.max_images:
            problems.append(f"{len(images)} images; at most {limits.max_images} allowed.")
        for image in images:
            if image.content_type not in limits.image_types:
                problems.append(f"{image.alt_text or 'an image'}: {image.content_type} is not accepted there.")
            elif image.size > limits.max_image_bytes:
                problems.append(f"{image.alt_text or 'an image'} is too large for {delivery.channel.platform_label}.")
        if limits.needs_media and not images:
            problems.append("this platform needs at least one image.")
        findings += [Finding("platform", "block", f"{delivery.channel}: {message}") for message in problems]
    return findings


CHECKS: list[Callable[[Post], list[Finding]]] = [category_allowed, platform_limits]


def run_checks(post: Post) -> list[Finding]:
    return [finding for check in CHECKS for finding in check(post)]
