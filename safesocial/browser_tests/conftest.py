"""Browser fixtures: one Chromium for the whole run, a fresh context (cookies, viewport) for every test.

Data comes from the shared fixtures in safesocial/testing/. Every fixture here depends on `live_server`, so
pytest-django gives the test a transactional database: rows the fixtures create are committed and the server
thread sees them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from playwright.sync_api import Page

from safesocial.people.models import Pupil, User
from safesocial.people.selectors import has_two_factor, requires_two_factor
from safesocial.people.services import parent_create, pupil_create
from safesocial.testing.browser import APP_STATIC, CHROMIUM, CHROMIUM_ARGS, DESKTOP, SCREENSHOTS


@pytest.fixture(scope="package", autouse=True)
def static_files_found() -> Iterator[bool]:
    """Whether the project's settings let Django find safesocial/static/ (the stylesheet and htmx).

    If they do not, point the finders at it for this run anyway, so the layout and colour-contrast checks judge
    the pages as designed; test_assets reports the settings problem on its own."""
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
        pytest.skip("Debian's Chromium is not installed: apt-get install chromium chromium-headless-shell")
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


@pytest.fixture
def open_as(browser, live_server, two_factor) -> Iterator[Callable[[User | None], Page]]:
    """Another person's browser, with its own cookies: signed in as `user`, or signed out for None."""
    contexts = []

    def open_as(user: User | None) -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        if user is not None:
            if requires_two_factor(user) and not has_two_factor(user):
                two_factor(user)
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def ava(seabright) -> Pupil:
    """Ava Quill in Year 4, with her mother recorded and no consent of any kind yet."""
    pupil = pupil_create(
        actor=None,
        school=seabright,
        first_name="Ava",
        last_name="Quill",
        date_of_birth=dt.date(2017, 5, 1),
        year_group="4",
        class_name="Otters",
    )
    parent_create(
        actor=None, trust=seabright.trust, full_name="Kim Quill", pupils=[(pupil, "Mother")], email="kim@example.com"
    )
    return pupil


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
