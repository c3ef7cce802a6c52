"""The parent escalation ladder in the browser: Seabright's DSL starts an escalation about a parent, records the
discussion and then the written warning, makes the warning letter from the trust's template and downloads it as a
PDF. The pages pass axe-core on a laptop and a phone with no sideways scrolling."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safesocial.escalation import services
from safesocial.escalation.models import Escalation
from safesocial.testing.browser import PHONE

from .screens import UNNAMED_GROUPS, problems_at


def _check_page(page: Page, name: str, screenshot) -> list[str]:
    problems = problems_at(page, page.viewport_size["width"])
    screenshot(page, f"desktop-{name}")
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    problems += problems_at(page, PHONE["width"])
    screenshot(page, f"phone-{name}")
    page.set_viewport_size(desktop)
    problems += [f"{name}: {p}" for p in page.evaluate(UNNAMED_GROUPS)]
    return problems


@pytest.mark.browser
def test_dsl_takes_a_parent_through_two_steps_and_downloads_the_warning_letter(
    page: Page, sign_in, head, pupils, screenshot
):
    """The head of Seabright is also its DSL: the policy lets the head and the DSL manage the ladder."""
    sign_in(head)
    page.goto("/escalation/")
    expect(page.get_by_role("heading", name="Parent escalations", level=1)).to_be_visible()
    page.get_by_role("link", name="Start an escalation").click()

    page.get_by_label("Parent or carer on the school's records").select_option(
        label="Augusta Byron, parent or carer of Ada Lovelace (Year 4)"
    )
    page.get_by_label("What was posted, in brief").fill("A public post naming a teacher over a class trip.")
    page.get_by_role("button", name="Start the escalation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Escalation: Augusta Byron")
    ladder = page.locator("ol.ladder > li")
    expect(ladder.first).to_contain_text("Discuss the matter with the parent")
    expect(ladder.first).to_contain_text("Next step")

    # Step one: the form offers the next step.
    expect(page.get_by_label("Step taken")).to_have_value("discuss")
    page.get_by_label("What happened", exact=True).fill("Met in the office; asked for the post to come down.")
    page.get_by_role("button", name="Record the step").click()
    expect(page.locator(".messages")).to_contain_text("Recorded: Discuss the matter with the parent.")
    expect(ladder.nth(0)).to_contain_text("Done")
    expect(ladder.nth(1)).to_contain_text("Next step")

    # A date in the future is refused and what was typed stays.
    page.get_by_label("Date it was taken", exact=True).fill(f"{timezone.localdate() + dt.timedelta(days=2):%d/%m/%Y}")
    page.get_by_label("What happened", exact=True).fill("Letter sent by post and email.")
    page.get_by_role("button", name="Record the step").click()
    expect(page.locator(".error-summary")).to_contain_text("in the future")
    expect(page.get_by_label("What happened", exact=True)).to_have_value("Letter sent by post and email.")

    # Step two, dated today, typed day first as the form asks.
    page.get_by_label("Date it was taken", exact=True).fill(f"{timezone.localdate():%d/%m/%Y}")
    page.get_by_role("button", name="Record the step").click()
    expect(page.locator(".messages")).to_contain_text("Recorded: Write to the parent with a warning.")
    expect(ladder.nth(1)).to_contain_text("Done")
    expect(ladder.nth(2)).to_contain_text("Next step")

    # The warning letter.
    page.get_by_text("Make a warning letter from the trust's template").click()
    page.get_by_label("What the letter is about").fill("a public post about a member of staff")
    page.get_by_label("Remove it by").fill(f"{timezone.localdate() + dt.timedelta(days=7):%d/%m/%Y}")
    page.get_by_role("button", name="Preview the letter").click()
    page.get_by_role("button", name="Make the letter (PDF)").click()
    expect(page.locator(".messages")).to_contain_text("Warning letter made")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^Download the warning letter")).click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"

    escalation = Escalation.objects.get()
    assert [r.step_key for r in escalation.records.all()] == ["discuss", "written_warning"]
    problems = _check_page(page, "escalation-detail", screenshot)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_escalation_list_and_start_pages_are_accessible(page: Page, sign_in, head, pupils, seabright, screenshot):
    parent = pupils[0].parents.get()
    services.escalation_start(actor=head, school=seabright, parent=parent, summary="A post naming a teacher.")
    sign_in(head)
    problems = []
    for path, name in (("/escalation/", "escalation-list"), ("/escalation/new/", "escalation-start")):
        page.goto(path)
        problems += _check_page(page, name, screenshot)
    # The error summary on a form sent with nothing in it.
    page.get_by_role("button", name="Start the escalation").click()
    expect(page.locator(".error-summary")).to_be_visible()
    problems += _check_page(page, "escalation-start-errors", screenshot)
    assert not problems, "\n".join(problems)
