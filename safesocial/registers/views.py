from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from safesocial.people.models import ParentCarer, Pupil
from safesocial.people.roles import role_label
from safesocial.permissions import Action, may, schools_where
from safesocial.policy.approvals import signatures
from safesocial.views_kit import run_service

from . import selectors, services
from .forms import (
    AiToolForm,
    DecideApprovalForm,
    DecideFriendshipForm,
    DecideUnblockForm,
    FriendshipForm,
    ReasonForm,
    RemoteLearningForm,
    UnblockForm,
)
from .models import AiToolApproval, ApprovalStatus, FriendshipStatus, RemoteLearningAssessment, UnblockStatus


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.trust_id:
        raise Http404("No trust")
    friendships_on = selectors.friendship_register_on(user)
    return render(
        request,
        "registers/index.html",
        {
            "friendships_on": friendships_on,
            "friendships": list(selectors.friendships_for(user)) if friendships_on else [],
            "decides_friendships": schools_where(user, Action.DECIDE_FRIENDSHIP).exists(),
            "friendship_decider": selectors.friendship_decider_label(user),
            "reconfirm_days": user.trust.policy.concerns.friendship_reconfirm_days,
            "unblock_requests": list(selectors.unblock_requests_for(user)[:100]),
            "remote": list(selectors.remote_learning_for(user)[:100]),
            "ai_tools": list(selectors.ai_tools_for(user)[:100]),
            "can_ask": selectors.my_schools(user).exists(),
            "unblock_deciders": selectors.decider_roles(user, Action.DECIDE_UNBLOCK),
            "unblock_referred": selectors.decider_roles(user, Action.DECIDE_REFERRED_UNBLOCK),
            "remote_approver": selectors.decider_roles(user, Action.APPROVE_REMOTE_LEARNING),
            "ai_approver": selectors.decider_roles(user, Action.APPROVE_AI_TOOL),
            "today": timezone.localdate(),
            "title": "Registers",
        },
    )


# Friendships ----------------------------------------------------------------------------------------------------


def _friendship_form(request: HttpRequest, data=None, initial=None) -> FriendshipForm:
    user = request.user
    schools = selectors.my_schools(user)
    visible = [s.pk for s in schools if may(user, Action.VIEW_PUPILS, s)]
    pupils = Pupil.objects.filter(school_id__in=visible, on_roll=True).select_related("school")
    parents = ParentCarer.objects.filter(pupils__school_id__in=visible, pupils__on_roll=True).distinct()
    return FriendshipForm(
        data,
        initial=initial,
        schools=schools,
        pupils=pupils.order_by("last_name", "first_name"),
        parents=parents.order_by("full_name", "pk"),
    )


def _declared(form: FriendshipForm) -> dict:
    """What the declaration form says, as the services take it (a new declaration or an update)."""
    d = form.cleaned_data
    return {
        "pupils": d.get("pupils") or [],
        "parents": d.get("parents") or [],
        "family_names": d["family_names"],
        "nature": d["nature"],
        "platforms": d["platforms"],
    }


def _friendship_page(request: HttpRequest, form: FriendshipForm, declaration=None) -> HttpResponse:
    school = declaration.school if declaration else selectors.my_schools(request.user).first()
    return render(
        request,
        "registers/friendship_form.html",
        {
            "form": form,
            "declaration": declaration,
            "advisers": selectors.friendship_advisers(request.user, school) if school else [],
            "decider": selectors.friendship_decider_label(request.user),
            "title": "Update your declaration" if declaration else "Declare a social media friendship",
        },
    )


@login_required
def friendship_new(request: HttpRequest) -> HttpResponse:
    if not selectors.friendship_register_on(request.user) or not selectors.my_schools(request.user).exists():
        raise Http404("No friendship register")
    form = _friendship_form(request, request.POST or None)

    return run_service(
        request,
        lambda: services.friendship_declare(actor=request.user, school=form.cleaned_data["school"], **_declared(form)),
        form=form,
        page=lambda: _friendship_page(request, form),
        ok="Declaration made. It now waits for a decision.",
        then=lambda declaration: reverse("registers:friendship", args=[declaration.pk]),
        denied="raise",
    )


