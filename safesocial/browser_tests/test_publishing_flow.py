"""A post's whole life, as the people involved see it in the browser: a teacher writes it with a photo, a
colleague reads and approves it, and it appears on the sandbox page that anyone can open.

The channel and people are set up through the services; everything a person would do happens in Chromium.
live_server gives the test real commits, so the publishing queued with transaction.on_commit runs for real."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from safesocial.people.models import User
from safesocial.publishing import services
from safesocial.publishing.delivery import deliver_due
from safesocial.publishing.models import Post, PostStatus

TEXT = "Sports day is on Friday!\nBring a water bottle, a sun hat and your biggest cheer."
ALT = "Children in red and blue racing across the school field"
POST_URL = re.compile(r"/posts/(\d+)/$")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    """Uploaded photos and the sandbox's copies land in the test's own folder, not in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def jpeg(tmp_path) -> Path:
    """A photo as a teacher would pick it from their computer."""
    path = tmp_path / "sports-day.jpg"
    image = Image.new("RGB", (800, 600), (90, 160, 70))
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 250, 300, 450), fill=(200, 40, 40))
    draw.rectangle((500, 250, 700, 450), fill=(40, 60, 200))
    image.save(path, "JPEG")
    return path


def status_of(page: Page):
    """The post's status, shown as a tag at the top of its page."""
    return page.locator("p.lede .tag")


def write_post(page: Page, *, channel: str, category: str, text: str, when: dt.datetime | None = None) -> None:
    """From anywhere in the app: Posts, then Write a post, then the form filled in (not yet saved)."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Posts").click()
    page.get_by_role("link", name="Write a post").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a post")
    page.get_by_role("checkbox", name=channel).check()
    page.get_by_label("Category").select_option(label=category)
    page.get_by_label("Text", exact=True).fill(text)
    if when is not None:
        page.get_by_label("Publish at").fill(f"{when:%Y-%m-%dT%H:%M}")


BLOCKED = "Blocked by checks"  # a draft whose automated checks found something it cannot go out with


def save_draft(page: Page, status: str = "Draft") -> int:
    page.get_by_role("button", name="Save draft").click()
    expect(page).to_have_url(POST_URL)
    expect(page.get_by_role("main")).to_contain_text("Draft saved")
    expect(status_of(page)).to_have_text(status)
    return int(POST_URL.search(page.url).group(1))


def ask_to_review(page: Page, reviewer: User) -> None:
    """Choose the reviewer by their account (the choices are labelled "Name — Role, School", as many share a name)."""
    choice = page.get_by_label("Ask a colleague to review it")
    expect(choice.locator(f"option[value='{reviewer.pk}']")).to_have_text(
        re.compile(rf"^{re.escape(reviewer.full_name)} — ")
    )
    choice.select_option(value=str(reviewer.pk))


def send_for_review(page: Page, reviewer: User) -> None:
    ask_to_review(page, reviewer)
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_role("main")).to_contain_text("Sent for review")
    expect(status_of(page)).to_have_text("In review")


def open_from_review_list(page: Page, title: str) -> None:
    """The reviewer's way in: the dashboard says a post is waiting, the list names it."""
    page.goto("/")
    card = page.locator(".card", has=page.get_by_role("heading", name="Posts to review"))
    expect(card).to_contain_text("1 post waiting for you to read")
    card.get_by_role("link", name="Review them").click()
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def expect_loaded_image(page: Page, alt: str, within=None) -> None:
    image = (within or page).get_by_role("img", name=alt)
    expect(image).to_be_visible()
    # Not a broken-image icon: the browser really decoded the photo the teacher uploaded.
    expect(image).to_have_js_property("naturalWidth", 800)


