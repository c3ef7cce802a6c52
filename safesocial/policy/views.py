from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from safesocial.dates import add_months
from safesocial.people.models import Trust
from safesocial.permissions import Action, may, require
from safesocial.views_kit import run_service

from . import selectors, services
from .diff import field_changes, line_diff
from .explain import explain
from .forms import NoteForm, PolicyFileForm, ReturnForm, ReviewDraftForm
from .loader import PolicyInvalid, parse_policy
from .models import ReviewStatus
from .pdf import letterhead, render_pdf
from .services import policy_adopt, trust_create_from_policy


def _document_context(request: HttpRequest, version):
    policy = version.policy
    return {
        "trust": version.trust,
        "policy": policy,
        "version": version,
        "schools_by_key": {s.key: s.name for s in policy.trust.schools},
        "reviews": selectors.review_history(version.trust),
        "title": f"{policy.document.title} — {policy.trust.name}",
    }


def _version(request: HttpRequest, number: int | None):
    if number is None:
        trust = selectors.trust_for(request.user)
        if trust.policy_version is None:
            raise Http404("The trust has no policy yet")
        return trust.policy_version
    return selectors.version_for(request.user, number)


@login_required
def document(request: HttpRequest, number: int | None = None) -> HttpResponse:
    version = _version(request, number)
    context = _document_context(request, version)
    context["is_current"] = version.pk == version.trust.policy_version.pk
    context["may_review"] = selectors.may_see_reviews(request.user)
    context["open_review"] = selectors.open_review(version.trust) if context["may_review"] else None
    return render(request, "policy/document.html", context)


@login_required
def document_pdf(request: HttpRequest, number: int | None = None) -> HttpResponse:
    version = _version(request, number)
    context = _document_context(request, version) | letterhead(version.policy)
    pdf = render_pdf(render_to_string("policy/document_print.html", context, request=request))
    name = slugify(f"{version.trust.short_name or version.trust.name} social media policy {version.document_version}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@login_required
def explained(request: HttpRequest) -> HttpResponse:
    version = _version(request, None)
    return render(
        request,
        "policy/explained.html",
        {
            "sections": explain(version.policy),
            "version": version,
            "title": "What the policy makes SafeSocial do",
        },
    )


@login_required
def versions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "policy/versions.html",
        {
            "versions": selectors.versions_for(request.user),
            "can_adopt": may(request.user, Action.ADOPT_POLICY),
            "may_review": selectors.may_see_reviews(request.user),
            "title": "Policy versions",
        },
    )


@login_required
def version_source(request: HttpRequest, number: int) -> HttpResponse:
    version = selectors.version_for(request.user, number)
    return HttpResponse(version.text, content_type="text/plain; charset=utf-8")


R = TypeVar("R")


def _loading(call: Callable[[], R], field: str | None = None) -> Callable[[], R]:
    """A policy file that does not load is refused like any other input: each problem beside `field`, or all of
    them in one message."""

    def run() -> R:
        try:
            return call()
        except PolicyInvalid as exc:
            raise ValidationError({field: [str(e) for e in exc.errors]} if field else str(exc)) from exc

    return run


@login_required
def adopt(request: HttpRequest) -> HttpResponse:
    trust = selectors.trust_for(request.user)
    require(request.user, Action.ADOPT_POLICY)
    form = PolicyFileForm(request.POST or None, request.FILES or None)
    return run_service(
        request,
        _loading(
            lambda: policy_adopt(
                actor=request.user, trust=trust, text=form.cleaned_data["file"], note=form.cleaned_data["note"]
            ),
            field="file",
        ),
        form=form,
        page=lambda: render(
            request,
            "policy/upload.html",
            {"form": form, "title": "Adopt a new version of the policy", "mode": "adopt"},
        ),
        ok=lambda version: f"Version {version.number} is now in force. Earlier versions are kept.",
        then="policy:versions",
        denied="raise",
    )


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """The installation's administrator creates the trust from its policy file, once."""
    if not request.user.is_superuser:
        raise PermissionDenied("Only the installation's administrator sets up the trust")
    if Trust.objects.exists():
        messages.info(request, "The trust is already set up.")
        return redirect("dashboard")
    form = PolicyFileForm(request.POST or None, request.FILES or None)
    return run_service(
        request,
        _loading(
            lambda: trust_create_from_policy(
                actor=request.user, text=form.cleaned_data["file"], source="uploaded file"
            ),
            field="file",
        ),
        form=form,
        page=lambda: render(
            request,
            "policy/upload.html",
            {"form": form, "title": "Set up your trust", "mode": "setup", "now": timezone.now()},
        ),
        ok=lambda trust: f"{trust} is set up with {trust.schools.count()} schools and its key contacts.",
        then="people:trust",
        denied="raise",
    )


