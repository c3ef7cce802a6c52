"""Addresses in a policy are http(s) only: a `javascript:` or `data:` URL is refused with the field and line, and no
page renders anything but an http(s) address as a live link, even one that reached the database another way."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from safesocial.channels.models import Channel, ChannelStatus, Delivery
from safesocial.policy.loader import PolicyInvalid, parse_policy
from safesocial.policy.services import policy_adopt
from safesocial.testing.trusts import policy_text

SEABRIGHT_FACEBOOK = "    - {name: Seabright Primary on Facebook, platform: facebook_page, school: seabright}\n"
HOSTILE_URLS = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example.com/",
    "https:evil.example.com",
    "seabright.example.com",
]


def with_channel_url(url: str) -> str:
    text = policy_text("000")
    line = SEABRIGHT_FACEBOOK.replace("}", f", url: {json.dumps(url)}}}")
    return text.replace(SEABRIGHT_FACEBOOK, line, 1)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_an_official_channel_url_that_is_not_http_is_refused_naming_field_and_line(url):
    text = with_channel_url(url)
    with pytest.raises(PolicyInvalid) as info:
        parse_policy(text)
    line = text[: text.index("Seabright Primary on Facebook")].count("\n") + 1
    [error] = info.value.errors
    assert (error.field, error.line) == ("channels.official[0].url", line)
    assert "http" in error.message


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_trust_website_that_is_not_http_is_refused(url):
    text = policy_text("000").replace("  website: https://harbourside.example.com", f"  website: {json.dumps(url)}", 1)
    with pytest.raises(PolicyInvalid) as info:
        parse_policy(text)
    assert [e.field for e in info.value.errors] == ["trust.website"]


@pytest.mark.parametrize("url", ["https://www.facebook.com/seabright", "http://seabright.example.com/news?x=1#top"])
def test_http_and_https_addresses_are_accepted(url):
    policy = parse_policy(with_channel_url(url))
    assert policy.channels.official[0].url == url


@pytest.mark.django_db
def test_an_official_channel_with_an_https_url_is_a_link_on_the_public_page(client, trust, ceo, seabright):
    policy_adopt(actor=ceo, trust=trust, text=with_channel_url("https://www.facebook.com/seabright"))
    page = client.get(reverse("compliance_public:school", args=[seabright.pk])).content.decode()
    assert '<a href="https://www.facebook.com/seabright">Seabright Primary on Facebook</a>' in page


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["javascript:alert(document.cookie)", " JAVASCRIPT:alert(1)", "data:text/html,x"])
def test_a_non_http_address_in_the_database_is_never_a_live_link(client, seabright, head, address):
    Channel.objects.create(  # straight into the database: the form's URL field would have refused it
        trust=seabright.trust,
        school=seabright,
        platform="instagram",
        delivery=Delivery.LIVE,
        name="Seabright Sports on Instagram",
        address=address,
        official_email="office@seabright.example.com",
        purpose="Sport",
        audience="Families",
        time_commitment="1 hour",
        success_measures="Likes",
        status=ChannelStatus.ACTIVE,
        owner=head,
        proposed_by=head,
    )
    page = client.get(reverse("compliance_public:school", args=[seabright.pk])).content.decode()
    assert "Seabright Sports on Instagram" in page  # still listed, as text
    assert "alert(" not in page and "data:text" not in page


@pytest.mark.django_db
def test_the_public_school_page_has_no_inline_style(client, seabright):
    page = client.get(reverse("compliance_public:school", args=[seabright.pk])).content.decode()
    assert "style=" not in page
    assert 'class="wrap-anywhere"' in page
