"""Idle sessions expire without a database write on every page."""

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Saving the session renews its expiry (SESSION_COOKIE_AGE from now); at most this often, so the idle limit holds to
# within a minute while a busy reviewer's clicks cost one session write a minute, not one a page.
RENEW_EVERY_SECONDS = 60
_RENEWED = "_renewed_at"


class SessionRenewalMiddleware:
    """Marks a signed-in (or otherwise stored) session as changed once a minute, so SessionMiddleware, outside it,
    saves it and pushes its expiry on; in place of SESSION_SAVE_EVERY_REQUEST."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or not session.session_key:
            return response
        now = int(time.time())
        # Reading loads the session; an expired or unknown one comes back empty with no key and is not renewed.
        if now - session.get(_RENEWED, 0) >= RENEW_EVERY_SECONDS and session.session_key:
            session[_RENEWED] = now
        return response
