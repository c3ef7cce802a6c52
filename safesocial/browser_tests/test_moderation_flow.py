"""Comments on an official channel, as the people involved see them in the browser: visitors comment on the
sandbox page, abuse disappears at once, a disclosure reaches the designated safeguarding lead and nobody else,
a visitor who keeps being abusive is proposed for a block, and the channel admin answers a complaint from the
page with the reply SafeSocial suggests.

The channel and its published post are made through the services; everything a person would do happens in
Chromium. Each visitor is a browser context of their own, so their session (and the pseudonymous visitor id
the sandbox keeps in it) is theirs, as a real person's would be."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from safesocial.moderation.explain import SANDBOX
from safesocial.moderation.views import COMPLAINT_REPLY
from safesocial.people.models import User
from safesocial.platforms.models import SandboxPost
from safesocial.publishing import services as posts

# The channel ready to post to, shared with the publishing and moderation tests.

POST_TEXT = "Our choir sang at the town hall tonight.\nThank you to everyone who came!"
ABUSE = "You are all useless idiots"
KIND = "The choir smashed it tonight!"
DISCLOSURE = "my daughter is scared to go home because her stepdad hits her"
# Words of the disclosure that nobody but the people the policy names for concerns may read, whole or in part.
DISCLOSURE_WORDS = ("stepdad", "scared to go home", "hits her")
MORE_ABUSE = ("Useless idiots the lot of you", "Shut up you morons")
COMPLAINT = "Mr Jones never answers emails and the school ignores complaints"


@pytest.fixture
def published(live_server, teacher, colleague, sandbox) -> SandboxPost:
    """A post a teacher wrote and a colleague approved, now on Seabright's sandbox page."""
    post = posts.post_create(actor=teacher, channels=[sandbox], text=POST_TEXT, category="events")
    post, _ = posts.post_submit(actor=teacher, post=post)
    posts.post_approve(actor=colleague, post=post)
    return SandboxPost.objects.get(channel_id=sandbox.pk)


@pytest.fixture
def moderator(channel_admin) -> User:
    """Ada Admin, channel admin at Seabright: the policy names channel admins to moderate comments."""
    return channel_admin


def comments_under(page: Page, published: SandboxPost):
    return page.locator(f"#post-{published.pk}").get_by_role("region", name="Comments on this post")


def write_comment(page: Page, published: SandboxPost, name: str, text: str) -> None:
    """Under the post on the sandbox page: name, comment, Comment; the page comes back at the post."""
    post = page.locator(f"#post-{published.pk}")
    post.get_by_label("Your name").fill(name)
    post.get_by_label("Write a comment").fill(text)
    with page.expect_navigation(url=re.compile(rf"/sandbox/{published.channel_id}/#post-{published.pk}$")):
        post.get_by_role("button", name="Comment").click()
    expect(page.get_by_role("status")).to_contain_text("Comment posted.")


def visit_sandbox(open_as, published: SandboxPost) -> Page:
    """A member of the public, signed out, on the school's (sandbox) page."""
    visitor = open_as(None)
    response = visitor.goto(f"/sandbox/{published.channel_id}/")
    assert response is not None and response.ok, f"the sandbox page answered {response and response.status}"
    expect(visitor.locator(f"#post-{published.pk}")).to_contain_text("Our choir sang at the town hall tonight.")
    return visitor


def open_inbox(page: Page) -> None:
    """The moderator's way in: the main navigation's Comments."""
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Comments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comments")


def row_of(page: Page, text: str):
    return page.locator("tbody tr", has_text=text)


def repeat_offenders(page: Page):
    return page.get_by_role("heading", name="Repeat offenders")


