"""Emails about posts. They say what happened and link to the post; never the post's text, never a
credential: an inbox is not a safe place for either."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse

from .models import Post, Suggestion

log = logging.getLogger(__name__)


def _link(post: Post) -> str:
    return settings.SITE_ROOT + reverse("publishing:detail", args=[post.pk])


def _send(subject: str, body: str, recipients: Iterable) -> None:
    emails = sorted({u.email for u in recipients if u and u.email and u.is_active})
    if not emails:
        return
    try:
        send_mass_mail([(subject, body, None, [email]) for email in emails], fail_silently=False)
    except Exception:  # the post's state is already saved; a mail server outage must not undo or hide it
        log.exception("could not send '%s' to %d recipient(s)", subject, len(emails))


def _channels(post: Post) -> str:
    return ", ".join(c.name for c in post.channels.all())


def review_requested(post: Post, reviewers: Iterable) -> None:
    _send(
        "A post is waiting for your review",
        f"{post.author} has written a post for {_channels(post)} and asked for a colleague to read it before it "
        f"goes out.\n\nRead it: {_link(post)}\n",
        reviewers,
    )


def approved(post: Post) -> None:
    when = "as soon as possible" if not post.scheduled_for else f"at {post.scheduled_for:%H:%M on %d %B %Y}"
    by_hand = [c.name for c in post.channels.all() if c.is_manual]
    note = (
        f" {', '.join(by_hand)} {'is' if len(by_hand) == 1 else 'are'} published by hand: publish it there then, and "
        "record its link on the post's page."
        if by_hand
        else ""
    )
    _send(
        "Your post was approved",
        f"Your post for {_channels(post)} was approved and will be published {when}.{note}\n\n{_link(post)}\n",
        [post.author],
    )


def rejected(post: Post) -> None:
    _send(
        "Your post needs changes",
        f"A colleague has returned your post for {_channels(post)} with notes.\n\n{_link(post)}\n",
        [post.author],
    )


def _owners(post: Post):
    return [post.author, *(c.owner for c in post.channels.all())]


def published(post: Post) -> None:
    _send(
        "Your post has been published", f"Your post is now live on {_channels(post)}.\n\n{_link(post)}\n", _owners(post)
    )


def failed(post: Post) -> None:
    _send(
        "A post could not be published",
        f"A post for {_channels(post)} could not be published. The platform's message and what to do next are on "
        f"the post's page.\n\n{_link(post)}\n",
        _owners(post),
    )


def _suggestion_link(suggestion: Suggestion) -> str:
    return settings.SITE_ROOT + reverse("publishing:suggestion", args=[suggestion.pk])


def suggestion_arrived(suggestion: Suggestion, deciders: Iterable) -> None:
    """To whoever decides: a link only. A suggestion's words may name a child, and an inbox is no place for them."""
    _send(
        "A colleague has suggested a post",
        f"A colleague has suggested a post for one of the school's channels, and it waits for your decision.\n\n"
        f"Read it: {_suggestion_link(suggestion)}\n",
        deciders,
    )


def suggestion_answered(suggestion: Suggestion) -> None:
    """To the colleague who suggested it: that there is an answer, and where; nothing of the answer itself."""
    _send(
        "Your suggestion for a post has an answer",
        f"Your suggestion for a post has been answered.\n\nSee the answer: {_suggestion_link(suggestion)}\n",
        [suggestion.suggested_by],
    )
