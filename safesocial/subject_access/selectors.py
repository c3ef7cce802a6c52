"""Who may see subject access requests, and which: those who receive safeguarding concerns at the request's school
under the trust's policy (its concern receivers and trust lead), never the person the request is about."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from safesocial.audit.services import audit_record
from safesocial.people.models import ParentCarer, Pupil, School, User
from safesocial.people.selectors import staff_for
from safesocial.permissions import Action, schools_where

from .models import SubjectAccessRequest


def schools_handling(user: User) -> QuerySet[School]:
    """The schools whose subject access requests this person handles."""
    return schools_where(user, Action.RECEIVE_CONCERNS).order_by("name")


def may_handle(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and schools_handling(user).exists()


def requests_for(user: User) -> QuerySet[SubjectAccessRequest]:
    if not getattr(user, "is_authenticated", False) or user.trust_id is None:
        return SubjectAccessRequest.objects.none()
    return (
        SubjectAccessRequest.objects.filter(trust_id=user.trust_id, school__in=schools_handling(user))
        .exclude(staff=user)
        .select_related("school", "pupil", "parent", "staff")
    )


def request_for(user: User, pk: int, *, audit_as: str | None = "subject_access.view") -> SubjectAccessRequest:
    """One request for someone who handles it, its reading audited as `audit_as` (None when the caller audits what it
    does with it); a 404 for anyone else, audited as refused."""
    found = requests_for(user).filter(pk=pk).first()
    if found is None:
        audit_record(
            actor=user,
            action="subject_access.refused",
            object_type="subject_access.subjectaccessrequest",
            object_id=str(pk),
            label=f"Subject access request {pk}",
            changes={"tried": audit_as or "subject_access.export"},
        )
        raise Http404("No such request")
    if audit_as:
        audit_record(actor=user, action=audit_as, obj=found, school_id=found.school_id)
    return found


@dataclass(frozen=True)
class People:
    """Whom a request may name at the schools this person handles: the picker's choices."""

    pupils: list[Pupil]
    parents: list[ParentCarer]
    staff: list[User]


def people_for(user: User) -> People:
    if user.trust_id is None:
        return People([], [], [])
    schools = list(schools_handling(user))
    pupils = list(Pupil.objects.filter(school__in=schools).select_related("school").order_by("last_name", "first_name"))
    parents = list(
        ParentCarer.objects.filter(trust_id=user.trust_id, pupils__school__in=schools).distinct().order_by("full_name")
    )
    staff: list[User] = []
    for school in schools:
        staff += [u for u in staff_for(user, school) if u.pk != user.pk and u not in staff]
    return People(pupils, parents, sorted(staff, key=lambda u: u.full_name))
