"""What the browser tests share besides their fixtures (those live in safesocial/browser_tests/conftest.py, since
only those tests drive Chromium): window sizes, where screenshots go, and the steps of signing in by hand."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from safesocial.people.models import User
from safesocial.testing.people import PASSWORD

# Debian's chromium-headless-shell is Chromium's old headless mode, the one Playwright itself runs headless: it draws
# the same pages with a third less CPU than the full browser (issue 14: the browser tests took 3 m 51 s instead of
# 6 m 39 s on two cores). The full browser still serves where only it is installed.
HEADLESS_SHELL = Path("/usr/lib/chromium/chromium-headless-shell")
CHROMIUM = HEADLESS_SHELL if HEADLESS_SHELL.exists() else Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
APP_STATIC = Path(__file__).resolve().parents[1] / "static"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
TOTP_ACTIVATE = re.compile(r"/accounts/2fa/totp/activate/(\?.*)?$")
REAUTHENTICATE_OR_ACTIVATE = re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/")


def sign_in_with_password(page, user: User) -> None:
    """Fill in allauth's sign-in form as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("^email", re.I)).fill(user.email)
    page.get_by_label(re.compile("^password", re.I)).fill(PASSWORD)
    # Exactly "Sign in": "Sign in with Microsoft" and the like are other ways in.
    page.get_by_role("button", name=re.compile(r"^\s*sign in\s*$", re.I)).click()


def arrive_at_totp_activation(page) -> None:
    """allauth asks for the password again before an authenticator can be added, even straight after sign-in."""
    page.wait_for_url(REAUTHENTICATE_OR_ACTIVATE)
    if "/accounts/reauthenticate/" in page.url:
        password = page.get_by_label(re.compile("password", re.I))
        password.fill(PASSWORD)
        password.press("Enter")
    expect(page).to_have_url(TOTP_ACTIVATE)


def code_from(authenticator: Callable[[], str]) -> str:
    """The authenticator's current code, waiting out the last seconds of a window: allauth accepts only the
    current 30-second window, so a code read at :29 could be stale by the time the server checks it."""
    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.2)
    return authenticator()
