"""A closed Facebook group, published by hand, as its people see it: a teacher writes a post for the group, a colleague
reads and approves it, the dashboard asks the teacher to publish it by hand, and the teacher records its link; then
the post is taken down by hand and the pupil's page and the group's page say so. Each page is checked with axe-core on
a laptop and a phone, and screenshots go to var/screenshots/ for people to look over."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safesocial.channels.models import Channel
from safesocial.consent import services as consent
from safesocial.consent.models import Method, Purpose
from safesocial.people.models import Pupil, User
from safesocial.people.roles import Role
from safesocial.publishing import services
from safesocial.publishing.models import DeliveryStatus, Post, PostStatus
from safesocial.publishing.tests.test_manual_channels import REASON, make_group

from .screens import Screen, check_on_a_laptop_and_a_phone

LINK = "https://www.facebook.com/groups/seabright-parents-example/posts/2002"
TEXT = "Harvest festival is on Thursday at 2pm in the hall."
POST_URL = re.compile(r"/posts/(\d+)/$")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass(frozen=True)
class World:
    teacher: User
    colleague: User
    head: User
    group: Channel
    waiting: Post  # approved, waiting to be published by hand
    taken_down: Post  # published by hand, then taken down by hand and not yet confirmed gone
    ava: Pupil


@pytest.fixture
def world(live_server, make_staff, ava, seabright, teacher, head) -> World:
    colleague = make_staff(Role.TEACHER, seabright, "Cora Colleague")
    channel_admin = make_staff(Role.CHANNEL_ADMIN, seabright, "Ada Admin")
    group = make_group(channel_admin, head, seabright, posters=[teacher])
    for purpose in (Purpose.SOCIAL_MEDIA, Purpose.NAME_WITH_PHOTO):  # her mother agreed on paper
        consent.consent_record(
            actor=head, pupil=ava, purpose=purpose, given=True, method=Method.PAPER, parent=ava.parents.get()
        )

    def approved(text: str) -> Post:
        post, findings = services.post_submit(
            actor=teacher,
            post=services.post_create(actor=teacher, channels=[group], text=text, category="events"),
        )
        assert post.status == PostStatus.IN_REVIEW, findings
        return services.post_approve(actor=colleague, post=post)

    waiting = approved("Reminder: PE kits go home on Friday.")
    out = approved("Congratulations to Ava Quill on her poetry prize!")
    services.delivery_record_by_hand(
        actor=teacher, delivery=out.deliveries.get(), url="https://www.facebook.com/groups/seabright-parents-example/1"
    )
    out.refresh_from_db()
    services.post_take_down(actor=head, post=out, reason="consent_withdrawn")
    return World(teacher, colleague, head, group, Post.objects.get(pk=waiting.pk), out, ava)


def status_of(page: Page):
    return page.locator("p.lede .tag")


@pytest.mark.browser
def test_a_closed_group_takes_a_reviewed_post_and_its_link_is_recorded(page, sign_in, world, screenshot):
    teacher, colleague, group = world.teacher, world.colleague, world.group

    sign_in(teacher)
    page.goto(f"/channels/{group.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(group.name)
    expect(page.get_by_role("main")).to_contain_text(REASON)
    screenshot(page, "manual-channel-page")
    page.get_by_role("link", name="Write a post").click()
    expect(page.get_by_role("checkbox", name=group.name)).to_be_checked()
    page.get_by_label("Category").select_option(label=group.trust.policy.posts.categories[0].label)
    page.get_by_label("Text", exact=True).fill(TEXT)
    page.get_by_role("button", name="Save draft").click()
    expect(page).to_have_url(POST_URL)
    post_id = int(POST_URL.search(page.url).group(1))
    page.get_by_label("Ask a colleague to review it").select_option(value=str(colleague.pk))
    page.get_by_role("button", name="Send for review").click()
    expect(status_of(page)).to_have_text("In review")
    expect(page.get_by_role("heading", name="Publish it by hand")).to_have_count(0)  # not before it is approved

    sign_in(colleague)
    page.goto(f"/posts/{post_id}/")
    for criterion in page.get_by_role("checkbox").all():  # the policy's post criteria, each confirmed
        criterion.check()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("main")).to_contain_text("Approved. Thank you for reading it.")
    expect(status_of(page)).to_have_text("Scheduled")
    expect(page.get_by_role("heading", name="Publish it by hand")).to_have_count(0)  # the reviewer posts nowhere

    sign_in(teacher)
    page.goto("/")
    card = page.locator(".card", has=page.get_by_role("heading", name="Posts to publish by hand"))
    expect(card).to_contain_text("2 approved posts")
    screenshot(page, "manual-channel-dashboard")
    page.goto(f"/posts/{post_id}/")
    expect(page.get_by_role("heading", name="Publish it by hand")).to_be_visible()
    screenshot(page, "manual-channel-post-to-publish")

    page.get_by_label("Link to the post").fill("javascript:alert(1)")
    page.get_by_role("button", name="Record the link").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("starting https://")
    screenshot(page, "manual-channel-bad-link")
    assert Post.objects.get(pk=post_id).deliveries.get().status == DeliveryStatus.MANUAL

    page.get_by_label("Link to the post").fill(LINK)
    page.get_by_label("At").fill(f"{timezone.localtime():%H:%M}")
    page.get_by_role("button", name="Record the link").click()
    expect(page.get_by_role("main")).to_contain_text(f"Recorded: the post is on {group.name}.")
    expect(status_of(page)).to_have_text("Published")
    expect(page.get_by_role("link", name=re.compile(r"See it on Facebook closed group"))).to_have_attribute(
        "href", LINK
    )
    expect(page.get_by_role("main")).to_contain_text("recorded by Tess Teacher")
    screenshot(page, "manual-channel-recorded")
    delivery = Post.objects.get(pk=post_id).deliveries.get()
    assert (delivery.status, delivery.external_url, delivery.recorded_by) == (DeliveryStatus.PUBLISHED, LINK, teacher)


@pytest.mark.browser
def test_a_take_down_by_hand_shows_on_the_pupils_page_and_is_confirmed_there(page, sign_in, world, screenshot):
    sign_in(world.head)
    page.goto(f"/pupils/{world.ava.pk}/")
    panel = page.locator("section", has=page.get_by_role("heading", name="Posts featuring Ava taken down"))
    expect(panel).to_contain_text("Consent withdrawn")
    expect(panel).to_contain_text("Awaiting confirmation that it was removed by hand")
    expect(panel).to_contain_text(world.head.full_name)
    screenshot(page, "manual-channel-pupil-take-downs")
    panel.get_by_role("button", name=re.compile("It is gone: confirm")).click()
    expect(page.get_by_role("main")).to_contain_text("Recorded: the post is gone from that channel.")
    expect(status_of(page)).to_have_text("Taken down")
    page.goto(f"/pupils/{world.ava.pk}/")
    expect(page.locator("section", has_text="Posts featuring Ava taken down")).to_contain_text("Done")


SCREENS = [
    Screen("manual-post-to-publish", "teacher", lambda w: f"/posts/{w.waiting.pk}/", screenshots=True),
    Screen("manual-channel", "teacher", lambda w: f"/channels/{w.group.pk}/", screenshots=True),
    Screen("manual-channel-register", "head", lambda w: "/channels/"),
    Screen("manual-pupil-take-downs", "head", lambda w: f"/pupils/{w.ava.pk}/", screenshots=True),
    Screen("manual-dashboard", "teacher", lambda w: "/"),
]


@pytest.mark.browser
@pytest.mark.parametrize("screen", SCREENS, ids=[s.name for s in SCREENS])
def test_manual_channel_page_is_accessible_on_a_laptop_and_a_phone(screen: Screen, world, page, sign_in, screenshot):
    check_on_a_laptop_and_a_phone(screen, world, page, sign_in, screenshot)
