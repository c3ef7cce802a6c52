import time

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from safesocial.demo.builder import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_accounts, demo_exists, load_demo
from safesocial.people.models import User


class Command(BaseCommand):
    help = "Load the fictional demo trust (once), print how to sign in, or print a demo account's current TOTP code."

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", default="load", choices=["load", "accounts", "code"])
        parser.add_argument("email", nargs="?", help="for `code`: the demo account")
        parser.add_argument("--pupils-per-school", type=int, default=200)

    def handle(self, *args, action, email, pupils_per_school, **options):
        if action == "code":
            from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

            if email and not User.objects.filter(email__iexact=email).exists():
                raise CommandError(f"no demo account {email}")
            counter = int(time.time()) // 30
            self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
            return
        if action == "load":
            if demo_exists():
                self.stdout.write("The demo trust is already loaded; nothing was added.")
            else:
                started = time.perf_counter()
                # The demo's own set-up sends no email: staff would otherwise get a dozen "please review" notes.
                with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                    load_demo(pupils_per_school=pupils_per_school)
                self.stdout.write(f"Loaded the demo trust in {time.perf_counter() - started:.1f}s.")
        self._print_accounts()

    def _print_accounts(self):
        accounts = demo_accounts()
        if not accounts:
            raise CommandError("no demo trust: run `safesocial demo` first")
        width = max(len(a.label) for a in accounts)
        self.stdout.write("\nSign in at http://127.0.0.1:8000 with any of these (password: " + DEMO_PASSWORD + "):")
        for account in accounts:
            flag = "  [two-factor]" if account.two_factor else ""
            self.stdout.write(f"  {account.label:<{width}}  {account.email}{flag}")
        self.stdout.write(
            "\nAccounts marked [two-factor] are asked for an authenticator code. Get the current one with\n"
            "  .venv/bin/safesocial demo code EMAIL\n"
            f"or add this secret to an authenticator app: {DEMO_TOTP_SECRET}\n"
        )
