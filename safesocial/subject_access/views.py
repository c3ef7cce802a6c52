"""Subject access requests: the list with each one's clock, a new request, the review with redaction marks, and the
response to download. Only those who receive safeguarding concerns at a school see any of it; anyone else gets a
404, and every page and download is in the audit trail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from safesocial.audit.services import audit_record
from safesocial.views_kit import run_service

from . import response, selectors, services
from .collect import holdings
from .forms import CloseForm, RedactionForm, RequestForm, SentForm
from .models import RedactionKind


def _handler(request: HttpRequest, what: str) -> None:
    """A 404 for anyone who does not handle subject access requests, audited."""
    if not selectors.may_handle(request.user):
        audit_record(actor=request.user, action="subject_access.refused", object_type="subject_access", label=what)
        raise Http404("Not found")


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    _handler(request, "list")
    rows = list(selectors.requests_for(request.user))
    today = timezone.localdate()
    audit_record(actor=request.user, action="subject_access.list", object_type="subject_access", label="list")
    return render(request, "subject_access/list.html", {"rows": rows, "today": today})


def _new_page(request: HttpRequest, form: RequestForm, status: int = 200) -> HttpResponse:
    return render(request, "subject_access/new.html", {"form": form}, status=status)


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    _handler(request, "new")
    form = RequestForm(
        request.POST or None,
        schools=selectors.schools_handling(request.user),
        people=selectors.people_for(request.user),
        initial={"received_on": timezone.localdate()},
    )
    return run_service(
        request,
        lambda: services.sar_create(
            actor=request.user,
            school=form.cleaned_data["school"],
            requester_name=form.cleaned_data["requester_name"],
            requester_relationship=form.cleaned_data["requester_relationship"],
            received_on=form.cleaned_data["received_on"],
            **form.subject_kwargs(),
        ),
        form=form,
        field="subject",
        page=lambda: _new_page(request, form, status=400 if request.method == "POST" else 200),
        ok=lambda sar: f"Request recorded: the answer is due by {sar.due_on:%-d %B %Y}.",
        then=lambda sar: reverse("subject_access:detail", args=[sar.pk]),
    )


@login_required
@never_cache
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sar = selectors.request_for(request.user, pk)
    marks = list(sar.redactions.select_related("marked_by"))
    withheld = {m.item: m for m in marks if m.kind == RedactionKind.WITHHOLD}
    sections = holdings(request.user, sar)
    return render(
        request,
        "subject_access/detail.html",
        {
            "sar": sar,
            "today": timezone.localdate(),
            "sections": sections,
            "withheld": withheld,
            "names": [m for m in marks if m.kind == RedactionKind.NAME],
            "total": sum(len(s.items) for s in sections),
            "sent_form": SentForm(initial={"sent_on": timezone.localdate()}),
        },
    )


def _back(pk: int, anchor: str = "") -> str:
    return reverse("subject_access:detail", args=[pk]) + anchor


@login_required
@require_POST
def redact(request: HttpRequest, pk: int) -> HttpResponse:
    sar = selectors.request_for(request.user, pk, audit_as=None)
    form = RedactionForm(request.POST)
    return run_service(
        request,
        lambda: services.redaction_mark(
            actor=request.user,
            sar=sar,
            item=form.cleaned_data["item"],
            name=form.cleaned_data["name"],
            reason=form.cleaned_data["reason"],
        ),
        form=form,
        invalid="Say why it is redacted.",
        ok="Marked for redaction.",
        then=_back(pk, "#redactions"),
    )


@login_required
@require_POST
def unredact(request: HttpRequest, pk: int, mark: int) -> HttpResponse:
    sar = selectors.request_for(request.user, pk, audit_as=None)
    return run_service(
        request,
        lambda: services.redaction_remove(actor=request.user, sar=sar, pk=mark),
        ok="Redaction removed.",
        then=_back(pk, "#redactions"),
    )


@login_required
@require_POST
def sent(request: HttpRequest, pk: int) -> HttpResponse:
    sar = selectors.request_for(request.user, pk, audit_as=None)
    form = SentForm(request.POST)
    return run_service(
        request,
        lambda: services.sar_mark_sent(actor=request.user, sar=sar, **form.cleaned_data),
        form=form,
        invalid="Give the date it was sent, and how and to whom.",
        ok="Recorded as sent.",
        then=_back(pk),
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    sar = selectors.request_for(request.user, pk, audit_as=None)
    form = CloseForm(request.POST)
    return run_service(
        request,
        lambda: services.sar_close(actor=request.user, sar=sar, **form.cleaned_data),
        form=form,
        ok="Request closed.",
        then=_back(pk),
    )


@login_required
@never_cache
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    made = response.sar_export(actor=request.user, pk=pk, fmt=fmt)
    answer = HttpResponse(made.data, content_type=made.content_type)
    answer["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return answer
