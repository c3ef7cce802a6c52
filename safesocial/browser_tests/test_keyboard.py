"""Someone using only a keyboard can skip the header, and can reach every part of the navigation."""

from __future__ import annotations

import pytest

FOCUSED = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.innerText || '').trim(),
    inNav: !!el.closest('nav[aria-label="Main"]'),
    inMain: !!el.closest('main'),
    onScreen: box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0 && box.right <= innerWidth,
    indicator: style.outlineStyle !== 'none' || style.boxShadow !== 'none',
  };
}"""


def tab(page) -> dict:
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


@pytest.mark.browser
def test_keyboard_user_can_skip_to_content_and_reach_navigation(page, sign_in, dsl):
    sign_in(dsl)
    page.goto("/")

    first = tab(page)
    assert first["text"] == "Skip to main content", f"the first Tab stop is {first}"
    assert first["onScreen"], "the skip link stays hidden off-screen when it has focus"

    page.keyboard.press("Enter")
    focused = page.evaluate(FOCUSED)
    assert (focused["tag"], focused["id"]) == ("main", "main"), f"Enter on the skip link focused {focused}"
    after_skip = tab(page)
    assert after_skip["inMain"], f"after skipping, Tab went to {after_skip}, outside the main content"

    # From the top again: Tab walks through the whole main navigation, in order, each stop visibly focused.
    nav_links = page.get_by_role("navigation", name="Main").get_by_role("link").all_inner_texts()
    assert nav_links[0] == "Dashboard"
    assert {"Posts", "Channels", "People", "Trust", "Policy"} <= set(nav_links)
    page.goto("/")
    stops = [tab(page) for _ in range(len(nav_links) + 3)]
    reached = [s["text"] for s in stops if s["inNav"]]
    assert reached == nav_links, f"Tab reached {reached} in the navigation; every stop: {[s['text'] for s in stops]}"
    unseen = [s["text"] for s in stops if s["inNav"] and not (s["onScreen"] and s["indicator"])]
    assert not unseen, f"no visible focus on {unseen}"
