from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        # Microsoft or Google sign-in only opens an existing staff account with the same verified email.
        return False