@login_required
def friendship_edit(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = selectors.friendship_for(request.user, pk)
    if declaration.declarer_id != request.user.pk or declaration.status == FriendshipStatus.WITHDRAWN:
        raise Http404("Not yours to update")
    initial = {
        "school": declaration.school,
        "pupils": list(declaration.pupils.all()),
        "parents": list(declaration.parents.all()),
        "family_names": declaration.family_names,
        "nature": declaration.nature,
        "platforms": declaration.platforms,
    }
    form = _friendship_form(request, request.POST or None, initial=initial)
    form.fields["school"].disabled = True

    return run_service(
        request,
        lambda: services.friendship_update(actor=request.user, declaration=declaration, **_declared(form)),
        form=form,
        page=lambda: _friendship_page(request, form, declaration),
        ok="Declaration updated. It waits for a fresh decision.",
        then=reverse("registers:friendship", args=[pk]),
        denied="raise",
    )


def _friendship_detail(request: HttpRequest, declaration, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    can_decide = (
        declaration.status == FriendshipStatus.AWAITING
        and declaration.declarer_id != user.pk
        and may(user, Action.DECIDE_FRIENDSHIP, declaration.school)
    )
    return render(
        request,
        "registers/friendship_detail.html",
        {
            "d": declaration,
            "pupils": declaration.pupils.select_related("school"),
            "parents": declaration.parents.all(),
            "is_declarer": declaration.declarer_id == user.pk,
            "can_decide": can_decide,
            "decide_form": forms.get("decide_form") or DecideFriendshipForm(),
            "withdraw_form": forms.get("withdraw_form") or ReasonForm(),
            "advisers": selectors.friendship_advisers(user, declaration.school),
            "decider": selectors.friendship_decider_label(user),
            "overdue": declaration.is_overdue(),
            "title": "Social media friendship declaration",
        },
        status=status,
    )


@login_required
def friendship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _friendship_detail(request, selectors.friendship_for(request.user, pk))


@login_required
@require_POST
def friendship_decide(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = selectors.friendship_for(request.user, pk)
    form = DecideFriendshipForm(request.POST)
    return run_service(
        request,
        lambda: services.friendship_decide(actor=request.user, declaration=declaration, **form.cleaned_data),
        form=form,
        page=lambda: _friendship_detail(request, declaration, status=400, decide_form=form),
        ok="Decision recorded. The member of staff can see it and the advice.",
        then=reverse("registers:friendship", args=[pk]),
    )


@login_required
@require_POST
def friendship_reconfirm(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = selectors.friendship_for(request.user, pk)
    return run_service(
        request,
        lambda: services.friendship_reconfirm(actor=request.user, declaration=declaration),
        ok=lambda _: f"Re-confirmed. Next due on {declaration.reconfirm_due:%-d %B %Y}.",
        then=reverse("registers:friendship", args=[pk]),
    )


@login_required
@require_POST
def friendship_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = selectors.friendship_for(request.user, pk)
    form = ReasonForm(request.POST)
    return run_service(
        request,
        lambda: services.friendship_withdraw(
            actor=request.user, declaration=declaration, reason=form.cleaned_data["reason"]
        ),
        form=form,
        page=lambda: _friendship_detail(request, declaration, status=400, withdraw_form=form),
        ok="Declaration withdrawn.",
        then=reverse("registers:friendship", args=[pk]),
    )


# Unblock requests -----------------------------------------------------------------------------------------------


@login_required
def unblock_new(request: HttpRequest) -> HttpResponse:
    schools = selectors.my_schools(request.user)
    if not schools.exists():
        raise Http404("No school")
    form = UnblockForm(request.POST or None, schools=schools)

    def page() -> HttpResponse:
        return render(
            request,
            "registers/simple_form.html",
            {
                "form": form,
                "intro": "Ask for a website that the filter blocks wrongly to be unblocked. "
                f"{capfirst(selectors.decider_roles(request.user, Action.DECIDE_UNBLOCK))} decides, and may refer "
                "it to "
                f"{selectors.decider_roles(request.user, Action.DECIDE_REFERRED_UNBLOCK)}.",
                "button": "Send the request",
                "title": "Ask for a website to be unblocked",
            },
        )

    return run_service(
        request,
        lambda: services.unblock_request(actor=request.user, **form.cleaned_data),
        form=form,
        page=page,
        ok="Request sent to IT support. You will see the outcome here.",
        then=lambda item: reverse("registers:unblock", args=[item.pk]),
        denied="raise",
    )


def _unblock_detail(request: HttpRequest, item, status: int = 200, form=None) -> HttpResponse:
    user = request.user
    if item.requested_by_id == user.pk:
        can_decide = False
    elif item.status == UnblockStatus.REQUESTED:
        can_decide = may(user, Action.DECIDE_UNBLOCK, item.school)
    elif item.status == UnblockStatus.REFERRED:
        can_decide = may(user, Action.DECIDE_REFERRED_UNBLOCK, item.school)
    else:
        can_decide = False
    return render(
        request,
        "registers/unblock_detail.html",
        {
            "item": item,
            "can_decide": can_decide,
            "form": form or DecideUnblockForm(may_refer=item.status == UnblockStatus.REQUESTED),
            "title": "Request to unblock a website",
        },
        status=status,
    )


@login_required
def unblock_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _unblock_detail(request, selectors.unblock_request_for(request.user, pk))


@login_required
@require_POST
def unblock_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.unblock_request_for(request.user, pk)
    form = DecideUnblockForm(request.POST, may_refer=item.status == UnblockStatus.REQUESTED)
    return run_service(
        request,
        lambda: services.unblock_decide(actor=request.user, request=item, **form.cleaned_data),
        form=form,
        page=lambda: _unblock_detail(request, item, status=400, form=form),
        ok="Decision recorded. The person who asked can see it.",
        then=reverse("registers:unblock", args=[pk]),
    )


# Remote learning platforms and AI tools --------------------------------------------------------------------------

KINDS = {
    "remote-learning": (
        RemoteLearningAssessment,
        RemoteLearningForm,
        Action.APPROVE_REMOTE_LEARNING,
        "Risk assessment: an app or platform for remote learning",
        selectors.remote_learning_item_for,
        services.remote_learning_submit,
    ),
    "ai-tools": (
        AiToolApproval,
        AiToolForm,
        Action.APPROVE_AI_TOOL,
        "Approval of an AI tool",
        selectors.ai_tool_for,
        services.ai_tool_submit,
    ),
}


def _kind(kind: str):
    if kind not in KINDS:
        raise Http404("No such register")
    return KINDS[kind]


@login_required
def approval_new(request: HttpRequest, kind: str) -> HttpResponse:
    _, form_class, action, title, _, submit = _kind(kind)
    schools = selectors.my_schools(request.user)
    if not schools.exists():
        raise Http404("No school")
    form = form_class(request.POST or None, schools=schools)

    def page() -> HttpResponse:
        return render(
            request,
            "registers/simple_form.html",
            {
                "form": form,
                "intro": f"Approved by: {selectors.decider_roles(request.user, action)}. "
                "It is reviewed by the date you give.",
                "button": "Send for approval",
                "title": title,
            },
        )

    return run_service(
        request,
        lambda: submit(actor=request.user, **form.cleaned_data),
        form=form,
        page=page,
        ok="Sent for approval.",
        then=lambda item: reverse("registers:approval", kwargs={"kind": kind, "pk": item.pk}),
        denied="raise",
    )


def _facts(item) -> list[tuple[str, str]]:
    names = (
        ["platform", "purpose", "year_groups", "data_protection", "age_limits", "risks"]
        if isinstance(item, RemoteLearningAssessment)
        else ["tool", "purpose", "data_shared", "age_restrictions", "risks"]
    )
    return [(item._meta.get_field(n).verbose_name, getattr(item, n)) for n in names]


def _approval_detail(request: HttpRequest, kind: str, item, status: int = 200, form=None) -> HttpResponse:
    _, _, action, title, _, _ = _kind(kind)
    signed = signatures(item)
    can_decide = (
        item.status == ApprovalStatus.SUBMITTED
        and item.submitted_by_id != request.user.pk
        and may(request.user, action, item.school)
        and all(s.user_id != request.user.pk for s in signed)
    )
    return render(
        request,
        "registers/approval_detail.html",
        {
            "item": item,
            "kind": kind,
            "facts": _facts(item),
            "can_decide": can_decide,
            "approver": selectors.decider_roles(request.user, action),
            "signatures": [(s, role_label(s.role, item.trust.policy.role_labels())) for s in signed],
            "form": form or DecideApprovalForm(initial={"review_on": item.review_on}),
            "review_due": item.is_review_due(),
            "title": title,
        },
        status=status,
    )


@login_required
def approval_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    get = _kind(kind)[4]
    return _approval_detail(request, kind, get(request.user, pk))


@login_required
@require_POST
def approval_decide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    get = _kind(kind)[4]
    item = get(request.user, pk)
    form = DecideApprovalForm(request.POST)

    def decide():
        d = form.cleaned_data
        review_on = d["review_on"] if d["review_on"] and d["review_on"] != item.review_on else None
        return services.approval_decide(
            actor=request.user, item=item, approve=d["decision"] == "approve", note=d["note"], review_on=review_on
        )

    return run_service(
        request,
        decide,
        form=form,
        page=lambda: _approval_detail(request, kind, item, status=400, form=form),
        ok="Decision recorded.",
        then=reverse("registers:approval", kwargs={"kind": kind, "pk": pk}),
    )
