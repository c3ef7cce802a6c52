"""The concern pages as the people who use them see them: no serious or critical axe-core violations on the report
form (with the policy's guidance and an error summary showing), the public form, a concern's page with its evidence,
actions and chronology, the list and the patterns page; no sideways scrolling on a 375 px phone. Screenshots go to
var/screenshots/ for people to look over."""

from __future__ import annotations

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from PIL import Image

from safesocial.concerns import services
from safesocial.concerns.services import People, Upload
from safesocial.people.models import User
from safesocial.people.roles import Role
from safesocial.testing.browser import PHONE

from .test_accessibility import BLOCKING, describe

axe = Axe()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 40), (24, 119, 242)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def world(make_staff, seabright, millbrook, head, pupils):
    """Three concerns naming one parent's account at two schools, one with evidence, an action and a note."""
    assistant = make_staff(Role.SUPPORT_STAFF, seabright, "Tara Assistant")
    other = make_staff(Role.TEACHER, millbrook, "Mo Teacher")
    deputy = User.objects.get(email="a.rendell@harbourside.example.com")
    parent = pupils[0].parents.get()
    data = png()
    first = services.concern_report(
        actor=assistant,
        school=seabright,
        kind="parent_post",
        summary="A post in a community group about the Year 4 trip, naming a teacher.",
        occurred_at=timezone.now() - timezone.timedelta(days=2),
        platform="facebook",
        url="https://www.facebook.com/groups/example/posts/1",
        account_handle="Augusta Byron",
        people=People(pupils=[pupils[0]], parents=[parent]),
        files=[Upload("post.png", len(data), [data])],
    ).concern
    services.action_add(
        actor=head,
        concern=first,
        description="Ask for the post to be removed",
        assigned_to=deputy,
        due_on=timezone.localdate(),
    )
    services.chronology_add(actor=head, concern=first, text="Parent phoned; meeting on Friday.")
    services.concern_report(
        actor=other,
        school=millbrook,
        kind="criticism_of_school",
        summary="Same account again.",
        platform="facebook",
        account_handle="augusta byron",
    )
    services.concern_report(
        actor=assistant,
        school=seabright,
        kind="parent_post",
        summary="And again.",
        platform="facebook",
        account_handle="@Augusta Byron",
    )
    return {"first": first, "assistant": assistant, "lead": User.objects.get(email="m.ashdown@harbourside.example.com")}


def check(page, name: str, screenshot) -> None:
    results = axe.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"axe found on {name} ({page.url}):\n{describe(blocking)}"
    screenshot(page, f"concerns-{name}")
    page.set_viewport_size(PHONE)
    wide = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not wide, f"{name} scrolls sideways on a phone"
    screenshot(page, f"concerns-{name}-phone")


@pytest.mark.browser
def test_the_report_form_with_guidance_and_errors(page, sign_in, world, screenshot):
    sign_in(world["assistant"])
    page.goto("/concerns/report/?kind=cyberbullying_of_pupil")
    page.get_by_label("Find pupils, parents or colleagues by name").fill("Lov")
    page.wait_for_selector("#pupil-1, [id^=pupil-]")
    page.get_by_label("What happened?").fill("")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_selector(".error-summary")
    check(page, "report-form", screenshot)


@pytest.mark.browser
def test_the_public_form(page, seabright, screenshot):
    page.goto(f"/schools/{seabright.pk}/report/")
    page.get_by_role("button", name="Send to the school").click()
    page.wait_for_selector(".error-summary")
    check(page, "public-form", screenshot)


@pytest.mark.browser
def test_the_concern_page(page, sign_in, head, world, screenshot):
    sign_in(head)
    page.goto(f"/concerns/{world['first'].pk}/")
    check(page, "concern-page", screenshot)


@pytest.mark.browser
def test_the_list_and_patterns_pages(page, sign_in, world, screenshot):
    sign_in(world["lead"])
    page.goto("/concerns/")
    check(page, "list", screenshot)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/concerns/patterns/")
    assert "Augusta Byron on Facebook" in page.inner_text("main")
    check(page, "patterns", screenshot)
