from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from safesocial.audit.services import audit_record
from safesocial.people import selectors as people
from safesocial.permissions import Action, may

from . import services
from .forms import ConsentForm, ImportForm, ParentConsentForm
from .importer import COLUMNS, CONSENT_DATE, CONSENT_HEADINGS, CONTACT_HEADINGS, ImportFailed, import_pupils
from .models import PURPOSE_SHORT, Consent, Method, Purpose
from .selectors import consents_for, coverage, in_force


@login_required
def school_overview(request: HttpRequest, key: str) -> HttpResponse:
    school = people.school_for(request.user, key)
    pupils = people.pupils_for(request.user, school).order_by("last_name", "first_name")
    purpose = request.GET.get("purpose", Purpose.SOCIAL_MEDIA)
    if purpose not in Purpose.values:
        raise Http404
    records = consents_for(pupils)
    year = request.GET.get("year", "")
    shown = [p for p in pupils if not year or p.year_group == year]
    rows = [(p, records.get(p.pk, {}).get(purpose), in_force(records.get(p.pk, {}), purpose)) for p in shown]
    missing_only = request.GET.get("show") == "missing"
    if missing_only:
        rows = [r for r in rows if not r[2]]
    return render(
        request,
        "consent/overview.html",
        {
            "school": school,
            "rows": rows,
            "coverage": coverage(pupils, purpose),
            "purpose": purpose,
            "purposes": Purpose.choices,
            "year": year,
            "missing_only": missing_only,
            "can_import": may(request.user, Action.MANAGE_PUPILS, school),
            "title": f"Consent at {school}",
        },
    )


@login_required
def import_view(request: HttpRequest, key: str) -> HttpResponse:
    school = people.school_for(request.user, key)
    if not may(request.user, Action.MANAGE_PUPILS, school):
        raise PermissionDenied("Your roles do not include changing pupil records")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = import_pupils(actor=request.user, school=school, data=form.cleaned_data["file"].read())
        except ImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                f"Imported: {result.created} new pupils, {result.updated} updated, {result.unchanged} unchanged; "
                f"{result.parents_created} new parents or carers; {result.consents_recorded} consent decisions.",
            )
            return redirect("consent:overview", key=school.key)
    return render(
        request,
        "consent/import.html",
        {
            "school": school,
            "form": form,
            "errors": errors,
            "columns": [
                *COLUMNS.values(),
                *(tuple(h.format(n=1) for h in v) for v in CONTACT_HEADINGS.values()),
                *CONSENT_HEADINGS.values(),
                CONSENT_DATE,
            ],
            "title": f"Import pupils into {school}",
        },
    )


