"""Reads that depend on who is asking. An escalation is seen only by those who manage the ladder at its school;
to everyone else it does not exist (404)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from safesocial.dashboard import DashboardItem
from safesocial.people.models import ParentCarer, School, User
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
    """Parents and carers of pupils at the schools where the user manages escalations."""
    return (
        ParentCarer.objects.filter(pupils__school__in=schools_managed(user), pupils__on_roll=True)
        .distinct()
        .order_by("full_name", "pk")
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
    items = []
    url = reverse("escalation:index")
    if counts["proposed"]:
        n = counts["proposed"]
        items.append(
            DashboardItem(
                title="Parent escalations proposed",
                text=f"{n} proposed escalation{'s' if n != 1 else ''} wait{'' if n != 1 else 's'} for a decision.",
                url=url + "#proposed",
                link_text="See proposed escalations",
                tone="warn",
                count=n,
            )
        )
    n = counts["open"]
    items.append(
        DashboardItem(
            title="Parent escalations",
            text=f"{n} escalation{'s are' if n != 1 else ' is'} open." if n else "No escalation is open.",
            url=url,
            link_text="See the escalations",
            tone="" if n else "ok",
            count=n,
        )
    )
    return items
