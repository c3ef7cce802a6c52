from django.shortcuts import redirect
from django.urls import reverse

from .selectors import two_factor_missing


class RequireTwoFactorMiddleware:
    """Safeguarding leads and leaders must set up an authenticator app before they see anything.
    They may still reach the sign-in, two-factor and sign-out pages, and static files."""

    OPEN_PREFIXES = ("/accounts/", "/static/", "/favicon", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(self.OPEN_PREFIXES) and two_factor_missing(user):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
