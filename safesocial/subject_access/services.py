"""Every change to a subject access request: made, marked for redaction, sent, closed. Each checks that the actor
handles requests at the school (the policy's concern receivers, `Action.RECEIVE_CONCERNS`) and is audited by ids."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safesocial.audit.services import audit_record
from safesocial.people.models import ParentCarer, Pupil, School, User
from safesocial.permissions import Action, require

from .models import (
    TRANSITIONS,
    Redaction,
    RedactionKind,
    RequestStatus,
    SubjectAccessRequest,
    SubjectKind,
    due_date,
)


def _move(sar: SubjectAccessRequest, to: str) -> None:
    if to not in TRANSITIONS[sar.status]:
        raise ValidationError(f"A request that is {sar.get_status_display().lower()} cannot be marked {to}.")
    sar.status = to


@transaction.atomic
def sar_create(
    *,
    actor: User,
    school: School,
    requester_name: str,
    requester_relationship: str,
    received_on: dt.date,
    pupil: Pupil | None = None,
    parent: ParentCarer | None = None,
    staff: User | None = None,
    platform: str = "",
    handle: str = "",
) -> SubjectAccessRequest:
    """Record a request (UK GDPR Art. 15) and start its clock: the answer is due one calendar month after receipt
    (Art. 12(3))."""
    require(actor, Action.RECEIVE_CONCERNS, school)
    named = [x for x in (pupil, parent, staff, handle.strip() or None) if x is not None]
    if len(named) != 1:
        raise ValidationError({"subject": "Choose one person, or give the handle of the account that commented."})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date received cannot be in the future."})
    if pupil is not None and pupil.school_id != school.pk:
        raise ValidationError({"subject": "That pupil is not at this school."})
    if staff is not None and staff.pk == actor.pk:
        raise PermissionDenied("A request about yourself is handled by a colleague.")
    for person in (parent, staff):
        if person is not None and person.trust_id != school.trust_id:
            raise ValidationError({"subject": "That person is not in this trust."})
    kind = (
        SubjectKind.PUPIL
        if pupil
        else SubjectKind.PARENT
        if parent
        else SubjectKind.STAFF
        if staff
        else SubjectKind.COMMENTER
    )
    sar = SubjectAccessRequest.objects.create(
        trust_id=school.trust_id,
        school=school,
        requester_name=requester_name.strip(),
        requester_relationship=requester_relationship.strip(),
        subject_kind=kind,
        pupil=pupil,
        parent=parent,
        staff=staff,
        platform=platform if kind == SubjectKind.COMMENTER else "",
        handle=handle.strip() if kind == SubjectKind.COMMENTER else "",
        received_on=received_on,
        due_on=due_date(received_on),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="subject_access.create",
        obj=sar,
        school_id=school.pk,
        changes={"subject_kind": kind, "received_on": received_on, "due_on": sar.due_on},
    )
    return sar


def _open(actor: User, sar: SubjectAccessRequest) -> None:
    require(actor, Action.RECEIVE_CONCERNS, sar.school)
    if sar.staff_id == actor.pk:
        raise PermissionDenied("A request about yourself is handled by a colleague.")
    if sar.status == RequestStatus.CLOSED:
        raise ValidationError("This request is closed.")


@transaction.atomic
def redaction_mark(*, actor: User, sar: SubjectAccessRequest, reason: str, item: str = "", name: str = "") -> Redaction:
    """Withhold one item, or black out a third party's name wherever it appears (UK GDPR Art. 15(4); DPA 2018
    Sch. 2 para 16). The reason is kept with the mark and goes into the response's list of redactions."""
    _open(actor, sar)
    if not reason.strip():
        raise ValidationError({"reason": "Say why it is redacted."})
    if bool(item) == bool(name.strip()):
        raise ValidationError("Mark either one item to withhold or one name to black out.")
    kind = RedactionKind.WITHHOLD if item else RedactionKind.NAME
    try:
        with transaction.atomic():
            mark = Redaction.objects.create(
                request=sar, kind=kind, item=item, text=name.strip(), reason=reason.strip(), marked_by=actor
            )
    except IntegrityError:
        raise ValidationError("That is already marked.") from None
    audit_record(
        actor=actor,
        action="subject_access.redact",
        obj=sar,
        school_id=sar.school_id,
        changes={"redaction": mark.pk, "kind": kind, "item": item, "reason": mark.reason},
    )
    return mark


@transaction.atomic
def redaction_remove(*, actor: User, sar: SubjectAccessRequest, pk: int) -> None:
    _open(actor, sar)
    deleted, _ = sar.redactions.filter(pk=pk).delete()
    if deleted:
        audit_record(
            actor=actor, action="subject_access.unredact", obj=sar, school_id=sar.school_id, changes={"redaction": pk}
        )


@transaction.atomic
def sar_mark_sent(*, actor: User, sar: SubjectAccessRequest, sent_on: dt.date, sent_how: str) -> SubjectAccessRequest:
    """When and how the response went (by secure email, by hand): the clock stops."""
    _open(actor, sar)
    if not sent_how.strip():
        raise ValidationError({"sent_how": "Say how and to whom it was sent."})
    if sent_on > timezone.localdate() or sent_on < sar.received_on:
        raise ValidationError({"sent_on": "The date sent must be between the date received and today."})
    _move(sar, RequestStatus.SENT)
    sar.sent_on, sar.sent_how = sent_on, sent_how.strip()
    sar.save(update_fields=["status", "sent_on", "sent_how"])
    audit_record(
        actor=actor, action="subject_access.sent", obj=sar, school_id=sar.school_id, changes={"sent_on": sent_on}
    )
    return sar


@transaction.atomic
def sar_close(*, actor: User, sar: SubjectAccessRequest, note: str = "") -> SubjectAccessRequest:
    _open(actor, sar)
    if sar.status == RequestStatus.OPEN and not note.strip():
        raise ValidationError({"note": "Say why a request that was not answered is closed."})
    _move(sar, RequestStatus.CLOSED)
    sar.closed_at, sar.close_note = timezone.now(), note.strip()
    sar.save(update_fields=["status", "closed_at", "close_note"])
    audit_record(actor=actor, action="subject_access.close", obj=sar, school_id=sar.school_id)
    return sar
