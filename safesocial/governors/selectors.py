"""Reads that depend on who is asking: which reports a person may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from safesocial.hooks import DashboardItem
from safesocial.people.models import School, User
from safesocial.people.roles import Role
from safesocial.permissions import Action, is_trust_wide, schools_where

from . import periods


def may_see_trust_report(user: User) -> bool:
    """Trust-wide governors, trustees, the CEO and trust-wide safeguarding leads see the whole trust."""
    return bool(user.is_authenticated and user.trust_id and is_trust_wide(user, Action.VIEW_REPORTS))


def report_schools_for(user: User) -> QuerySet[School]:
    """The schools whose report the user may read: a head or a school's governor sees their own school."""
    if not user.is_authenticated or user.trust_id is None:
        return School.objects.none()
    return schools_where(user, Action.VIEW_REPORTS).order_by("name")


def report_scope_for(user: User, school_key: str) -> School | None:
    """The school a report is for (None: the whole trust), or 404 for a report the user may not see."""
    if not school_key:
        if may_see_trust_report(user):
            return None
        raise Http404("No such report")
    school = report_schools_for(user).filter(key=school_key).first()
    if school is None:
        raise Http404("No such report")
    return school


def dashboard_items(user: User) -> list[DashboardItem]:
    """Governors and trustees are pointed at this term's report (one query)."""
    if not user.is_authenticated or user.trust_id is None:
        return []
    if not user.role_assignments.filter(role=Role.GOVERNOR).exists():
        return []
    term = periods.current_term(timezone.localdate())
    return [
        DashboardItem(
            title="Governors' report",
            text=f"How the social media policy is working: the figures for the {term.label.lower()} so far.",
            url=reverse("governors:index") + f"?period={term.key}",
            link_text="Read the report",
        )
    ]
