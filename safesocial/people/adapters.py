from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

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
