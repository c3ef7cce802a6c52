"""Live channels on each platform that takes direct messages, pointed at the stand-ins, and the stand-ins' fixtures."""

from __future__ import annotations

import pytest

from safesocial.channels import services as channels
from safesocial.channels.models import Channel
from safesocial.testing.channels import make_channel
from safesocial.testing.standins.graph import FB_TOKEN, IG_TOKEN, GraphStandIn
from safesocial.testing.standins.x import X_TOKEN, XStandIn


def _live(actor, head, school, platform: str, external_id: str, token: str, name: str) -> Channel:
    channel = make_channel(actor, head, school, delivery="live", platform=platform, name=name, token=token)
    channels.channel_update_connection(actor=actor, channel=channel, external_id=external_id)
    channels.credential_set(actor=actor, channel=channel, kind="token", secret=token)
    return channel


@pytest.fixture
def facebook_channel(channel_admin, head, seabright) -> Channel:
    return _live(channel_admin, head, seabright, "facebook_page", GraphStandIn.page_id, FB_TOKEN, "Seabright Facebook")


@pytest.fixture
def instagram_channel(channel_admin, head, seabright) -> Channel:
    return _live(channel_admin, head, seabright, "instagram", GraphStandIn.ig_user_id, IG_TOKEN, "Seabright Instagram")


@pytest.fixture
def x_channel(channel_admin, head, seabright) -> Channel:
    return _live(channel_admin, head, seabright, "x", XStandIn.user_id, X_TOKEN, "Seabright on X")
