"""Reads that depend on who is asking. Anything a user may not see is missing (404), not forbidden."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from safesocial.permissions import Action, held_roles, may, roles_at, schools_where

from .models import ParentCarer, Pupil, RoleAssignment, School, User
from .roles import MFA_REQUIRED_ROLES, Role


def _authenticators(user: User) -> QuerySet:
    from allauth.mfa.models import Authenticator  # allauth's models load only once the app registry is ready

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)


def requires_two_factor(user: User) -> bool:
    """Whether the user holds a role the trust's accounts must protect with an authenticator (built in, or a trust's
    own role acting as one), from the roles the request loads once for every permission check."""
    return any(role in MFA_REQUIRED_ROLES for _, role in held_roles(user))


def has_two_factor(user: User) -> bool:
    return _authenticators(user).exists()


def two_factor_missing(user: User) -> bool:
    """requires_two_factor(user) and not has_two_factor(user). RequireTwoFactorMiddleware asks it on every page a
    signed-in person opens: only a leader's costs a query of its own (their authenticator)."""
    return requires_two_factor(user) and not has_two_factor(user)


def schools_for(user: User) -> QuerySet[School]:
    return schools_where(user, Action.VIEW_SCHOOL).select_related("trust")


def school_for(user: User, key: str) -> School:
    school = schools_for(user).filter(key=key).first()
    if school is None:
        raise Http404("No such school")
    return school


def staff_for(user: User, school: School | None = None) -> QuerySet[User]:
    """Colleagues at the schools the user can see (and trust-wide staff), with their roles."""
    if user.trust_id is None:
        return User.objects.none()
    visible = schools_where(user, Action.VIEW_STAFF)
    qs = User.objects.filter(trust_id=user.trust_id, is_active=True)
    if school is not None:
        qs = qs.filter(Q(role_assignments__school=school) | Q(role_assignments__school__isnull=True))
    else:
        qs = qs.filter(Q(role_assignments__school__in=visible) | Q(role_assignments__school__isnull=True))
    return qs.distinct().prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("school"))
    )


def staff_member_for(user: User, pk: int) -> User:
    member = staff_for(user).filter(pk=pk).first()
    if member is None:
        raise Http404("No such member of staff")
    return member


def pupils_for(user: User, school: School) -> QuerySet[Pupil]:
    if not may(user, Action.VIEW_PUPILS, school):
        raise Http404("No such school")
    return Pupil.objects.filter(school=school, on_roll=True)


def pupil_for(user: User, pk: int) -> Pupil:
    if user.trust_id is None:
        raise Http404("No such pupil")
    pupil = Pupil.objects.select_related("school__trust").filter(pk=pk, school__trust_id=user.trust_id).first()
    if pupil is None or not may(user, Action.VIEW_PUPILS, pupil.school):
        raise Http404("No such pupil")
    return pupil


def parents_of(pupil: Pupil) -> QuerySet[ParentCarer]:
    return pupil.parents.order_by("pupilparent__priority", "full_name")


def school_summaries(user: User) -> list[dict]:
    """Each visible school with its counts; pupil numbers only where the user may see pupils."""
    # Each count in its own subquery: counted through one double join, every pupil row meets every role row.
    pupils = Pupil.objects.filter(school=OuterRef("pk"), on_roll=True).values("school").annotate(n=Count("pk"))
    staff = (
        RoleAssignment.objects.filter(school=OuterRef("pk")).values("school").annotate(n=Count("user", distinct=True))
    )
    schools = schools_for(user).annotate(
        pupil_count=Coalesce(Subquery(pupils.values("n")), 0),
        staff_count=Coalesce(Subquery(staff.values("n")), 0),
    )
    out = []
    for school in schools:
        out.append(
            {
                "school": school,
                "staff_count": school.staff_count,
                "pupil_count": school.pupil_count if may(user, Action.VIEW_PUPILS, school) else None,
                "roles": sorted(roles_at(user, school)),
            }
        )
    return out


def trust_figures(trust) -> dict[str, int]:
    """The trust's size on the dashboard: staff with a role anywhere in it, and pupils on roll."""
    return {
        "staff": RoleAssignment.objects.filter(trust=trust).values("user").distinct().count(),
        "pupils": Pupil.objects.filter(school__trust=trust, on_roll=True).count(),
    }


def schools_without_dsl(schools: list[School]) -> list[School]:
    """Of these schools, those where no active member of staff holds the DSL role (the policy requires one)."""
    return list(
        School.objects.filter(pk__in=[s.pk for s in schools])
        .annotate(dsls=Count("roles", filter=Q(roles__role=Role.DSL, roles__user__is_active=True)))
        .filter(dsls=0)
    )


def _safeguarding_team() -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(role__in=["dsl", "deputy_dsl"], user__is_active=True)
        .select_related("user")
        .order_by("role", "user__full_name")
    )


def safeguarding_contacts(school: School) -> QuerySet[RoleAssignment]:
    return _safeguarding_team().filter(school=school)


def safeguarding_contacts_at(schools: list[School]) -> dict[School, list[RoleAssignment]]:
    """The DSLs and deputies of each school, in one query however many schools a trust-wide role sees."""
    by_school: dict[int | None, list[RoleAssignment]] = {s.pk: [] for s in schools}
    for assignment in _safeguarding_team().filter(school__in=schools):
        by_school[assignment.school_id].append(assignment)
    return {s: by_school[s.pk] for s in schools}
