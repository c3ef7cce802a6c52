from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from safesocial import hooks
from safesocial.people.models import ParentCarer, Pupil, School
from safesocial.people.selectors import schools_for, staff_for
from safesocial.permissions import Action, may, schools_where
from safesocial.views_kit import fragment_view, is_partial, query_without_page, run_service
from safesocial.web import limit_reached

from . import exports, referrals, selectors, services, triage
from .forms import (
    ActionForm,
    CloseForm,
    CorrectionForm,
    DestroyForm,
    EvidenceForm,
    HoldForm,
    LinkForm,
    NoteForm,
    PublicReportForm,
    ReferralForm,
    ReferralOutcomeForm,
    ReopenForm,
    ReportForm,
    RetentionForm,
    SentForm,
    StepForm,
    TransferForm,
    TriageForm,
)
from .models import ChronologyEntry, ConcernStatus
from .types import BY_KEY, PUBLIC, REPORTABLE, guidance_for

PAGE_SIZE = 50


# The list, patterns ------------------------------------------------------------------------------------------------


@fragment_view
@login_required
def concern_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = selectors.Filters(
        status=request.GET.get("status", ""),
        school=request.GET.get("school", ""),
        kind=request.GET.get("kind", ""),
        q=request.GET.get("q", "").strip()[:100],
        link=request.GET.get("link", ""),
        retention=request.GET.get("retention") == "1",
    )
    receives = (
        may(user, Action.RECEIVE_CONCERNS)
        or schools_where(user, Action.RECEIVE_CONCERNS).exists()
        or schools_where(user, Action.RECEIVE_STAFF_CONCERNS).exists()
    )
    since = services.concern_list_visit(actor=user) if receives else None
    rows = selectors.concern_list(user, filters)
    # Sorting the ids alone (and counting them as they are sorted) and reading one page's rows after is what keeps
    # the list and its search quick with 50,000 concerns.
    page = selectors.ids_page(rows, request.GET.get("page"), PAGE_SIZE, searching=bool(filters.q))
    context = {
        "page": page,
        "concerns": selectors.list_rows(
            user, selectors.page_of(rows.select_related("reported_by"), page.object_list), since
        )
        if receives
        else [],
        "filtering": bool(filters.status or filters.school or filters.kind),
        "filters": filters,
        "query": query_without_page(request),
        "schools": schools_where(user, Action.RECEIVE_CONCERNS) | schools_where(user, Action.RECEIVE_STAFF_CONCERNS),
        "kinds": [(t.key, t.label) for t in BY_KEY.values()],
        "statuses": ConcernStatus.choices,
        "mine": list(selectors.reported_by(user).order_by("-created_at")[:20]),
        "actions": list(selectors.actions_due_for(user)[:50]),
        "receives": receives,
        "title": "Safeguarding concerns",
    }
    template = "concerns/list.html#results" if is_partial(request) else "concerns/list.html"
    return render(request, template, context)


