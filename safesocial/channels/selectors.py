"""Reads of the channel register that depend on who is asking."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safesocial.people.models import School, Trust, User
from safesocial.permissions import Action, is_trust_wide, schools_where
from safesocial.platforms.base import PublishRequest, Unsupported
from safesocial.platforms.registry import adapter_for
from safesocial.policy.schema import PLATFORM_LABELS, OfficialChannel, Platform, Policy

from .models import (
    AcceptableUseSignature,
    AccessLevel,
    Channel,
    ChannelAccess,
    ChannelReview,
    ChannelStatus,
    Delivery,
)


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


def people_of(channel: Channel) -> QuerySet[User]:
    """The channel's owner and everyone holding current access to post to or administer it: who is told of posts to
    publish by hand and of suggestions."""
    granted = ChannelAccess.objects.filter(
        channel=channel, revoked_at__isnull=True, expires_on__gte=timezone.localdate()
    ).values("user_id")
    return User.objects.filter(Q(pk__in=granted) | Q(pk=channel.owner_id), is_active=True).order_by("full_name")


def channels_of(user: User) -> QuerySet[Channel]:
    """The channels the user owns or holds current access to: the ones whose hand-published posts and suggestions are
    theirs to see to."""
    if not user.is_authenticated or user.trust_id is None:
        return Channel.objects.none()
    granted = ChannelAccess.objects.filter(
        user=user, revoked_at__isnull=True, expires_on__gte=timezone.localdate()
    ).values("channel_id")
    return Channel.objects.filter(Q(pk__in=granted) | Q(owner=user), trust_id=user.trust_id)


def platform_publishes(platform: str) -> bool:
    """Whether SafeSocial can publish posts to this platform through its API: not to a Facebook closed group
    (Facebook removed the Groups API), nor to YouTube (no community posts in its API), nor to a platform it has no
    adapter for. Posts for a channel there are published by hand (Delivery.MANUAL)."""
    try:
        adapter = adapter_for(platform)
    except Unsupported:
        return False
    return not any(problem.field == "channel" for problem in adapter.validate(PublishRequest(text="")))


def platform_unreachable(platform: str) -> str:
    """Why SafeSocial has no connection at all to this platform's API, or "" when it has one (for publishing or for
    comments). A channel there cannot be live: it is published by hand."""
    try:
        adapter = adapter_for(platform)
    except Unsupported as exc:
        return exc.message
    if platform == Platform.FACEBOOK_GROUP:  # the Groups API went whole: posting and comments alike
        return " ".join(problem.message for problem in adapter.validate(PublishRequest(text="")))
    return ""


def takes_posts(channel: Channel) -> bool:
    """Whether a post can be sent to the channel at all: through its platform's API, in the sandbox, or by hand."""
    return channel.delivery != Delivery.LIVE or platform_publishes(channel.platform)


def postable_channels(user: User) -> QuerySet[Channel]:
    """Active channels the user may post to that can take a post (a live YouTube channel is there for its comments)."""
    today = timezone.localdate()
    unpublishable = [p.value for p in Platform if not platform_publishes(p.value)]
    return (
        Channel.objects.filter(
            status=ChannelStatus.ACTIVE,
            access__user=user,
            access__revoked_at__isnull=True,
            access__expires_on__gte=today,
        )
        .exclude(delivery=Delivery.LIVE, platform__in=unpublishable)
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


def acceptable_use_text(trust: Trust) -> str:
    return trust.policy.channels.acceptable_use


def current_signature(user: User) -> AcceptableUseSignature | None:
    """The user's signature on the agreement as the policy words it now (a reworded agreement is re-signed)."""
    if user.trust is None:
        return None
    digest = hashlib.sha256(acceptable_use_text(user.trust).encode()).hexdigest()
    return AcceptableUseSignature.objects.filter(user=user, text_sha256=digest).first()


# For the governors' report and the policy's annual review ---------------------------------------------------------

LIVE = [ChannelStatus.APPROVED, ChannelStatus.ACTIVE, ChannelStatus.SUSPENDED]


def channel_counts(trust: Trust, school: School | None, as_of: dt.date):
    """The trust's channels (at one school, or all) as (school_id, status, n, overdue) rows: `overdue` counts the
    live channels whose review was due before `as_of`."""
    channels = Channel.objects.filter(trust=trust)
    if school is not None:
        channels = channels.filter(school=school)
    return (
        channels.values("school_id", "status")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(status__in=LIVE, next_review_due__lt=as_of)))
        .order_by()
    )


