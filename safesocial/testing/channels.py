"""Channels ready to post to: a sandbox Facebook page and a live one (pointed at the Graph stand-in), with an
authorised teacher at Seabright, a channel administrator, and a colleague to review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safesocial.channels import services as channels
from safesocial.channels.models import AccessLevel, Channel, ChannelStatus
from safesocial.channels.selectors import current_signature
from safesocial.people.models import School, User
from safesocial.people.roles import Role
from safesocial.testing.standins.graph import FB_TOKEN, GraphStandIn


def make_channel(
    actor: User,
    head: User,
    school: School,
    *,
    delivery: str = "sandbox",
    name: str = "Seabright sandbox",
    posters=(),
    token: str | None = None,
    platform: str = "facebook_page",
    co_approvers=(),
) -> Channel:
    """A channel proposed by `actor`, signed off by `head` (and any co-approvers), active, with `posters` given
    access for ninety days after signing the acceptable use policy. With a token it points at the Graph stand-in."""
    channel = channels.channel_propose(
        actor=actor,
        trust=school.trust,
        school=school,
        platform=platform,
        delivery=delivery,
        name=name,
        official_email="office@seabright.example.com",
        purpose="News for families",
        audience="Parents",
        contributors=["parents"],
        time_commitment="2 hours a week",
        success_measures="Parents feel informed",
        risks=[channels.RiskSpec("Abusive comments", "medium", "Daily moderation", actor)],
    )
    for approver in (head, *co_approvers):
        channel = channels.channel_sign_off(actor=approver, channel=channel)
    if token:
        channels.channel_update_connection(actor=actor, channel=channel, external_id=GraphStandIn.page_id)
        channels.credential_set(actor=actor, channel=channel, kind="token", secret=token)
    channel = channels.channel_set_status(actor=actor, channel=channel, status=ChannelStatus.ACTIVE)
    for poster in posters:
        if not current_signature(poster):
            channels.aup_sign(actor=poster, signed_name=poster.full_name)
        channels.access_grant(
            actor=head,
            channel=channel,
            user=poster,
            level=AccessLevel.POSTER,
            expires_on=timezone.localdate() + dt.timedelta(days=90),
        )
    return channel


@pytest.fixture
def colleague(make_staff, seabright) -> User:
    return make_staff(Role.TEACHER, seabright, "Cora Colleague")


@pytest.fixture
def channel_admin(make_staff, seabright) -> User:
    return make_staff(Role.CHANNEL_ADMIN, seabright, "Ada Admin")


@pytest.fixture
def sandbox(channel_admin, head, seabright, teacher) -> Channel:
    return make_channel(channel_admin, head, seabright, posters=[teacher])


@pytest.fixture
def facebook(channel_admin, head, seabright, teacher, graph) -> Channel:
    return make_channel(
        channel_admin, head, seabright, delivery="live", name="Seabright on Facebook", posters=[teacher], token=FB_TOKEN
    )
