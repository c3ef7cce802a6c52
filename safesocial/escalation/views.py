from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from safesocial.audit.services import audit_record
from safesocial.concerns.selectors import can_open as may_open_concern
from safesocial.concerns.selectors import concerns_for, links_of
from safesocial.moderation.selectors import comments_behind_escalation, comments_for
from safesocial.policy.pdf import letterhead
from safesocial.views_kit import run_service

from . import selectors, services
from .forms import CloseForm, CorrectForm, LetterForm, LetterTextForm, StartForm, StepForm
from .models import EscalationStatus, letter_paragraphs


@login_required
def index(request: HttpRequest) -> HttpResponse:
    schools = selectors.schools_managed(request.user)
    if not schools.exists():
        raise Http404("No escalations for you")
    escalations = list(selectors.escalations_for(request.user).order_by("school__name", "-started_at"))
    groups = [
        (status, label, [e for e in escalations if e.status == status])
        for status, label in [
            (EscalationStatus.PROPOSED, "Proposed: waiting for a decision"),
            (EscalationStatus.OPEN, "Open"),
            (EscalationStatus.CLOSED, "Closed"),
        ]
    ]
    return render(
        request,
        "escalation/index.html",
        {"groups": groups, "schools": schools, "title": "Parent escalations"},
    )


def _concern_from(request: HttpRequest):
    """The concern an escalation starts from (?concern=<pk>): only one the user manages; anything else is missing."""
    pk = request.GET.get("concern", "")
    if not pk:
        return None
    concern = concerns_for(request.user).filter(pk=pk).first() if pk.isdigit() else None
    if concern is None:
        raise Http404("No such concern")
    return concern


def _from_concern(concern) -> dict | None:
    """Started from a concern: its school, the account it names and the parent it links, filled in."""
    if concern is None:
        return None
    parent = next((link.parent_id for link in links_of(concern) if link.parent_id), None)
    return {
        "school": concern.school,
        "parent": parent,
        "account_platform": concern.platform,
        "account_handle": concern.account_handle,
    }


@login_required
def start(request: HttpRequest) -> HttpResponse:
    schools = selectors.schools_managed(request.user)
    if not schools.exists():
        raise Http404("No escalations for you")
    concern = _concern_from(request)
    form = StartForm(
        request.POST or None,
        schools=schools,
        parents=selectors.parents_at(request.user),
        initial=_from_concern(concern),
    )
    return run_service(
        request,
        lambda: services.escalation_start(actor=request.user, **form.cleaned_data, concern=concern),
        form=form,
        page=lambda: render(
            request,
            "escalation/start.html",
            {
                "form": form,
                "concern": concern,
                "policy": request.user.trust.policy,
                "title": "Start a parent escalation",
            },
        ),
        ok="Escalation started. Record the first step when it has been taken.",
        then=_page_of,
        denied="raise",
    )


def _page_of(escalation) -> str:
    return reverse("escalation:detail", args=[escalation.pk])


