"""What every app's views share: running a service and showing its refusal, and telling htmx's request for a piece
of a page from a request for the whole page.

A view gathers its input, hands the service call to `run_service`, and says where to go next. A refusal (bad input,
or a permission the policy does not give) is shown the same way everywhere: beside the form field it names, at the
top of the form, or as a message on the next page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.vary import vary_on_headers

from safesocial.forms import errors_into

R = TypeVar("R")

# htmx sends HX-Request on every request it makes; on a history restore (the page is not in its cache) it sends
# HX-History-Restore-Request too, and wants the whole page. A response that depends on them says so in Vary.
FRAGMENT_HEADERS = ("HX-Request", "HX-History-Restore-Request")


def is_partial(request: HttpRequest) -> bool:
    """True when htmx asks for a fragment to swap into the page it shows; False for a page load, and for htmx
    restoring history, which rebuilds the whole page from the answer."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


# For a view that answers htmx with a fragment and everything else with the page: the browser's cache (and any other)
# keeps the two apart, so Back never shows a bare fragment as the page.
fragment_view = vary_on_headers(*FRAGMENT_HEADERS)


def query_without_page(request: HttpRequest) -> str:
    """The list's filters from the query string, without its page: for the links to the next and previous pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def refusal_text(exc: ValidationError | PermissionDenied) -> str:
    """A refusal as one sentence or more, for a message."""
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def run_service(
    request: HttpRequest,
    call: Callable[[], R],
    *,
    ok: str | Callable[[R], str | None] | None,
    then: str | Callable[[R], str | HttpResponse],
    back: str | None = None,
    form: forms.Form | None = None,
    field: str | None = None,
    page: Callable[[], HttpResponse] | None = None,
    invalid: str | None = None,
    about: str = "",
    denied: Literal["say", "raise", "404"] = "say",
    fragment: Callable[[str, bool], HttpResponse] | None = None,
) -> HttpResponse:
    """Run one service call for a view, and answer the browser.

    - `form`: checked first; the call runs only when it is valid, and a refusal goes onto it: bad input beside the
      field the service names (else beside `field`, else at the top), a permission refusal at the top. An unbound
      form (`Form(request.POST or None)` on a GET) is never valid, so a GET shows the `page`.
    - `page`: the page again (with the form as typed, and its status code); without one, the browser goes to `back`
      with the refusal as a message (`invalid` is the message for a form filled in wrongly; else the form's errors).
    - `ok`: said on success (a callable gets the service's result and may say nothing); `then`: where to go, a URL
      or view name, or a callable from the result to either, or to a response of its own (a PDF, a page).
    - `about` starts every message (the record a list page acted on).
    - `denied`: a permission refusal is said like any other ("say"), or is the 403 page ("raise"), or a 404 for
      records that must stay invisible to someone who may not act on them ("404").
    - `fragment`: for htmx (see is_partial), the piece of the page to swap in instead, given what to say and whether
      the service went through; without JavaScript the same form posts and the whole page comes back.
    """
    if form is not None and not form.is_valid():
        if page is not None:
            return page()
        refused = invalid or " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, about + refused)
        return _back(back or then)
    try:
        result = call()
    except (ValidationError, PermissionDenied) as exc:
        if isinstance(exc, PermissionDenied) and denied == "raise":
            raise
        if isinstance(exc, PermissionDenied) and denied == "404":
            raise Http404("Not found") from None
        refused = about + refusal_text(exc)
        if fragment is not None and is_partial(request):
            return fragment(refused, False)
        if form is None or page is None:  # no page to show the form again on: the refusal goes with the redirect
            messages.error(request, refused)
        elif isinstance(exc, ValidationError):
            errors_into(form, exc, field=field)
        else:
            form.add_error(None, str(exc))
        return page() if page is not None else _back(back or then)
    said = ok(result) if callable(ok) else ok
    if fragment is not None and is_partial(request):
        return fragment(about + (said or ""), True)
    if said:
        messages.success(request, about + said)
    target = then(result) if callable(then) else then
    return target if isinstance(target, HttpResponse) else redirect(target)


def _back(target: str | Callable) -> HttpResponse:
    if callable(target):
        raise TypeError("run_service needs `back` (or `page`) when `then` depends on the service's result")
    return redirect(target)