@login_required
def patterns(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (
        schools_where(user, Action.RECEIVE_CONCERNS).exists()
        or schools_where(user, Action.RECEIVE_STAFF_CONCERNS).exists()
    ):
        raise Http404("No such page")
    found = selectors.patterns_for(user)
    return render(request, "concerns/patterns.html", {"patterns": found, "title": "Patterns in concerns"})


# Reporting -----------------------------------------------------------------------------------------------------------


def _report_choices(request: HttpRequest, school: School | None):
    user = request.user
    pupils, parents = Pupil.objects.none(), ParentCarer.objects.none()
    viewable = [s.pk for s in schools_where(user, Action.VIEW_PUPILS)]
    if viewable:
        pupils = Pupil.objects.filter(school_id__in=viewable, on_roll=True).select_related("school")
        parents = ParentCarer.objects.filter(trust_id=user.trust_id, pupils__school_id__in=viewable).distinct()
    return pupils, parents, staff_for(user)


def _found(request: HttpRequest, form, school: School | None) -> dict:
    """What the people search found, plus whoever is already ticked, so nothing chosen is lost on a re-render."""
    q = (request.POST.get("people_q") or request.GET.get("people_q") or "").strip()
    found = {"pupils": [], "parents": [], "staff": []}
    if q and school is not None:
        found = selectors.search_people(request.user, school, q)
    elif q:
        found["staff"] = list(staff_for(request.user).filter(full_name__icontains=q)[:10])
    chosen = {}
    for name, field in (("pupils", "pupils"), ("parents", "parents"), ("staff", "staff_subject")):
        ids = [v for v in (form.data.getlist(field) if form.is_bound else []) if v.isdigit()]
        if name == "staff":
            ids += [v for v in (form.data.getlist("staff_involved") if form.is_bound else []) if v.isdigit()]
        chosen[name] = list(form.fields[field].queryset.filter(pk__in=ids))
    merged = {k: list(dict.fromkeys([*chosen[k], *found[k]])) for k in found}
    ticked = {
        "pupils": set(form.data.getlist("pupils")) if form.is_bound else set(),
        "parents": set(form.data.getlist("parents")) if form.is_bound else set(),
        "staff_subject": set(form.data.getlist("staff_subject")) if form.is_bound else set(),
        "staff_involved": set(form.data.getlist("staff_involved")) if form.is_bound else set(),
    }
    return {"found": merged, "ticked": ticked, "people_q": q}


def _default_school(request: HttpRequest) -> School | None:
    assignment = request.user.role_assignments.filter(school__isnull=False).select_related("school").first()
    return assignment.school if assignment else None


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """Report a concern in under a minute: the kind, the school, what happened, when and where, who, and files."""
    user = request.user
    if user.trust_id is None:
        raise Http404("No trust")
    schools = schools_for(user)
    pupils, parents, staff = _report_choices(request, None)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        schools=schools,
        pupils=pupils,
        parents=parents,
        staff=staff,
        policy=user.trust.policy,
        initial={"school": _default_school(request), "kind": request.GET.get("kind", "")},
    )
    school = None
    if form.is_bound and (sid := request.POST.get("school", "")).isdigit():
        school = schools.filter(pk=int(sid)).first()
    elif not form.is_bound:
        school = _default_school(request)
    searching = request.method == "POST" and "search" in request.POST

    def page() -> HttpResponse:
        if searching:
            # The people search without JavaScript posts the whole form: it is not a send, so nothing is wrong yet.
            form.errors.clear()
        kind = form.data.get("kind") if form.is_bound else request.GET.get("kind", "")
        return render(
            request,
            "concerns/report.html",
            {
                "form": form,
                "guidance": _guidance(user.trust.policy, kind or ""),
                "searching": searching,
                **_found(request, form, school),
                "title": "Report a concern",
            },
        )

    def report_it():
        data = form.cleaned_data
        people = services.People(
            pupils=list(data["pupils"]),
            parents=list(data["parents"]),
            staff_subjects=list(data["staff_subject"]),
            staff_involved=[s for s in data["staff_involved"] if s not in data["staff_subject"]],
            accounts=data["other_accounts"],
        )
        return services.concern_report(
            actor=user,
            school=data["school"],
            people=people,
            harm_likely=data["harm_likely"],
            **_what_happened(data),
        )

    if searching:
        return page()
    return run_service(
        request,
        report_it,
        form=form,
        page=page,
        ok=lambda result: _say_what_was_kept(request, result.kept, result.refused, reported=True),
        then=lambda result: reverse("concerns:detail", args=[result.concern.pk]),
        denied="raise",
    )


def _what_happened(data: dict) -> dict:
    """What both report forms ask about what happened and where, as the services take it."""
    names = ("kind", "summary", "occurred_at", "platform", "url", "account_handle", "files", "at_risk_now")
    return {name: data[name] for name in names}


def _say_what_was_kept(request: HttpRequest, kept, refused, *, reported: bool) -> None:
    if reported:
        messages.success(
            request,
            "Your concern has been recorded and the people the policy names have been told. Thank you."
            + (f" {len(kept)} file{'s' if len(kept) != 1 else ''} kept as evidence." if kept else ""),
        )
    elif kept:
        messages.success(request, f"{len(kept)} file{'s' if len(kept) != 1 else ''} added as evidence.")
    for item in refused:
        messages.error(request, f"{item.name} was not added: {item.reason}")