# The annual review ------------------------------------------------------------------------------------------------


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    user = request.user
    trust = selectors.trust_for(user)
    if not selectors.may_see_reviews(user):
        raise Http404("No reviews for you here")
    policy = trust.policy
    return render(
        request,
        "policy/reviews.html",
        {
            "reviews": selectors.reviews_for(user),
            "open_review": selectors.open_review(trust),
            "can_start": may(user, Action.DRAFT_POLICY_REVIEW),
            "policy": policy,
            "days_to_review": (policy.review.next_review - timezone.localdate()).days,
            "title": "Policy reviews",
        },
    )


@login_required
@require_POST
def review_start(request: HttpRequest) -> HttpResponse:
    trust = selectors.trust_for(request.user)
    return run_service(
        request,
        lambda: services.review_start(actor=request.user, trust=trust),
        ok="Review started. The draft begins as the version in force.",
        then=lambda review: reverse("policy:review", args=[review.pk]),
        back="policy:reviews",
        denied="raise",
    )


def _review_context(request: HttpRequest, review, *, draft_form=None, return_form=None, note_form=None) -> dict:
    user = request.user
    base = review.base_version
    text = draft_form.data.get("text", review.draft_text) if draft_form is not None and draft_form.is_bound else None
    text = review.draft_text if text is None else text
    if review.adopted_version is not None:  # what the approval actually adopted, history entry and all
        problems, compare_to = [], review.adopted_version.text
        changes = field_changes(base.policy, review.adopted_version.policy)
    else:
        problems, compare_to = services.draft_problems(review.trust, text), text
        changes = field_changes(base.policy, parse_policy(text, "draft")) if not problems else []
    cadence = base.policy.review.cadence_months
    since = add_months(review.review_due, -cadence)
    is_draft = review.status == ReviewStatus.DRAFT
    return {
        "review": review,
        "steps": ReviewStatus.choices,
        "base": base,
        "problems": problems,
        "changes": changes,
        "hunks": line_diff(base.text, compare_to),
        "year": selectors.year_in_review(review.trust, since, timezone.localdate()) if review.is_open else None,
        "draft_form": draft_form
        or (
            ReviewDraftForm(initial={"text": review.draft_text, "change_note": review.change_note})
            if is_draft
            else None
        ),
        "return_form": return_form or ReturnForm(),
        "note_form": note_form or NoteForm(initial={"noted_on": timezone.localdate()}),
        "can_draft": is_draft and may(user, Action.DRAFT_POLICY_REVIEW),
        "can_approve": may(user, Action.ADOPT_POLICY),
        "can_note": may(user, Action.NOTE_POLICY_REVIEW),
        "approver": base.policy.review.approver,
        "noted_by": base.policy.review.noted_by,
        "title": f"Policy review due {review.review_due:%-d %B %Y}",
    }


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_for(request.user, pk)
    return render(request, "policy/review.html", _review_context(request, review))


@login_required
@require_POST
def review_save(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_for(request.user, pk)
    form = ReviewDraftForm(request.POST)

    def page() -> HttpResponse:
        return render(request, "policy/review.html", _review_context(request, review, draft_form=form), status=400)

    def saved(problems: list) -> HttpResponse | str:
        """A draft that is not yet a valid policy is kept, and comes back with each problem beside the text."""
        for problem in problems:
            form.add_error("text", str(problem))
        return page() if problems else _page_of(review)

    if not form.is_valid():
        return page()
    return run_service(
        request,
        lambda: services.review_save(
            actor=request.user,
            review=review,
            text=form.cleaned_data["text"],
            change_note=form.cleaned_data["change_note"],
        ),
        ok=lambda problems: None if problems else "Draft saved. It is a valid policy file; read the changes below.",
        then=saved,
        back=_page_of(review),
        denied="raise",
    )


def _page_of(review) -> str:
    return reverse("policy:review", args=[review.pk])


@login_required
@require_POST
def review_submit(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_for(request.user, pk)
    return run_service(
        request,
        _loading(lambda: services.review_submit(actor=request.user, review=review)),
        ok="Submitted. The approver the policy names has been told it is waiting for them.",
        then=_page_of(review),
    )


@login_required
@require_POST
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_for(request.user, pk)
    return run_service(
        request,
        _loading(lambda: services.review_approve(actor=request.user, review=review)),
        ok="Approved. The reviewed policy is now in force as a new version, with its document history entry.",
        then=_page_of(review),
    )


@login_required
@require_POST
def review_return(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_for(request.user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        context = _review_context(request, review, return_form=form)
        return render(request, "policy/review.html", context, status=400)
    return run_service(
        request,
        _loading(lambda: services.review_return(actor=request.user, review=review, note=form.cleaned_data["note"])),
        ok="Sent back to the people drafting it, with your notes.",
        then=_page_of(review),
    )


@login_required
@require_POST
def review_note(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_for(request.user, pk)
    form = NoteForm(request.POST)
    return run_service(
        request,
        lambda: services.review_note(actor=request.user, review=review, **form.cleaned_data),
        form=form,
        field="noted_on",
        page=lambda: render(
            request, "policy/review.html", _review_context(request, review, note_form=form), status=400
        ),
        ok="Recorded: the governing body noted the reviewed policy.",
        then=_page_of(review),
    )
