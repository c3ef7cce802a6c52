"""Writes to the registers. Every decision is taken by the role the trust's policy names and never by the person who
asked for it; every write is audited.

Policy: staff declare pre-existing social media friendships with pupils' families ('Disclosure of Social Media
Friends'), talk them through with the people the policy names (`concerns.friendship_discussed_with`) and the role
in `concerns.friendship_decided_by` decides; the declaration is re-confirmed as often as
`concerns.friendship_reconfirm_days` says. IT support decides requests
to unblock a wrongly filtered site and may refer them to senior leaders (`registers.unblock_*`). Platforms for
remote learning and AI tools are approved by the roles in `registers.remote_learning_approver` and
`registers.ai_tools_approver`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from safesocial.audit.services import audit_record
from safesocial.people.models import ParentCarer, Pupil, School, Trust, User
from safesocial.permissions import Action, require
from safesocial.policy.approvals import approval_sign
from safesocial.policy.approvers import Approvers
from safesocial.workflow import move

from .models import (
    APPROVAL_TRANSITIONS,
    FRIENDSHIP_TRANSITIONS,
    PLATFORM_NAMES,
    UNBLOCK_TRANSITIONS,
    AiToolApproval,
    Approval,
    ApprovalStatus,
    FriendshipDecision,
    FriendshipDeclaration,
    FriendshipStatus,
    RemoteLearningAssessment,
    UnblockRequest,
    UnblockStatus,
    normalise_name,
)


def _reconfirm_every(trust: Trust) -> dt.timedelta:
    """Policy `concerns.friendship_reconfirm_days`: how long a confirmed declaration stands before it is confirmed
    again."""
    return dt.timedelta(days=trust.policy.concerns.friendship_reconfirm_days)


def _staff_at(actor: User, school: School) -> None:
    """Anyone who works at (or across) the school may ask; the decision is someone else's."""
    require(actor, Action.VIEW_SCHOOL, school)


def _not_the_asker(actor: User, asker_id: int, what: str) -> None:
    if actor.pk == asker_id:
        raise PermissionDenied(f"You cannot decide your own {what}: someone else in the role the policy names must.")


# Disclosure of Social Media Friends ---------------------------------------------------------------------------


def friendship_register_on(school_or_trust) -> bool:
    trust = getattr(school_or_trust, "trust", school_or_trust)
    return trust.policy.concerns.friendship_disclosure


def _check_friendship(
    *,
    school: School,
    pupils: list[Pupil],
    parents: list[ParentCarer],
    family_names: str,
    nature: str,
    platforms: list[str],
) -> None:
    errors: dict[str, str] = {}
    if not (pupils or parents or family_names.strip()):
        errors["pupils"] = "Choose the pupils or parents, or type the names of a family not yet at the school."
    if any(p.school_id != school.pk for p in pupils):
        errors["pupils"] = f"Choose pupils at {school}."
    if parents and ParentCarer.objects.filter(pk__in=[p.pk for p in parents]).exclude(pupils__school=school).exists():
        errors["parents"] = f"Choose parents or carers of pupils at {school}."
    if not nature.strip():
        errors["nature"] = "Say what the relationship is, for example a family friend or a relative."
    unknown = [p for p in platforms if p not in PLATFORM_NAMES]
    if not platforms or unknown:
        errors["platforms"] = "Choose the platforms on which you are connected."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def friendship_declare(
    *,
    actor: User,
    school: School,
    nature: str,
    platforms: list[str],
    pupils: Iterable[Pupil] = (),
    parents: Iterable[ParentCarer] = (),
    family_names: str = "",
) -> FriendshipDeclaration:
    """A member of staff declares a pre-existing relationship with a pupil or a family."""
    if not friendship_register_on(school):
        raise PermissionDenied("The trust's policy keeps no register of social media friendships.")
    _staff_at(actor, school)
    pupils, parents = list(pupils), list(parents)
    _check_friendship(
        school=school, pupils=pupils, parents=parents, family_names=family_names, nature=nature, platforms=platforms
    )
    today = timezone.localdate()
    declaration = FriendshipDeclaration.objects.create(
        trust=school.trust,
        school=school,
        declarer=actor,
        family_names=family_names.strip(),
        nature=nature.strip(),
        platforms=platforms,
        confirmed_on=today,
        reconfirm_due=today + _reconfirm_every(school.trust),
    )
    declaration.pupils.set(pupils)
    declaration.parents.set(parents)
    audit_record(
        actor=actor,
        action="friendship.declare",
        obj=declaration,
        school_id=school.pk,
        changes={"pupils": [p.pk for p in pupils], "parents": [p.pk for p in parents], "platforms": platforms},
    )
    return declaration