def _guidance(policy, kind: str) -> dict | None:
    if kind not in BY_KEY:
        return None
    text, source = guidance_for(kind, policy)
    about_staff = BY_KEY[kind].about_staff and policy is not None
    return {
        "kind": BY_KEY[kind],
        "text": text,
        "from_policy": source == "policy",
        # Policy: staff are told of the whistleblowing procedure where they report a colleague, and whom to tell when
        # their own content conflicts with their role.
        "whistleblowing": policy.whistleblowing if about_staff else None,
        "own_content_to": policy.personal_use.own_content_conflict_to if about_staff else None,
    }


@fragment_view
@login_required
def guidance(request: HttpRequest) -> HttpResponse:
    """The policy's guidance for a kind of concern: the form swaps it in as the kind changes (htmx); without
    JavaScript this page lists the guidance for every kind."""
    policy = request.user.trust.policy if request.user.trust_id else None
    kind = request.GET.get("kind", "")
    if is_partial(request):
        return render(request, "concerns/report.html#guidance", {"guidance": _guidance(policy, kind)})
    rows = [_guidance(policy, t.key) for t in REPORTABLE]
    return render(request, "concerns/guidance.html", {"rows": rows, "title": "What to do: guidance by kind of concern"})


@fragment_view
@login_required
def people_search(request: HttpRequest) -> HttpResponse:
    """Pupils, parents and colleagues matching a name, as checkboxes for the report form (htmx)."""
    user = request.user
    schools = schools_for(user)
    sid = request.GET.get("school", "")
    school = schools.filter(pk=int(sid)).first() if sid.isdigit() else None
    pupils, parents, staff = _report_choices(request, school)
    form = ReportForm(schools=schools, pupils=pupils, parents=parents, staff=staff, policy=user.trust.policy)
    context = {"form": form, **_found(request, form, school)}
    return render(request, "concerns/report.html#people", context)


PUBLIC_LIMIT = 5  # reports per hour from one client (its real address, through TRUSTED_PROXIES)
PUBLIC_WINDOW = 3600


@never_cache
def public_report(request: HttpRequest, school_id: int) -> HttpResponse:
    """The form for parents, pupils and the community: no account, a few questions, a reference number back."""
    school = School.objects.select_related("trust").filter(pk=school_id).first()
    if school is None:
        raise Http404("No such school")
    policy = school.trust.policy
    form = PublicReportForm(request.POST or None, request.FILES or None)
    limited = False

    def page() -> HttpResponse:
        return render(
            request,
            "concerns/public_report.html",
            {
                "form": form,
                "school": school,
                "limited": limited,
                "kinds": PUBLIC,
                "title": f"Report a worry to {school.name}",
            },
            status=429 if limited else 200,
        )

    def sent(result) -> HttpResponse:
        context = _public_context(school, policy, result.concern.reference, result.kept, result.refused)
        return render(request, "concerns/public_done.html", context)

    if not form.is_valid():
        return page()
    data = form.cleaned_data
    if data["website"]:
        # A robot filled in the field people cannot see: thank it and keep nothing.
        return render(request, "concerns/public_done.html", _public_context(school, policy, "", [], []))
    # Only a complete form counts: a parent correcting mistakes in the form uses up nothing.
    limited = limit_reached(request, "concerns-public", limit=PUBLIC_LIMIT, window=PUBLIC_WINDOW)
    if limited:
        return page()
    return run_service(
        request,
        lambda: services.concern_report_public(
            school=school,
            reporter_name=data["reporter_name"],
            reporter_contact=data["reporter_contact"],
            reporter_relationship=data["reporter_relationship"],
            **_what_happened(data),
        ),
        form=form,
        page=page,
        ok=None,
        then=sent,
        denied="raise",
    )


def _public_context(school, policy, reference, kept, refused) -> dict:
    return {
        "school": school,
        "reference": reference,
        "kept": kept,
        "refused": refused,
        "title": "Thank you: your report has been sent",
    }


