"""Every change to the trust, its schools and its people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from safesocial import hooks
from safesocial.audit.services import audit_record
from safesocial.permissions import Action, require

from .models import ParentCarer, Pupil, PupilParent, RoleAssignment, School, Trust, User
from .roles import TRUST_ONLY_ROLES, ExtraRole, Role


@dataclass(frozen=True)
class RoleSpec:
    role: Role | str
    school: School | None = None


def declared_roles(trust: Trust) -> dict[str, str]:
    """The trust's own roles (policy `roles:`), key to label; none while the trust has no policy yet."""
    try:
        return trust.policy.role_labels()
    except LookupError:
        return {}


def _parse_role(value: str | Role, trust: Trust) -> Role | ExtraRole:
    """One of SafeSocial's roles, or one the trust's policy declares (a line manager, the PA to the CEO)."""
    if isinstance(value, Role):
        return value
    try:
        return Role(value)
    except ValueError:
        pass
    declared = declared_roles(trust)
    if value in declared:
        return ExtraRole(value, declared[value])
    raise ValidationError(
        f"'{value}' is not a role SafeSocial knows or the trust's policy declares; choose from "
        f"{', '.join([*(r.value for r in Role), *declared])}"
    )


def _check_actor(actor: User | None, action: Action, school: School | None) -> None:
    """None is the server operator at the command line, who already holds the keys to everything."""
    if actor is not None:
        require(actor, action, school)


def staff_create(
    *,
    actor: User | None,
    trust: Trust,
    email: str,
    full_name: str,
    job_title: str = "",
    roles: Iterable[RoleSpec],
    password: str | None = None,
) -> User:
    """Add a member of staff with their roles. The email must be new: one person, one account."""
    specs = [(_parse_role(spec.role, trust), spec.school) for spec in roles]
    if not specs:
        raise ValidationError("a member of staff needs at least one role")
    for _, school in specs:
        _check_actor(actor, Action.MANAGE_STAFF, school)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(f"{email} already belongs to someone: each person has one account")
    with transaction.atomic():
        user = User(email=email, full_name=full_name.strip(), job_title=job_title.strip(), trust=trust)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()  # they sign in with their school account or set a password by email
        user.save()
        audit_record(
            actor=actor,
            action="staff.create",
            obj=user,
            changes={"email": email, "full_name": user.full_name, "job_title": user.job_title},
        )
        for role, school in specs:
            _grant(actor=actor, user=user, trust=trust, role=role, school=school)
    return user


def _grant(
    *, actor: User | None, user: User, trust: Trust, role: Role | ExtraRole, school: School | None
) -> RoleAssignment:
    if role in TRUST_ONLY_ROLES and school is not None:
        raise ValidationError(f"{role.label} is a trust-wide role, not held at one school")
    if school is not None and school.trust_id != trust.pk:
        raise ValidationError(f"{school} is not a school of {trust}")
    if RoleAssignment.objects.filter(user=user, school=school, role=role).exists():
        raise ValidationError(f"{user} already holds {role.label} {'at ' + str(school) if school else 'trust-wide'}")
    assignment = RoleAssignment.objects.create(user=user, trust=trust, school=school, role=role)
    audit_record(
        actor=actor,
        action="role.grant",
        obj=assignment,
        school_id=school.pk if school else None,
        changes={"user": user.email, "role": role.value, "school": school.key if school else None},
    )
    return assignment


def role_grant(*, actor: User | None, user: User, role: str | Role, school: School | None) -> RoleAssignment:
    """Give a member of staff a role at a school, or trust-wide."""
    _check_actor(actor, Action.MANAGE_STAFF, school)
    if user.trust is None:
        raise ValidationError(f"{user} is not on the staff of a trust")
    parsed = _parse_role(role, user.trust)
    with transaction.atomic():
        assignment = _grant(actor=actor, user=user, trust=user.trust, role=parsed, school=school)
    for cached in ("_safesocial_roles", "_safesocial_concern_scope"):  # read once per request; no longer true
        user.__dict__.pop(cached, None)
    return assignment


