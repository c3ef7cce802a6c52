"""Every change to the channel register. Who approves, who authorises and who may break glass are read
from the trust's policy; the rest is the same for every trust."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safesocial import hooks
from safesocial.audit.services import audit_record
from safesocial.dates import add_months
from safesocial.people.models import School, Trust, User
from safesocial.people.roles import Role
from safesocial.permissions import Action, may, require, roles_at
from safesocial.workflow import move

from . import crypto
from .models import (
    CHANNEL_TRANSITIONS,
    AcceptableUseSignature,
    AccessLevel,
    BreakGlass,
    Channel,
    ChannelAccess,
    ChannelReview,
    ChannelStatus,
    Credential,
    Delivery,
    Follow,
    Risk,
    SignOff,
)
from .selectors import acceptable_use_text, can_post, current_signature, owns_or_administers, platform_unreachable

CONTRIBUTORS = [("pupils", "Pupils"), ("staff", "Staff"), ("parents", "Parents and carers"), ("public", "The public")]


_move = partial(move, transitions=CHANNEL_TRANSITIONS, refusal="A {now} channel cannot become {to}.")


@dataclass(frozen=True)
class RiskSpec:
    hazard: str
    likelihood: str
    mitigation: str
    owner: User
    impact: str = "medium"


def _check_delivery(platform: str, delivery: str, manual_reason: str) -> None:
    if delivery == Delivery.MANUAL and not manual_reason:
        raise ValidationError(
            {
                "manual_reason": "Say why posts to this channel are published by hand, for example: a closed "
                "Facebook group, which no app can post to."
            }
        )
    if delivery == Delivery.LIVE and (why := platform_unreachable(platform)):
        raise ValidationError(
            {
                "delivery": f"{why} Choose 'By hand' and say why: posts are still checked and reviewed here, then a "
                "poster publishes them and records the link."
            }
        )


@transaction.atomic
def _setup_answers(trust: Trust, given: dict[str, str] | None) -> list[dict[str, str]]:
    """The policy's setup considerations with their answers, in the policy's order; none given: none recorded."""
    if given is None:
        return []
    questions = trust.policy.channels.setup_considerations
    unknown = sorted(set(given) - set(questions))
    if unknown:
        raise ValidationError(f"the policy asks no question '{unknown[0]}'")
    missing = [q for q in questions if not given.get(q, "").strip()]
    if missing:
        raise ValidationError(f"Answer what the policy asks you to consider: {missing[0]}")
    return [{"question": q, "answer": given[q].strip()} for q in questions]


def channel_propose(
    *,
    actor: User,
    trust: Trust,
    school: School | None,
    platform: str,
    name: str,
    official_email: str,
    purpose: str,
    audience: str,
    contributors: list[str],
    time_commitment: str,
    success_measures: str,
    address: str = "",
    delivery: str = Delivery.LIVE,
    manual_reason: str = "",
    owner: User | None = None,
    risks: list[RiskSpec] = (),  # type: ignore[assignment]
    setup_answers: dict[str, str] | None = None,
) -> Channel:
    """Policy: official channels exist only with clear objectives and a formal risk assessment. A proposal
    records both; nothing may be posted until the policy's approver signs it off. A channel SafeSocial cannot
    publish to (a closed group) is registered as published by hand, with the reason. `setup_answers` answers each of
    the policy's `channels.setup_considerations` (the proposal page asks every one); each must be answered."""
    require(actor, Action.PROPOSE_CHANNEL, school)
    answers = _setup_answers(trust, setup_answers)
    unknown = set(contributors) - {c for c, _ in CONTRIBUTORS}
    if unknown:
        raise ValidationError(f"unknown contributor groups: {', '.join(sorted(unknown))}")
    manual_reason = manual_reason.strip() if delivery == Delivery.MANUAL else ""
    _check_delivery(platform, delivery, manual_reason)
    channel = Channel.objects.create(
        trust=trust,
        school=school,
        platform=platform,
        delivery=delivery,
        manual_reason=manual_reason,
        name=name,
        address=address,
        official_email=official_email,
        purpose=purpose,
        audience=audience,
        contributors=contributors,
        time_commitment=time_commitment,
        success_measures=success_measures,
        setup_answers=answers,
        owner=owner or actor,
        proposed_by=actor,
    )
    audit_record(
        actor=actor,
        action="channel.propose",
        obj=channel,
        school_id=school.pk if school else None,
        changes={"name": name, "platform": platform, "delivery": delivery, "manual_reason": manual_reason},
    )
    for spec in risks:
        _risk_create(actor=actor, channel=channel, spec=spec)
    return channel


