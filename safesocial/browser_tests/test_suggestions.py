"""Suggestions as the people involved see them: a teaching assistant suggests a post (and is stopped, with the reason,
when it names a child without consent); the channel's poster turns one into a draft and declines another with a note;
under policy 001 a suggestion waits for the head, who agrees it before a poster writes it. Each page is checked with
axe-core on a laptop and a phone; screenshots go to var/screenshots/ for people to look over."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from safesocial.channels.models import Channel
from safesocial.people.models import User
from safesocial.people.roles import Role
from safesocial.publishing import services
from safesocial.publishing.models import Post, PostStatus, Suggestion, SuggestionStatus
from safesocial.testing.channels import make_channel
from safesocial.testing.people import holder

from .screens import Screen, check_on_a_laptop_and_a_phone

IDEA = "Our reading volunteers would love more helpers on Tuesday afternoons."


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass(frozen=True)
class World:
    assistant: User
    teacher: User
    sandbox: Channel
    waiting: Suggestion


@pytest.fixture
def world(live_server, make_staff, seabright, teacher, sandbox) -> World:
    assistant = make_staff(Role.SUPPORT_STAFF, seabright, "Jo Assistant")
    waiting = services.suggestion_create(actor=assistant, channel=sandbox, text=IDEA, category="community")
    return World(assistant, teacher, sandbox, waiting)


def tag(page: Page):
    return page.locator("p.lede .tag")


@pytest.mark.browser
def test_a_teaching_assistant_suggests_a_post_and_a_poster_makes_it_a_draft(
    page, sign_in, ava, make_staff, seabright, teacher, sandbox, screenshot
):
    assistant = make_staff(Role.SUPPORT_STAFF, seabright, "Jo Assistant")
    sign_in(assistant)
    page.goto(f"/channels/{sandbox.pk}/")
    page.get_by_role("link", name="Suggest a post").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggest a post")
    expect(page.get_by_label("For which channel")).to_have_value(str(sandbox.pk))
    page.get_by_label("Category").select_option(label="Achievements of pupils and staff")
    page.get_by_label("What the post could say").fill("Ava Quill read beautifully in assembly today!")
    page.get_by_role("button", name="Send the suggestion").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("consent")
    screenshot(page, "suggestion-refused")
    assert not Suggestion.objects.exists()

    page.get_by_label("What the post could say").fill("Year 4 read beautifully in assembly today!")
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.get_by_role("main")).to_contain_text("Suggestion sent.")
    expect(tag(page)).to_have_text("Waiting for a decision")
    expect(page.get_by_role("main")).to_contain_text("Tess Teacher")  # who it waits for
    screenshot(page, "suggestion-sent")

    sign_in(teacher)
    page.goto("/")
    card = page.locator(".card", has=page.get_by_role("heading", name="Suggestions for posts"))
    expect(card).to_contain_text("1 suggestion for a post from colleagues waits for your decision")
    card.get_by_role("link", name="Decide").click()
    page.get_by_role("link", name="Year 4 read beautifully in assembly today!").click()
    screenshot(page, "suggestion-to-decide")
    page.get_by_role("button", name="Turn it into a draft of mine").click()
    expect(page.get_by_role("main")).to_contain_text("A draft of yours now.")
    expect(tag(page)).to_have_text("Draft")
    expect(page.get_by_role("listitem").filter(has_text="Suggested")).to_contain_text("by Jo Assistant")
    screenshot(page, "suggestion-drafted")
    post = Post.objects.get()
    assert (post.author, post.status) == (teacher, PostStatus.DRAFT)
    told = [m for m in mail.outbox if m.to == [assistant.email] and "answer" in m.subject]
    assert told and "Year 4" not in told[-1].body

    sign_in(assistant)
    page.goto("/posts/suggestions/")
    page.get_by_role("link", name="Year 4 read beautifully in assembly today!").click()
    expect(tag(page)).to_have_text("Turned into a draft")


@pytest.mark.browser
def test_a_poster_declines_a_suggestion_with_a_note_the_colleague_reads(page, sign_in, world, screenshot):
    sign_in(world.teacher)
    page.goto(f"/posts/suggestions/{world.waiting.pk}/")
    page.get_by_role("button", name="Decline").click()
    expect(page.locator(".error-summary")).to_contain_text("Tell your colleague why")
    page.get_by_label("Why not").fill("We asked for volunteers in last week's newsletter.")
    page.get_by_role("button", name="Decline").click()
    expect(tag(page)).to_have_text("Declined")

    sign_in(world.assistant)
    page.goto(f"/posts/suggestions/{world.waiting.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Declined by Tess Teacher")
    expect(page.get_by_role("main")).to_contain_text("last week's newsletter")
    expect(page.get_by_role("button", name="Decline")).to_have_count(0)
    screenshot(page, "suggestion-declined")


@pytest.mark.browser
def test_policy_001_a_suggestion_waits_for_the_head_who_agrees_it(page, sign_in, make_trust, make_staff, screenshot):
    trust = make_trust("001")
    school = trust.schools.get(key="ashbrindle")
    head = holder(trust, Role.HEAD, "ashbrindle")
    admin = make_staff(Role.CHANNEL_ADMIN, school, "Ash Admin")
    poster = make_staff(Role.TEACHER, school, "Pip Poster")
    assistant = make_staff(Role.SUPPORT_STAFF, school, "Tam Assistant")
    page_channel = make_channel(admin, head, school, name="Ashbrindle sandbox", posters=[poster])
    suggestion = services.suggestion_create(actor=assistant, channel=page_channel, text=IDEA, category="vacancies")

    sign_in(poster)
    page.goto(f"/posts/suggestions/{suggestion.pk}/")
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"It waits for the head.*Louise Penrose"))
    expect(page.get_by_role("button", name="Turn it into a draft of mine")).to_have_count(0)

    sign_in(head)
    page.goto("/")
    card = page.locator(".card", has=page.get_by_role("heading", name="Suggestions for posts"))
    card.get_by_role("link", name="Decide").click()
    page.get_by_role("link", name=IDEA[:60]).click()
    screenshot(page, "suggestion-for-the-head")
    page.get_by_role("button", name="Agree: ask the channel's posters to write it").click()
    expect(tag(page)).to_have_text("Agreed, waiting for a poster")

    sign_in(poster)
    page.goto(f"/posts/suggestions/{suggestion.pk}/")
    page.get_by_role("button", name="Turn it into a draft of mine").click()
    expect(page.get_by_role("listitem").filter(has_text="Suggested")).to_contain_text("agreed by Louise Penrose")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DRAFTED and suggestion.post.author == poster


SCREENS = [
    Screen("suggest", "assistant", lambda w: f"/posts/suggestions/new/?channel={w.sandbox.pk}", screenshots=True),
    Screen("suggestion-to-decide", "teacher", lambda w: f"/posts/suggestions/{w.waiting.pk}/", screenshots=True),
    Screen("suggestion-mine", "assistant", lambda w: f"/posts/suggestions/{w.waiting.pk}/"),
    Screen("suggestions", "teacher", lambda w: "/posts/suggestions/", screenshots=True),
]


@pytest.mark.browser
@pytest.mark.parametrize("screen", SCREENS, ids=[s.name for s in SCREENS])
def test_suggestion_page_is_accessible_on_a_laptop_and_a_phone(screen: Screen, world, page, sign_in, screenshot):
    check_on_a_laptop_and_a_phone(screen, world, page, sign_in, screenshot)