def role_revoke(*, actor: User | None, assignment: RoleAssignment) -> None:
    """Remove a role. A school is never left without a designated safeguarding lead."""
    _check_actor(actor, Action.MANAGE_STAFF, assignment.school)
    if actor is not None and assignment.user_id == actor.pk and assignment.role in {Role.CEO, Role.HEAD}:
        raise PermissionDenied("leaders cannot remove their own leadership role; ask another leader")
    with transaction.atomic():
        if assignment.role == Role.DSL and assignment.school_id is not None:
            others = (
                RoleAssignment.objects.select_for_update()
                .filter(school_id=assignment.school_id, role=Role.DSL, user__is_active=True)
                .exclude(pk=assignment.pk)
            )
            if not others.exists():
                raise ValidationError(
                    f"{assignment.school} would have no designated safeguarding lead: appoint another first"
                )
        audit_record(
            actor=actor,
            action="role.revoke",
            obj=assignment,
            school_id=assignment.school_id,
            changes={"user": assignment.user.email, "role": assignment.role},
        )
        assignment.delete()


def school_create(*, actor: User | None, trust: Trust, key: str, name: str, urn: str = "", phase: str = "") -> School:
    if School.objects.filter(trust=trust, key=key).exists():
        raise ValidationError(f"{trust} already has a school with key '{key}'")
    _check_actor(actor, Action.ADOPT_POLICY, None)
    with transaction.atomic():
        school = School.objects.create(trust=trust, key=key, name=name, urn=urn or "", phase=phase or "primary")
        audit_record(actor=actor, action="school.create", obj=school, school_id=school.pk, changes={"name": name})
    return school


def pupil_create(
    *,
    actor: User | None,
    school: School,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    year_group: str,
    class_name: str = "",
    mis_id: str = "",
    preferred_name: str = "",
    source: str = "",
) -> Pupil:
    """Every pupil record starts here, typed in or imported from the school's MIS (`source` says which)."""
    _check_actor(actor, Action.MANAGE_PUPILS, school)
    with transaction.atomic():
        pupil = Pupil.objects.create(
            school=school,
            first_name=first_name,
            last_name=last_name,
            preferred_name=preferred_name,
            date_of_birth=date_of_birth,
            year_group=year_group,
            class_name=class_name,
            mis_id=mis_id,
        )
        # Audit entries name the record, never the child: the trail is read more widely than pupil records.
        audit_record(
            actor=actor,
            action="pupil.create",
            obj=pupil,
            label=f"pupil {pupil.pk}",
            school_id=school.pk,
            changes={"year_group": year_group, "class_name": class_name, **({"source": source} if source else {})},
        )
        # A staff member may have declared a friendship with this child before they joined: registers asks them to
        # link it.
        hooks.PUPIL_CREATED.call(pupil=pupil)
    return pupil


PUPIL_FIELDS = ("first_name", "last_name", "preferred_name", "date_of_birth", "year_group", "class_name", "on_roll")


def pupil_update(*, actor: User | None, pupil: Pupil, source: str = "", **values: Any) -> list[str]:
    """Bring a pupil's record up to date with `values` (any of PUPIL_FIELDS). Returns the fields that changed: none
    means nothing was written or audited. The audit entry names the fields, not their values (personal data)."""
    unknown = set(values) - set(PUPIL_FIELDS)
    if unknown:
        raise TypeError(f"pupil_update() cannot change {sorted(unknown)}")
    _check_actor(actor, Action.MANAGE_PUPILS, pupil.school)
    changed = [name for name, value in values.items() if getattr(pupil, name) != value]
    if not changed:
        return []
    with transaction.atomic():
        for name in changed:
            setattr(pupil, name, values[name])
        pupil.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="pupil.update",
            obj=pupil,
            label=f"pupil {pupil.pk}",
            school_id=pupil.school_id,
            changes={"fields": changed, **({"source": source} if source else {})},
        )
    return changed


def parent_create(
    *,
    actor: User | None,
    trust: Trust,
    full_name: str,
    pupils: Iterable[tuple[Pupil, str]],
    email: str = "",
    phone: str = "",
) -> ParentCarer:
    links = list(pupils)
    for pupil, _ in links:
        _check_actor(actor, Action.MANAGE_PUPILS, pupil.school)
    with transaction.atomic():
        parent = ParentCarer.objects.create(trust=trust, full_name=full_name, email=email, phone=phone)
        for pupil, relationship in links:
            PupilParent.objects.create(pupil=pupil, parent=parent, relationship=relationship)
        audit_record(
            actor=actor,
            action="parent.create",
            obj=parent,
            label=f"parent/carer {parent.pk}",
            changes={"pupils": [p.pk for p, _ in links]},
        )
        # A staff member may have declared a friendship with this family before it joined: registers asks them to
        # link it.
        hooks.PARENT_LINKED.call(parent=parent)
    return parent