# One concern ---------------------------------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, concern, **forms) -> dict:
    user = request.user
    manage = selectors.can_manage(user, concern)
    evidence = list(concern.evidence.select_related("uploaded_by"))
    context = {
        "concern": concern,
        "kind": BY_KEY.get(concern.kind),
        "manage": manage,
        "evidence": evidence,
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "guidance": _guidance(concern.trust.policy, concern.kind),
        "title": f"Concern {concern.pk}",
    }
    if not manage:
        return context
    pupils, parents, staff = _report_choices(request, concern.school)
    custody = selectors.custody_of(evidence)
    for e in evidence:
        e.custody = custody.get(e.pk, [])
    q = request.GET.get("people_q", "").strip()
    found = {"pupils": [], "parents": [], "staff": []}
    if q and concern.school is not None:
        found = selectors.search_people(user, concern.school, q)
    elif q:
        found["staff"] = list(staff.filter(full_name__icontains=q)[:10])
    context.update(
        {
            "found": found,
            "ticked": {},
            "people_q": q,
            "comments": concern.comments.select_related("channel"),
            "links": list(selectors.links_of(concern)),
            "chronology": list(selectors.chronology_of(concern)),
            "actions": list(selectors.actions_of(concern)),
            "note_form": forms.get("note_form") or NoteForm(),
            "action_form": forms.get("action_form") or ActionForm(assignees=selectors.may_assign_to(concern)),
            "triage_form": forms.get("triage_form")
            or TriageForm(levels=triage.choices(concern.trust.policy), initial={"level": concern.triage_level}),
            "level_label": selectors.level_label(concern),
            "urgent": selectors.is_urgent(concern),
            "step_form": forms.get("step_form") or StepForm(),
            "referral_form": forms.get("referral_form")
            or ReferralForm(advice=concern.trust.policy.concerns.external_advice),
            "referrals": _referrals(concern, forms.get("outcome_form")),
            "lado": selectors.lado_clock(concern),
            "close_form": forms.get("close_form") or CloseForm(initial={"outcome": concern.outcome}),
            "reopen_form": forms.get("reopen_form") or ReopenForm(),
            "retention_form": forms.get("retention_form") or RetentionForm(),
            "link_form": forms.get("link_form") or LinkForm(pupils=pupils, parents=parents, staff=staff),
            "receivers": list(selectors.receivers(concern)),
            "retention_due": bool(concern.retain_until and concern.retain_until <= timezone.localdate()),
            "policy": concern.trust.policy,
            # Panels from the floors above (hooks.CONCERN_PANELS): the parent escalations started from the concern.
            "panels": hooks.panels(hooks.CONCERN_PANELS, request, concern),
        }
    )
    return context


def _referrals(concern, failed: ReferralOutcomeForm | None) -> list:
    """Each referral with its labels and the form for its outcome (the one just refused, as typed)."""
    rows = list(selectors.referrals_of(concern))
    for r in rows:
        r.label = services.referral_label(concern, r.kind)
        r.reference_label = referrals.BY_KEY[r.kind].reference_label
        if failed is not None and failed.referral_id == r.pk:
            r.outcome_form = failed
        else:
            r.outcome_form = ReferralOutcomeForm(referral_id=r.pk)
    return rows


@login_required
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_for(request.user, pk)
    return render(request, "concerns/detail.html", _detail_context(request, concern))


def _managed(request: HttpRequest, pk: int):
    concern = selectors.concerns_for(request.user).filter(pk=pk).first()
    if concern is None:
        raise Http404("No such concern")
    return concern


def _at(concern, part: str) -> str:
    """The concern's page, at one of its parts."""
    return reverse("concerns:detail", args=[concern.pk]) + f"#{part}"


def _again(request: HttpRequest, concern, **forms):
    """The concern's page again, with the form refused shown as typed (a 400)."""

    def page() -> HttpResponse:
        return render(request, "concerns/detail.html", _detail_context(request, concern, **forms), status=400)

    return page


def _from_the_page(request: HttpRequest, concern, part: str, form, call, ok: str) -> HttpResponse:
    """One write from a form on the concern's page (the page's `<part>_form`): done, back to that part of the page;
    bad input, the page again with the form as typed. Someone who may see the concern but not act on it gets a 404,
    as anyone else would: a concern is invisible, not forbidden."""
    page = _again(request, concern, **{f"{part}_form": form})
    return run_service(request, call, form=form, page=page, ok=ok, then=_at(concern, part), denied="404")


