"""axe-core finds no serious or critical accessibility problems on any page, as the people who use it see it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from safesocial.testing.browser import arrive_at_totp_activation, sign_in_with_password

BLOCKING = {"serious", "critical"}
axe = Axe()


@dataclass(frozen=True)
class Screen:
    """One page as one person sees it. `path` may need other fixtures' objects, named in `needs`."""

    name: str
    user: str | None
    path: str | Callable[[dict], str]
    needs: tuple[str, ...] = ()
    reach: Callable | None = None  # steps from `path` to the page under test, when it is a flow

    def url(self, objects: dict) -> str:
        return self.path(objects) if callable(self.path) else self.path


def _password_then_code(page, objects) -> None:
    objects["two_factor"](objects["dsl"])
    sign_in_with_password(page, objects["dsl"])
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))


SCREENS = [
    Screen("login", None, "/accounts/login/"),
    Screen("mfa-authenticate", None, "/accounts/login/", needs=("dsl", "two_factor"), reach=_password_then_code),
    Screen("dashboard-ceo", "ceo", "/"),
    Screen("dashboard-head", "head", "/"),
    Screen("dashboard-dsl", "dsl", "/"),
    Screen("dashboard-teacher", "teacher", "/"),
    Screen("trust", "head", "/trust/"),
    Screen("school", "head", "/schools/seabright/"),
    Screen("people", "head", "/people/", needs=("teacher",)),
    Screen("person", "head", lambda o: f"/people/{o['teacher'].pk}/", needs=("teacher",)),
    Screen("person-add", "head", "/people/add/"),
    Screen("pupils", "head", "/schools/seabright/pupils/", needs=("pupils",)),
    Screen("pupil", "head", lambda o: f"/pupils/{o['pupils'][0].pk}/", needs=("pupils",)),
    Screen("policy", "dsl", "/policy/"),
    Screen("policy-explained", "dsl", "/policy/explained/"),
    Screen("policy-versions", "ceo", "/policy/versions/"),
    Screen("policy-adopt", "ceo", "/policy/adopt/"),
    Screen("audit", "ceo", "/audit/"),
    Screen("two-factor", "head", "/accounts/2fa/"),
    Screen("totp-activate", "teacher", "/accounts/2fa/totp/activate/", reach=lambda p, _: arrive_at_totp_activation(p)),
]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:10]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"        {summary[:300]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.parametrize("screen", SCREENS, ids=[s.name for s in SCREENS])
def test_page_has_no_serious_accessibility_violations(screen: Screen, page, sign_in, request):
    objects = {name: request.getfixturevalue(name) for name in screen.needs}
    if screen.user:
        objects[screen.user] = sign_in(request.getfixturevalue(screen.user))
    url = screen.url(objects)

    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    if screen.reach:
        screen.reach(page, objects)
    else:
        assert urlsplit(page.url).path == url, f"{url} redirected to {page.url}"

    results = axe.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"axe found on {screen.name} ({page.url}):\n{describe(blocking)}"


DANGLING_REFERENCES = """() => [...document.querySelectorAll('[aria-describedby], [aria-labelledby]')].flatMap(el =>
  ['aria-describedby', 'aria-labelledby'].flatMap(attr => (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)
    .filter(id => !document.getElementById(id))
    .map(id => `${el.tagName.toLowerCase()}[name=${el.getAttribute('name')}] ${attr}="${id}"`)))"""
FORMS = [s for s in SCREENS if s.name in {"person-add", "policy-adopt", "login"}]


@pytest.mark.browser
@pytest.mark.parametrize("screen", FORMS, ids=[s.name for s in FORMS])
def test_form_hints_are_read_out_with_their_fields(screen: Screen, page, sign_in, request):
    """A screen reader reads a field's hint only if aria-describedby names an element that exists
    (axe lists a missing one under 'needs review', not as a violation)."""
    if screen.user:
        sign_in(request.getfixturevalue(screen.user))
    page.goto(screen.url({}))

    dangling = page.evaluate(DANGLING_REFERENCES)
    assert not dangling, f"on {screen.name} these point at nothing: {dangling}"
