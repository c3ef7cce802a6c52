"""Triage in the browser: a teaching assistant says a child is at risk right now; the DSL sees the urgent banner on
the dashboard, opens the concern, says she is dealing with it, finds it at the top of her list and confirms its
level. On a phone the list's filters fold away.

People and the other concerns are set up through the services; everything a person does happens in Chromium."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safesocial.concerns import services
from safesocial.concerns.models import Concern
from safesocial.people.models import User
from safesocial.people.roles import Role
from safesocial.testing.browser import PHONE


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def assistant(make_staff, seabright) -> User:
    return make_staff(Role.SUPPORT_STAFF, seabright, "Tara Assistant")


@pytest.fixture
def earlier(assistant, seabright) -> list[Concern]:
    """Two concerns from last week, low and significant, so the urgent one has something to rise above."""
    made = []
    for answers in (("no", "no"), ("no", "yes")):
        concern = services.concern_report(
            actor=assistant,
            school=seabright,
            kind="friend_request",
            summary="A friend request from a parent.",
            at_risk_now=answers[0],
            harm_likely=answers[1],
        ).concern
        Concern.objects.filter(pk=concern.pk).update(created_at=timezone.now() - timezone.timedelta(days=6))
        made.append(concern)
    return made


def report_at_risk(page) -> None:
    page.goto("/concerns/report/")
    page.get_by_role("group", name="Is a child at risk of harm right now?").get_by_label("Yes").check()
    page.get_by_label("What kind of concern is it?").select_option("cyberbullying_of_pupil")
    page.get_by_label("What happened?").fill("A pupil showed me messages telling her to hurt herself tonight.")
    when = timezone.localtime() - timezone.timedelta(minutes=20)
    page.get_by_label("When did it happen?").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator(".messages")).to_contain_text("Your concern has been recorded")


@pytest.mark.browser
def test_an_immediate_risk_reaches_the_dsl_at_once_and_tops_her_list(
    page, context, sign_in, assistant, head, earlier, screenshot
):
    sign_in(assistant)
    report_at_risk(page)
    urgent = Concern.objects.get(kind="cyberbullying_of_pupil")
    context.clear_cookies()

    sign_in(head)
    page.goto("/")
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("An urgent safeguarding concern has not been acknowledged")
    banner.get_by_role("link", name="Open it now").click()
    expect(page).to_have_url(re.compile(rf"/concerns/{urgent.pk}/$"))
    expect(page.get_by_role("main")).to_contain_text("Immediate risk of harm")
    page.get_by_role("button", name="I am dealing with it").click()
    expect(page.locator(".messages")).to_contain_text("Acknowledged")
    page.goto("/")
    expect(page.get_by_role("alert")).to_have_count(0)

    page.goto("/concerns/")
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows.first).to_contain_text(f"Concern {urgent.pk}")
    expect(rows.first).to_contain_text("Immediate risk of harm")
    expect(rows.first).to_contain_text("Tara Assistant")
    expect(rows.last).to_contain_text(f"Concern {earlier[0].pk}")  # low, though older than the urgent one
    screenshot(page, "concerns-triage-list")

    page.goto(f"/concerns/{earlier[0].pk}/")
    triage = page.locator("#triage")
    triage.get_by_label("Significant").check()
    page.get_by_role("button", name="Record the level").click()
    expect(page.get_by_role("main")).to_contain_text("Say why the level changes")
    page.locator("#triage").get_by_label("Why").fill("The parent has a history of contacting staff.")
    page.get_by_role("button", name="Record the level").click()
    expect(page.locator(".messages")).to_contain_text("Level recorded")
    expect(page.get_by_role("main")).to_contain_text("confirmed by")


@pytest.mark.browser
def test_on_a_phone_the_filters_fold_away_and_open_with_a_tap(page, sign_in, head, earlier, screenshot):
    page.set_viewport_size(PHONE)
    sign_in(head)
    page.goto("/concerns/")
    status = page.get_by_label("Status")
    expect(page.get_by_label("Search")).to_be_visible()
    expect(status).to_be_hidden()
    screenshot(page, "concerns-triage-list-phone")
    page.get_by_text("Filters: status, school, kind").click()
    expect(status).to_be_visible()
    status.select_option("open")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("details.filters")).to_have_attribute("open", "")
