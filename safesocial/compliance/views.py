"""Staff pages (acknowledging the policy, training, the quiz, completion) and the public pages for families."""

from __future__ import annotations

import mimetypes
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from safesocial.people.models import School, Trust
from safesocial.permissions import Action, may, schools_where
from safesocial.policy.pdf import letterhead, render_pdf
from safesocial.policy.views import _document_context
from safesocial.storage import private_file_response
from safesocial.views_kit import run_service
from safesocial.web import client_address

from . import quiz, selectors, services
from .forms import CodeForm, QuizForm, TrainingForm
from .models import Acknowledgement, Group, QuizAttempt, TrainingStatus


def _trust(request: HttpRequest) -> Trust:
    trust = request.user.trust
    if trust is None or trust.policy_version is None:
        raise Http404("You are not on the staff of a trust with a policy")
    return trust


def _pdf(request: HttpRequest, template: str, context: dict, filename: str) -> HttpResponse:
    school = context.get("school")
    context = letterhead(context["policy"], school.name if school else "") | context
    html = render_to_string(template, context, request=request)
    pdf = render_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.pdf"'
    return response


# ---- A member of staff's own page ---------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    trust = _trust(request)
    user = request.user
    version = trust.policy_version
    return render(
        request,
        "compliance/index.html",
        {
            "version": version,
            "acknowledged": Acknowledgement.objects.filter(version=version, user=user).first(),
            "state": selectors.training_state(user),
            "records": selectors.records_for(user, user),
            "attempts": QuizAttempt.objects.filter(user=user)[:5],
            "policy": trust.policy,
            "pending": selectors.pending_for(user) if schools_where(user, Action.MANAGE_TRAINING).exists() else None,
            "can_manage": schools_where(user, Action.MANAGE_TRAINING).exists(),
            "can_view": selectors.compliance_schools_for(user).exists(),
            # Governors and volunteers are not asked to acknowledge or train as staff (see selectors.staff_of).
            "is_staff": user.role_assignments.filter(role__in=selectors.STAFF_ROLE_VALUES).exists(),
            "title": "Policy and training",
        },
    )


@login_required
def acknowledge(request: HttpRequest) -> HttpResponse:
    trust = _trust(request)
    version = trust.policy_version

    def page() -> HttpResponse:
        return render(
            request,
            "compliance/acknowledge.html",
            {
                "version": version,
                "policy": trust.policy,
                "acknowledged": Acknowledgement.objects.filter(version=version, user=request.user).first(),
                "title": "Read and acknowledge the policy",
            },
        )

    if request.method != "POST":
        return page()
    return run_service(
        request,
        lambda: services.acknowledgement_staff(actor=request.user),
        page=page,
        ok=lambda result: (
            "Thank you: your acknowledgement is recorded." if result[1] else "You had already acknowledged it."
        ),
        then="compliance:index",
    )


# ---- Training -------------------------------------------------------------------------------------------------------


