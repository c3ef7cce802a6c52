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
from safesocial.images import FaceMatcher, ImageRejected, MatchingUnavailable, detect_faces, sanitise
from safesocial.people import selectors as people
from safesocial.permissions import Action, may
from safesocial.views_kit import run_service

from . import services
from .forms import ConsentForm, ImportForm, ParentConsentForm
from .importer import COLUMNS, CONSENT_DATE, CONSENT_HEADINGS, CONTACT_HEADINGS, ImportFailed, import_pupils
from .models import Method, Purpose
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

    def recorded(result) -> str | None:
        _, affected = result
        if not affected:
            return "Consent recorded."
        messages.error(
            request,
            f"Consent withdrawn. {len(affected)} published {'post' if len(affected) == 1 else 'posts'} relied on it: "
            f"take {'it' if len(affected) == 1 else 'each'} down or say why it stays (listed below, and on the post "
            "pages).",
        )
        return None

    return run_service(
        request,
        lambda: services.consent_record(actor=request.user, pupil=pupil, **form.cleaned_data),
        form=form,
        invalid="Choose the purpose, the decision, the parent or carer, how and when.",
        ok=recorded,
        then=reverse("people:pupil", args=[pk]),
    )


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


@login_required
@require_POST
def enrol_reference(request: HttpRequest, pk: int) -> HttpResponse:
    """A reference face for match suggestions, from one photo with one face. Only the face's numbers are kept."""
    pupil = people.pupil_for(request.user, pk)
    upload = request.FILES.get("photo")

    def enrol() -> object:
        if upload is None:
            raise ValidationError("Choose a photo with only this child's face in it.")
        try:
            clean = sanitise(upload.read())
            # Weak detections (a round badge, a pattern) do not count against a clear single face.
            faces = [f for f in detect_faces(clean.data) if f.score >= 0.5]
            if len(faces) != 1:
                raise ValidationError(f"The photo must show one face; SafeSocial found {len(faces)}.")
            face = faces[0]
            embedding = FaceMatcher().embed(clean.data, (face.x, face.y, face.w, face.h))
        except (ImageRejected, MatchingUnavailable) as exc:
            raise ValidationError(str(exc)) from exc
        return services.reference_enrol(actor=request.user, pupil=pupil, embedding=embedding)

    return run_service(
        request,
        enrol,
        ok="Reference face enrolled. The photo itself was not kept.",
        then=reverse("people:pupil", args=[pk]),
    )
