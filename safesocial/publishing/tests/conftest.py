"""Channels ready to post to: a sandbox Facebook page and a live one (pointed at the Graph stand-in), with
an authorised teacher at Seabright and a colleague to review."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from safesocial.channels import services as channels
from safesocial.channels.models import AccessLevel, ChannelStatus
from safesocial.consent import services as consent
from safesocial.consent.models import Method
from safesocial.people.roles import Role
from safesocial.people.services import parent_create, pupil_create
from safesocial.platforms.tests.standins import FB_TOKEN, GraphStandIn


def make_channel(
    actor,
    head,
    school,
    *,
    delivery="sandbox",
    name="Seabright sandbox",
    posters=(),
    token=None,
    platform="facebook_page",
    co_approvers=(),
):
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
        if not channels.current_signature(poster):
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
def colleague(make_staff, seabright):
    return make_staff(Role.TEACHER, seabright, "Cora Colleague")


@pytest.fixture
def channel_admin(make_staff, seabright):
    return make_staff(Role.CHANNEL_ADMIN, seabright, "Ada Admin")


@pytest.fixture
def sandbox(channel_admin, head, seabright, teacher):
    return make_channel(channel_admin, head, seabright, posters=[teacher])


@pytest.fixture
def facebook(channel_admin, head, seabright, teacher, graph):
    return make_channel(
        channel_admin, head, seabright, delivery="live", name="Seabright on Facebook", posters=[teacher], token=FB_TOKEN
    )


def photo(name="sports-day.jpg", size=(800, 600), fmt="JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def make_ava(seabright, head):
    """Ava Quill in Year 4 at Seabright, whose mother Kim has given the consents named, on paper, and no others."""

    def make(*purposes):
        pupil = pupil_create(
            actor=None,
            school=seabright,
            first_name="Ava",
            last_name="Quill",
            date_of_birth=dt.date(2017, 5, 1),
            year_group="4",
        )
        parent = parent_create(actor=None, trust=seabright.trust, full_name="Kim Quill", pupils=[(pupil, "Mother")])
        for purpose in purposes:
            consent.consent_record(
                actor=head, pupil=pupil, purpose=purpose, given=True, method=Method.PAPER, parent=parent
            )
        pupil.parent_for_test = parent
        return pupil

    return make
