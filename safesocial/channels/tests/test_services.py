import datetime as dt

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.channels import services
from safesocial.channels.models import AccessLevel, ChannelStatus, Credential
from safesocial.channels.selectors import can_post
from safesocial.people.models import Trust
from safesocial.people.roles import Role
from safesocial.policy.services import policy_adopt
from safesocial.testing.people import holder
from safesocial.testing.trusts import policy_text


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


@pytest.fixture
def proposed(admin, seabright):
    return _propose(admin, seabright)


@pytest.fixture
def approved(proposed, head):
    return services.channel_sign_off(actor=head, channel=proposed)


def test_under_policy_000_the_head_signs_off_and_the_review_date_follows_the_policy(approved):
    assert approved.status == ChannelStatus.APPROVED
    assert approved.signoffs.get().role == Role.HEAD
    months = approved.trust.policy.channels.review_months
    assert (approved.next_review_due - timezone.localdate()).days in range(months * 28, months * 31 + 1)


def test_the_ceo_cannot_sign_off_a_school_channel_under_policy_000(proposed, ceo):
    with pytest.raises(PermissionDenied):
        services.channel_sign_off(actor=ceo, channel=proposed)
    proposed.refresh_from_db()
    assert proposed.status == ChannelStatus.PROPOSED


def test_under_policy_003_the_ceo_alone_approves_a_channel(make_trust, make_staff):
    # Seed 003: accounts are "only created with the consent of the CEO" and official use is "approved by the CEO".
    trust = make_trust("003")
    school = trust.schools.order_by("pk").first()
    admin = make_staff(Role.CHANNEL_ADMIN, school)
    channel = _propose(admin, school)
    with pytest.raises(PermissionDenied):
        services.channel_sign_off(actor=holder(trust, Role.HEAD, school.key), channel=channel)
    channel = services.channel_sign_off(actor=holder(trust, Role.CEO, None), channel=channel)
    assert channel.status == ChannelStatus.APPROVED


def test_a_policy_naming_co_approvers_waits_for_each_of_them(trust, admin, seabright, head, ceo):
    text = yaml.safe_load(policy_text("000"))
    text["channels"]["co_approvers"] = ["ceo"]
    policy_adopt(actor=None, trust=trust, text=yaml.safe_dump(text, sort_keys=False))
    channel = services.channel_sign_off(actor=head, channel=_propose(admin, seabright))
    assert channel.status == ChannelStatus.PROPOSED
    channel = services.channel_sign_off(actor=ceo, channel=channel)
    assert channel.status == ChannelStatus.APPROVED


def test_a_channel_without_a_risk_assessment_cannot_be_signed_off(admin, head, seabright):
    channel = _propose(admin, seabright, risks=[])
    with pytest.raises(ValidationError, match="risk assessment"):
        services.channel_sign_off(actor=head, channel=channel)


def test_a_teacher_cannot_propose_a_channel(teacher, seabright):
    with pytest.raises(PermissionDenied):
        _propose(teacher, seabright)


def test_a_live_channel_needs_its_id_and_token_before_going_live(approved, admin):
    with pytest.raises(ValidationError, match="access token"):
        services.channel_set_status(actor=admin, channel=approved, status=ChannelStatus.ACTIVE)
    services.channel_update_connection(actor=admin, channel=approved, external_id="104000000000001")
    services.credential_set(actor=admin, channel=approved, kind="token", secret="EAA-a-long-page-token")
    channel = services.channel_set_status(actor=admin, channel=approved, status=ChannelStatus.ACTIVE)
    assert channel.status == ChannelStatus.ACTIVE


def test_suspending_needs_a_reason(approved, admin):
    with pytest.raises(ValidationError, match="reason"):
        services.channel_set_status(actor=admin, channel=approved, status=ChannelStatus.SUSPENDED)


