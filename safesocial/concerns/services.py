"""Raising safeguarding concerns. Notifications say that there is a concern and link to it; never its content."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse

from safesocial.audit.services import audit_record
from safesocial.people.models import RoleAssignment, School, Trust
from safesocial.permissions import Action, allowed_roles

from .models import Concern


def _receivers(trust: Trust, school: School | None) -> list[str]:
    roles = allowed_roles(Action.RECEIVE_CONCERNS, trust.policy)
    trust_lead = trust.policy.concerns.trust_lead
    qs = RoleAssignment.objects.filter(trust=trust, user__is_active=True)
    at_school = qs.filter(school=school, role__in=list(roles)) if school else qs.none()
    lead = qs.filter(school__isnull=True, role=trust_lead) if trust_lead else qs.none()
    return sorted(
        set(at_school.values_list("user__email", flat=True)) | set(lead.values_list("user__email", flat=True))
    )


@transaction.atomic
def concern_raise_from_comment(*, trust: Trust, school: School | None, kind: str, summary: str) -> Concern:
    """Policy: anything suggesting a child may be at risk goes to the DSL of that school (and the trust's lead)."""
    concern = Concern.objects.create(trust=trust, school=school, kind=kind, summary=summary)
    audit_record(
        actor="SafeSocial moderation",
        action="concern.raise",
        obj=concern,
        school_id=concern.school_id,
        changes={"kind": kind},
    )
    link = settings.SITE_ROOT + reverse("concerns:detail", args=[concern.pk])
    emails = _receivers(trust, school)
    body = f"A new safeguarding concern needs your attention.\n\nOpen it in SafeSocial: {link}\n"
    transaction.on_commit(
        lambda: send_mass_mail([("A new safeguarding concern", body, None, [e]) for e in emails], fail_silently=True)
    )
    return concern
