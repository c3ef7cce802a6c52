"""The trust's CEO runs the policy's annual review in the browser: the dashboard says it is overdue, the review
opens with what the year brought, the CEO changes who approves channels, reads the difference in plain English and
line by line, submits and approves it; the new version is in force with its document history entry. A colleague
the policy does not name is refused. The review pages pass axe on a laptop and a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from safesocial.people.roles import Role
from safesocial.policy import services
from safesocial.policy.models import PolicyReview, ReviewStatus
from safesocial.testing.browser import PHONE

from .screens import problems_at


@pytest.mark.browser
def test_the_ceo_runs_a_review_from_draft_to_approval(page, sign_in, ceo, trust, screenshot):
    sign_in(ceo)
    page.goto("/")
    card = page.locator(".card", has=page.get_by_role("heading", name="Policy review overdue"))
    expect(card).to_contain_text("was due on 1 September 2026")
    card.get_by_role("link", name="Start the review").click()

    page.get_by_role("button", name="Start the review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Policy review due 1 September 2026")
    expect(page.get_by_role("heading", name="What the year brought")).to_be_visible()
    expect(page.get_by_role("heading", name="Comments moderated, by category, and how fast")).to_be_visible()

    editor = page.get_by_label("The policy file (YAML)")
    text = editor.input_value()
    assert "  approver: head\n" in text
    # A slip first: a role that does not exist. The mistake is named with its line; the typing is kept.
    editor.fill(text.replace("  approver: head\n", "  approver: headteacher\n", 1))
    page.get_by_role("button", name="Save the draft and check it").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("channels.approver")
    expect(summary).to_contain_text(re.compile(r"line \d+"))
    assert "approver: headteacher" in page.get_by_label("The policy file (YAML)").input_value()
    screenshot(page, "policy-review-draft-error")

    page.get_by_label("The policy file (YAML)").fill(text.replace("  approver: head\n", "  approver: ceo\n", 1))
    page.get_by_label("What changed (for the document history)").fill("The CEO now approves new channels")
    page.get_by_role("button", name="Save the draft and check it").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.locator("ul.changes")).to_contain_text("Who signs off a new channel: the headteacher → the CEO")
    diff = page.get_by_role("table", name=re.compile("^Difference between version 1 and the draft"))
    expect(diff).to_contain_text("Removed: approver: head")
    expect(diff).to_contain_text("Added: approver: ceo")
    screenshot(page, "policy-review-diff")

    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Submitted.")).to_be_visible()
    page.get_by_role("button", name="Approve the reviewed policy").click()
    expect(page.get_by_text("Approved. The reviewed policy is now in force")).to_be_visible()
    expect(page.get_by_role("link", name="version 2")).to_be_visible()
    screenshot(page, "policy-review-approved")

    page.goto("/policy/")
    history = page.get_by_role("table", name="Approvals and reviews of this policy")
    expect(history).to_contain_text("Reviewed and approved by the chief executive officer: The CEO now approves")
    review = PolicyReview.objects.get()
    assert review.status == ReviewStatus.APPROVED
    trust.__dict__.pop("policy_version", None)
    assert trust.policy.channels.approver == Role.CEO


@pytest.mark.browser
def test_a_colleague_the_policy_does_not_name_cannot_approve(page, sign_in, ceo, trust, make_staff):
    review = services.review_start(actor=ceo, trust=trust)
    services.review_submit(actor=ceo, review=review)
    lead = make_staff(Role.DSL, None, "Dana Lead")  # reminded of the review, not its approver
    sign_in(lead)
    page.goto(f"/policy/reviews/{review.pk}/")
    expect(page.get_by_text("Waiting for the chief executive officer to approve it")).to_be_visible()
    expect(page.get_by_role("button", name="Approve the reviewed policy")).to_have_count(0)


@pytest.mark.browser
def test_the_review_pages_are_accessible_on_a_laptop_and_a_phone(page, sign_in, ceo, trust, make_staff, screenshot):
    review = services.review_start(actor=ceo, trust=trust)
    services.review_save(
        actor=ceo,
        review=review,
        text=review.draft_text.replace("  approver: head\n", "  approver: ceo\n", 1),
        change_note="",
    )
    sign_in(ceo)
    problems = []
    for path in ("/policy/reviews/", f"/policy/reviews/{review.pk}/"):
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(path)
        problems += problems_at(page, 1280)
        page.set_viewport_size(PHONE)
        problems += problems_at(page, PHONE["width"])
    screenshot(page, "phone-policy-review")

    # The trustee who records that the board noted it, on the approved review.
    services.review_submit(actor=ceo, review=review)
    services.review_approve(actor=ceo, review=review)
    sign_in(make_staff(Role.GOVERNOR, None, "Gwen Trustee"))
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/policy/reviews/{review.pk}/")
    expect(page.get_by_role("button", name="Record that it was noted")).to_be_visible()
    problems += problems_at(page, 1280)
    page.get_by_role("button", name="Record that it was noted").click()
    expect(page.get_by_text("Recorded: the governing body noted the reviewed policy.")).to_be_visible()
    expect(page.get_by_text(re.compile("by the Trust Board on"))).to_be_visible()
    screenshot(page, "policy-review-noted")
    assert not problems, "\n".join(problems)