def _asking_for_signatures(trust) -> None:
    """Policy 000 asks staff only to read and understand the AUP; a policy that asks them to sign it (as 004 does)."""
    text = yaml.safe_load(policy_text("000"))
    text["channels"]["aup_signature_required"] = True
    policy_adopt(actor=None, trust=trust, text=yaml.safe_dump(text, sort_keys=False))


def test_under_policy_000_posters_are_not_asked_to_sign_the_acceptable_use_agreement(approved, head, teacher):
    until = timezone.localdate() + dt.timedelta(days=30)
    grant = services.access_grant(
        actor=head, channel=approved, user=teacher, level=AccessLevel.POSTER, expires_on=until
    )
    assert grant.is_current()


def test_posters_must_sign_the_acceptable_use_agreement_first(approved, head, teacher, trust):
    _asking_for_signatures(trust)
    approved.trust = Trust.objects.get(pk=trust.pk)  # the trust as it now reads, with the new version in force
    until = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(ValidationError, match="acceptable use"):
        services.access_grant(actor=head, channel=approved, user=teacher, level=AccessLevel.POSTER, expires_on=until)
    services.aup_sign(actor=teacher, signed_name=teacher.full_name)
    grant = services.access_grant(
        actor=head, channel=approved, user=teacher, level=AccessLevel.POSTER, expires_on=until
    )
    assert grant.is_current()


def test_signing_needs_the_persons_own_name(teacher):
    with pytest.raises(ValidationError, match="full name"):
        services.aup_sign(actor=teacher, signed_name="Somebody Else")


def test_only_the_authoriser_the_policy_names_grants_access(approved, admin, teacher):
    services.aup_sign(actor=teacher, signed_name=teacher.full_name)
    with pytest.raises(PermissionDenied):
        services.access_grant(
            actor=admin,
            channel=approved,
            user=teacher,
            level=AccessLevel.POSTER,
            expires_on=timezone.localdate() + dt.timedelta(days=30),
        )


def test_nobody_authorises_themselves(approved, head):
    services.aup_sign(actor=head, signed_name=head.full_name)
    with pytest.raises(ValidationError, match="nobody authorises themselves"):
        services.access_grant(
            actor=head,
            channel=approved,
            user=head,
            level=AccessLevel.ADMIN,
            expires_on=timezone.localdate() + dt.timedelta(days=30),
        )


def test_access_ends_on_its_date(approved, admin, head, teacher):
    services.channel_update_connection(actor=admin, channel=approved, external_id="1")
    services.credential_set(actor=admin, channel=approved, kind="token", secret="EAA-a-long-page-token")
    channel = services.channel_set_status(actor=admin, channel=approved, status=ChannelStatus.ACTIVE)
    services.aup_sign(actor=teacher, signed_name=teacher.full_name)
    until = timezone.localdate() + dt.timedelta(days=10)
    services.access_grant(actor=head, channel=channel, user=teacher, level=AccessLevel.POSTER, expires_on=until)
    assert can_post(teacher, channel)
    assert not can_post(teacher, channel, today=until + dt.timedelta(days=1))


def test_credentials_are_encrypted_at_rest_and_never_audited(approved, admin):
    services.credential_set(actor=admin, channel=approved, kind="token", secret="EAA-super-secret-token")
    stored = bytes(Credential.objects.get(channel=approved).ciphertext)
    assert b"super-secret" not in stored
    assert services.credential_for_publishing(approved) == "EAA-super-secret-token"
    assert not AuditEntry.objects.filter(changes__icontains="super-secret").exists()


def test_the_channel_page_never_shows_the_credential(signed_in, approved, admin, head):
    services.credential_set(actor=admin, channel=approved, kind="token", secret="EAA-super-secret-token")
    body = signed_in(head).get(reverse("channels:detail", args=[approved.pk])).content.decode()
    assert "EAA-super-secret-token" not in body
    assert "Access token is stored" in body or "access token is stored" in body