def reviews_between(trust: Trust, school: School | None, start: dt.datetime, end: dt.datetime) -> dict[bool, int]:
    """Channel reviews between start and end, counted by whether they found the success measures met."""
    reviews = ChannelReview.objects.filter(channel__trust=trust, reviewed_at__gte=start, reviewed_at__lt=end)
    if school is not None:
        reviews = reviews.filter(channel__school=school)
    return {row["objectives_met"]: row["n"] for row in reviews.values("objectives_met").annotate(n=Count("pk"))}


def reviews_missed_since(trust: Trust, since: dt.date) -> list[ChannelReview]:
    """Channel reviews since then that found the success measures missed, newest first."""
    start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
    return list(
        ChannelReview.objects.filter(channel__trust=trust, objectives_met=False, reviewed_at__gte=start)
        .select_related("channel", "channel__school")
        .order_by("-reviewed_at")
    )


def reviews_overdue_on(trust: Trust, day: dt.date) -> list[Channel]:
    """Live channels whose review was due before that day, the longest overdue first."""
    return list(
        Channel.objects.filter(trust=trust, status__in=LIVE, next_review_due__lt=day)
        .select_related("school")
        .order_by("next_review_due")
    )


def public_addresses_of(school: School) -> dict[str, str]:
    """The web addresses the register holds for the school's and the trust's channels on real platforms, live or
    about to be, by lower-case name: the public page links a channel the policy lists to its own page."""
    rows = Channel.objects.filter(
        Q(school=school) | Q(school__isnull=True),
        trust=school.trust,
        status__in=LIVE,
        delivery__in=[Delivery.LIVE, Delivery.MANUAL],
    ).exclude(address="")
    return {name.lower(): address for name, address in rows.values_list("name", "address")}


def public_channels_of(school: School) -> QuerySet[Channel]:
    """The school's and the trust's active channels on real platforms: what the public page lists."""
    return Channel.objects.filter(
        Q(school=school) | Q(school__isnull=True),
        trust=school.trust,
        status=ChannelStatus.ACTIVE,
        delivery__in=[Delivery.LIVE, Delivery.MANUAL],
    )


# ---- The policy's list of official channels against the register (issue 18) ---------------------------------------


@dataclass(frozen=True)
class RegisterMismatch:
    """Where the policy's `channels.official` and the channel register disagree."""

    unregistered: list[OfficialChannel]  # named in the policy, with no channel on the register
    unlisted: list[Channel]  # on the register (not closed, not the sandbox), not named in the policy

    def __bool__(self) -> bool:
        return bool(self.unregistered or self.unlisted)


def _address(url: str) -> str:
    return url.strip().lower().removeprefix("https://").removeprefix("http://").removeprefix("www.").rstrip("/")


def _is(official: OfficialChannel, channel: Channel) -> bool:
    """The same account: same platform and school, and the same name or the same web address."""
    if official.platform != channel.platform or official.school != (channel.school.key if channel.school else None):
        return False
    same_name = official.name.strip().casefold() == channel.name.strip().casefold()
    return same_name or bool(official.url and channel.address and _address(official.url) == _address(channel.address))


def register_mismatch(policy: Policy, channels: list[Channel], school_keys: set[str | None]) -> RegisterMismatch:
    """Compare the policy's official channels at these schools (None: the trust's own) with these registered ones."""
    live = [c for c in channels if c.status != ChannelStatus.CLOSED and not c.is_sandbox]
    matched: set[int] = set()
    unregistered = []
    for official in policy.channels.official:
        if official.school not in school_keys:
            continue
        hit = next((c for c in live if c.pk not in matched and _is(official, c)), None)
        if hit is None:
            unregistered.append(official)
        else:
            matched.add(hit.pk)
    return RegisterMismatch(unregistered, [c for c in live if c.pk not in matched])


def register_mismatch_for(user: User) -> RegisterMismatch:
    """The mismatch at the schools whose channels this user sees (and the trust's own channels)."""
    trust = user.trust if user.is_authenticated else None
    if trust is None:
        return RegisterMismatch([], [])
    channels = list(channels_for(user))
    keys: set[str | None] = set(schools_where(user, Action.VIEW_CHANNELS).values_list("key", flat=True)) | {None}
    return register_mismatch(trust.policy, channels, keys)


def policy_check_warnings(trust: Trust, policy: Policy) -> list[str]:
    """For `safesocial policy check`: how a policy file's official channels differ from the trust's register."""
    channels = list(Channel.objects.filter(trust=trust).select_related("school"))
    keys: set[str | None] = {*trust.schools.values_list("key", flat=True), None}
    mismatch = register_mismatch(policy, channels, keys)
    return [
        f"channels.official names {o.name} ({PLATFORM_LABELS[o.platform]}), which is not on the channel register"
        for o in mismatch.unregistered
    ] + [
        f"the channel register has {c.name} ({c.platform_label}), which channels.official does not name"
        for c in mismatch.unlisted
    ]
