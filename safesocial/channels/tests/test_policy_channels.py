"""The policy's own words about channels, acting (issue 18): its list of official channels is reconciled with the
register, and what it asks proposers to consider is answered and kept with the channel's risk assessment."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safesocial.channels import services
from safesocial.channels.models import AccessLevel, Channel, ChannelStatus
from safesocial.channels.selectors import can_post, register_mismatch
from safesocial.people.roles import Role
from safesocial.policy.services import policy_adopt
from safesocial.testing.trusts import POLICY_FILES, policy_text


def _propose(actor, school, **kwargs):
    defaults = dict(
        trust=school.trust,
        school=school,
        platform="facebook_page",
        name="Seabright Primary on Facebook",
        official_email="office@seabright.example.com",
        purpose="News for families",
        audience="Parents",
        contributors=["parents"],
        time_commitment="2 hours a week",
        success_measures="Parents feel informed",
        risks=[services.RiskSpec("Abusive comments", "medium", "Moderated daily", actor)],
    )
    defaults.update(kwargs)
    return services.channel_propose(actor=actor, **defaults)


@pytest.fixture
def admin(make_staff, seabright):
    return make_staff(Role.CHANNEL_ADMIN, seabright, "Ada Admin")


def test_nobody_posts_to_a_channel_until_it_is_signed_off_and_live(admin, head, teacher, seabright):
    channel = _propose(admin, seabright)
    services.aup_sign(actor=teacher, signed_name=teacher.full_name)
    assert not can_post(teacher, channel)
    channel = services.channel_sign_off(actor=head, channel=channel)
    until = timezone.localdate() + dt.timedelta(days=30)
    services.access_grant(actor=head, channel=channel, user=teacher, level=AccessLevel.POSTER, expires_on=until)
    assert channel.status == ChannelStatus.APPROVED and not can_post(teacher, channel)
    services.channel_update_connection(actor=admin, channel=channel, external_id="1")
    services.credential_set(actor=admin, channel=channel, kind="token", secret="EAA-a-long-page-token")
    channel = services.channel_set_status(actor=admin, channel=channel, status=ChannelStatus.ACTIVE)
    assert can_post(teacher, channel)


# ---- channels.setup_considerations ----------------------------------------------------------------------------------


def _form(school, **extra):
    return {
        "school": school.pk,
        "platform": "facebook_page",
        "delivery": "live",
        "name": "Our page",
        "official_email": "office@school.example.com",
        "purpose": "News for families",
        "audience": "Parents",
        "time_commitment": "1 hour a week",
        "success_measures": "Parents feel informed",
        "hazard": "Abusive comments",
        "likelihood": "medium",
        "impact": "medium",
        "mitigation": "Moderated daily",
        **extra,
    }


INVESTMENT = "Whether the overall investment will achieve the aim of the account"
ENGAGEMENT = "The level of interactive engagement with the site"


def _asking(trust) -> None:
    """Policy 000 with the two considerations of policy 003's seed that the register has no column for."""
    text = policy_text("000")
    assert text.count("\n  official:\n") == 1
    extra = f"\n  setup_considerations:\n    - {INVESTMENT}\n    - {ENGAGEMENT}\n  official:\n"
    policy_adopt(actor=None, trust=trust, text=text.replace("\n  official:\n", extra))


def test_the_proposal_asks_what_the_policy_asks_and_keeps_the_answers_with_the_channel(
    trust, signed_in, admin, head, seabright
):
    _asking(trust)
    client = signed_in(admin)
    page = client.get(reverse("channels:propose")).content.decode()
    assert INVESTMENT in page and ENGAGEMENT in page and 'name="consider_1"' in page
    refused = client.post(reverse("channels:propose"), _form(seabright))
    assert refused.status_code == 200 and not Channel.objects.exists()
    answers = {"consider_0": "Two hours a week of the office's time, no paid promotion", "consider_1": "Comments on"}
    client.post(reverse("channels:propose"), _form(seabright, **answers))
    channel = Channel.objects.get()
    assert channel.setup_answers == [
        {"question": INVESTMENT, "answer": answers["consider_0"]},
        {"question": ENGAGEMENT, "answer": "Comments on"},
    ]
    detail = signed_in(head).get(reverse("channels:detail", args=[channel.pk])).content.decode()
    assert INVESTMENT in detail and "no paid promotion" in detail


