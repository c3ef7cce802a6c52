"""Reads that depend on who is asking. An escalation is seen only by those who manage the ladder at its school;
to everyone else it does not exist (404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from safesocial.hooks import DashboardItem
from safesocial.people.models import ParentCarer, Pupil, School, Trust, User
from safesocial.permissions import Action, schools_where

from .models import Escalation, EscalationStatus, StepRecord, WarningLetter


def schools_managed(user: User) -> QuerySet[School]:
    return schools_where(user, Action.MANAGE_ESCALATION)


def escalations_for(user: User) -> QuerySet[Escalation]:
    return Escalation.objects.filter(school__in=schools_managed(user)).select_related("school", "parent", "trust")


def escalation_for(user: User, pk: int) -> Escalation:
    escalation = escalations_for(user).filter(pk=pk).first()
    if escalation is None:
        raise Http404("No such escalation")
    return escalation


def escalations_for_concern(user: User, concern) -> QuerySet[Escalation]:
    """The escalations started from this concern that the user may see (for the concern's page)."""
    return escalations_for(user).filter(concern=concern).order_by("-started_at")


def step_record_for(user: User, escalation: Escalation, pk: int) -> StepRecord:
    record = StepRecord.objects.filter(escalation=escalation, pk=pk).select_related("escalation__school").first()
    if record is None:
        raise Http404("No such record")
    return record


def letter_for(user: User, escalation: Escalation, pk: int) -> WarningLetter:
    letter = WarningLetter.objects.filter(escalation=escalation, pk=pk).select_related("escalation__school").first()
    if letter is None:
        raise Http404("No such letter")
    return letter


def parents_at(user: User) -> QuerySet[ParentCarer]:
    """Parents and carers of pupils at the schools where the user manages escalations, each with those children
    (prefetched as `children`), so two parents of the same name can be told apart."""
    schools = schools_managed(user)
    children = Pupil.objects.filter(school__in=schools, on_roll=True).order_by("last_name", "first_name", "pk")
    return (
        ParentCarer.objects.filter(pupils__school__in=schools, pupils__on_roll=True)
        .distinct()
        .order_by("full_name", "pk")
        .prefetch_related(Prefetch("pupils", queryset=children, to_attr="children"))
    )


@dataclass
class Rung:
    key: str
    title: str
    description: str
    state: str  # "done", "next" or "later"
    records: list[StepRecord] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return {"done": "Done", "next": "Next step", "later": "Not yet"}[self.state]


def ladder(escalation: Escalation, records: list[StepRecord]) -> list[Rung]:
    """The policy's steps in order, each marked done, next (the first not done) or not yet."""
    by_key: dict[str, list[StepRecord]] = {}
    for record in records:
        by_key.setdefault(record.step_key, []).append(record)
    rungs: list[Rung] = []
    next_found = escalation.status == EscalationStatus.CLOSED
    for step in escalation.trust.policy.parents.escalation:
        done = step.key in by_key
        state = "done" if done else ("later" if next_found else "next")
        if state == "next":
            next_found = True
        rungs.append(Rung(step.key, step.title, step.description, state, by_key.get(step.key, [])))
    return rungs


def dashboard_items(user: User) -> list[DashboardItem]:
    schools = schools_managed(user)
    if not schools.exists():
        return []
    counts = Escalation.objects.filter(school__in=schools).aggregate(
        proposed=Count("pk", filter=Q(status=EscalationStatus.PROPOSED)),
        open=Count("pk", filter=Q(status=EscalationStatus.OPEN)),
    )
    # One card: the proposals first (they wait for a decision), then what is open. The card shows the count as
    # its figure and the text carries on from it.
    url = reverse("escalation:index")
    proposed, open_ = counts["proposed"], counts["open"]
    if proposed:
        text = f"proposed escalation{'s wait' if proposed != 1 else ' waits'} for your decision."
        if open_:
            text += f" {open_} {'are' if open_ != 1 else 'is'} open."
        return [
            DashboardItem(
                title="Parent escalations",
                text=text,
                url=url + "#proposed",
                link_text="See proposed escalations",
                tone="warn",
                count=proposed,
            )
        ]
    if open_:
        return [
            DashboardItem(
                title="Parent escalations",
                text=f"escalation{'s are' if open_ != 1 else ' is'} open.",
                url=url,
                link_text="See the escalations",
                count=open_,
            )
        ]
    return [
        DashboardItem(
            title="Parent escalations",
            text="No escalation is open.",
            url=url,
            link_text="See the escalations",
            tone="ok",
        )
    ]


# For the governors' report: counts only, never a parent, carer or account -----------------------------------------


def escalations_started(trust: Trust, school: School | None, start: dt.datetime, end: dt.datetime):
    """Escalations begun between start and end (at one school, or all), as (school_id, status, n) rows."""
    started = Escalation.objects.filter(trust=trust, started_at__gte=start, started_at__lt=end)
    if school is not None:
        started = started.filter(school=school)
    return started.values("school_id", "status").annotate(n=Count("pk")).order_by()


def steps_taken(trust: Trust, school: School | None, first: dt.date, last: dt.date) -> dict[str, int]:
    """How many times each step of the ladder was taken from `first` to `last`, by the step's key. A corrected record
    counts once, as its correction says."""
    steps = StepRecord.objects.filter(
        escalation__trust=trust, taken_on__gte=first, taken_on__lte=last, corrections__isnull=True
    )
    if school is not None:
        steps = steps.filter(escalation__school=school)
    return {row["step_key"]: row["n"] for row in steps.values("step_key").annotate(n=Count("pk")).order_by()}


def letter_signatory(user: User, escalation: Escalation) -> tuple[str, str]:
    """Who a warning letter is signed by, as the letter form first offers it: the signatory the policy names
    (`parents.warning_letter_signatory`), else the person making it with their job title (else their role here)."""
    named = escalation.trust.policy.parents.warning_letter_signatory
    if named is not None:
        return named.name, named.job_title
    if user.job_title:
        return user.full_name, user.job_title
    role = (
        user.role_assignments.filter(Q(school=escalation.school) | Q(school__isnull=True))
        .order_by("school_id", "pk")
        .first()
    )
    return user.full_name, role.role_label if role is not None else ""
