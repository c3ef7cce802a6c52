"""Reads of the channel register that depend on who is asking."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safesocial.people.models import User
from safesocial.permissions import Action, is_trust_wide, schools_where

from .models import AccessLevel, Channel, ChannelAccess, ChannelStatus


def channels_for(user: User) -> QuerySet[Channel]:
    """Channels of the schools the user works at, and the trust's own channels."""
    if not user.is_authenticated or user.trust_id is None:
        return Channel.objects.none()
    schools = schools_where(user, Action.VIEW_CHANNELS)
    return (
        Channel.objects.filter(trust_id=user.trust_id)
        .filter(Q(school__in=schools) | Q(school__isnull=True))
        .select_related("school", "owner")
    )


def channel_for(user: User, pk: int) -> Channel:
    channel = channels_for(user).filter(pk=pk).first()
    if channel is None:
        raise Http404("No such channel")
    return channel


def can_post(user: User, channel: Channel, today: dt.date | None = None) -> bool:
    """An active channel, and a current grant to post to or administer it."""
    today = today or timezone.localdate()
    return (
        channel.status == ChannelStatus.ACTIVE
        and ChannelAccess.objects.filter(
            channel=channel, user=user, revoked_at__isnull=True, expires_on__gte=today
        ).exists()
    )


def owns_or_administers(user: User, channels) -> bool:
    """Whether the user owns, or holds a current administrator's grant on, any of these channels (a queryset of ids
    or of channels): who may run a channel, as opposed to only posting to it."""
    if Channel.objects.filter(pk__in=channels, owner=user).exists():
        return True
    return ChannelAccess.objects.filter(
        channel_id__in=channels,
        user=user,
        level=AccessLevel.ADMIN,
        revoked_at__isnull=True,
        expires_on__gte=timezone.localdate(),
    ).exists()


def postable_channels(user: User) -> QuerySet[Channel]:
    today = timezone.localdate()
    return (
        Channel.objects.filter(
            status=ChannelStatus.ACTIVE,
            access__user=user,
            access__revoked_at__isnull=True,
            access__expires_on__gte=today,
        )
        .distinct()
        .select_related("school")
    )


def reviews_due_for(user: User, within_days: int = 30) -> QuerySet[Channel]:
    """Channels whose review falls due soon, for the people the policy names to approve channels."""
    if user.trust_id is None:
        return Channel.objects.none()
    schools = schools_where(user, Action.APPROVE_CHANNEL)
    horizon = timezone.localdate() + dt.timedelta(days=within_days)
    qs = Channel.objects.filter(
        trust_id=user.trust_id,
        status__in=[ChannelStatus.APPROVED, ChannelStatus.ACTIVE, ChannelStatus.SUSPENDED],
        next_review_due__lte=horizon,
    )
    scope = Q(school__in=schools)
    if is_trust_wide(user, Action.APPROVE_CHANNEL):
        scope |= Q(school__isnull=True)
    return qs.filter(scope).order_by("next_review_due")


def awaiting_signoff_for(user: User) -> QuerySet[Channel]:
    if user.trust_id is None:
        return Channel.objects.none()
    schools = schools_where(user, Action.APPROVE_CHANNEL)
    scope = Q(school__in=schools)
    if is_trust_wide(user, Action.APPROVE_CHANNEL):
        scope |= Q(school__isnull=True)
    return Channel.objects.filter(trust_id=user.trust_id, status=ChannelStatus.PROPOSED).filter(scope)