def test_break_glass_needs_a_reason_tells_the_owner_and_is_audited(
    approved, admin, head, mailoutbox, django_capture_on_commit_callbacks
):
    services.credential_set(
        actor=admin, channel=approved, kind="password", secret="hunter2-long-password", login="office"
    )
    with pytest.raises(ValidationError, match="Say why"):
        services.credential_break_glass(actor=head, channel=approved, reason="")
    with pytest.raises(PermissionDenied):
        services.credential_break_glass(actor=admin, channel=approved, reason="I want to look at it please")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _, secret = services.credential_break_glass(
            actor=head, channel=approved, reason="Ada is off sick and a post must come down"
        )
    assert secret == "hunter2-long-password"
    (message,) = mailoutbox
    assert message.to == [admin.email] and "hunter2" not in message.body
    assert AuditEntry.objects.filter(action="channel.break_glass", actor_id=head.pk).exists()


def test_policy_001_refuses_following_a_commercial_page(make_trust, make_staff):
    trust = make_trust("001")
    school = trust.schools.order_by("pk").first()
    admin = make_staff(Role.CHANNEL_ADMIN, school)
    channel = _propose(admin, school)
    with pytest.raises(ValidationError, match="non-commercial"):
        services.follow_add(
            actor=admin,
            channel=channel,
            name="Bob's Tyres",
            url="https://tyres.example.com",
            kind="like",
            commercial=True,
            reason="Sponsor",
        )
    follow = services.follow_add(
        actor=admin,
        channel=channel,
        name="Town library",
        url="https://library.example.com",
        kind="follow",
        commercial=False,
        reason="Reading events",
    )
    assert follow.pk


def test_policy_000_allows_following_a_commercial_page(admin, proposed):
    follow = services.follow_add(
        actor=admin,
        channel=proposed,
        name="Local bakery",
        url="https://bakery.example.com",
        kind="like",
        commercial=True,
        reason="Supplies the fair",
    )
    assert follow.commercial


def test_a_review_sets_the_next_date_and_due_reviews_reach_the_approvers_dashboard(signed_in, approved, head):
    approved.next_review_due = timezone.localdate() - dt.timedelta(days=3)
    approved.save(update_fields=["next_review_due"])
    body = signed_in(head).get(reverse("dashboard")).content.decode()
    assert "Channel reviews due" in body and approved.name in body
    services.channel_review(
        actor=head, channel=approved, objectives_met=True, notes="Parents say they see events in time."
    )
    approved.refresh_from_db()
    assert approved.next_review_due > timezone.localdate()


def test_channels_of_another_school_are_invisible(signed_in, outsider, approved):
    assert signed_in(outsider).get(reverse("channels:detail", args=[approved.pk])).status_code == 404


def test_the_channel_register_takes_the_same_queries_for_one_channel_and_five(
    signed_in, head, admin, seabright, approved, same_queries
):
    client = signed_in(head)
    url = reverse("channels:register")
    client.get(url)

    def four_more():
        for n in range(4):
            services.channel_sign_off(actor=head, channel=_propose(admin, seabright, name=f"Seabright channel {n}"))

    body = same_queries(11, lambda: client.get(url), four_more).content.decode()
    assert approved.name in body and "Seabright channel 3" in body


def test_proposing_through_the_page(signed_in, admin, seabright):
    response = signed_in(admin).post(
        reverse("channels:propose"),
        {
            "school": seabright.pk,
            "platform": "instagram",
            "delivery": "live",
            "name": "Seabright on Instagram",
            "official_email": "office@seabright.example.com",
            "purpose": "Celebrate learning",
            "audience": "Parents",
            "contributors": ["parents"],
            "time_commitment": "1 hour a week",
            "success_measures": "Likes from parents",
            "hazard": "Pupils' faces without consent",
            "likelihood": "medium",
            "impact": "high",
            "mitigation": "Consent checked on every post",
        },
        follow=True,
    )
    assert "Channel proposed" in response.content.decode()
    assert seabright.channels.get().status == ChannelStatus.PROPOSED
