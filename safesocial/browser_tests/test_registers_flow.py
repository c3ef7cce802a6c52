"""The registers in the browser: a teacher declares a friendship with a pupil's family, the head (whom the policy
names) decides it with advice, and the teacher sees the decision. A request to unblock a website with an address
that is not one is refused with the field named and the reason kept. The pages pass axe-core on a laptop and a
phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safesocial.people.roles import Role
from safesocial.registers import services
from safesocial.registers.models import FriendshipDeclaration, FriendshipStatus

from .test_escalation_flow import _check_page


@pytest.mark.browser
def test_teacher_declares_a_friendship_and_the_head_decides_it(page: Page, sign_in, teacher, head, pupils, screenshot):
    sign_in(teacher)
    page.goto("/registers/")
    page.get_by_role("link", name="Declare a friendship").click()
    # The people the policy says to talk it through with are named.
    expect(page.get_by_role("heading", name="Talk it through first")).to_be_visible()
    page.get_by_label("Pupils on the school's records").select_option(
        label="Ada Lovelace (Year 4, Seabright Primary School)"
    )
    page.get_by_label("Parents or carers on the school's records").select_option(label="Augusta Byron")
    page.get_by_label("The relationship").fill("Augusta and I were at university together, long before Ada started.")
    page.get_by_label("Facebook", exact=True).check()
    page.get_by_label("WhatsApp", exact=True).check()
    page.get_by_role("button", name="Make the declaration").click()
    expect(page.locator(".messages")).to_contain_text("It now waits for a decision.")
    expect(page.locator(".lede")).to_contain_text("Waiting for a decision")
    # The declarer cannot decide their own.
    expect(page.get_by_role("button", name="Record the decision")).to_have_count(0)
    screenshot(page, "desktop-friendship-declared")

    sign_in(head)
    page.goto("/")
    expect(page.get_by_text("1 declaration waits for your decision.")).to_be_visible()
    page.goto("/registers/")
    page.get_by_role("link", name=f"{teacher} (declaration of {timezone.localdate():%-d %b %Y})").click()
    page.get_by_label("Limit contact: for example, hide or restrict what the family sees").check()
    page.get_by_label("Advice given", exact=True).fill(
        "Keep school matters off social media and restrict what the family sees."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".messages")).to_contain_text("Decision recorded.")
    expect(page.locator("dl.facts").last).to_contain_text("Decided by")
    screenshot(page, "desktop-friendship-decided")

    sign_in(teacher)
    page.goto(f"/registers/friendships/{FriendshipDeclaration.objects.get().pk}/")
    expect(page.get_by_text("Keep school matters off social media")).to_be_visible()
    declaration = FriendshipDeclaration.objects.get()
    assert declaration.status == FriendshipStatus.DECIDED and declaration.decided_by == head


@pytest.mark.browser
def test_an_unblock_request_with_a_bad_address_is_refused_and_the_reason_kept(page: Page, sign_in, teacher, pupils):
    sign_in(teacher)
    page.goto("/registers/unblock/new/")
    page.get_by_label("Web address of the blocked site").fill("rivers video")
    page.get_by_label("Why it is needed").fill("Year 4 geography, rivers.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".error-summary")).to_contain_text("Web address of the blocked site")
    expect(page.get_by_label("Why it is needed")).to_have_value("Year 4 geography, rivers.")
    page.get_by_label("Web address of the blocked site").fill("https://www.example.com/rivers")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".lede")).to_contain_text("Waiting for IT support")


@pytest.mark.browser
def test_registers_pages_are_accessible(page: Page, sign_in, make_staff, teacher, head, seabright, pupils, screenshot):
    it = make_staff(Role.IT_SUPPORT, None, "Ike Tech")
    declaration = services.friendship_declare(
        actor=teacher,
        school=seabright,
        pupils=[pupils[0]],
        nature="Family friends.",
        platforms=["facebook"],
    )
    request = services.unblock_request(
        actor=teacher, school=seabright, url="https://video.example.org/coding", reason="Coding club."
    )
    services.unblock_decide(actor=it, request=request, decision="refer", note="Needs a senior leader.")
    remote = services.remote_learning_submit(
        actor=teacher,
        school=seabright,
        platform="Video lessons",
        purpose="Lessons at home",
        year_groups="Years 5 and 6",
        data_protection="School accounts only",
        age_limits="None",
        risks="Cameras off by default",
        review_on=timezone.localdate() + dt.timedelta(days=365),
    )
    sign_in(head)
    problems: list[str] = []
    for path, name in (
        ("/registers/", "registers"),
        (f"/registers/friendships/{declaration.pk}/", "friendship-decide"),
        (f"/registers/unblock/{request.pk}/", "unblock-referred"),
        (f"/registers/remote-learning/{remote.pk}/", "remote-learning"),
        ("/registers/friendships/new/", "friendship-new"),
        ("/registers/ai-tools/new/", "ai-tool-new"),
    ):
        response = page.goto(path)
        assert response is not None and response.ok, f"{path} answered {response and response.status}"
        problems += _check_page(page, name, screenshot)
    assert not problems, "\n".join(problems)