def _risk_create(*, actor: User, channel: Channel, spec: RiskSpec) -> Risk:
    risk = Risk.objects.create(
        channel=channel,
        hazard=spec.hazard,
        likelihood=spec.likelihood,
        impact=spec.impact,
        mitigation=spec.mitigation,
        owner=spec.owner,
    )
    audit_record(
        actor=actor,
        action="channel.risk_add",
        obj=channel,
        school_id=channel.school_id,
        changes={"hazard": spec.hazard, "likelihood": spec.likelihood, "owner": spec.owner.email},
    )
    return risk


def _may_edit_assessment(actor: User, channel: Channel) -> bool:
    return actor.pk in (channel.owner_id, channel.proposed_by_id) or may(actor, Action.APPROVE_CHANNEL, channel.school)


@transaction.atomic
def risk_add(*, actor: User, channel: Channel, spec: RiskSpec) -> Risk:
    if not _may_edit_assessment(actor, channel):
        raise PermissionDenied("Only the channel's owner or approver can change its risk assessment")
    if channel.status == ChannelStatus.CLOSED:
        raise ValidationError("The channel is closed.")
    return _risk_create(actor=actor, channel=channel, spec=spec)


def required_signoff_roles(channel: Channel) -> list[Role | str]:
    """The roles that may sign the channel off (with all_of, every one of them must)."""
    return list(channel.trust.policy.channels.approvers.roles)


@transaction.atomic
def channel_sign_off(*, actor: User, channel: Channel, note: str = "") -> Channel:
    """Policy: a channel is approved by the roles the trust's policy names (`channels.approver`, with any
    `co_approvers`), after a formal risk assessment: with all_of it stays proposed until every role has signed, with
    any_of the first signature approves it. Nobody signs one channel twice."""
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if channel.status != ChannelStatus.PROPOSED:
        raise ValidationError("Only a proposed channel can be signed off.")
    if not channel.risks.exists():
        raise ValidationError("Record the risk assessment before signing the channel off.")
    held = roles_at(actor, channel.school)
    signoffs = list(channel.signoffs.values_list("role", "user_id"))
    signed = {r for r, _ in signoffs}
    approvers = channel.trust.policy.channels.approvers
    roles = approvers.who_may_sign(held, signed)
    if not roles or any(user_id == actor.pk for _, user_id in signoffs):
        raise PermissionDenied(
            "The trust's policy does not name you to approve this channel, or you have already signed it off"
        )
    role = roles[0]
    SignOff.objects.create(channel=channel, role=role, user=actor, note=note)
    waiting_for = [str(r) for r in approvers.outstanding(signed | {role})]
    changes: dict[str, object] = {"role": str(role), "waiting_for": waiting_for}
    if approvers.satisfied_by(signed | {role}):
        _move(channel, ChannelStatus.APPROVED)
        channel.approved_at = timezone.now()
        channel.next_review_due = add_months(timezone.localdate(), channel.trust.policy.channels.review_months)
        channel.save(update_fields=["status", "approved_at", "next_review_due"])
        changes["status"] = channel.status
    audit_record(actor=actor, action="channel.sign_off", obj=channel, school_id=channel.school_id, changes=changes)
    return channel


