"""The demo's subject access request: the Seabright parent whose Facebook account the demo concerns name asks what the
school holds about them, twelve days ago, so the DSL's list shows the clock running. Made through the service by the
school's DSL; running it twice adds nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safesocial.people.models import ParentCarer, RoleAssignment, Trust
from safesocial.people.roles import Role

from . import services
from .models import SubjectAccessRequest


def seed(trust: Trust) -> None:
    if SubjectAccessRequest.objects.filter(trust=trust).exists():
        return
    seabright = trust.schools.filter(key="seabright").first()
    dsl = RoleAssignment.objects.filter(school=seabright, role=Role.DSL).select_related("user").first()
    parent = ParentCarer.objects.filter(trust=trust, pupils__school=seabright).distinct().order_by("pk").first()
    if seabright is None or dsl is None or parent is None:
        return
    services.sar_create(
        actor=dsl.user,
        school=seabright,
        requester_name=parent.full_name,
        requester_relationship="The person themselves, by email",
        received_on=timezone.localdate() - dt.timedelta(days=12),
        parent=parent,
    )