@pytest.mark.browser
def test_abuse_is_hidden_at_once_kind_words_stay_and_the_admin_sees_why(
    page, sign_in, open_as, moderator, published, sandbox
):
    visitor = visit_sandbox(open_as, published)
    write_comment(visitor, published, "Sam Visitor", ABUSE)
    expect(comments_under(visitor, published)).not_to_contain_text("useless idiots")
    write_comment(visitor, published, "Sam Visitor", KIND)
    expect(comments_under(visitor, published)).to_contain_text(KIND)
    expect(comments_under(visitor, published)).not_to_contain_text("useless idiots")

    sign_in(moderator)
    open_inbox(page)
    # SafeSocial hid the abuse: nobody has to act before it comes down, so nothing waits for a moderator; the
    # hiding waits to be checked. Kind words need nobody at all.
    expect(page.get_by_role("link", name="Waiting for a moderator (0)")).to_be_visible()
    expect(row_of(page, ABUSE)).to_have_count(0)
    page.get_by_role("link", name="Hidden by SafeSocial — check (1)").click()
    hidden = row_of(page, ABUSE)
    expect(hidden).to_have_count(1)
    expect(hidden).to_contain_text("Hidden by SafeSocial — check")
    expect(hidden).to_contain_text("Hidden: says “useless idiots” — abuse.")
    expect(hidden.locator("mark")).to_have_text("“useless idiots”")
    expect(hidden).to_contain_text("Sam Visitor")
    expect(row_of(page, KIND)).to_have_count(0)
    page.get_by_role("link", name="All", exact=True).click()
    expect(row_of(page, KIND)).to_contain_text("Visible")
    expect(row_of(page, KIND)).to_contain_text("Left up: nothing in it breaks the policy.")

    page.get_by_role("link", name=ABUSE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Comment on {sandbox.name}")
    main = page.get_by_role("main")
    expect(page.locator("p.lede .tag")).to_have_text("Hidden by SafeSocial — check")
    expect(main).to_contain_text("Hidden: says “useless idiots” — abuse.")
    # The scores are there for whoever wants them, folded away.
    how = page.locator("details", has_text="How SafeSocial decided")
    expect(how.get_by_role("table")).not_to_be_visible()
    how.locator("summary").click()
    expect(how.get_by_role("table")).to_contain_text("The wording reads as abusive or offensive")
    # A hidden comment is kept hidden without a reason, or shown again with one; never "left up".
    expect(page.get_by_role("button", name="Leave it up (mark reviewed)")).to_have_count(0)
    expect(page.get_by_role("button", name=f"Show it again on {SANDBOX}")).to_be_visible()
    history = page.get_by_role("listitem").filter(has_text=f"Hidden on {SANDBOX} by SafeSocial (automatically)")
    expect(history).to_have_count(1)
    expect(history).to_contain_text("Hidden automatically: The wording reads as abusive")
    page.get_by_role("button", name="Keep hidden (mark reviewed)").click()
    expect(page.get_by_role("status")).to_contain_text("Marked reviewed.")
    expect(page.locator("p.lede .tag")).to_have_text("Hidden")
    expect(page.get_by_role("button", name="Keep hidden (mark reviewed)")).to_have_count(0)


@pytest.mark.browser
def test_a_disclosure_reaches_the_head_and_the_channel_admin_sees_it_masked(
    page, sign_in, open_as, head, moderator, published
):
    lead = open_as(head)  # Seabright's head, one of the people the policy names for concerns
    lead.goto("/")
    expect(lead.get_by_role("heading", name="Open safeguarding concerns")).to_have_count(0)

    visitor = visit_sandbox(open_as, published)
    write_comment(visitor, published, "Jo Parent", DISCLOSURE)
    expect(comments_under(visitor, published)).not_to_contain_text("stepdad")

    lead.reload()
    card = lead.locator(".card", has=lead.get_by_role("heading", name="Open safeguarding concerns"))
    expect(card).to_contain_text("1 open.")
    card.get_by_role("link", name="See them").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Safeguarding concerns")
    lead.get_by_role("link", name=re.compile(r"^Concern \d+$")).click()
    expect(lead).to_have_url(re.compile(r"/concerns/\d+/$"))
    expect(lead.get_by_role("main")).to_contain_text(DISCLOSURE)
    expect(lead.get_by_role("main")).to_contain_text("It is hidden from the public and kept: it is never deleted.")

    sign_in(moderator)
    open_inbox(page)
    # The DSL has it: it is not waiting for a moderator, nor for one to check SafeSocial's hiding.
    expect(page.get_by_role("link", name="Waiting for a moderator (0)")).to_be_visible()
    expect(page.get_by_role("link", name="Hidden by SafeSocial — check (0)")).to_be_visible()
    page.get_by_role("link", name="Hidden", exact=True).click()
    masked = row_of(page, "A possible safeguarding concern, passed to the DSL")
    expect(masked).to_have_count(1)
    expect(masked).to_contain_text("Hidden · passed to the DSL")
    for words in DISCLOSURE_WORDS:
        expect(page.get_by_role("main")).not_to_contain_text(words)

    masked.get_by_role("link").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Only the people the policy names for concerns can read it.")
    expect(main).to_contain_text("Passed to the designated safeguarding lead as a safeguarding concern")
    expect(main.get_by_role("button")).to_have_count(0)
    # Not the comment, and not a quotation from it in the reasons or the history either.
    for words in DISCLOSURE_WORDS:
        expect(main).not_to_contain_text(words)


@pytest.mark.browser
def test_a_visitor_who_keeps_being_abusive_is_proposed_for_a_block(page, sign_in, open_as, moderator, published):
    visitor = visit_sandbox(open_as, published)
    write_comment(visitor, published, "Rex Rude", ABUSE)
    write_comment(visitor, published, "Rex Rude", MORE_ABUSE[0])

    sign_in(moderator)
    open_inbox(page)
    page.get_by_role("link", name="Hidden by SafeSocial — check (2)").click()
    expect(row_of(page, "Rex Rude")).to_have_count(2)
    expect(repeat_offenders(page)).to_have_count(0)  # two strikes: the policy's limit is three

    write_comment(visitor, published, "Rex Rude", MORE_ABUSE[1])
    expect(comments_under(visitor, published)).not_to_contain_text("morons")
    page.reload()
    expect(repeat_offenders(page)).to_be_visible()
    offender = page.get_by_role("listitem").filter(has_text="Rex Rude")
    expect(offender).to_contain_text("block proposed")

    # The evidence, and the way to the block: the author's comments, then one of them.
    offender.get_by_role("link", name="Comments by Rex Rude").click()
    expect(page.get_by_role("table")).to_contain_text("3 comments by Rex Rude")
    expect(row_of(page, "Rex Rude")).to_have_count(3)
    row_of(page, MORE_ABUSE[1]).get_by_role("link").click()
    expect(page.get_by_role("button", name="Block the author")).to_be_visible()


@pytest.mark.browser
def test_a_disclosure_does_not_count_towards_a_block_of_the_person_who_made_it(
    page, sign_in, open_as, moderator, published
):
    """A parent who tells the school their child is at risk, then loses their temper twice, has been abusive
    twice: the disclosure is hidden to protect the child, not as a punishment."""
    visitor = visit_sandbox(open_as, published)
    write_comment(visitor, published, "Jo Parent", DISCLOSURE)
    write_comment(visitor, published, "Jo Parent", ABUSE)
    write_comment(visitor, published, "Jo Parent", MORE_ABUSE[0])

    sign_in(moderator)
    open_inbox(page)
    page.get_by_role("link", name="All", exact=True).click()
    # The disclosure's row names nobody to a moderator who is not named for concerns.
    expect(row_of(page, "Jo Parent")).to_have_count(2)
    expect(row_of(page, "A member of the public")).to_have_count(1)
    expect(repeat_offenders(page)).to_have_count(0)


@pytest.mark.browser
def test_the_admin_answers_a_complaint_with_the_suggested_reply_under_the_comment(
    page, sign_in, open_as, moderator, published, sandbox
):
    complainant = visit_sandbox(open_as, published)
    write_comment(complainant, published, "Chris Cross", COMPLAINT)
    # A complaint is not abuse: it stays up for everyone to see while it waits for a reply.
    expect(comments_under(complainant, published)).to_contain_text(COMPLAINT)
    # Someone else comments in the meantime.
    other = visit_sandbox(open_as, published)
    write_comment(other, published, "Kim Kind", KIND)

    sign_in(moderator)
    open_inbox(page)
    row = row_of(page, COMPLAINT)
    expect(row).to_contain_text("Left up for a reply: says")
    expect(row).to_contain_text("a complaint about a member of staff")
    expect(row).to_contain_text("Waiting for a moderator")
    row.get_by_role("link").click()
    reply = page.get_by_label("Reply", exact=True)
    expect(reply).to_have_value(COMPLAINT_REPLY)
    expect(page.get_by_role("main")).to_contain_text("suggested because this reads as a complaint")
    page.get_by_role("button", name="Reply with the complaints procedure").click()
    expect(page.get_by_role("status")).to_contain_text(f"Replied on {SANDBOX}.")
    expect(page.get_by_role("listitem").filter(has_text=f"Replied on {SANDBOX} by Ada Admin")).to_have_count(1)

    complainant.reload()
    comments = comments_under(complainant, published).locator(".sandbox-comment")
    expect(comments.filter(has_text=COMPLAINT_REPLY)).to_contain_text(sandbox.name)
    texts = comments.all_inner_texts()
    at = next(i for i, text in enumerate(texts) if COMPLAINT in text)
    assert at + 1 < len(texts) and COMPLAINT_REPLY in texts[at + 1], (
        f"the page's reply should sit under the complaint it answers, as on Facebook; the comments read: {texts}"
    )
