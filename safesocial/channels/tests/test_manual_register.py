"""The register says which channels are published by hand, and why: a closed Facebook group (no app can post to one)
or a platform SafeSocial has no connection to. Live channels of that kind left from before are moved over."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from safesocial.channels.models import Channel, Delivery
from safesocial.testing.channels import make_channel

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("safesocial.channels.migrations.0002_manual_channels")


def _proposal(**overrides):
    return {
        "school": "",
        "platform": "facebook_group",
        "delivery": "manual",
        "manual_reason": "",
        "name": "Seabright parents",
        "address": "https://www.facebook.com/groups/seabright-parents-example",
        "official_email": "office@seabright.example.com",
        "purpose": "News for families in the group",
        "audience": "Parents",
        "time_commitment": "One hour a week",
        "success_measures": "Parents feel informed",
        "hazard": "A post nobody read",
        "likelihood": "medium",
        "impact": "medium",
        "mitigation": "Reviewed in SafeSocial first",
    } | overrides


def test_proposing_a_closed_group_by_hand_asks_why_beside_the_question(signed_in, channel_admin, seabright):
    client = signed_in(channel_admin)
    body = client.post(reverse("channels:propose"), _proposal(school=seabright.pk)).content.decode()
    assert "There is a problem" in body and "Say why posts to this channel are published by hand" in body
    assert 'href="#id_manual_reason"' in body
    assert not Channel.objects.exists()


def test_a_closed_group_proposed_as_live_is_told_to_choose_by_hand(signed_in, channel_admin, seabright):
    body = (
        signed_in(channel_admin)
        .post(reverse("channels:propose"), _proposal(school=seabright.pk, delivery="live"))
        .content.decode()
    )
    assert 'href="#id_delivery"' in body and "Groups API" in body
    assert not Channel.objects.exists()


def test_a_closed_group_proposed_by_hand_with_its_reason_is_registered(signed_in, channel_admin, seabright):
    reason = "A closed Facebook group: no app can post to one."
    response = signed_in(channel_admin).post(
        reverse("channels:propose"), _proposal(school=seabright.pk, manual_reason=reason)
    )
    channel = Channel.objects.get()
    assert response.status_code == 302 and channel.is_manual and channel.manual_reason == reason
    page = signed_in(channel_admin).get(reverse("channels:detail", args=[channel.pk])).content.decode()
    assert "(published by hand)" in page and reason in page


def test_a_live_closed_group_from_before_is_moved_to_published_by_hand(channel_admin, head, seabright):
    page = make_channel(channel_admin, head, seabright, delivery="sandbox", name="Seabright sandbox")
    Channel.objects.filter(pk=page.pk).update(platform="facebook_group", delivery=Delivery.LIVE)
    MIGRATION.publish_unreachable_channels_by_hand(apps, None)
    page.refresh_from_db()
    assert page.is_manual and "Groups API" in page.manual_reason
