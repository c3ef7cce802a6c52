"""What publishing shows on another app's page: the published posts featuring a pupil and the take-downs of posts
that featured them, on the pupil's page (hooks.PUPIL_PANELS); the posts waiting to be published by hand and the
take-downs, on a channel's page (hooks.CHANNEL_PANELS)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from safesocial.consent.models import Purpose
from safesocial.consent.selectors import consents_for, in_force
from safesocial.people.models import Pupil

from . import services
from .selectors import manual_waiting_on, posts_for, published_posts_featuring, take_downs_featuring, take_downs_on


def pupil_featured_posts(request: HttpRequest, pupil: Pupil) -> str:
    featured = list(published_posts_featuring(pupil))
    if not featured:
        return ""
    records = consents_for([pupil]).get(pupil.pk, {})
    # A withdrawal or expiry leaves published posts that may need taking down: posts that show or name the child
    # without the consent that way needs are candidates to take down.
    alarm = not in_force(records, Purpose.SOCIAL_MEDIA) or (
        not in_force(records, Purpose.NAME_WITH_PHOTO) and published_posts_featuring(pupil, "named").exists()
    )
    context = {"pupil": pupil, "featured_posts": featured, "featured_alarm": alarm}
    return render_to_string("publishing/_pupil_panel.html", context, request)


def _take_down_rows(request: HttpRequest, take_downs) -> list[dict]:
    """Each take-down with what the person looking may do about it: open its post if they may read it, retry a
    refusal or confirm a removal by hand if they may take the post down."""
    ids = {t.delivery.post_id for t in take_downs}
    visible = set(posts_for(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    rows = []
    for take_down in take_downs:
        post = take_down.delivery.post
        may_act = post.pk in visible and services.may_take_down(request.user, post)
        rows.append({"take_down": take_down, "post": post, "may_read": post.pk in visible, "may_act": may_act})
    return rows


def pupil_take_downs(request: HttpRequest, pupil: Pupil) -> str:
    """The take-downs of posts that named or showed the pupil (hooks.PUPIL_PANELS): why, who, when and how far each
    has got."""
    take_downs = list(take_downs_featuring(pupil)[:50])
    if not take_downs:
        return ""
    heading = f"Posts featuring {pupil.first_name} taken down"
    context = {"rows": _take_down_rows(request, take_downs), "heading": heading}
    return render_to_string("publishing/_take_downs_panel.html", context, request)


def channel_panel(request: HttpRequest, channel) -> str:
    """On a channel's page (hooks.CHANNEL_PANELS): its approved posts waiting to be published by hand, and its
    take-downs."""
    waiting = list(manual_waiting_on(channel)[:50]) if channel.is_manual else []
    take_downs = list(take_downs_on(channel)[:50])
    if not waiting and not take_downs:
        return ""
    visible = set(posts_for(request.user).filter(pk__in={d.post_id for d in waiting}).values_list("pk", flat=True))
    context = {
        "channel": channel,
        "waiting": [d for d in waiting if d.post_id in visible],
        "rows": _take_down_rows(request, take_downs),
        "heading": "Posts taken down from this channel",
    }
    return render_to_string("publishing/_channel_panel.html", context, request)