@transaction.atomic
def friendship_update(
    *,
    actor: User,
    declaration: FriendshipDeclaration,
    nature: str,
    platforms: list[str],
    pupils: Iterable[Pupil] = (),
    parents: Iterable[ParentCarer] = (),
    family_names: str = "",
) -> FriendshipDeclaration:
    """The declarer brings their declaration up to date (for example, linking a family that has joined the school).
    A changed declaration is decided afresh."""
    if actor.pk != declaration.declarer_id:
        raise PermissionDenied("Only the person who declared it can update a declaration.")
    pupils, parents = list(pupils), list(parents)
    _check_friendship(
        school=declaration.school,
        pupils=pupils,
        parents=parents,
        family_names=family_names,
        nature=nature,
        platforms=platforms,
    )
    if declaration.status == FriendshipStatus.DECIDED:
        move(declaration, FriendshipStatus.AWAITING, transitions=FRIENDSHIP_TRANSITIONS)
    elif declaration.status != FriendshipStatus.AWAITING:
        raise ValidationError("A withdrawn declaration cannot be updated: make a new one.")
    today = timezone.localdate()
    declaration.family_names, declaration.nature, declaration.platforms = (
        family_names.strip(),
        nature.strip(),
        platforms,
    )
    declaration.decision, declaration.advice, declaration.decided_by, declaration.decided_at = "", "", None, None
    declaration.needs_update_at, declaration.needs_update_note = None, ""
    declaration.confirmed_on, declaration.reconfirm_due = today, today + _reconfirm_every(declaration.trust)
    declaration.save(
        update_fields=[
            "family_names",
            "nature",
            "platforms",
            "status",
            "decision",
            "advice",
            "decided_by",
            "decided_at",
            "needs_update_at",
            "needs_update_note",
            "confirmed_on",
            "reconfirm_due",
        ]
    )
    declaration.pupils.set(pupils)
    declaration.parents.set(parents)
    audit_record(
        actor=actor,
        action="friendship.update",
        obj=declaration,
        school_id=declaration.school_id,
        changes={"pupils": [p.pk for p in pupils], "parents": [p.pk for p in parents], "platforms": platforms},
    )
    return declaration


@transaction.atomic
def friendship_decide(
    *, actor: User, declaration: FriendshipDeclaration, decision: str, advice: str
) -> FriendshipDeclaration:
    """The role the policy names (`concerns.friendship_decided_by`) decides, with advice; never the declarer."""
    require(actor, Action.DECIDE_FRIENDSHIP, declaration.school)
    _not_the_asker(actor, declaration.declarer_id, "declaration")
    if decision not in FriendshipDecision.values:
        raise ValidationError({"decision": "Choose a decision."})
    if not advice.strip():
        raise ValidationError({"advice": "Write the advice given to the member of staff."})
    move(declaration, FriendshipStatus.DECIDED, transitions=FRIENDSHIP_TRANSITIONS)
    declaration.decision, declaration.advice = decision, advice.strip()
    declaration.decided_by, declaration.decided_at = actor, timezone.now()
    declaration.save(update_fields=["status", "decision", "advice", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="friendship.decide",
        obj=declaration,
        school_id=declaration.school_id,
        changes={"decision": decision},
    )
    return declaration


@transaction.atomic
def friendship_reconfirm(*, actor: User, declaration: FriendshipDeclaration) -> FriendshipDeclaration:
    """The declarer confirms, as often as the policy says (`concerns.friendship_reconfirm_days`), that the
    declaration is still true and complete."""
    if actor.pk != declaration.declarer_id:
        raise PermissionDenied("Only the person who declared it can re-confirm a declaration.")
    if declaration.status == FriendshipStatus.WITHDRAWN:
        raise ValidationError("This declaration was withdrawn.")
    if declaration.needs_update_at is not None:
        raise ValidationError("Someone you named has joined the school's records: update the declaration instead.")
    today = timezone.localdate()
    declaration.confirmed_on, declaration.reconfirm_due = today, today + _reconfirm_every(declaration.trust)
    declaration.save(update_fields=["confirmed_on", "reconfirm_due"])
    audit_record(
        actor=actor,
        action="friendship.reconfirm",
        obj=declaration,
        school_id=declaration.school_id,
        changes={"reconfirm_due": declaration.reconfirm_due},
    )
    return declaration


@transaction.atomic
def friendship_withdraw(*, actor: User, declaration: FriendshipDeclaration, reason: str) -> FriendshipDeclaration:
    """The declarer says the declaration no longer applies (the family has left, the contact has ended)."""
    if actor.pk != declaration.declarer_id:
        raise PermissionDenied("Only the person who declared it can withdraw a declaration.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why it no longer applies."})
    move(declaration, FriendshipStatus.WITHDRAWN, transitions=FRIENDSHIP_TRANSITIONS)
    declaration.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="friendship.withdraw",
        obj=declaration,
        school_id=declaration.school_id,
        changes={"reason": reason.strip()[:300]},
    )
    return declaration


