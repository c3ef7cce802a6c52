"""The Content-Security-Policy in a real browser (issue 12, finding 4): Chromium refuses nothing on the pages people
use, htmx still swaps in search results and guidance under it, and its history cache keeps no copy of a page
(children's names) in a shared staff computer's browser storage."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from safesocial.concerns import services
from safesocial.people.roles import Role

pytestmark = pytest.mark.browser


def _watch_for_refusals(page: Page) -> list[str]:
    """Chromium logs every refusal under the policy to the console ("Refused to ... Content Security Policy")."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def test_the_pages_people_use_break_no_rule_of_the_policy_and_htmx_still_works(
    page, sign_in, head, seabright, make_staff, pupils
):
    assistant = make_staff(Role.SUPPORT_STAFF, seabright, "Tara Assistant")
    services.concern_report(actor=assistant, school=seabright, kind="friend_request", summary="A friend request.")
    refused = _watch_for_refusals(page)

    # Signed out: the sign-in page and the public report form.
    page.goto("/accounts/login/")
    page.goto(f"/schools/{seabright.pk}/report/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    sign_in(head)
    for url in ["/", "/concerns/", "/people/", f"/schools/{seabright.key}/pupils/", "/policy/", "/audit/", "/reports/"]:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        page.wait_for_load_state("networkidle")

    # htmx swaps the concern list's results as the DSL types.
    page.goto("/concerns/")
    page.get_by_label("Search").fill("nothing like this")
    with page.expect_request(lambda request: request.headers.get("hx-request") == "true"):
        page.get_by_label("Search").press("Enter")
    expect(page.locator("#results caption")).to_contain_text("0 concerns")

    # and the report form's guidance for the kind chosen.
    page.goto("/concerns/report/")
    page.get_by_label("What kind of concern is it?").select_option("friend_request")
    expect(page.locator("#guidance")).to_contain_text("Do not reply from your personal account")
    page.wait_for_load_state("networkidle")

    assert refused == []


def test_a_searched_list_leaves_no_copy_in_the_browser_and_going_back_reloads_it(
    page, sign_in, head, seabright, make_staff
):
    assistant = make_staff(Role.SUPPORT_STAFF, seabright, "Tara Assistant")
    services.concern_report(actor=assistant, school=seabright, kind="friend_request", summary="A friend request.")
    services.concern_report(actor=assistant, school=seabright, kind="parent_post", summary="A post about a trip.")
    sign_in(head)
    page.goto("/concerns/")
    expect(page.locator("#results caption")).to_contain_text("2 concerns")
    search = page.get_by_label("Search")
    # Each search is one step of the tab's history, although the box sends its words on Enter, on change and when
    # typing pauses (a repeat of the address shown replaces it: static/safesocial/history.js).
    for words, found in [("friend", "1 concern"), ("nothing like this", "0 concerns")]:
        search.fill(words)
        search.press("Enter")
        expect(page.locator("#results caption")).to_contain_text(found)
        expect(page).to_have_url(re.compile(r"\?q=" + words.replace(" ", "%20")))
    # htmx would have kept the pages it swapped away, names and all, in the tab's storage (sessionStorage in htmx 2,
    # localStorage in htmx 1), for the next person at a shared staff computer to read.
    stored = page.evaluate("() => JSON.stringify({...sessionStorage, ...localStorage})")
    assert "htmx-history-cache" not in stored and "friend request" not in stored.casefold()
    page.go_back()
    expect(page.locator("#results caption")).to_contain_text("1 concern")
    expect(page.get_by_label("Search")).to_have_value("friend")