@login_required
def record_training(request: HttpRequest) -> HttpResponse:
    trust = _trust(request)
    staff = list(selectors.manageable_staff(request.user))
    people = [(request.user.pk, f"{request.user.full_name} (you)")] + [(u.pk, u.full_name) for u in staff]
    form = TrainingForm(
        request.POST or None,
        request.FILES or None,
        topics=trust.policy.training.topics,
        people=people if staff else None,
        initial={"user": request.GET.get("user")},
    )

    def record():
        d = form.cleaned_data
        return services.training_record(
            actor=request.user,
            user=next((u for u in staff if str(u.pk) == d.get("user")), request.user),
            topic=d["topic"],
            kind=d["kind"],
            completed_on=d["completed_on"],
            provider=d["provider"],
            evidence=d.get("evidence"),
            note=d["note"],
        )

    def recorded(record) -> str:
        if record.status == TrainingStatus.PENDING:
            return "Recorded. It counts once someone who manages training confirms it."
        return f"Training recorded for {record.user}."

    return run_service(
        request,
        record,
        form=form,
        page=lambda: render(
            request, "compliance/record.html", {"form": form, "self_only": not staff, "title": "Record training"}
        ),
        ok=recorded,
        then="compliance:index",
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_for(request.user, pk)
    return run_service(
        request,
        lambda: services.training_decide(
            actor=request.user, record=record, confirm=request.POST.get("decision") == "confirm"
        ),
        ok=f"Training for {record.user} updated.",
        then="compliance:index",
    )


@login_required
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_for(request.user, pk)
    if not record.evidence:
        raise Http404("No evidence attached")
    name = record.evidence.name.rsplit("/")[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return private_file_response(record.evidence, content_type=content_type, filename=name, as_attachment=True)


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    _trust(request)
    if not selectors.compliance_schools_for(request.user).exists():
        raise PermissionDenied("Your roles do not include seeing who has been trained")
    school = None
    if request.GET.get("school"):
        school = selectors.compliance_school_for(request.user, request.GET["school"])
    return render(
        request,
        "compliance/overdue.html",
        {
            "rows": selectors.overdue_staff(request.user, school),
            "school": school,
            "schools": selectors.compliance_schools_for(request.user),
            "policy": request.user.trust.policy,
            "title": "Training overdue",
        },
    )


# ---- The quiz -------------------------------------------------------------------------------------------------------


@login_required
def quiz_view(request: HttpRequest) -> HttpResponse:
    trust = _trust(request)
    version = trust.policy_version
    questions = quiz.questions(version.policy)
    form = QuizForm(
        request.POST or None, questions=questions, initial={"token": uuid.uuid4(), "version": version.number}
    )
    if not form.is_valid():
        return render(
            request,
            "compliance/quiz.html",
            {
                "form": form,
                "pass_mark": version.policy.training.quiz_pass_mark,
                "count": len(questions),
                "title": "Quiz on the social media policy",
            },
        )

    def marked(result) -> None:
        if not result[1]:
            messages.info(request, "You had already sent these answers: they were marked once, as below.")

    return run_service(
        request,
        lambda: services.quiz_submit(
            actor=request.user,
            token=str(form.cleaned_data["token"]),
            version_number=form.cleaned_data["version"],
            answers=form.answers(),
        ),
        ok=marked,
        then=lambda result: reverse("compliance:quiz_result", kwargs={"token": result[0].token}),
        back="compliance:quiz",
        denied="raise",
    )


@login_required
def quiz_result(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    attempt = selectors.attempt_for(request.user, str(token))
    questions = quiz.questions(attempt.version.policy)
    review = [
        (q, q.options[a] if a is not None and a < len(q.options) else "—", a == q.answer, q.options[q.answer])
        for q, a in zip(questions, attempt.answers, strict=False)
    ]
    return render(
        request,
        "compliance/quiz_result.html",
        {
            "attempt": attempt,
            "review": review,
            "pass_mark": attempt.version.policy.training.quiz_pass_mark,
            "title": "Your quiz result",
        },
    )


@login_required
def certificate(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    attempt = selectors.attempt_for(request.user, str(token))
    if not attempt.passed:
        raise Http404("Only a passed quiz has a certificate")
    record = attempt.training_record
    context = {
        "attempt": attempt,
        "record": record,
        "policy": attempt.version.policy,
        "version": attempt.version,
        "title": "Certificate of training",
    }
    return _pdf(request, "compliance/certificate.html", context, f"certificate {attempt.user} {record.completed_on}")


# ---- Completion -----------------------------------------------------------------------------------------------------


@login_required
def completion(request: HttpRequest) -> HttpResponse:
    trust = _trust(request)
    schools = list(selectors.compliance_schools_for(request.user))
    if not schools:
        raise PermissionDenied("Your roles do not include seeing who has acknowledged the policy")
    trust_wide = may(request.user, Action.VIEW_COMPLIANCE)
    ack = selectors.acknowledgement_by_school(trust)
    training = selectors.training_by_school(trust)
    rows = [{"school": s, "ack": ack[s.pk], "training": training[s.pk]} for s in schools]
    return render(
        request,
        "compliance/completion.html",
        {
            "rows": rows,
            "groups": [(g, Group(g).label) for g in selectors.asked_groups(trust)],
            "trust_ack": selectors.acknowledgement_summary(trust) if trust_wide else None,
            "trust_training": selectors.training_summary(trust) if trust_wide else None,
            "version": trust.policy_version,
            "title": "Who has acknowledged the policy",
        },
    )


@login_required
def school_completion(request: HttpRequest, key: str) -> HttpResponse:
    school = selectors.compliance_school_for(request.user, key)
    trust = school.trust
    return render(
        request,
        "compliance/school.html",
        {
            "school": school,
            "ack": selectors.acknowledgement_summary(trust, school),
            "classes": selectors.class_completion(school),
            "groups": selectors.asked_groups(trust),
            "staff_to_ack": selectors.staff_to_acknowledge(trust, school).order_by("full_name"),
            "can_print": may(request.user, Action.MANAGE_PUPILS, school),
            "version": trust.policy_version,
            "title": f"Acknowledgement at {school}",
        },
    )


@login_required
def class_view(request: HttpRequest, key: str) -> HttpResponse:
    """Who in one class has acknowledged, and (for the office) each family's own link to send by email or text."""
    school = selectors.compliance_school_for(request.user, key)
    class_name = request.GET.get("name", "")
    rows = selectors.class_detail(school, class_name)
    if not rows:
        raise Http404("No such class")
    version = school.trust.policy_version
    can_send = may(request.user, Action.MANAGE_PUPILS, school)

    def link(person) -> str:
        path = reverse("compliance_public:acknowledge", args=[services.link_token(person, version)])
        return settings.SITE_ROOT + path

    return render(
        request,
        "compliance/class.html",
        {
            "school": school,
            "class_name": class_name,
            "rows": [
                (row, [(parent, done, link(parent) if can_send and not done else "") for parent, done in row.parents])
                for row in rows
            ],
            "can_send": can_send,
            "link_days": services.LINK_DAYS,
            "groups": selectors.asked_groups(school.trust),
            "title": f"{class_name} at {school}",
        },
    )


@login_required
@require_POST
def letters(request: HttpRequest, key: str) -> HttpResponse:
    """Print a class's letters (a POST, because it makes any codes still missing and is audited)."""
    school = selectors.compliance_school_for(request.user, key)
    class_name = request.POST.get("class_name", "")
    return run_service(
        request,
        lambda: services.codes_ensure(actor=request.user, school=school, class_name=class_name),
        ok=None,
        then=lambda _: _letters_pdf(request, school, class_name),
        back=reverse("compliance:school", kwargs={"key": school.key}),
    )


def _letters_pdf(request: HttpRequest, school: School, class_name: str) -> HttpResponse:
    version = school.trust.policy_version
    families = [
        {
            "pupil": pupil,
            "pupil_code": services.letter_code(pupil.ack_code),
            "parents": [(p, services.letter_code(p.ack_code)) for p in parents],
        }
        for pupil, parents in selectors.families_in_class(school, class_name)
    ]
    context = {
        "school": school,
        "class_name": class_name,
        "families": families,
        "policy": version.policy,
        "version": version,
        # Printed letters carry the site's public address, whatever address the office printed them from.
        "code_url": settings.SITE_ROOT + reverse("compliance_public:code"),
        "school_url": settings.SITE_ROOT + reverse("compliance_public:school", args=[school.pk]),
        "today": timezone.localdate(),
        "title": f"Letters for {class_name}",
    }
    return _pdf(request, "compliance/letters.html", context, f"{school.name} {class_name} policy letters")


# ---- Public pages: no sign-in ---------------------------------------------------------------------------------------


def public_schools(request: HttpRequest) -> HttpResponse:
    trusts = [t for t in Trust.objects.prefetch_related("schools").order_by("name") if t.policy_version is not None]
    return render(request, "compliance/public_schools.html", {"trusts": trusts, "title": "Our schools"})


def public_school(request: HttpRequest, school_id: int) -> HttpResponse:
    school = selectors.public_school(school_id)
    policy = school.trust.policy
    contacts = [c for c in policy.contacts if c.school in (None, school.key)]
    return render(
        request,
        "compliance/public_school.html",
        {
            "school": school,
            "policy": policy,
            "version": school.trust.policy_version,
            "channels": selectors.public_channels(school),
            "contacts": contacts,
            "safeguarding_leads": [c for c in contacts if "dsl" in c.roles],
            "meetings": policy.parents.meetings_for(school.key, timezone.localdate()),
            # Not to be confused with the staff's page for the school (/schools/<key>/): this one is for families.
            "title": f"{school.name} and social media: for families",
        },
    )


def public_policy(request: HttpRequest, school_id: int) -> HttpResponse:
    school = selectors.public_school(school_id)
    context = _document_context(request, school.trust.policy_version)
    context["school"] = school
    return render(request, "compliance/public_policy.html", context)


def public_policy_pdf(request: HttpRequest, school_id: int) -> HttpResponse:
    school = selectors.public_school(school_id)
    version = school.trust.policy_version
    context = _document_context(request, version)
    name = f"{version.trust.short_name or version.trust.name} social media policy {version.document_version}"
    return _pdf(request, "policy/document_print.html", context, name)


@never_cache
@csrf_protect
def code_entry(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    limited = False

    def check() -> str:
        nonlocal limited
        try:
            return services.code_check(code=form.cleaned_data["code"], client=client_address(request))
        except services.TooManyTries:
            limited = True
            raise

    return run_service(
        request,
        check,
        form=form,
        field="code",
        page=lambda: render(
            request,
            "compliance/code.html",
            {"form": form, "title": "Acknowledge the social media policy"},
            status=429 if limited else 200,
        ),
        ok=None,
        then=lambda token: reverse("compliance_public:acknowledge", kwargs={"token": token}),
    )


@never_cache
@csrf_protect
def family_acknowledge(request: HttpRequest, token: str) -> HttpResponse:
    """A parent's or pupil's page from a signed link (or a code): read, then confirm."""
    try:
        link = services.link_open(token)
    except PermissionDenied as exc:
        return render(
            request,
            "compliance/link_invalid.html",
            {"message": str(exc), "title": "This link cannot be used"},
            status=403,
        )
    if request.method == "POST":
        try:
            _, created = services.acknowledgement_family(token=token)
        except PermissionDenied as exc:
            return render(
                request,
                "compliance/link_invalid.html",
                {"message": str(exc), "title": "This link cannot be used"},
                status=403,
            )
        messages.success(
            request, "Thank you. Your acknowledgement is recorded." if created else "You had already acknowledged it."
        )
        return redirect("compliance_public:acknowledge", token=token)
    field = "parent" if link.group == Group.PARENTS else "pupil"
    school = link.person.school if field == "pupil" else _first_school(link.person)
    return render(
        request,
        "compliance/family.html",
        {
            "link": link,
            "is_pupil": field == "pupil",
            "school": school,
            "policy": link.version.policy,
            "done": Acknowledgement.objects.filter(version=link.version, **{field: link.person}).first(),
            "title": "Our social media policy",
        },
    )


def _first_school(parent) -> School | None:
    child = parent.pupils.select_related("school").order_by("pk").first()
    return child.school if child else None
