"""Demo data for the parent escalation ladder, made through its services: a Seabright parent taken through the
first two steps (a discussion, then a written warning with its letter), and a second parent whose repeatedly
hidden comments made moderation propose the first step."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safesocial.moderation.models import Offender
from safesocial.people.models import ParentCarer, RoleAssignment, Trust
from safesocial.people.roles import Role

from . import services
from .models import Escalation


def seed(trust: Trust) -> None:
    if Escalation.objects.filter(trust=trust).exists():
        return
    school = trust.schools.filter(key="seabright").first()
    ladder = trust.policy.parents.escalation
    if school is None or len(ladder) < 2:
        return
    head = RoleAssignment.objects.filter(school=school, role=Role.HEAD).select_related("user").order_by("pk").first()
    parents = list(ParentCarer.objects.filter(trust=trust, pupils__school=school).distinct().order_by("pk")[:2])
    if head is None or len(parents) < 2:
        return
    actor, parent = head.user, parents[0]
    today = timezone.localdate()
    escalation = services.escalation_start(
        actor=actor,
        school=school,
        parent=parent,
        account_platform="facebook",
        account_handle=parent.full_name,
        summary="A public post in a local community group criticising a named teacher over a class trip, "
        "with comments from other parents joining in.",
    )
    services.escalation_step_take(
        actor=actor,
        escalation=escalation,
        step_key=ladder[0].key,
        taken_on=today - dt.timedelta(days=16),
        outcome="Met in the school office. Listened to the concern about the trip and explained the complaints "
        "procedure; asked for the post to be removed. Agreed to think about it.",
    )
    services.escalation_step_take(
        actor=actor,
        escalation=escalation,
        step_key=ladder[1].key,
        taken_on=today - dt.timedelta(days=6),
        outcome="The post was still up a week later. Warning letter sent by post and email, asking for removal "
        "within seven days.",
    )
    services.warning_letter_generate(
        actor=actor,
        escalation=escalation,
        parent_name=parent.full_name,
        summary="a post in a local community Facebook group criticising a member of staff",
        incident_date=today - dt.timedelta(days=18),
        remove_by=today + dt.timedelta(days=1),
        signed_by=actor.full_name,
        job_title=actor.job_title or head.role_label,
    )
    _propose(trust, parents[1])


def _propose(trust: Trust, parent: ParentCarer) -> None:
    """Moderation would propose this when the author's comments are hidden the threshold number of times."""
    offender, _ = Offender.objects.get_or_create(
        trust=trust,
        platform="facebook_page",
        author_id="demo-fb-7741",
        defaults={
            "author_name": parent.full_name,
            "parent": parent,
            "block_proposed_at": timezone.now(),
            "escalation_step": trust.policy.parents.escalation[0].key,
        },
    )
    services.escalation_propose_from_offender(offender=offender)
