"""What consent shows on another app's page: the consents of one pupil, on the pupil's page (hooks.PUPIL_PANELS)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from safesocial.people.models import ParentCarer, Pupil
from safesocial.permissions import Action, may

from . import services
from .forms import ConsentForm
from .models import PURPOSE_SHORT, Consent, Purpose
from .selectors import consents_for, in_force


def parent_link(request: HttpRequest, parent: ParentCarer) -> str:
    return request.build_absolute_uri(reverse("consent:parent", args=[services.parent_link_token(parent)]))


def pupil_consent(request: HttpRequest, pupil: Pupil) -> str:
    records = consents_for([pupil]).get(pupil.pk, {})
    manages = may(request.user, Action.MANAGE_PUPILS, pupil.school)
    context = {
        "pupil": pupil,
        "consent_rows": [
            (p, label, PURPOSE_SHORT[Purpose(p)], records.get(p), in_force(records, p)) for p, label in Purpose.choices
        ],
        "consent_history": Consent.objects.filter(pupil=pupil).select_related("parent", "recorded_by")[:30],
        "consent_form": ConsentForm(parents=pupil.parents.all()) if manages else None,
        "can_enrol_face": (
            pupil.school.trust.policy.consent.face_matching and in_force(records, Purpose.BIOMETRIC) and manages
        ),
        "has_reference": hasattr(pupil, "reference_photo"),
        "parent_links": [(p, parent_link(request, p)) for p in pupil.parents.all()] if manages else [],
    }
    return render_to_string("consent/_pupil_panel.html", context, request)
