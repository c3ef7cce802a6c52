"""A post's take-down as the people involved meet it in the browser: a parent withdraws consent for social media from
their own signed link, the channel's owner finds the decision waiting on the dashboard, takes the post down from
SafeSocial, and the sandbox page (what followers see) no longer shows it.

People, pupils, the channel and the published post are set up through the services (with the browser tests'
fixtures); everything a person would do happens in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from safesocial.channels.models import Channel
from safesocial.consent import services as consent
from safesocial.consent.models import Purpose
from safesocial.consent.selectors import current_consent
from safesocial.platforms.models import SandboxPost
from safesocial.publishing import services
from safesocial.publishing.models import Post, PostStatus, WithdrawalDecision

from .test_consent_flow import give, messages_of, mother


@pytest.mark.browser
def test_a_parent_withdraws_consent_and_the_channel_owner_takes_the_post_down_from_the_dashboard(
    page, sign_in, head, teacher, colleague, sandbox: Channel, ava
):
    give(ava, head, Purpose.SOCIAL_MEDIA, Purpose.NAME_WITH_PHOTO)
    text = "Ava Quill read her poem to the whole school!"
    post, findings = services.post_submit(
        actor=teacher,
        post=services.post_create(actor=teacher, channels=[sandbox], text=text, category="achievements"),
        reviewer=colleague,
    )
    assert post.status == PostStatus.IN_REVIEW, findings
    services.post_approve(actor=colleague, post=post)
    assert Post.objects.get(pk=post.pk).status == PostStatus.PUBLISHED

    # Followers see it on the sandbox page (signed out, as any visitor).
    page.goto(f"/sandbox/{sandbox.pk}/")
    feed = page.locator(".sandbox-feed")
    expect(feed.get_by_role("article")).to_have_count(1)
    expect(feed).to_contain_text(text)

    # The parent opens the signed link from an email and says no to social media.
    page.goto(f"/consent/{consent.parent_link_token(mother(ava))}/")
    child = page.get_by_role("region", name="Ava, Seabright")
    social = child.get_by_role("group", name="Photos and video on the school's official social media")
    expect(social.get_by_label("Yes, I agree")).to_be_checked()
    social.get_by_label("No").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(messages_of(page)).to_contain_text("Thank you. 1 choice saved.")
    assert not current_consent(ava, Purpose.SOCIAL_MEDIA).given
    decision = WithdrawalDecision.objects.get(post=post)
    assert decision.decision == ""

    # The channel's owner (its administrator, who proposed it) sees the decision waiting on the dashboard.
    owner = sandbox.owner
    sign_in(owner)
    page.goto("/")
    card = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Posts to decide on after a consent withdrawal")
    )
    expect(card).to_contain_text("1 published post relied on a consent a parent withdrew")
    expect(card).to_contain_text(f"by {decision.due_on:%d/%m/%Y}")
    card.get_by_role("link", name="Decide").click()
    expect(page).to_have_url(re.compile(rf"/posts/{post.pk}/$"))

    alert = page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name="A parent withdrew a consent this post relied on")
    )
    expect(alert).to_contain_text(f"Decide by {decision.due_on:%d/%m/%Y}")
    alert.get_by_role("button", name="Take it down").click()
    expect(messages_of(page)).to_contain_text("Decision recorded.")
    expect(page.get_by_role("alert").filter(has_text="A parent withdrew a consent")).to_have_count(0)
    take_down = page.get_by_role("heading", name="Take-down").locator("+ ul")
    expect(take_down).to_contain_text(f"{sandbox.name}: Taken down")
    expect(take_down).to_contain_text(f"consent withdrawn, asked by {owner}")

    decision.refresh_from_db()
    assert decision.decision == "take_down" and decision.decided_by == owner
    assert not SandboxPost.objects.filter(channel_id=sandbox.pk).exists()

    # Nothing is left waiting on the dashboard.
    page.goto("/")
    expect(page.get_by_role("heading", name="Posts to decide on after a consent withdrawal")).to_have_count(0)

    # And followers no longer see it.
    page.goto(f"/sandbox/{sandbox.pk}/")
    expect(page.locator(".sandbox-feed").get_by_role("article")).to_have_count(0)
    expect(page.get_by_role("main")).not_to_contain_text(text)
    expect(page.get_by_role("main")).to_contain_text("Nothing has been published to this sandbox page yet.")