@login_required
@require_POST
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _managed(request, pk)
    form = NoteForm(request.POST)
    return _from_the_page(
        request,
        concern,
        "note",
        form,
        lambda: services.chronology_add(actor=request.user, concern=concern, text=form.cleaned_data["text"]),
        "Added to the chronology.",
    )


@login_required
@require_POST
def add_action(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _managed(request, pk)
    form = ActionForm(request.POST, assignees=selectors.may_assign_to(concern))
    return _from_the_page(
        request,
        concern,
        "action",
        form,
        lambda: services.action_add(actor=request.user, concern=concern, **form.cleaned_data),
        "Action set.",
    )


@login_required
@require_POST
def action_done(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    concern = _managed(request, pk)
    action = concern.actions.filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action")
    return run_service(
        request,
        lambda: services.action_done(actor=request.user, action=action, note=request.POST.get("note", "").strip()),
        ok="Action marked done.",
        then=_at(concern, "actions"),
        denied="raise",
    )


@login_required
@require_POST
def record_step(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _managed(request, pk)
    form = StepForm(request.POST)
    return _from_the_page(
        request,
        concern,
        "step",
        form,
        lambda: services.concern_record_step(actor=request.user, concern=concern, **form.cleaned_data),
        "Recorded.",
    )


@login_required
@require_POST
def record_referral(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _managed(request, pk)
    form = ReferralForm(request.POST, advice=concern.trust.policy.concerns.external_advice)
    return _from_the_page(
        request,
        concern,
        "referral",
        form,
        lambda: services.referral_record(actor=request.user, concern=concern, **form.cleaned_data),
        "Referral recorded in the chronology.",
    )


@login_required
@require_POST
def referral_outcome(request: HttpRequest, pk: int, referral_id: int) -> HttpResponse:
    concern = _managed(request, pk)
    referral = concern.referrals.filter(pk=referral_id).first()
    if referral is None:
        raise Http404("No such referral")
    form = ReferralOutcomeForm(request.POST, referral_id=referral.pk)
    return _from_the_page(
        request,
        concern,
        "outcome",
        form,
        lambda: services.referral_outcome(actor=request.user, referral=referral, **form.cleaned_data),
        "Outcome recorded in the chronology.",
    )


@login_required
@require_POST
def triage_set(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _managed(request, pk)
    form = TriageForm(request.POST, levels=triage.choices(concern.trust.policy))
    return _from_the_page(
        request,
        concern,
        "triage",
        form,
        lambda: services.concern_triage(actor=request.user, concern=concern, **form.cleaned_data),
        "Level recorded.",
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _managed(request, pk)
    services.concern_acknowledge(actor=request.user, concern=concern)
    messages.success(request, "Acknowledged: your colleagues can see that you are dealing with it.")
    return redirect(reverse("concerns:detail", args=[concern.pk]) + "#triage")


@login_required
@require_POST
def link_people(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _managed(request, pk)
    pupils, parents, staff = _report_choices(request, concern.school)
    form = LinkForm(request.POST, pupils=pupils, parents=parents, staff=staff)

    def link():
        d = form.cleaned_data
        people = services.People(
            pupils=list(d["pupils"]),
            parents=list(d["parents"]),
            staff_subjects=list(d["staff_subject"]),
            staff_involved=list(d["staff_involved"]),
            accounts=d["other_accounts"],
        )
        return services.concern_link_add(actor=request.user, concern=concern, people=people)

    response = _from_the_page(request, concern, "link", form, link, "Linked.")
    # Naming the viewer's own colleague as the subject may route the concern away from the viewer.
    if response.status_code == 302 and not selectors.can_manage(request.user, concern):
        messages.info(request, "The concern now goes to the people the policy names for concerns about staff.")
        return redirect("concerns:list")
    return response


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _managed(request, pk)
    form = CloseForm(request.POST)
    return _from_the_page(
        request,
        concern,
        "close",
        form,
        lambda: services.concern_close(actor=request.user, concern=concern, **form.cleaned_data),
        "Concern closed. The debrief goes to the policy's next review.",
    )


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _managed(request, pk)
    form = ReopenForm(request.POST)
    return _from_the_page(
        request,
        concern,
        "reopen",
        form,
        lambda: services.concern_reopen(actor=request.user, concern=concern, **form.cleaned_data),
        "Concern reopened.",
    )


@login_required
@require_POST
def retention_review(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _managed(request, pk)
    form = RetentionForm(request.POST)
    return _from_the_page(
        request,
        concern,
        "retention",
        form,
        lambda: services.concern_retention_review(actor=request.user, concern=concern, **form.cleaned_data),
        "Retention reviewed: the record is kept.",
    )


@login_required
def retention_list(request: HttpRequest) -> HttpResponse:
    """The retention review: every record the DSL manages that is past its date, each kept, held or destroyed."""
    return render(request, "concerns/retention.html", {"rows": list(selectors.retention_due(request.user))})


# A decision from the retention review page comes back to that page, as a message naming the record.


@login_required
@require_POST
def destroy(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _managed(request, pk)
    form = DestroyForm(request.POST)
    return run_service(
        request,
        lambda: services.concern_destroy(actor=request.user, concern=concern, **form.cleaned_data),
        form=form,
        about=f"{concern.reference}: ",
        ok="destroyed. Its audit tombstone records what it was, when, by whom and under which rule.",
        then="concerns:retention_list",
        denied="404",
    )


@login_required
@require_POST
def legal_hold(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _managed(request, pk)
    form = HoldForm(request.POST)
    return run_service(
        request,
        lambda: services.concern_legal_hold(actor=request.user, concern=concern, **form.cleaned_data),
        form=form,
        about=f"{concern.reference}: ",
        ok="legal hold updated.",
        then="concerns:retention_list",
        denied="404",
    )


@login_required
@require_POST
def retention_keep(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _managed(request, pk)
    form = RetentionForm(request.POST)
    return run_service(
        request,
        lambda: services.concern_retention_review(actor=request.user, concern=concern, **form.cleaned_data),
        form=form,
        about=f"{concern.reference}: ",
        ok="kept.",
        then="concerns:retention_list",
        denied="404",
    )


# Records that move with the child ------------------------------------------------------------------------------


def _transfer_page(request: HttpRequest, pupil: Pupil, form: TransferForm | None = None, status: int = 200):
    schools = School.objects.filter(trust_id=pupil.school.trust_id).exclude(pk=pupil.school_id).order_by("name")
    return render(
        request,
        "concerns/transfer.html",
        {
            "pupil": pupil,
            "form": form or TransferForm(schools=schools, initial={"moved_on": timezone.localdate()}),
            "transfers": list(selectors.transfers_of(pupil)),
            "sent_form": SentForm(initial={"sent_on": timezone.localdate()}),
        },
        status=status,
    )


@login_required
def transfer(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """A pupil's records going with them to a new school: within the trust moved at once, outside it a package
    to send and a record of when it went (KCSIE: within five school days)."""
    pupil = selectors.transfer_pupil_for(request.user, pupil_id)
    if request.method != "POST":
        return _transfer_page(request, pupil)
    schools = School.objects.filter(trust_id=pupil.school.trust_id).exclude(pk=pupil.school_id).order_by("name")
    form = TransferForm(request.POST, schools=schools)

    def made(transfer) -> str:
        if transfer.in_trust:
            return f"{transfer.concerns.count()} record(s) moved to {transfer.to_school.name}."
        return f"Transfer recorded: download the package and send it by {transfer.due_on:%-d %B %Y}."

    return run_service(
        request,
        lambda: services.records_transfer(actor=request.user, pupil=pupil, **form.cleaned_data),
        form=form,
        page=lambda: _transfer_page(request, pupil, form, status=400),
        ok=made,
        then=reverse("concerns:transfer", kwargs={"pupil_id": pupil.pk}),
        denied="raise",
    )


def _transfer_of(request: HttpRequest, pupil_id: int, pk: int):
    pupil = selectors.transfer_pupil_for(request.user, pupil_id)
    found = selectors.transfers_of(pupil).filter(pk=pk).first()
    if found is None:
        raise Http404("No such transfer")
    return pupil, found


@login_required
@require_POST
def transfer_sent(request: HttpRequest, pupil_id: int, pk: int) -> HttpResponse:
    pupil, found = _transfer_of(request, pupil_id, pk)
    form = SentForm(request.POST)
    return run_service(
        request,
        lambda: services.transfer_sent(actor=request.user, transfer=found, **form.cleaned_data),
        form=form,
        invalid="Give the date it was sent, and how and to whom.",
        ok=f"Recorded as sent to {found.destination}.",
        then=reverse("concerns:transfer", kwargs={"pupil_id": pupil.pk}),
        denied="raise",
    )


@login_required
@never_cache
def transfer_package(request: HttpRequest, pupil_id: int, pk: int) -> HttpResponse:
    _, found = _transfer_of(request, pupil_id, pk)
    made = exports.transfer_package(actor=request.user, transfer=found)
    response = HttpResponse(made.data, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response


def _entry_of(request: HttpRequest, pk: int, entry_id: int) -> ChronologyEntry:
    concern = _managed(request, pk)
    entry = ChronologyEntry.objects.filter(concern=concern, pk=entry_id).select_related("concern__trust").first()
    if entry is None:
        raise Http404("No such entry")
    return entry


@login_required
@require_POST
def correct_entry(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    entry = _entry_of(request, pk, entry_id)
    form = CorrectionForm(request.POST)
    return run_service(
        request,
        lambda: services.chronology_correct(actor=request.user, entry=entry, text=form.cleaned_data["text"]),
        form=form,
        invalid="Correction: write what should be corrected.",
        ok="Correction added. The original entry stays on the record.",
        then=_at(entry.concern, f"entry-{entry.pk}"),
        denied="raise",
    )


@login_required
@require_POST
def change_entry(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    """Editing or deleting an entry is refused, clearly: the chronology is append-only."""
    entry = _entry_of(request, pk, entry_id)

    def change() -> None:
        if request.POST.get("delete"):
            services.chronology_delete(actor=request.user, entry=entry)
        else:
            services.chronology_edit(actor=request.user, entry=entry, text=request.POST.get("text", ""))

    return run_service(request, change, ok=None, then=_at(entry.concern, f"entry-{entry.pk}"), denied="raise")


@login_required
@require_POST
def add_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_for(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    return run_service(
        request,
        lambda: services.evidence_add(actor=request.user, concern=concern, files=form.cleaned_data["files"]),
        form=form,
        page=_again(request, concern, evidence_form=form),
        ok=lambda result: _say_what_was_kept(request, *result, reported=False),
        then=_at(concern, "evidence"),
        denied="raise",
    )


@login_required
def evidence_file(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    """A file of evidence, checked against its SHA-256 and logged; ?download=1 saves it, otherwise it opens."""
    concern = selectors.concern_for(request.user, pk)
    download = request.GET.get("download") == "1"
    evidence, data, intact = selectors.evidence_for(request.user, concern, evidence_id, download=download)
    if not intact:
        messages.error(
            request,
            f"{evidence.original_name} no longer matches the fingerprint (SHA-256) taken when it was received: "
            "it may have been altered or damaged in storage. It has not been served. Tell the trust's data "
            "protection officer; the attempt is in the audit trail.",
        )
        return redirect(reverse("concerns:detail", args=[concern.pk]) + "#evidence")
    response = HttpResponse(data, content_type=evidence.content_type)
    disposition = "attachment" if download or evidence.content_type == "text/plain" else "inline"
    safe = evidence.original_name.replace('"', "")
    response["Content-Disposition"] = f'{disposition}; filename="{safe}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'"
    response["X-Evidence-SHA256"] = evidence.sha256
    return response


@login_required
@never_cache
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The case as a PDF chronology, as JSON, or as a zip of both with the evidence and a manifest (exports.py)."""
    made = exports.case_export(actor=request.user, pk=pk, fmt=fmt)
    response = HttpResponse(made.data, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response
