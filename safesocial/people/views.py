from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safesocial import hooks
from safesocial.audit.services import audit_record
from safesocial.permissions import Action, may, schools_where
from safesocial.views_kit import fragment_view, is_partial, run_service

from . import selectors
from .forms import RoleForm, StaffForm
from .models import RoleAssignment
from .services import RoleSpec, declared_roles, role_grant, role_revoke, staff_create


def _trust_member(request: HttpRequest):
    if request.user.trust_id is None:
        raise Http404("You are not on the staff of a trust")
    return request.user.trust


@login_required
def trust_detail(request: HttpRequest) -> HttpResponse:
    trust = _trust_member(request)
    return render(
        request,
        "people/trust.html",
        {
            "trust": trust,
            "summaries": selectors.school_summaries(request.user),
            "policy": trust.policy,
            "version": trust.policy_version,
            "title": trust.name,
        },
    )


@login_required
def school_detail(request: HttpRequest, key: str) -> HttpResponse:
    school = selectors.school_for(request.user, key)
    staff = selectors.staff_for(request.user, school)
    return render(
        request,
        "people/school.html",
        {
            "school": school,
            "staff": staff,
            "safeguarding": selectors.safeguarding_contacts(school),
            "can_see_pupils": may(request.user, Action.VIEW_PUPILS, school),
            "title": f"{school.name}: staff page",
        },
    )


@fragment_view
@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    _trust_member(request)
    schools = selectors.schools_for(request.user)
    school = None
    if request.GET.get("school"):
        school = selectors.school_for(request.user, request.GET["school"])
    staff = selectors.staff_for(request.user, school)
    query = request.GET.get("q", "").strip()
    if query:
        staff = staff.filter(full_name__icontains=query) | staff.filter(email__icontains=query)
    context = {
        "staff": staff,
        "schools": schools,
        "school": school,
        "q": query,
        "can_add": schools_where(request.user, Action.MANAGE_STAFF).exists() or may(request.user, Action.MANAGE_STAFF),
        "title": "People",
    }
    template = "people/staff_list.html#results" if is_partial(request) else "people/staff_list.html"
    return render(request, template, context)


def _manageable_schools(user):
    return schools_where(user, Action.MANAGE_STAFF)


@login_required
def staff_add(request: HttpRequest) -> HttpResponse:
    trust = _trust_member(request)
    schools = _manageable_schools(request.user)
    if not schools.exists() and not may(request.user, Action.MANAGE_STAFF):
        raise Http404
    form = StaffForm(request.POST or None, schools=schools, extra_roles=declared_roles(trust))

    def add():
        data = form.cleaned_data
        return staff_create(
            actor=request.user,
            trust=trust,
            email=data["email"],
            full_name=data["full_name"],
            job_title=data["job_title"],
            roles=[RoleSpec(data["role"], data["school"])],
        )

    return run_service(
        request,
        add,
        form=form,
        page=lambda: render(request, "people/staff_add.html", {"form": form, "title": "Add a member of staff"}),
        ok=lambda member: f"{member} has been added. They can sign in with their school account.",
        then=lambda member: reverse("people:member", args=[member.pk]),
        denied="raise",
    )


@login_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.staff_member_for(request.user, pk)
    schools = _manageable_schools(request.user)
    can_manage = schools.exists() or may(request.user, Action.MANAGE_STAFF)
    return render(
        request,
        "people/staff_detail.html",
        {
            "member": member,
            "form": RoleForm(schools=schools, extra_roles=declared_roles(member.trust)) if can_manage else None,
            "can_manage": can_manage,
            "title": str(member),
        },
    )


@login_required
@require_POST
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.staff_member_for(request.user, pk)
    form = RoleForm(request.POST, schools=_manageable_schools(request.user), extra_roles=declared_roles(member.trust))
    return run_service(
        request,
        lambda: role_grant(actor=request.user, user=member, **form.cleaned_data),
        form=form,
        invalid="Choose a role and where it is held.",
        ok="Role added.",
        then=reverse("people:member", args=[member.pk]),
        denied="raise",
    )


@login_required
@require_POST
def role_remove(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    member = selectors.staff_member_for(request.user, pk)
    assignment = RoleAssignment.objects.filter(pk=assignment_id, user=member).select_related("school").first()
    if assignment is None:
        raise Http404
    return run_service(
        request,
        lambda: role_revoke(actor=request.user, assignment=assignment),
        ok=f"{assignment.role_label} removed.",
        then=reverse("people:member", args=[member.pk]),
        denied="raise",
    )


@login_required
def pupil_list(request: HttpRequest, key: str) -> HttpResponse:
    school = selectors.school_for(request.user, key)
    pupils = selectors.pupils_for(request.user, school)
    year = request.GET.get("year", "")
    query = request.GET.get("q", "").strip()
    if year:
        pupils = pupils.filter(year_group=year)
    if query:
        pupils = pupils.filter(last_name__icontains=query) | pupils.filter(first_name__icontains=query)
    page = Paginator(pupils.order_by("last_name", "first_name"), 50).get_page(request.GET.get("page"))
    years = sorted(
        set(selectors.pupils_for(request.user, school).values_list("year_group", flat=True)),
        key=lambda y: (len(y), y),
    )
    return render(
        request,
        "people/pupil_list.html",
        {
            "school": school,
            "page": page,
            "years": years,
            "year": year,
            "q": query,
            "title": f"Pupils at {school}",
        },
    )


@login_required
def pupil_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = selectors.pupil_for(request.user, pk)
    # Pupil records are personal data about children: every read is on the record.
    audit_record(
        actor=request.user,
        action="pupil.view",
        obj=pupil,
        label=f"pupil {pupil.pk}",
        school_id=pupil.school_id,
    )
    # Consent and publishing add their panels (hooks.PUPIL_PANELS): people sits below them.
    panels = hooks.panels(hooks.PUPIL_PANELS, request, pupil)
    context = {"pupil": pupil, "parents": selectors.parents_of(pupil), "title": str(pupil), "panels": panels}
    return render(request, "people/pupil_detail.html", context)
