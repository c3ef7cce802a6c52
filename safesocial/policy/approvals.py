"""Signing something that the policy's approvers (`approvers.Approvers`) must approve.

The services that own the thing (registers' assessments, the policy review) lock it, check it is still waiting, and
call `approval_sign`; it records the signature in the role the signer holds, audits it, and says whether the
approval is now complete: with all_of when every role has signed, with any_of (or one role) at the first."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models

from safesocial.audit.services import audit_record
from safesocial.people.models import School, User
from safesocial.permissions import roles_at

from .approvers import Approvers
from .models import ApprovalSignature


@dataclass(frozen=True)
class Signed:
    signature: ApprovalSignature
    complete: bool
    outstanding: list[str]


def signatures(subject: models.Model) -> list[ApprovalSignature]:
    """The signatures on this thing so far, oldest first, with their signers."""
    return list(
        ApprovalSignature.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        ).select_related("user")
    )


def signed_roles(subject: models.Model) -> set[str]:
    return {s.role for s in signatures(subject)}


def may_sign(user: User, subject: models.Model, approvers: Approvers, school: School | None) -> bool:
    """Whether this user could add a signature the approval still needs."""
    already = signatures(subject)
    if any(s.user_id == user.pk for s in already):
        return False
    return bool(approvers.who_may_sign(roles_at(user, school), {s.role for s in already}))


def approval_sign(
    *,
    actor: User,
    subject: models.Model,
    approvers: Approvers,
    school: School | None,
    audit_action: str,
    note: str = "",
) -> Signed:
    """Record the actor's signature in a role the approval still needs. The caller holds the subject's lock, has
    checked that it is waiting for approval, and that the actor is not the person who asked."""
    already = signatures(subject)
    if any(s.user_id == actor.pk for s in already):
        raise PermissionDenied("You have already signed this: the policy asks for another person's signature.")
    signed = {s.role for s in already}
    roles = approvers.who_may_sign(roles_at(actor, school), signed)
    if not roles:
        raise PermissionDenied(f"The trust's policy asks {approvers.describe()} to approve this, and you cannot sign.")
    role = roles[0]
    signature = ApprovalSignature.objects.create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        role=str(role),
        user=actor,
        note=note,
    )
    now_signed = signed | {str(role)}
    outstanding = [str(r) for r in approvers.outstanding(now_signed)]
    complete = approvers.satisfied_by(now_signed)
    audit_record(
        actor=actor,
        action=audit_action,
        obj=subject,
        school_id=school.pk if school is not None else None,
        changes={"role": str(role), "complete": complete, "waiting_for": outstanding},
    )
    return Signed(signature, complete, outstanding)