def _detail(request: HttpRequest, escalation, status: int = 200, **forms) -> HttpResponse:
    records = list(escalation.records.select_related("taken_by", "corrects"))
    rungs = selectors.ladder(escalation, records)
    next_key = next((r.key for r in rungs if r.state == "next"), None)
    steps = escalation.trust.policy.parents.escalation
    is_open = escalation.status != EscalationStatus.CLOSED
    signed_by, job_title = selectors.letter_signatory(request.user, escalation)
    letter_form = forms.get("letter_form") or LetterForm(
        initial={
            "parent_name": escalation.subject,
            "signed_by": signed_by,
            "job_title": job_title,
            "incident_date": escalation.started_at.date(),
        }
    )
    concern = escalation.concern if escalation.concern_id else None
    return render(
        request,
        "escalation/detail.html",
        {
            "escalation": escalation,
            # The concern it started from, linked only for someone who may open that concern.
            "concern": concern,
            "concern_link": concern is not None and may_open_concern(request.user, concern),
            # The hidden comments behind a proposal from moderation, and the inbox link for those who moderate too.
            "comments": (
                list(comments_behind_escalation(request.user, escalation.offender)) if escalation.offender_id else []
            ),
            "moderates": escalation.offender_id is not None and comments_for(request.user).exists(),
            "rungs": rungs,
            "records": records,
            "letters": escalation.letters.select_related("generated_by"),
            "is_open": is_open,
            "next_title": next((r.title for r in rungs if r.state == "next"), None),
            "proposed_title": next((s.title for s in steps if s.key == escalation.proposed_step), ""),
            "step_form": forms.get("step_form") or StepForm(steps=steps, next_key=next_key),
            "close_form": forms.get("close_form") or CloseForm(),
            "letter_form": letter_form,
            "correct_form": forms.get("correct_form"),
            "correcting": forms.get("correcting"),
            "title": f"Escalation: {escalation.subject}",
        },
        status=status,
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = selectors.escalation_for(request.user, pk)
    audit_record(
        actor=request.user,
        action="escalation.view",
        obj=escalation,
        label=f"escalation {escalation.pk}",
        school_id=escalation.school_id,
    )
    return _detail(request, escalation)


@login_required
@require_POST
def take_step(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = selectors.escalation_for(request.user, pk)
    form = StepForm(request.POST, steps=escalation.trust.policy.parents.escalation)

    def take():
        d = form.cleaned_data
        return services.escalation_step_take(
            actor=request.user,
            escalation=escalation,
            step_key=d["step"],
            taken_on=d["taken_on"],
            outcome=d["outcome"],
            early_reason=d["early_reason"],
        )

    return run_service(
        request,
        take,
        form=form,
        page=lambda: _detail(request, escalation, status=400, step_form=form),
        ok=lambda record: f"Recorded: {record.step_title}.",
        then=_page_of(escalation),
        denied="raise",
    )


@login_required
@require_POST
def correct_step(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    escalation = selectors.escalation_for(request.user, pk)
    record = selectors.step_record_for(request.user, escalation, record_pk)
    # The correction form sits beside its record: its ids are the record's, so the error summary links to it.
    form = CorrectForm(request.POST, auto_id=f"c{record.pk}-%s")
    return run_service(
        request,
        lambda: services.escalation_step_correct(actor=request.user, record=record, **form.cleaned_data),
        form=form,
        page=lambda: _detail(request, escalation, status=400, correct_form=form, correcting=record.pk),
        ok="Correction recorded. The original record is kept beside it.",
        then=_page_of(escalation),
        denied="raise",
    )


@login_required
@require_POST
def open_view(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = selectors.escalation_for(request.user, pk)
    return run_service(
        request,
        lambda: services.escalation_open(actor=request.user, escalation=escalation),
        ok="Escalation opened.",
        then=_page_of(escalation),
        denied="raise",
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = selectors.escalation_for(request.user, pk)
    form = CloseForm(request.POST)
    return run_service(
        request,
        lambda: services.escalation_close(
            actor=request.user, escalation=escalation, reason=form.cleaned_data["reason"]
        ),
        form=form,
        page=lambda: _detail(request, escalation, status=400, close_form=form),
        ok="Escalation closed.",
        then=_page_of(escalation),
        denied="raise",
    )


def _letter_details(form: LetterForm) -> dict:
    return {k: form.cleaned_data[k] for k in LetterForm.base_fields}


def _letter_preview_page(request: HttpRequest, escalation, form: LetterTextForm, status: int = 200) -> HttpResponse:
    """The letter's words in a box to edit, and the letter as it will print, before anything is made."""
    form.is_valid()  # the dates as dates, for the summary; any error is shown beside the words
    text = form.data.get("text", "")
    return render(
        request,
        "escalation/letter_preview.html",
        {
            "escalation": escalation,
            "form": form,
            "paragraphs": letter_paragraphs(text),
            "letterhead": letterhead(escalation.trust.policy, escalation.school.name)["letterhead"],
            "title": f"Warning letter to {form.data.get('parent_name') or escalation.subject}: check and edit",
        },
        status=status,
    )


@login_required
@require_POST
def letter_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """From the letter form: the trust's template filled in. From the preview itself: the edited words again."""
    escalation = selectors.escalation_for(request.user, pk)
    if "text" not in request.POST:
        form = LetterForm(request.POST)

        def draft():
            text = services.warning_letter_draft(actor=request.user, escalation=escalation, **form.cleaned_data)
            data = {k: request.POST.get(k, "") for k in LetterForm.base_fields} | {"text": text}
            return _letter_preview_page(request, escalation, LetterTextForm(data))

        return run_service(
            request,
            draft,
            form=form,
            page=lambda: _detail(request, escalation, status=400, letter_form=form),
            ok=None,
            then=lambda page: page,
            denied="raise",
        )
    text_form = LetterTextForm(request.POST)

    def again():
        services.warning_letter_draft(actor=request.user, escalation=escalation, **_letter_details(text_form))
        return _letter_preview_page(request, escalation, text_form)

    return run_service(
        request,
        again,
        form=text_form,
        page=lambda: _letter_preview_page(request, escalation, text_form, status=400),
        ok=None,
        then=lambda page: page,
        denied="raise",
    )


@login_required
@require_POST
def letter_generate(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the letter from the previewed words (or, without a preview, from the trust's template), and keep it."""
    escalation = selectors.escalation_for(request.user, pk)
    previewed = "text" in request.POST
    form = LetterTextForm(request.POST) if previewed else LetterForm(request.POST)
    return run_service(
        request,
        lambda: services.warning_letter_generate(
            actor=request.user,
            escalation=escalation,
            **_letter_details(form),
            text=form.cleaned_data["text"] if previewed else None,
        ),
        form=form,
        page=lambda: (
            _letter_preview_page(request, escalation, form, status=400)
            if previewed
            else _detail(request, escalation, status=400, letter_form=form)
        ),
        ok="Warning letter made and kept with this escalation. Download it below.",
        then=lambda letter: f"{_page_of(escalation)}#letter-{letter.pk}",
        denied="raise",
    )


@login_required
def letter_download(request: HttpRequest, pk: int, letter_pk: int) -> HttpResponse:
    escalation = selectors.escalation_for(request.user, pk)
    letter = selectors.letter_for(request.user, escalation, letter_pk)
    pdf = services.warning_letter_pdf(actor=request.user, letter=letter)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"warning letter {escalation.school.name} {letter.generated_at:%Y-%m-%d}")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