def friendship_flag_new_link(*, pupil: Pupil | None = None, parent: ParentCarer | None = None) -> int:
    """A pupil or a parent or carer joined a school's records (hooks.PUPIL_CREATED and PARENT_LINKED). A declaration
    at that school whose free-text names include this person's full name is flagged 'needs update', so the declarer
    links the record. Returns how many declarations were flagged."""
    names: set[str] = set()
    school_ids: set[int] = set()
    if pupil is not None:
        school_ids.add(pupil.school_id)
        names |= {normalise_name(f"{pupil.first_name} {pupil.last_name}")}
        if pupil.preferred_name:
            names.add(normalise_name(f"{pupil.preferred_name} {pupil.last_name}"))
    if parent is not None:
        school_ids |= set(parent.pupils.values_list("school_id", flat=True))
        names.add(normalise_name(parent.full_name))
    names.discard("")
    if not names or not school_ids:
        return 0
    candidates = (
        FriendshipDeclaration.objects.filter(school_id__in=school_ids, needs_update_at__isnull=True)
        .exclude(status=FriendshipStatus.WITHDRAWN)
        .exclude(family_names="")
    )
    flagged = 0
    for declaration in candidates:
        if names & {normalise_name(line) for line in declaration.name_lines}:
            declaration.needs_update_at = timezone.now()
            declaration.needs_update_note = (
                f"A {'pupil' if pupil is not None else 'parent or carer'} whose name you declared is now on "
                f"{declaration.school}'s records: link them to your declaration."
            )
            declaration.save(update_fields=["needs_update_at", "needs_update_note"])
            audit_record(
                actor="SafeSocial",
                action="friendship.needs_update",
                obj=declaration,
                school_id=declaration.school_id,
                changes={"pupil": pupil.pk if pupil else None, "parent": parent.pk if parent else None},
            )
            flagged += 1
    return flagged


# Requests to unblock a website --------------------------------------------------------------------------------


def _check_url(url: str) -> str:
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"url": "Enter the full web address, starting https:// or http://."}) from None
    return url


@transaction.atomic
def unblock_request(*, actor: User, school: School, url: str, reason: str) -> UnblockRequest:
    """A member of staff asks for a wrongly filtered website to be unblocked."""
    _staff_at(actor, school)
    url = _check_url(url)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the site is needed, for example the lesson it is for."})
    request = UnblockRequest.objects.create(
        trust=school.trust, school=school, url=url, reason=reason.strip(), requested_by=actor
    )
    audit_record(actor=actor, action="unblock.request", obj=request, school_id=school.pk, changes={"url": url})
    return request


UNBLOCK_DECISIONS = {
    "approve": UnblockStatus.APPROVED,
    "decline": UnblockStatus.DECLINED,
    "refer": UnblockStatus.REFERRED,
}


@transaction.atomic
def unblock_decide(*, actor: User, request: UnblockRequest, decision: str, note: str) -> UnblockRequest:
    """IT support (`registers.unblock_decided_by`) approves, declines or refers to senior leaders; senior leaders
    (`registers.unblock_referred_to`) decide what was referred. Nobody decides their own request."""
    if decision not in UNBLOCK_DECISIONS:
        raise ValidationError({"decision": "Choose approve, decline or refer."})
    if request.status == UnblockStatus.REFERRED:
        require(actor, Action.DECIDE_REFERRED_UNBLOCK, request.school)
        if decision == "refer":
            raise ValidationError({"decision": "This request was referred to you: approve or decline it."})
    else:
        require(actor, Action.DECIDE_UNBLOCK, request.school)
    _not_the_asker(actor, request.requested_by_id, "request")
    if not note.strip():
        raise ValidationError({"note": "Write a note for the person who asked."})
    move(request, UNBLOCK_DECISIONS[decision], transitions=UNBLOCK_TRANSITIONS)
    now = timezone.now()
    if decision == "refer":
        request.referred_by, request.referred_at, request.referral_note = actor, now, note.strip()
        fields = ["status", "referred_by", "referred_at", "referral_note"]
    else:
        request.decided_by, request.decided_at, request.decision_note = actor, now, note.strip()
        fields = ["status", "decided_by", "decided_at", "decision_note"]
    request.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"unblock.{decision}",
        obj=request,
        school_id=request.school_id,
        changes={"url": request.url},
    )
    return request


# Remote learning platforms and AI tools -----------------------------------------------------------------------


def _review_problem(review_on: dt.date | None) -> str | None:
    if review_on is None or review_on <= timezone.localdate():
        return "Choose a review date in the future."
    return None


