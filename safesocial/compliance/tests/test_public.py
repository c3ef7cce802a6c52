"""The public pages for parents and pupils: no sign-in, nothing about any person, and a family acknowledges with
the code from its letter."""

from __future__ import annotations

import pytest
from django.core import signing
from django.urls import resolve, reverse

from safesocial.compliance import services, views
from safesocial.compliance.models import Acknowledgement, AcknowledgementCode

pytestmark = [pytest.mark.django_db]


def test_the_public_school_page_is_reached_before_the_staff_school_page():
    assert resolve("/schools/1/").func == views.public_school


def test_a_schools_public_page_needs_no_sign_in_and_says_what_families_need(client, seabright):
    page = client.get(reverse("compliance_public:school", args=[seabright.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    policy = seabright.trust.policy
    assert "Seabright Primary on Facebook" in text
    assert policy.parents.expectations[0] in text and policy.parents.should_not[-1] in text
    assert reverse("concerns_public:report", args=[seabright.pk]) in text
    assert policy.acknowledgement.pupil_summary_title in text and policy.acknowledgement.pupil_summary[0] in text
    assert reverse("compliance_public:policy_pdf", args=[seabright.pk]) in text
    # Another school's channel is not listed as this school's.
    assert not any(ch.name in text for ch in policy.channels.official if ch.school not in (None, "seabright"))


def test_an_active_channel_from_the_register_is_listed(client, seabright, make_staff, head):
    from safesocial.channels.models import Channel, ChannelStatus, Delivery

    Channel.objects.create(
        trust=seabright.trust,
        school=seabright,
        platform="instagram",
        delivery=Delivery.LIVE,
        name="Seabright Sports on Instagram",
        address="https://instagram.example.com/seabright",
        official_email="office@seabright.example.com",
        purpose="Sport",
        audience="Families",
        time_commitment="1 hour",
        success_measures="Likes",
        status=ChannelStatus.ACTIVE,
        owner=head,
        proposed_by=head,
    )
    text = client.get(reverse("compliance_public:school", args=[seabright.pk])).content.decode()
    assert 'href="https://instagram.example.com/seabright"' in text


def test_an_unknown_school_is_not_found(client, trust):
    assert client.get(reverse("compliance_public:school", args=[9999])).status_code == 404


def test_the_trust_page_lists_its_schools(client, trust):
    text = client.get(reverse("compliance_public:schools")).content.decode()
    for school in trust.schools.all():
        assert reverse("compliance_public:school", args=[school.pk]) in text


def test_the_policy_can_be_read_and_downloaded_without_an_account(client, seabright):
    page = client.get(reverse("compliance_public:policy", args=[seabright.pk]))
    assert page.status_code == 200 and seabright.trust.policy.document.title.encode() in page.content
    pdf = client.get(reverse("compliance_public:policy_pdf", args=[seabright.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_parent_acknowledges_with_the_code_from_the_letter(client, seabright, owls):
    services.codes_ensure(actor=None, school=seabright, class_name="4O Owls")
    parent = owls[0].parents[0]
    code = services.letter_code(AcknowledgementCode.objects.get(parent=parent))
    response = client.post(reverse("compliance_public:code"), {"code": code.lower()})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert parent.full_name in page.content.decode() and b"I have read and understood the policy" in page.content
    assert not Acknowledgement.objects.exists()  # reading is not acknowledging
    client.post(response["Location"])
    ack = Acknowledgement.objects.get()
    assert ack.parent == parent and ack.method == "code"


def test_a_pupil_sees_the_rules_for_pupils(client, trust, owls):
    token = services.link_token(owls[0].pupil, trust.policy_version)
    text = client.get(reverse("compliance_public:acknowledge", args=[token])).content.decode()
    assert trust.policy.acknowledgement.pupil_summary_title in text
    assert "I have read the rules and I will follow them" in text
    assert trust.policy.parents.should_not[0] not in text


def test_a_wrong_code_names_the_field_and_keeps_what_was_typed(client, seabright, owls):
    page = client.post(reverse("compliance_public:code"), {"code": "QQQQ-QQQQ"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text and 'href="#id_code"' in text and "could not find that code" in text
    assert 'value="QQQQ-QQQQ"' in text
    assert not Acknowledgement.objects.exists()


def test_too_many_wrong_codes_are_refused_for_a_while(client, seabright, owls):
    for _ in range(services.CODE_TRIES):
        client.post(reverse("compliance_public:code"), {"code": "QQQQ-QQQQ"})
    page = client.post(reverse("compliance_public:code"), {"code": "QQQQ-QQQQ"})
    assert page.status_code == 429 and b"Wait 15 minutes" in page.content


def test_a_forged_link_gets_a_clear_page_and_records_nothing(client, trust, owls):
    forged = signing.dumps({"k": "parent", "i": owls[0].parents[0].pk, "v": 1}, salt="not ours")
    for method in (client.get, client.post):
        page = method(reverse("compliance_public:acknowledge", args=[forged]))
        assert page.status_code == 403 and b"This link is not valid" in page.content
        assert b"Nothing has been recorded" in page.content
    assert not Acknowledgement.objects.exists()


def test_the_smart_rules_of_policy_002_keep_their_key_words(make_trust):
    from safesocial.compliance.templatetags.compliance_tags import rule

    trust = make_trust("002")
    rules = [rule(r) for r in trust.policy.acknowledgement.pupil_summary]
    assert [r.split("</strong>")[0] for r in rules] == [
        "<strong>Safe",
        "<strong>Meeting",
        "<strong>Accepting",
        "<strong>Reliable",
        "<strong>Tell",
    ]
    assert rule("Be kind <online>") == "Be kind &lt;online&gt;"
