from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.cache import cache
from django.core.exceptions import ValidationError

from safesocial import keys
from safesocial.web import client_address

from .selectors import has_two_factor


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Staff accounts are created by the trust; nobody signs themselves up.
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # A leader sent to set up their first authenticator has just typed their password;
        # asking for it again at once adds nothing. Changing an existing factor still asks.
        user = getattr(self.request, "user", None)
        if app == "allauth.mfa" and user is not None and user.is_authenticated and not has_two_factor(user):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_client_ip(self, request) -> str:
        # allauth's sign-in limits count by the same client address as ours, read through TRUSTED_PROXIES
        # (allauth's own TRUSTED_PROXY_COUNT would trust a fixed position in X-Forwarded-For instead).
        return client_address(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        # Microsoft or Google sign-in only opens an existing staff account with the same verified email.
        return False


class MFAAdapter(DefaultMFAAdapter):
    """Two-factor secrets (TOTP keys, recovery-code seeds) are kept encrypted with the credentials keys: a copy of the
    database alone cannot make a leader's codes, and a secret written in clear straight into it is refused."""

    def encrypt(self, text: str) -> str:
        return keys.encrypt(text).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        return keys.decrypt(encrypted_text.encode("ascii"))

    def validation_error(self, code, *args) -> ValidationError:
        # allauth refuses a code already used in its 30 seconds (rightly: a replay) with the words for a wrong one;
        # someone signing in twice in a row then doubts their authenticator instead of waiting for the next code.
        if code == "incorrect_code" and _code_just_used():
            return ValidationError("That code has just been used: wait for the next one.", code="code_just_used")
        return super().validation_error(code, *args)


def _code_just_used() -> bool:
    """Whether the code in this request is one allauth recorded as used by this person's authenticator."""
    from allauth.core import context
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    request = context.request
    stage = getattr(request, "_login_stage", None)  # signing in: nobody is request.user yet
    user = stage.login.user if stage is not None else request.user
    code = request.POST.get("code", "")
    if not code or not getattr(user, "pk", None):
        return False
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    # The key allauth itself keeps for TOTP_PERIOD seconds after a code is accepted (allauth.mfa.totp.internal.auth).
    return authenticator is not None and cache.get(TOTP(authenticator)._get_used_cache_key(code)) is not None