def test_a_policy_without_considerations_asks_nothing_more(signed_in, admin, seabright):
    assert seabright.trust.policy.channels.setup_considerations == []
    page = signed_in(admin).get(reverse("channels:propose")).content.decode()
    assert "consider_0" not in page and "What the trust asks you to consider" not in page


def test_every_consideration_must_be_answered(trust, admin, seabright):
    _asking(trust)
    with pytest.raises(ValidationError, match="Answer what the policy asks you to consider: The level"):
        _propose(admin, seabright, setup_answers={INVESTMENT: "Yes", ENGAGEMENT: "  "})
    with pytest.raises(ValidationError, match="asks no question"):
        _propose(admin, seabright, setup_answers={INVESTMENT: "Yes", ENGAGEMENT: "Yes", "Something else": "Yes"})


# ---- channels.official against the register -------------------------------------------------------------------------


def test_the_register_shows_policy_channels_missing_from_it_and_channels_the_policy_does_not_name(
    signed_in, admin, head, seabright
):
    services.channel_sign_off(actor=head, channel=_propose(admin, seabright))  # in the policy, by name
    _propose(admin, seabright, name="Seabright PTA page")  # not in the policy
    body = signed_in(head).get(reverse("channels:register")).content.decode()
    section = body.split('id="mismatch-heading"', 1)[1].split("</section>", 1)[0]
    assert "Seabright Primary on Instagram" in section  # 000 names it; nobody registered it
    assert "Seabright PTA page" in section
    assert "Seabright Primary on Facebook" not in section
    assert "Millbrook" not in section  # the head of Seabright sees Seabright's channels only


def test_a_register_that_matches_the_policy_shows_no_warning(make_trust, make_staff, signed_in):
    trust = make_trust("001")
    school = trust.schools.order_by("pk").first()
    official = [o for o in trust.policy.channels.official if o.school == school.key]
    admin = make_staff(Role.CHANNEL_ADMIN, school)
    for o in official:
        _propose(admin, school, name=o.name.upper(), platform=o.platform)  # the same name, however written
    head = make_staff(Role.HEAD, school)
    assert (
        "The policy and the register disagree" not in signed_in(head).get(reverse("channels:register")).content.decode()
    )


def test_policy_check_warns_where_the_file_and_the_register_differ(admin, seabright):
    _propose(admin, seabright, name="Seabright PTA page")
    out = StringIO()
    call_command("policy", "check", str(POLICY_FILES["000"]), stdout=out)
    text = out.getvalue()
    assert "warning: channels.official names Seabright Primary on Instagram (Instagram), which is not on" in text
    assert (
        "warning: the channel register has Seabright PTA page (Facebook Page), which channels.official does not" in text
    )


def test_a_registered_channel_with_the_policys_web_address_matches_whatever_its_name(trust, admin, seabright):
    listed = "    - {name: Seabright Primary on Facebook, platform: facebook_page, school: seabright}\n"
    text = policy_text("000")
    assert listed in text
    with_url = listed.replace("}", ", url: 'https://www.facebook.com/seabrightprimary'}")
    policy_adopt(actor=None, trust=trust, text=text.replace(listed, with_url))
    _propose(admin, seabright, name="Seabright's page", address="https://facebook.com/seabrightprimary/")
    trust.refresh_from_db()
    mismatch = register_mismatch(trust.policy, list(Channel.objects.all()), {"seabright"})
    assert [o.name for o in mismatch.unregistered] == ["Seabright Primary on Instagram"]
    assert mismatch.unlisted == []
