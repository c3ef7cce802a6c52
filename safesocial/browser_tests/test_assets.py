"""The pages arrive whole: their stylesheet and scripts load, and the browser reports no errors."""

from __future__ import annotations

import pytest


@pytest.mark.browser
def test_project_settings_serve_the_stylesheet_and_scripts(static_files_found):
    assert static_files_found, (
        "No staticfiles finder looks in safesocial/static/, so app.css and htmx.min.js are 404 in development, "
        "in tests and after collectstatic: add STATICFILES_DIRS = [BASE_DIR / 'static'] to safesocial/settings.py"
    )


@pytest.mark.browser
def test_dashboard_loads_every_asset_without_errors(page, sign_in, head):
    sign_in(head)
    failures: list[str] = []

    def on_response(response) -> None:
        # Browsers ask for /favicon.ico on their own; its 404 is reported separately, not a broken page.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            failures.append(f"{response.status} {response.url}")

    page.on("response", on_response)
    page.on("pageerror", lambda error: failures.append(f"script error: {error}"))

    page.goto("/")
    page.wait_for_load_state("networkidle")

    assert not failures, failures
    assert page.evaluate("typeof htmx") == "object", "htmx did not load"
    # The stylesheet is applied: the skip link sits off-screen until it has focus.
    assert page.get_by_role("link", name="Skip to main content").bounding_box()["x"] < 0