def _may_manage(actor: User, channel: Channel) -> bool:
    return may(actor, Action.APPROVE_CHANNEL, channel.school) or owns_or_administers(actor, [channel.pk])


@transaction.atomic
def channel_set_status(*, actor: User, channel: Channel, status: str, reason: str = "") -> Channel:
    """Go live, suspend, resume or close. Suspending or closing needs a reason on the record."""
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if status in (ChannelStatus.SUSPENDED, ChannelStatus.CLOSED):
        if not (_may_manage(actor, channel) or may(actor, Action.BREAK_GLASS, channel.school)):
            raise PermissionDenied("You cannot suspend or close this channel")
        if len(reason.strip()) < 5:
            raise ValidationError("Give a reason for suspending or closing the channel.")
    elif not _may_manage(actor, channel):
        raise PermissionDenied("Only the channel's owner, administrators or approver can do that")
    # A channel published by hand needs no token: SafeSocial never calls its platform.
    live = status == ChannelStatus.ACTIVE and channel.delivery == Delivery.LIVE
    if live and (why := platform_unreachable(channel.platform)):
        raise ValidationError(f"{why} Register the channel as published by hand.")
    if live and (not channel.external_id or not Credential.objects.filter(channel=channel).exists()):
        raise ValidationError("Add the channel's ID on the platform and its access token before going live.")
    before = channel.status
    _move(channel, status)
    channel.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="channel.status",
        obj=channel,
        school_id=channel.school_id,
        changes={"status": [before, status], "reason": reason},
    )
    return channel


@transaction.atomic
def channel_update_connection(*, actor: User, channel: Channel, external_id: str, address: str = "") -> Channel:
    if not _may_manage(actor, channel):
        raise PermissionDenied("Only the channel's owner, administrators or approver can do that")
    before = {"external_id": channel.external_id, "address": channel.address}
    channel.external_id, channel.address = external_id.strip(), address.strip() or channel.address
    channel.save(update_fields=["external_id", "address"])
    audit_record(
        actor=actor,
        action="channel.connection",
        obj=channel,
        school_id=channel.school_id,
        changes={k: [before[k], getattr(channel, k)] for k in before if before[k] != getattr(channel, k)},
    )
    return channel


@transaction.atomic
def channel_review(*, actor: User, channel: Channel, objectives_met: bool, notes: str) -> ChannelReview:
    """Policy: each channel is reviewed on the policy's cadence by the person who approves channels."""
    require(actor, Action.APPROVE_CHANNEL, channel.school)
    if channel.status not in (ChannelStatus.ACTIVE, ChannelStatus.SUSPENDED, ChannelStatus.APPROVED):
        raise ValidationError("Only an approved, active or suspended channel is reviewed.")
    if len(notes.strip()) < 10:
        raise ValidationError("Say what the review found (at least a sentence).")
    review = ChannelReview.objects.create(
        channel=channel, reviewed_by=actor, objectives_met=objectives_met, notes=notes
    )
    channel.next_review_due = add_months(timezone.localdate(), channel.trust.policy.channels.review_months)
    channel.save(update_fields=["next_review_due"])
    audit_record(
        actor=actor,
        action="channel.review",
        obj=channel,
        school_id=channel.school_id,
        changes={"objectives_met": objectives_met, "next_review_due": channel.next_review_due},
    )
    return review


@transaction.atomic
def aup_sign(*, actor: User, signed_name: str) -> AcceptableUseSignature:
    """Policy: staff who run official accounts sign the social media acceptable use agreement."""
    if actor.trust is None:
        raise PermissionDenied("You are not on the staff of a trust")
    if signed_name.strip().lower() != actor.full_name.strip().lower():
        raise ValidationError(f"Type your full name exactly as SafeSocial knows it: {actor.full_name}")
    text = acceptable_use_text(actor.trust)
    signature = AcceptableUseSignature.objects.create(
        user=actor, text=text, text_sha256=hashlib.sha256(text.encode()).hexdigest(), signed_name=signed_name.strip()
    )
    audit_record(actor=actor, action="aup.sign", obj=signature, changes={"sha256": signature.text_sha256})
    return signature


