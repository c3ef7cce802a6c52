"""A phone in the playground (390x844): one row of header with a Menu button that works without JavaScript, lists
as stacked cards that never scroll sideways, and the page's first action on the first screen."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safesocial.concerns.services import concern_report
from safesocial.moderation.services import Incoming, comment_receive
from safesocial.people.roles import Role
from safesocial.publishing.services import post_create

from .test_layout import OVERFLOWING

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def draft(sandbox, teacher):
    category = sandbox.trust.policy.category_keys()[0]
    return post_create(actor=teacher, channels=[sandbox], text="Sports day is on Friday.", category=category)


@pytest.fixture
def comment(sandbox):
    incoming = Incoming("c-1", "u-1", "Sam Keating", "Lovely photos from sports day", timezone.now())
    return comment_receive(channel=sandbox, incoming=incoming)[0]


@pytest.fixture
def concern(seabright, make_staff):
    assistant = make_staff(Role.SUPPORT_STAFF, seabright, "Tara Assistant")
    return concern_report(actor=assistant, school=seabright, kind="friend_request", summary="A friend request.").concern


# (screenshot name, who looks, path, the first thing they would do there, other fixtures the page needs)
LISTS = [
    ("posts", "teacher", "/posts/?tab=mine", ("link", "Write a post"), ("draft",)),
    ("people", "head", "/people/", ("button", "Apply filters"), ("teacher",)),
    ("pupils", "head", "/schools/seabright/pupils/", ("button", "Find"), ("pupils",)),
    ("channels", "channel_admin", "/channels/", ("link", "Propose a new channel"), ("sandbox",)),
    ("comments", "channel_admin", "/comments/?show=all", ("link", "Lovely photos from sports day"), ("comment",)),
    ("concerns", "head", "/concerns/", ("button", "Apply filters"), ("concern",)),
]


def open_as(page, sign_in, request, user: str, path: str, needs: tuple[str, ...]) -> None:
    for name in needs:
        request.getfixturevalue(name)
    sign_in(request.getfixturevalue(user))
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"


@pytest.mark.browser
@pytest.mark.parametrize(("name", "user", "path", "action", "needs"), LISTS, ids=[p[0] for p in LISTS])
def test_lists_fit_a_phone_with_the_first_action_on_the_first_screen(
    name, user, path, action, needs, page, sign_in, screenshot, request
):
    page.set_viewport_size(LAPTOP)
    open_as(page, sign_in, request, user, path, needs)
    screenshot(page, f"u-desktop-{name}")
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot(page, f"u-phone-{name}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width}px wide on a phone: {page.evaluate(OVERFLOWING)}"
    role, label = action
    box = page.get_by_role(role, name=label, exact=True).bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], f"{label!r} is below the fold: {box}"
    # Each row is a card whose cells say what they are.
    first_cell = page.locator("table.stack tbody td[data-label]").first
    expect(first_cell).to_be_visible()
    label_shown = first_cell.evaluate("el => getComputedStyle(el, '::before').content")
    assert first_cell.get_attribute("data-label") in label_shown


@pytest.mark.browser
def test_the_header_is_one_row_on_a_phone_and_the_menu_opens_from_the_keyboard(page, sign_in, teacher, browser):
    page.set_viewport_size(PHONE)
    sign_in(teacher)
    page.goto("/posts/")
    header = page.locator("header.site-header").bounding_box()
    assert header is not None and header["height"] < 80, f"the header is {header} tall on a phone"
    posts = page.get_by_role("navigation", name="Main").get_by_role("link", name="Posts")
    expect(posts).to_be_hidden()
    menu = page.get_by_text("Menu", exact=True)
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    expect(posts).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.keyboard.press("Enter")
    expect(posts).to_be_hidden()
    # On a laptop there is no button: every link is in the header.
    page.set_viewport_size(LAPTOP)
    expect(menu).to_be_hidden()
    expect(posts).to_be_visible()


@pytest.mark.browser
def test_the_menu_opens_without_javascript(browser, live_server, sign_in, teacher, context):
    sign_in(teacher)
    no_js = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False, storage_state=context.storage_state()
    )
    try:
        page = no_js.new_page()
        page.goto("/posts/")
        posts = page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Posts$"))
        expect(posts).to_be_hidden()
        page.get_by_text("Menu", exact=True).click()
        expect(posts).to_be_visible()
    finally:
        no_js.close()
