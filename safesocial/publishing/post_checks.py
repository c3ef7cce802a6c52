"""The automated checks every submitted post passes before a colleague reads it.

Each check is a function (post) -> list[Finding]; run_checks runs them all. Consent, personal information
and image checks join this list; the workflow does not change when they do."""

from __future__ import annotations

from collections.abc import Callable

from safesocial.consent.models import Purpose
from safesocial.consent.selectors import consents_for, in_force, register_for
from safesocial.platforms.base import PublishRequest, Unsupported, check_limits
from safesocial.platforms.registry import adapter_for as platform_adapter
from safesocial.text.findings import Finding
from safesocial.text.semantic_posts import check_post

from .models import MAX_POST_CHARS, FaceKind, FaceTag, Post


def too_long(text: str) -> str | None:
    """Why a post's text is refused before any check runs, if it is longer than any platform takes."""
    if len(text) <= MAX_POST_CHARS:
        return None
    return (
        f"The text is {len(text):,} characters; a post may have at most {MAX_POST_CHARS:,} characters "
        "(the most any platform takes)."
    )


def category_allowed(post: Post) -> list[Finding]:
    policy = post.trust.policy
    if post.category in policy.category_keys():
        return []
    labels = ", ".join(c.label for c in policy.posts.categories)
    return [Finding("category", "block", f"The trust's policy allows posts about: {labels}.")]


def platform_limits(post: Post) -> list[Finding]:
    """What each channel's platform would refuse (length, number and size of images), found now rather
    than at publishing time."""
    from .delivery import adapter_for  # here, not at the top: delivery imports services, which runs these checks

    request = PublishRequest(text=post.text)
    findings = []
    images = list(post.images.all())
    for delivery in post.deliveries.select_related("channel"):
        channel = delivery.channel
        if channel.is_manual:
            # Published by hand through the platform's own pages: its text limit still holds, where SafeSocial knows
            # it; what photos its pages take is the poster's to see.
            try:
                limits = platform_adapter(channel.platform).limits
            except Unsupported:
                continue
            problems = [p.message for p in check_limits(limits, request) if p.field == "text"]
            findings += [Finding("platform", "block", f"{channel}: {message}") for message in problems]
            continue
        adapter = adapter_for(channel)
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


def text_content(post: Post) -> list[Finding]:
    """The policy's post categories: the exact rules (offensive language, politics, personal views, personal
    information, pupils' names against the register, behaviour, discount codes) and, read for meaning, tone towards
    families, disrepute, discrimination, commercial promotion, special category data and confidential matters."""
    return text_findings(post.text, post.school)


def text_findings(text: str, school) -> list[Finding]:
    """What the checks find in words meant for a school's channels: a post's, or a colleague's suggestion's."""
    return check_post(text, register=register_for(school))


def faces_and_consent(post: Post) -> list[Finding]:
    """Every face tagged; every pupil in a photo has a parent's consent for social media, or is blurred."""
    faces = list(FaceTag.objects.filter(image__post=post).select_related("pupil", "image"))
    records = consents_for([f.pupil for f in faces if f.pupil is not None])
    findings = []
    untagged = [f for f in faces if f.kind == FaceKind.UNTAGGED and not f.blurred]
    if untagged:
        findings.append(
            Finding(
                "faces",
                "block",
                f"{len(untagged)} face{'s' if len(untagged) != 1 else ''} in the photos "
                f"{'are' if len(untagged) != 1 else 'is'} not tagged. Say who each is, or blur it.",
            )
        )
    for face in faces:
        pupil = face.pupil
        if pupil is not None and not face.blurred and not in_force(records.get(pupil.pk, {}), Purpose.SOCIAL_MEDIA):
            findings.append(
                Finding(
                    "consent",
                    "block",
                    f"{pupil.first_name} {pupil.last_name[:1]}. has no parental consent for photos on social "
                    "media. Blur their face or choose another photo.",
                )
            )
    return findings


CHECKS: list[Callable[[Post], list[Finding]]] = [category_allowed, platform_limits, text_content, faces_and_consent]


def run_checks(post: Post) -> list[Finding]:
    return [finding for check in CHECKS for finding in check(post)]