def _months(n: int) -> str:
    if n % 12 == 0:
        years = n // 12
        return "one year" if years == 1 else f"{years} years"
    return "one month" if n == 1 else f"{n} months"


@transaction.atomic
def access_grant(*, actor: User, channel: Channel, user: User, level: str, expires_on: dt.date) -> ChannelAccess:
    """Policy: only staff authorised by the person the policy names may post to or administer an official
    account, after signing the acceptable use agreement; every grant has an end date."""
    require(actor, Action.AUTHORISE_POSTERS, channel.school)
    if user.pk == actor.pk:
        raise ValidationError("Ask another authoriser: nobody authorises themselves.")
    if channel.status in (ChannelStatus.PROPOSED, ChannelStatus.CLOSED):
        raise ValidationError(f"The channel is {channel.get_status_display().lower()}: it cannot have posters.")
    if user.trust_id != channel.trust_id or not user.is_active:
        raise ValidationError(f"{user} is not on the staff of {channel.trust}.")
    if not roles_at(user, channel.school):
        raise ValidationError(f"{user} holds no role at {channel.school or channel.trust}.")
    if expires_on <= timezone.localdate():
        raise ValidationError("The end date must be in the future.")
    longest = channel.trust.policy.channels.access_max_months
    if expires_on > add_months(timezone.localdate(), longest):
        raise ValidationError(f"Access is granted for {_months(longest)} at most; renew it after review.")
    if level == AccessLevel.ADMIN and channel.trust.policy.training.required_for_channel_access:
        # Policy: channel administrators are granted access only once their training and AUP are current. Training
        # is recorded above this floor: compliance answers through hooks.CHANNEL_ACCESS_BLOCKERS.
        blockers = [reason for reasons in hooks.CHANNEL_ACCESS_BLOCKERS.call(user) for reason in reasons]
        if blockers:
            raise ValidationError(f"{user} cannot administer {channel.name} yet: {' and '.join(blockers)}.")
    if channel.trust.policy.channels.aup_signature_required and current_signature(user) is None:
        raise ValidationError(f"{user} has not signed the social media acceptable use agreement yet.")
    if ChannelAccess.objects.filter(channel=channel, user=user, level=level, revoked_at__isnull=True).exists():
        raise ValidationError(f"{user} already has this access; revoke it first to change the end date.")
    grant = ChannelAccess.objects.create(
        channel=channel, user=user, level=level, granted_by=actor, expires_on=expires_on
    )
    audit_record(
        actor=actor,
        action="channel.access_grant",
        obj=channel,
        school_id=channel.school_id,
        changes={"user": user.email, "level": level, "expires_on": expires_on},
    )
    return grant


@transaction.atomic
def access_revoke(*, actor: User, grant: ChannelAccess) -> ChannelAccess:
    require(actor, Action.AUTHORISE_POSTERS, grant.channel.school)
    if grant.revoked_at is not None:
        raise ValidationError("This access has already been revoked.")
    grant.revoked_at, grant.revoked_by = timezone.now(), actor
    grant.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        action="channel.access_revoke",
        obj=grant.channel,
        school_id=grant.channel.school_id,
        changes={"user": grant.user.email, "level": grant.level},
    )
    return grant


