"""The public school page for families: each official channel is a link to its own page, staff shorthand is spelt
out, and the page cannot be mistaken for the staff's page about the same school."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from safesocial.channels.models import Channel, ChannelStatus, Delivery

pytestmark = [pytest.mark.django_db]


def _register(school, head, name: str, *, status=ChannelStatus.APPROVED, delivery=Delivery.LIVE, address: str):
    return Channel.objects.create(
        trust=school.trust,
        school=school,
        platform="facebook_page",
        delivery=delivery,
        name=name,
        address=address,
        official_email="office@seabright.example.com",
        purpose="News",
        audience="Families",
        time_commitment="1 hour",
        success_measures="Parents hear in time",
        status=status,
        owner=head,
        proposed_by=head,
    )


def test_a_channel_the_policy_lists_links_to_the_address_in_the_register(client, seabright, head):
    _register(seabright, head, "Seabright Primary on Facebook", address="https://www.facebook.com/seabright-example")
    text = client.get(reverse("compliance_public:school", args=[seabright.pk])).content.decode()
    assert '<a href="https://www.facebook.com/seabright-example">Seabright Primary on Facebook</a>' in text


def test_a_proposed_or_sandbox_channel_lends_no_address(client, seabright, head):
    _register(
        seabright,
        head,
        "Seabright Primary on Facebook",
        status=ChannelStatus.PROPOSED,
        address="https://www.facebook.com/not-yet-approved",
    )
    _register(seabright, head, "Seabright sandbox", delivery=Delivery.SANDBOX, address="https://sandbox.example.com/")
    text = client.get(reverse("compliance_public:school", args=[seabright.pk])).content.decode()
    assert "not-yet-approved" not in text and "sandbox.example.com" not in text
    assert "Seabright Primary on Facebook" in text  # still listed, as the policy names it


def test_staff_shorthand_is_spelt_out_for_families(client, seabright):
    text = client.get(reverse("compliance_public:school", args=[seabright.pk])).content.decode()
    main, footer = text.split("<main", 1)[1].split("</main>")
    assert not re.search(r"\bD?DSL\b", main + footer)
    leads = [c for c in seabright.trust.policy.contacts if "dsl" in c.roles and c.school in (None, "seabright")]
    assert leads, "the example policy names the school's safeguarding leads"
    assert "designated safeguarding lead today: " + leads[0].name in footer
    if len(leads) > 1:
        assert f") or {leads[1].name} (" in footer


def test_the_public_page_and_the_staff_page_are_told_apart(client, signed_in, head, seabright):
    public = client.get(reverse("compliance_public:school", args=[seabright.pk])).content.decode()
    assert "<title>Seabright Primary School and social media: for families" in public
    staff = signed_in(head).get(reverse("people:school", args=[seabright.key])).content.decode()
    assert "<title>Seabright Primary School: staff page" in staff
    assert "<h1>Seabright Primary School: staff page</h1>" in staff
    assert f'href="{reverse("compliance_public:school", args=[seabright.pk])}"' in staff