@pytest.mark.browser
def test_teacher_writes_a_post_with_a_photo_colleague_approves_and_it_is_on_the_sandbox_page(
    page, sign_in, open_as, teacher, colleague, sandbox, jpeg
):
    category = sandbox.trust.policy.posts.categories[0].label
    title = TEXT.splitlines()[0]

    sign_in(teacher)
    page.goto("/")
    write_post(page, channel=sandbox.name, category=category, text=TEXT)
    page.get_by_label("Image 1", exact=True).set_input_files(jpeg)
    page.get_by_label("Describe image 1").fill(ALT)
    post_id = save_draft(page)

    preview = page.get_by_role("region", name=f"Preview on {sandbox.name}")
    expect(preview).to_contain_text("Bring a water bottle")
    expect_loaded_image(page, ALT, within=preview)
    send_for_review(page, colleague)

    reviewer = open_as(colleague)
    open_from_review_list(reviewer, title)
    expect_loaded_image(reviewer, ALT)
    for criterion in reviewer.get_by_role("checkbox").all():  # the policy's post criteria, each confirmed
        criterion.check()
    reviewer.get_by_role("button", name="Approve").click()

    expect(reviewer.get_by_role("main")).to_contain_text("Approved. Thank you for reading it.")
    expect(status_of(reviewer)).to_have_text("Published")
    page.reload()
    expect(status_of(page)).to_have_text("Published")

    reviewer.get_by_role("link", name="See it on the sandbox page").click()
    expect(reviewer).to_have_url(re.compile(rf"/sandbox/{sandbox.pk}/#post-\d+$"))
    sandbox_url = reviewer.url

    # The sandbox page stands in for the real Facebook page: anyone can read it, signed in or not.
    public = open_as(None)
    response = public.goto(sandbox_url)
    assert response is not None and response.ok, f"{sandbox_url} answered {response and response.status}"
    expect(public.get_by_role("heading", level=1)).to_have_text(sandbox.name)
    article = public.get_by_role("article")
    expect(article).to_have_count(1)
    expect(article).to_contain_text(title)
    expect(article).to_contain_text("Bring a water bottle, a sun hat and your biggest cheer.")
    expect_loaded_image(public, ALT, within=article)
    assert Post.objects.get(pk=post_id).status == PostStatus.PUBLISHED


@pytest.mark.browser
def test_a_scheduled_post_waits_for_its_time_then_the_outbox_publishes_it(
    page, sign_in, open_as, teacher, colleague, sandbox
):
    category = sandbox.trust.policy.posts.categories[-1].label
    text = "Our summer fair opens at noon.\nEveryone is welcome."
    title = text.splitlines()[0]
    when = timezone.localtime(timezone.now() + dt.timedelta(hours=3)).replace(second=0, microsecond=0)

    sign_in(teacher)
    page.goto("/")
    write_post(page, channel=sandbox.name, category=category, text=text, when=when)
    post_id = save_draft(page)
    expect(page.locator("p.lede")).to_contain_text(f"to publish at {when:%H:%M}")
    send_for_review(page, colleague)

    reviewer = open_as(colleague)
    open_from_review_list(reviewer, title)
    for criterion in reviewer.get_by_role("checkbox").all():  # the policy's post criteria, each confirmed
        criterion.check()
    reviewer.get_by_role("button", name="Approve").click()
    expect(status_of(reviewer)).to_have_text("Scheduled")

    # Not before its time: the sandbox page is still empty.
    public = open_as(None)
    public.goto(f"/sandbox/{sandbox.pk}/")
    expect(public.get_by_role("main")).to_contain_text("Nothing has been published to this sandbox page yet.")
    assert deliver_due(now=when - dt.timedelta(minutes=1))["sent"] == 0

    # The outbox's sweep at the scheduled time publishes it.
    outcome = deliver_due(now=when + dt.timedelta(minutes=1))
    assert outcome["sent"] == 1, outcome

    reviewer.reload()
    expect(status_of(reviewer)).to_have_text("Published")
    public.reload()
    expect(public.get_by_role("article")).to_contain_text(title)
    expect(public.get_by_role("article")).to_contain_text("Everyone is welcome.")
    assert Post.objects.get(pk=post_id).status == PostStatus.PUBLISHED


@pytest.mark.browser
def test_a_reviewer_returns_a_post_and_the_author_reads_the_notes(page, sign_in, open_as, teacher, colleague, sandbox):
    text = "Well done to Year 5 for their swimming gala!"
    post = services.post_create(
        actor=teacher,
        channels=[sandbox],
        text=text,
        category=sandbox.trust.policy.category_keys()[0],
    )
    services.post_submit(actor=teacher, post=post, reviewer=colleague)
    notes = "Please check we have consent to name the year group's swimmers before this goes out."

    reviewer = open_as(colleague)
    open_from_review_list(reviewer, text)
    reviewer.get_by_label("Notes for the author").fill(notes)
    reviewer.get_by_role("button", name="Return to the author").click()
    expect(reviewer.get_by_role("main")).to_contain_text("Returned to the author with your notes.")
    expect(status_of(reviewer)).to_have_text("Returned to author")

    sign_in(teacher)
    page.goto("/")
    attention = page.locator(".card", has=page.get_by_role("heading", name="Your posts need attention"))
    expect(attention).to_contain_text("1 returned with notes.")
    attention.get_by_role("link", name="Your posts").click()
    page.get_by_role("link", name=text).click()
    expect(status_of(page)).to_have_text("Returned to author")
    expect(page.get_by_role("main")).to_contain_text(f"Reviewer's notes: {notes}")
    expect(page.get_by_role("listitem").filter(has_text="Returned with notes by Cora Colleague")).to_contain_text(notes)
    # The author can act on the notes: edit the post, or send it again.
    expect(page.get_by_role("link", name="Edit")).to_be_visible()
    expect(page.get_by_role("button", name="Send for review")).to_be_visible()
