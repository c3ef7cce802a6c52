import weasyprint
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from safesocial.people.models import Trust
from safesocial.permissions import Action, may, require

from . import selectors
from .explain import explain
from .forms import PolicyFileForm
from .loader import PolicyInvalid
from .services import policy_adopt, trust_create_from_policy


def _document_context(request: HttpRequest, version):
    policy = version.policy
    return {
        "trust": version.trust,
        "policy": policy,
        "version": version,
        "schools_by_key": {s.key: s.name for s in policy.trust.schools},
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
    return render(request, "policy/document.html", context)


@login_required
def document_pdf(request: HttpRequest, number: int | None = None) -> HttpResponse:
    version = _version(request, number)
    html = render_to_string("policy/document_print.html", _document_context(request, version), request=request)
    pdf = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
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
            "title": "Policy versions",
        },
    )


@login_required
def version_source(request: HttpRequest, number: int) -> HttpResponse:
    version = selectors.version_for(request.user, number)
    return HttpResponse(version.text, content_type="text/plain; charset=utf-8")


def _errors_for(form, exc):
    if isinstance(exc, PolicyInvalid):
        for error in exc.errors:
            form.add_error("file", str(error))
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
def adopt(request: HttpRequest) -> HttpResponse:
    trust = selectors.trust_for(request.user)
    require(request.user, Action.ADOPT_POLICY)
    form = PolicyFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = policy_adopt(
                actor=request.user,
                trust=trust,
                text=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except (PolicyInvalid, ValidationError) as exc:
            _errors_for(form, exc)
        else:
            messages.success(request, f"Version {version.number} is now in force. Earlier versions are kept.")
            return redirect("policy:versions")
    return render(
        request,
        "policy/upload.html",
        {"form": form, "title": "Adopt a new version of the policy", "mode": "adopt"},
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
    if request.method == "POST" and form.is_valid():
        try:
            trust = trust_create_from_policy(actor=request.user, text=form.cleaned_data["file"], source="uploaded file")
        except (PolicyInvalid, ValidationError) as exc:
            _errors_for(form, exc)
        else:
            messages.success(request, f"{trust} is set up with {trust.schools.count()} schools and its key contacts.")
            return redirect("people:trust")
    return render(
        request,
        "policy/upload.html",
        {"form": form, "title": "Set up your trust", "mode": "setup", "now": timezone.now()},
    )
