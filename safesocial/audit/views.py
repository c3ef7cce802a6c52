from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from safesocial.permissions import Action, may

from .selectors import entries_for
from .services import audit_verify


@login_required
def log(request: HttpRequest) -> HttpResponse:
    entries = entries_for(request.user)
    trust_wide = may(request.user, Action.VIEW_AUDIT)
    if not trust_wide and not entries.exists():
        raise Http404
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries.order_by("-seq"), 50).get_page(request.GET.get("page"))
    context = {"page": page, "action": action, "title": "Audit trail", "trust_wide": trust_wide}
    if trust_wide and request.GET.get("verify"):
        count, problems = audit_verify()
        context["verified"] = {"count": count, "problems": problems}
    return render(request, "audit/log.html", context)
