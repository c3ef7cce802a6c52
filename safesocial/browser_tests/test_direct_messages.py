"""Issue 15's demo story for direct messages, in the browser: a pupil messages the school's (sandbox) account with a
disclosure and gets only the policy's standard reply; the DSL finds the message on their dashboard and reads it with
its concern; the channel administrator, who moderates but is not named for concerns, sees that a message came and
went to the DSL, never its words. Nobody in SafeSocial has anything to write a reply with."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from safesocial.direct_messages.services import reply_text
from safesocial.testing.browser import PHONE

from .screens import problems_at

DISCLOSURE = "please dont tell anyone but my stepdad hurts me when mum is at work"
WORDS = ("stepdad", "hurts me", "mum is at work", "are you there")


@pytest.mark.browser
def test_a_pupils_message_with_a_disclosure_gets_the_standard_reply_and_reaches_the_dsl_alone(
    open_as, sandbox, head, channel_admin, screenshot
):
    # The pupil, signed out, on the school's page: Message, then their name and the message.
    pupil = open_as(None)
    pupil.goto(f"/sandbox/{sandbox.pk}/")
    pupil.get_by_role("link", name=f"Message {sandbox.name}").click()
    expect(pupil.get_by_role("heading", level=1)).to_have_text(f"Message {sandbox.name}")
    pupil.get_by_label("Your name").fill("Pat Pupil")
    pupil.get_by_label("Your message").fill(DISCLOSURE)
    pupil.get_by_role("button", name="Send").click()
    expect(pupil.get_by_role("status")).to_contain_text("Message sent.")
    conversation = pupil.get_by_role("region", name="Your conversation")
    expect(conversation).to_contain_text(DISCLOSURE)
    expect(conversation.locator(".by-page")).to_have_count(1)
    expect(conversation.locator(".by-page")).to_contain_text(reply_text(sandbox))
    assert not problems_at(pupil, pupil.viewport_size["width"])
    screenshot(pupil, "direct-messages-sandbox-conversation")
    pupil.set_viewport_size(PHONE)  # a pupil is most likely on a phone
    assert not problems_at(pupil, PHONE["width"])
    # A second message the same day gets no second reply.
    pupil.get_by_label("Your name").fill("Pat Pupil")
    pupil.get_by_label("Your message").fill("are you there?")
    pupil.get_by_role("button", name="Send").click()
    expect(conversation).to_contain_text("are you there?")
    expect(conversation.locator(".by-page")).to_have_count(1)

    # Seabright's head, the DSL: the dashboard's card, the words, and the concern they became.
    lead = open_as(head)
    lead.goto("/")
    card = lead.locator(".card", has=lead.get_by_role("heading", name="Direct messages"))
    expect(card).to_contain_text("1 raised with the DSL")
    card.get_by_role("link", name="See the messages").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Direct messages")
    table = lead.get_by_role("table")
    expect(table.locator("caption")).to_have_text("2 messages, newest first")
    row = table.locator("tbody tr", has_text="stepdad")
    expect(row).to_contain_text("A possible safeguarding concern: raised with the DSL")
    expect(row).to_contain_text("Standard reply sent")
    expect(table.locator("tbody tr", has_text="are you there?")).to_contain_text("Already answered today")
    expect(lead.locator("main textarea")).to_have_count(0)
    assert not problems_at(lead, lead.viewport_size["width"])
    screenshot(lead, "direct-messages-dsl")
    lead.set_viewport_size(PHONE)
    assert not problems_at(lead, PHONE["width"])
    screenshot(lead, "phone-direct-messages-dsl")
    row.get_by_role("link", name="The concern").click()
    expect(lead).to_have_url(re.compile(r"/concerns/\d+/$"))
    expect(lead.get_by_role("main")).to_contain_text("A direct message to Seabright sandbox")
    expect(lead.get_by_role("main")).to_contain_text(DISCLOSURE)

    # The channel administrator moderates the account but is not named for concerns.
    admin = open_as(channel_admin)
    admin.goto("/messages/")
    masked = admin.locator("tbody tr", has_text="A possible safeguarding concern, passed to the DSL")
    expect(masked).to_have_count(1)
    for words in WORDS:
        expect(admin.get_by_role("main")).not_to_contain_text(words)
    expect(admin.get_by_role("main")).not_to_contain_text("Pat Pupil")
    screenshot(admin, "direct-messages-moderator")
