"""Who sees which direct messages. The people the policy names to moderate a channel's comments see its messages and
how each was read; the words of a possible disclosure only the people it names for concerns."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from safesocial.hooks import DashboardItem
from safesocial.people.models import User
from safesocial.permissions import Action, is_trust_wide, may, schools_where

from .models import DirectMessage, SandboxMessage

# The people who see a channel's messages: its moderators, and the people named for concerns at its school.
READERS = (Action.MODERATE_COMMENTS, Action.RECEIVE_CONCERNS)


def messages_for(user: User) -> QuerySet[DirectMessage]:
    """Messages to the official channels of the schools where the policy names this user to moderate comments or to
    receive concerns, and to the trust's own channels for those it names trust-wide."""
    if not getattr(user, "is_authenticated", False) or user.trust_id is None:
        return DirectMessage.objects.none()
    scope = Q(pk__in=[])
    for action in READERS:
        scope |= Q(channel__school__in=schools_where(user, action))
        if is_trust_wide(user, action):
            scope |= Q(channel__school__isnull=True)
    return (
        DirectMessage.objects.filter(channel__trust_id=user.trust_id)
        .filter(scope)
        .select_related("channel__school", "standard_reply")
    )


def masked_for(user: User, shown: list[DirectMessage]) -> set[int]:
    """Which of these messages the user may not read. For someone not named for concerns at the channel's school,
    that is a possible disclosure and everything else in its conversation: "are you there?" after a disclosure is
    part of it, and the sender's name beside it would say who made it. One query, however many messages."""
    unnamed = [m for m in shown if not may(user, Action.RECEIVE_CONCERNS, m.channel.school)]
    if not unnamed:
        return set()
    guarded = set(
        DirectMessage.objects.filter(
            channel_id__in={m.channel_id for m in unnamed}, sender_id__in={m.sender_id for m in unnamed}
        )
        .filter(Q(concern__isnull=False) | Q(action="escalate"))
        .values_list("channel_id", "sender_id")
    )
    return {m.pk for m in unnamed if m.is_safeguarding or (m.channel_id, m.sender_id) in guarded}


def sees_messages(user: User) -> bool:
    return any(schools_where(user, a).exists() or is_trust_wide(user, a) for a in READERS)


def sandbox_conversation(channel_id: int, visitor_id: str) -> QuerySet[SandboxMessage]:
    """What a sandbox visitor sees of their own conversation with the account: their messages and its replies."""
    return SandboxMessage.objects.filter(channel_id=channel_id, visitor_id=visitor_id)


def dashboard_items(user: User) -> list[DashboardItem]:
    """How many messages reached the user's channels in the last week, and how many were raised with the DSL; never
    a word of any of them."""
    if not getattr(user, "trust_id", None):
        return []
    since = timezone.now() - dt.timedelta(days=7)
    counts = (
        messages_for(user)
        .filter(received_at__gte=since)
        .aggregate(n=Count("pk"), escalated=Count("pk", filter=Q(concern__isnull=False)))
    )
    if not counts["n"]:
        return []
    text = "sent privately to the official accounts in the last 7 days; each got only the policy's standard reply."
    if counts["escalated"]:
        text += f" {counts['escalated']} raised with the DSL."
    return [
        DashboardItem(
            title="Direct messages",
            text=("message " if counts["n"] == 1 else "messages ") + text,
            url=reverse("direct_messages:list"),
            link_text="See the messages",
            tone="warn" if counts["escalated"] else "",
            count=counts["n"],
        )
    ]