@login_required
@require_POST
def record(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = people.pupil_for(request.user, pk)
    form = ConsentForm(request.POST, parents=pupil.parents.all())
    if not form.is_valid():
        messages.error(request, "Choose the purpose, the decision, the parent or carer, how and when.")
        return redirect("people:pupil", pk=pk)
    d = form.cleaned_data
    try:
        _, affected = services.consent_record(
            actor=request.user,
            pupil=pupil,
            purpose=d["purpose"],
            given=d["given"],
            parent=d["parent"],
            method=d["method"],
            given_on=d["given_on"],
            expires_on=d["expires_on"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        return redirect("people:pupil", pk=pk)
    if affected:
        messages.error(
            request,
            f"Consent withdrawn. {len(affected)} published post(s) relied on it: take each down or say why it stays "
            "(listed below, and on the post pages).",
        )
    else:
        messages.success(request, "Consent recorded.")
    return redirect("people:pupil", pk=pk)


def _parent_forms(parent, post_data=None):
    """One form per child; the face-matching question only where the trust has matching on."""
    children = list(parent.pupils.select_related("school").order_by("first_name"))
    records = consents_for(children)
    forms = []
    for child in children:
        current = {
            purpose: (records[child.pk][purpose].given if purpose in records.get(child.pk, {}) else None)
            for purpose in Purpose.values
        }
        matching = child.school.trust.policy.consent.face_matching
        forms.append(
            (child, ParentConsentForm(post_data, current=current, prefix=f"c{child.pk}", face_matching=matching))
        )
    return forms


@never_cache
@csrf_protect
def parent_page(request: HttpRequest, token: str) -> HttpResponse:
    """A parent's own page, reached from a signed link: no account needed."""
    try:
        parent = services.parent_from_token(token)
    except PermissionDenied as exc:
        return render(
            request, "consent/parent_invalid.html", {"message": str(exc), "title": "Link not valid"}, status=403
        )
    forms = _parent_forms(parent, request.POST or None)
    if request.method == "POST" and all(f.is_valid() for _, f in forms):
        changes = 0
        for child, form in forms:
            for purpose in form.fields:
                choice = form.cleaned_data.get(purpose)
                if not choice or choice == form.fields[purpose].initial:
                    continue
                services.consent_record(
                    actor=None,
                    pupil=child,
                    purpose=purpose,
                    given=choice == "yes",
                    method=Method.ONLINE,
                    parent_acting=parent,
                )
                changes += 1
        messages.success(
            request,
            f"Thank you. {changes} choice{'s' if changes != 1 else ''} saved." if changes else "Nothing changed.",
        )
        return redirect("consent:parent", token=token)
    audit_record(
        actor=f"parent/carer {parent.pk}", action="consent.parent_view", obj=parent, label=f"parent/carer {parent.pk}"
    )
    return render(request, "consent/parent.html", {"parent": parent, "forms": forms, "title": "Your consent choices"})


def parent_link(request: HttpRequest, parent) -> str:
    return request.build_absolute_uri(reverse("consent:parent", args=[services.parent_link_token(parent)]))


def pupil_consent_context(request: HttpRequest, pupil) -> dict:
    """What the pupil page shows about consent (the pupil page lives in people/)."""
    records = consents_for([pupil]).get(pupil.pk, {})
    from .selectors import published_posts_featuring

    return {
        "consent_rows": [
            (p, label, PURPOSE_SHORT[Purpose(p)], records.get(p), in_force(records, p)) for p, label in Purpose.choices
        ],
        "consent_history": Consent.objects.filter(pupil=pupil).select_related("parent", "recorded_by")[:30],
        "consent_form": ConsentForm(parents=pupil.parents.all())
        if may(request.user, Action.MANAGE_PUPILS, pupil.school)
        else None,
        "featured_posts": published_posts_featuring(pupil),
        "can_enrol_face": (
            pupil.school.trust.policy.consent.face_matching
            and in_force(records, Purpose.BIOMETRIC)
            and may(request.user, Action.MANAGE_PUPILS, pupil.school)
        ),
        "has_reference": hasattr(pupil, "reference_photo"),
        # A withdrawal or expiry leaves published posts that may need taking down.
        # Posts that show or name the child without the consent that way needs: candidates to take down.
        "featured_alarm": (
            (not in_force(records, Purpose.SOCIAL_MEDIA) and published_posts_featuring(pupil).exists())
            or (not in_force(records, Purpose.NAME_WITH_PHOTO) and published_posts_featuring(pupil, "named").exists())
        ),
        "parent_links": [(p, parent_link(request, p)) for p in pupil.parents.all()]
        if may(request.user, Action.MANAGE_PUPILS, pupil.school)
        else [],
    }


@login_required
@require_POST
def enrol_reference(request: HttpRequest, pk: int) -> HttpResponse:
    """A reference face for match suggestions, from one photo with one face. Only the face's numbers are kept."""
    from safesocial.publishing.images import FaceMatcher, ImageRejected, MatchingUnavailable, detect_faces, sanitise

    pupil = people.pupil_for(request.user, pk)
    upload = request.FILES.get("photo")
    try:
        if upload is None:
            raise ValidationError("Choose a photo with only this child's face in it.")
        clean = sanitise(upload.read())
        # Weak detections (a round badge, a pattern) do not count against a clear single face.
        faces = [f for f in detect_faces(clean.data) if f.score >= 0.5]
        if len(faces) != 1:
            raise ValidationError(f"The photo must show one face; SafeSocial found {len(faces)}.")
        face = faces[0]
        embedding = FaceMatcher().embed(clean.data, (face.x, face.y, face.w, face.h))
        services.reference_enrol(actor=request.user, pupil=pupil, embedding=embedding)
    except ImageRejected as exc:
        messages.error(request, str(exc))
    except MatchingUnavailable as exc:
        messages.error(request, str(exc))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, "Reference face enrolled. The photo itself was not kept.")
    return redirect("people:pupil", pk=pk)