@transaction.atomic
def credential_set(*, actor: User, channel: Channel, kind: str, secret: str, login: str = "") -> Credential:
    """Store the channel's token or password encrypted. The audit entry says that it changed, never what to."""
    if not _may_manage(actor, channel):
        raise PermissionDenied("Only the channel's owner, administrators or approver can set its credentials")
    if len(secret.strip()) < 8:
        raise ValidationError("That does not look like an access token or password.")
    credential, created = Credential.objects.update_or_create(
        channel=channel,
        defaults={
            "kind": kind,
            "login": login,
            "ciphertext": crypto.encrypt(secret.strip()),
            "updated_at": timezone.now(),
            "updated_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action="channel.credential_set",
        obj=channel,
        school_id=channel.school_id,
        changes={"kind": kind, "replaced": not created},
    )
    return credential


def credential_for_publishing(channel: Channel) -> str:
    """The token the publishing service sends to the platform. Not for views."""
    credential = Credential.objects.filter(channel=channel).first()
    if credential is None:
        raise ValidationError(f"{channel} has no access token")
    return crypto.decrypt(bytes(credential.ciphertext))


@transaction.atomic
def credential_break_glass(*, actor: User, channel: Channel, reason: str) -> tuple[Credential, str]:
    """Policy: leadership can reach an account's login in an emergency, such as staff absence. The reason is
    recorded, the channel's owner is told (without the secret) and the access is on the audit trail."""
    require(actor, Action.BREAK_GLASS, channel.school)
    if len(reason.strip()) < 10:
        raise ValidationError("Say why you need the login (at least a sentence): the channel's owner will be told.")
    credential = Credential.objects.filter(channel=channel).first()
    if credential is None:
        raise ValidationError(f"{channel} has no stored login.")
    event = BreakGlass.objects.create(channel=channel, user=actor, reason=reason.strip())
    audit_record(
        actor=actor,
        action="channel.break_glass",
        obj=channel,
        school_id=channel.school_id,
        changes={"reason": reason.strip(), "event": event.pk},
    )
    owner_email = channel.owner.email
    link = settings.SITE_ROOT + reverse("channels:detail", args=[channel.pk])
    transaction.on_commit(
        lambda: send_mail(
            f"Emergency access to {channel.name}",
            f"{actor} opened the login for {channel.name} in an emergency on "
            f"{timezone.localtime(event.at):%d %B %Y at %H:%M}.\n\nThe reason they gave is on the channel's page:\n"
            f"{link}\n\nIf you did not expect this, change the account's password and speak to them.",
            None,
            [owner_email],
        )
    )
    return credential, crypto.decrypt(bytes(credential.ciphertext))


@transaction.atomic
def follow_add(
    *, actor: User, channel: Channel, name: str, url: str, kind: str, commercial: bool, reason: str
) -> Follow:
    """Policy 001: official accounts only like or follow pages with a non-commercial interest."""
    if not _may_manage(actor, channel) and not can_post(actor, channel):
        raise PermissionDenied("Only the channel's posters and administrators manage what it follows")
    if commercial and not channel.trust.policy.channels.follow_commercial_pages:
        raise ValidationError(
            "The trust's policy allows official accounts to like or follow only pages with a non-commercial interest."
        )
    if not reason.strip():
        raise ValidationError("Say why the account follows this page.")
    follow = Follow.objects.create(
        channel=channel, name=name, url=url, kind=kind, commercial=commercial, reason=reason, added_by=actor
    )
    audit_record(
        actor=actor,
        action="channel.follow_add",
        obj=channel,
        school_id=channel.school_id,
        changes={"name": name, "url": url, "kind": kind, "commercial": commercial},
    )
    return follow


@transaction.atomic
def follow_remove(*, actor: User, follow: Follow) -> Follow:
    channel = follow.channel
    if not _may_manage(actor, channel) and not can_post(actor, channel):
        raise PermissionDenied("Only the channel's posters and administrators manage what it follows")
    follow.removed_at = timezone.now()
    follow.save(update_fields=["removed_at"])
    audit_record(
        actor=actor,
        action="channel.follow_remove",
        obj=channel,
        school_id=channel.school_id,
        changes={"name": follow.name},
    )
    return follow