def _check_approval(review_on: dt.date | None, **fields: str) -> dt.date:
    """Every part of the assessment is needed, and a review date ahead; all the problems are reported at once."""
    errors = {name: "This is needed for the assessment." for name, value in fields.items() if not str(value).strip()}
    problem = _review_problem(review_on)
    if problem:
        errors["review_on"] = problem
    if errors or review_on is None:
        raise ValidationError(errors)
    return review_on


@transaction.atomic
def remote_learning_submit(
    *,
    actor: User,
    school: School,
    platform: str,
    purpose: str,
    year_groups: str,
    data_protection: str,
    age_limits: str,
    risks: str,
    review_on: dt.date | None,
) -> RemoteLearningAssessment:
    """A risk assessment for using an app or social platform for remote learning, for approval."""
    _staff_at(actor, school)
    review_on = _check_approval(
        review_on,
        platform=platform,
        purpose=purpose,
        year_groups=year_groups,
        data_protection=data_protection,
        age_limits=age_limits,
        risks=risks,
    )
    item = RemoteLearningAssessment.objects.create(
        trust=school.trust,
        school=school,
        platform=platform.strip(),
        purpose=purpose.strip(),
        year_groups=year_groups.strip(),
        data_protection=data_protection.strip(),
        age_limits=age_limits.strip(),
        risks=risks.strip(),
        review_on=review_on,
        submitted_by=actor,
    )
    audit_record(actor=actor, action="remote_learning.submit", obj=item, school_id=school.pk)
    return item


@transaction.atomic
def ai_tool_submit(
    *,
    actor: User,
    school: School,
    tool: str,
    purpose: str,
    data_shared: str,
    age_restrictions: str,
    risks: str,
    review_on: dt.date | None,
) -> AiToolApproval:
    """A request to approve an AI tool for use at the school."""
    _staff_at(actor, school)
    review_on = _check_approval(
        review_on, tool=tool, purpose=purpose, data_shared=data_shared, age_restrictions=age_restrictions, risks=risks
    )
    item = AiToolApproval.objects.create(
        trust=school.trust,
        school=school,
        tool=tool.strip(),
        purpose=purpose.strip(),
        data_shared=data_shared.strip(),
        age_restrictions=age_restrictions.strip(),
        risks=risks.strip(),
        review_on=review_on,
        submitted_by=actor,
    )
    audit_record(actor=actor, action="ai_tool.submit", obj=item, school_id=school.pk)
    return item


APPROVERS: dict[type, tuple[Action, str]] = {
    RemoteLearningAssessment: (Action.APPROVE_REMOTE_LEARNING, "remote_learning"),
    AiToolApproval: (Action.APPROVE_AI_TOOL, "ai_tool"),
}


def approvers_for(item: Approval) -> Approvers:
    """Who the policy says approves this kind of item: one role, all_of or any_of."""
    rules = item.trust.policy.registers
    return rules.remote_learning_approver if isinstance(item, RemoteLearningAssessment) else rules.ai_tools_approver


@transaction.atomic
def approval_decide(
    *, actor: User, item: Approval, approve: bool, note: str, review_on: dt.date | None = None
) -> Approval:
    """The approvers the policy names (`registers.remote_learning_approver`, `registers.ai_tools_approver`) decide a
    remote learning assessment or an AI tool; never the person who submitted it. With all_of ("the CEO and the
    headteacher") each role signs and the item waits until the last has; with any_of the first signature approves.
    Any one of them may decline. The review date may be brought forward or put back."""
    action, name = APPROVERS[type(item)]
    require(actor, action, item.school)
    _not_the_asker(actor, item.submitted_by_id, "request")
    if not note.strip():
        raise ValidationError({"note": "Write a note: the conditions of approval, or why not."})
    item.status = type(item)._default_manager.select_for_update().values_list("status", flat=True).get(pk=item.pk)
    if item.status != ApprovalStatus.SUBMITTED:
        raise ValidationError(f"This has already been decided: {item.get_status_display().lower()}.")
    if review_on is not None:
        problem = _review_problem(review_on)
        if problem:
            raise ValidationError({"review_on": problem})
        item.review_on = review_on
    if approve:
        signed = approval_sign(
            actor=actor,
            subject=item,
            approvers=approvers_for(item),
            school=item.school,
            audit_action=f"{name}.sign",
            note=note.strip(),
        )
        if not signed.complete:
            item.save(update_fields=["review_on"])
            return item
    move(item, ApprovalStatus.APPROVED if approve else ApprovalStatus.DECLINED, transitions=APPROVAL_TRANSITIONS)
    item.decided_by, item.decided_at, item.decision_note = actor, timezone.now(), note.strip()
    item.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "review_on"])
    audit_record(
        actor=actor,
        action=f"{name}.{'approve' if approve else 'decline'}",
        obj=item,
        school_id=item.school_id,
        changes={"review_on": item.review_on},
    )
    return item
