"""What escalation shows on another app's page: the parent escalations started from a concern, on the concern's page
(hooks.CONCERN_PANELS)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from safesocial.concerns.models import Concern
from safesocial.permissions import Action, may

from .selectors import escalations_for_concern


def concern_escalations(request: HttpRequest, concern: Concern) -> str:
    """A parent's or community member's post goes up the policy's escalation ladder from the concern's page."""
    if not concern.trust.policy.parents.escalation:
        return ""
    context = {
        "concern": concern,
        "escalations": list(escalations_for_concern(request.user, concern)),
        "can_start_escalation": may(request.user, Action.MANAGE_ESCALATION, concern.school),
    }
    return render_to_string("escalation/_concern_panel.html", context, request)
