"""The governors' report as a page and as a PDF, for the people the permissions name (Action.VIEW_REPORTS)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from safesocial.audit.services import audit_record
from safesocial.policy.pdf import letterhead, render_pdf

from . import periods, selectors
from .forms import ReportForm
from .report import Report, build_report


def _chosen(request: HttpRequest) -> tuple[ReportForm, Report | None]:
    user = request.user
    schools = selectors.report_schools_for(user)
    allow_trust = selectors.may_see_trust_report(user)
    if not allow_trust and not schools.exists():
        raise PermissionDenied("Governors' reports are for governors, trustees, leaders and safeguarding leads.")
    today = timezone.localdate()
    this_year = periods.year(periods.school_year_of(today)).key
    defaults = {"period": this_year, "school": "" if allow_trust else schools[0].key}
    data = {**defaults, **request.GET.dict()}  # a link may name only the period
    form = ReportForm(data, today=today, schools=schools, allow_trust=allow_trust)
    if not form.is_valid():
        return form, None
    school = selectors.report_scope_for(user, form.cleaned_data["school"])
    period = periods.parse(form.cleaned_data["period"])
    assert period is not None  # the form's choices are periods
    return form, build_report(user.trust, school, period, today)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    form, report = _chosen(request)
    return render(
        request,
        "governors/index.html",
        {
            "form": form,
            "report": report,
            "query": request.GET.urlencode() if report and "period" in request.GET else "",
            "title": f"Governors' report: {report.period.label}, {report.scope}" if report else "Governors' report",
        },
    )


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    form, report = _chosen(request)
    if report is None:
        return render(request, "governors/index.html", {"form": form, "report": None, "title": "Governors' report"})
    html = render_to_string(
        "governors/report_print.html",
        {"report": report, "title": f"Governors' report: {report.period.label}, {report.scope}"}
        | letterhead(report.trust.policy, report.school.name if report.school else ""),
        request=request,
    )
    pdf = render_pdf(html)
    audit_record(
        actor=request.user,
        action="governors_report.download",
        label=f"{report.period.key} {report.school.key if report.school else 'trust'}",
        school_id=report.school.pk if report.school else None,
        changes={"period": report.period.key, "school": report.school.key if report.school else None},
    )
    name = slugify(
        f"{report.trust.short_name or report.trust.name} governors report {report.period.key}"
        f" {report.school.key if report.school else 'trust'}"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
