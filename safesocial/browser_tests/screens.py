"""What every page's accessibility check shares: a page as one person sees it, the problems a laptop and a phone
show on it (serious or critical axe-core violations, sideways scrolling, hints pointing at nothing), and the check
itself, with screenshots of the busiest pages saved for people to look over."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page

from safesocial.testing.browser import PHONE

from .test_accessibility import BLOCKING, DANGLING_REFERENCES, axe, describe
from .test_layout import OVERFLOWING


@dataclass(frozen=True)
class Screen:
    """One page as one person sees it; `screenshots` saves it at desktop and phone widths."""

    name: str
    user: str | None  # an attribute of the test's world; None for signed out
    path: Callable[[Any], str]
    screenshots: bool = False
    reach: Callable[[Page, Any], None] | None = None  # steps from `path` to the page under test


def problems_at(page: Page, width: int) -> list[str]:
    problems = []
    blocking = [v for v in axe.run(page).response["violations"] if v["impact"] in BLOCKING]
    if blocking:
        problems.append(f"axe at {width}px:\n{describe(blocking)}")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width + 1:
        problems.append(f"{scroll_width}px wide on a {width}px screen; too wide: {page.evaluate(OVERFLOWING)}")
    dangling = page.evaluate(DANGLING_REFERENCES)
    if dangling:
        problems.append(f"hints and labels pointing at nothing: {dangling}")
    return problems


def check_on_a_laptop_and_a_phone(screen: Screen, world: Any, page: Page, sign_in, screenshot) -> None:
    """Open the screen as its person and assert it has no problems at either width."""
    if screen.user:
        sign_in(getattr(world, screen.user))
    path = screen.path(world)
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    assert urlsplit(page.url).path == urlsplit(path).path, f"{path} redirected to {page.url}"
    if screen.reach:
        screen.reach(page, world)
    problems = problems_at(page, page.viewport_size["width"])
    if screen.screenshots:
        screenshot(page, f"desktop-{screen.name}")
    page.set_viewport_size(PHONE)
    problems += problems_at(page, PHONE["width"])
    if screen.screenshots:
        screenshot(page, f"phone-{screen.name}")
    assert not problems, f"on {screen.name} ({page.url}):\n" + "\n".join(problems)


# Checkboxes and radio buttons that share a name are one question; a screen reader announces the question only
# from a fieldset's legend (or a named group). A <label for=""> names nothing at all.
UNNAMED_GROUPS = """() => {
  const named = el => el.closest('fieldset')?.querySelector(':scope > legend')
    || el.closest('[role=group][aria-label], [role=group][aria-labelledby], [role=radiogroup]');
  const groups = [...document.querySelectorAll('input[type=checkbox], input[type=radio]')]
    .filter(el => document.querySelectorAll(`input[name="${el.name}"]`).length > 1 && !named(el))
    .map(el => el.name);
  const orphans = [...document.querySelectorAll('label[for=""]')].map(l => `<label for=""> ${l.textContent.trim()}`);
  return [...new Set(groups)].map(name => `choices "${name}" have no group name`).concat(orphans);
}"""
