"""Pages fit the screen people read them on: a phone in the playground, a laptop in the office.

Each test also leaves a full-page screenshot in var/screenshots/ for a person to look over."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from safesocial.testing.browser import PHONE

# Elements poking out past the right edge: named in the failure so the culprit is obvious.
OVERFLOWING = """() => {
  const limit = document.documentElement.clientWidth + 1;
  const over = el => el.getBoundingClientRect().right > limit;
  const classes = el => typeof el.className === 'string' ? el.className.trim().split(/\\s+/).filter(Boolean) : [];
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes(el).map(c => '.' + c).join('');
  return [...document.querySelectorAll('body *')]
    .filter(over)
    // Inside a sideways-scrolling box only what escapes it counts: absolutely positioned children do.
    .filter(el => !el.parentElement.closest('.table-scroll, .pre') || getComputedStyle(el).position === 'absolute')
    // Name the outermost culprits, not every descendant.
    .filter(el => !over(el.parentElement) || getComputedStyle(el).position === 'absolute')
    .slice(0, 8)
    .map(el => {
      const where = el.parentElement.closest('[id]');
      const caption = el.querySelector(':scope > caption');
      return `${name(el)}${caption ? ' "' + caption.innerText.trim() + '"' : ''}`
        + `${where ? ' in #' + where.id : ''} reaches ${Math.round(el.getBoundingClientRect().right)}px`;
    });
}"""

# (screenshot name, who looks, path, other fixtures the page needs)
PAGES = [
    ("login", None, "/accounts/login/", ()),
    ("dashboard", "dsl", "/", ()),
    ("people", "head", "/people/", ("teacher",)),
    ("pupils", "head", "/schools/seabright/pupils/", ("pupils",)),
    ("policy", "dsl", "/policy/", ()),
    ("policy-explained", "dsl", "/policy/explained/", ()),
    ("policy-versions", "ceo", "/policy/versions/", ()),
    ("audit", "ceo", "/audit/", ()),
]
DESKTOP_PAGES = [p for p in PAGES if p[0] in {"login", "dashboard", "people", "policy"}]


def open_page(page, sign_in, request, user: str | None, path: str, needs: tuple[str, ...]) -> None:
    for name in needs:
        request.getfixturevalue(name)
    if user:
        sign_in(request.getfixturevalue(user))
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    assert urlsplit(page.url).path == path, f"{path} redirected to {page.url}"


def assert_no_sideways_scroll(page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width + 1, (
        f"{page.url} is {scroll_width}px wide on a {width}px screen; too wide: {page.evaluate(OVERFLOWING)}"
    )


@pytest.mark.browser
@pytest.mark.parametrize(("name", "user", "path", "needs"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_fit_a_phone_screen(name, user, path, needs, page, sign_in, screenshot, request):
    page.set_viewport_size(PHONE)
    open_page(page, sign_in, request, user, path, needs)
    screenshot(page, f"phone-{name}")
    assert_no_sideways_scroll(page, PHONE["width"])


@pytest.mark.browser
@pytest.mark.parametrize(("name", "user", "path", "needs"), DESKTOP_PAGES, ids=[p[0] for p in DESKTOP_PAGES])
def test_pages_fit_a_desktop_screen(name, user, path, needs, page, sign_in, screenshot, request):
    open_page(page, sign_in, request, user, path, needs)
    screenshot(page, f"desktop-{name}")
    assert_no_sideways_scroll(page, page.viewport_size["width"])
