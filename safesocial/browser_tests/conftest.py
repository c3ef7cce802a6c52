"""Browser fixtures: one Chromium for the whole run, a fresh context (cookies, viewport) for every test.

Data comes from the shared fixtures in the root conftest. Every fixture here depends on `live_server`, so
pytest-django gives the test a transactional database: rows the fixtures create are committed and the server
thread sees them."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from conftest import PASSWORD
from safesocial.people.models import Pupil, User
from safesocial.people.selectors import has_two_factor, requires_two_factor
from safesocial.people.services import parent_create, pupil_create

CHROMIUM = Path("/usr/bin/chromium")
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
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
TOTP_ACTIVATE = re.compile(r"/accounts/2fa/totp/activate/(\?.*)?$")
REAUTHENTICATE_OR_ACTIVATE = re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/")


APP_STATIC = Path(__file__).resolve().parents[1] / "static"


@pytest.fixture(scope="package", autouse=True)
def static_files_found() -> Iterator[bool]:
    """Whether the project's settings let Django find safesocial/static/ (the stylesheet and htmx).

    If they do not, point the finders at it for this run anyway, so the layout and colour-contrast checks judge
    the pages as designed; test_assets reports the settings problem on its own."""
    from django.contrib.staticfiles import finders
    from django.test import override_settings

    found = finders.find("safesocial/app.css") is not None
    if found:
        yield True
        return
    with override_settings(STATICFILES_DIRS=[*settings.STATICFILES_DIRS, APP_STATIC]):
        yield False


@pytest.fixture(autouse=True)
def _one_session_write_at_a_time(settings):
    """pytest-django's live server shares one SQLite connection among its request threads (the test database is in
    memory), so a page whose images load in parallel would have every request save the session at once and collide
    ("cannot start a transaction within a transaction"). Saving the session only when it changes avoids that here;
    idle expiry (which needs a save on every request) is tested without a browser in people/tests/test_sign_in.py."""
    settings.SESSION_SAVE_EVERY_REQUEST = False


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        locale="en-GB",
        timezone_id="Europe/London",
        accept_downloads=True,
    )
    # Seconds, not Playwright's default thirty: every page here is served from the same machine.
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def sign_in(context, live_server, two_factor) -> Callable[[User], User]:
    """Put a signed-in session for `user` in the browser, with an authenticator first if their roles need one.

    Signing in through the forms is tested once, in test_sign_in; the other tests start signed in to stay fast."""

    def sign_in(user: User) -> User:
        if requires_two_factor(user) and not has_two_factor(user):
            two_factor(user)
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return user

    return sign_in


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


@pytest.fixture
def pupils(seabright, trust) -> list[Pupil]:
    """Two pupils at Seabright, one with a parent recorded."""
    ada = pupil_create(
        actor=None,
        school=seabright,
        first_name="Ada",
        last_name="Lovelace",
        date_of_birth=dt.date(2016, 12, 10),
        year_group="4",
        class_name="Otters",
    )
    alan = pupil_create(
        actor=None,
        school=seabright,
        first_name="Alan",
        last_name="Turing",
        date_of_birth=dt.date(2015, 6, 23),
        year_group="5",
        class_name="Herons",
    )
    parent_create(
        actor=None,
        trust=trust,
        full_name="Augusta Byron",
        pupils=[(ada, "Mother")],
        email="a.byron@example.com",
    )
    return [ada, alan]


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """Save a full-page screenshot under var/screenshots/ for people to look at; returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """allauth counts failed sign-ins in the cache; the cache outlives the database between tests."""
    from django.core.cache import cache

    cache.clear()
    yield


def code_from(authenticator: Callable[[], str]) -> str:
    """The authenticator's current code, waiting out the last seconds of a window: allauth accepts only the
    current 30-second window, so a code read at :29 could be stale by the time the server checks it."""
    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.2)
    return authenticator()
