"""The publishing and channel pages, as the people who use them see them: no serious or critical axe-core
violations on a laptop or a phone, no sideways scrolling on a 375 px phone, and every form hint read out
with its field.

Each page is loaded with real content (a post with a photo, one in review, one scheduled, one published, a
live channel with a stored login), made through the services. Screenshots of the busiest pages go to
var/screenshots/ for people to look over."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safesocial.channels.models import Channel
from safesocial.people.models import User
from safesocial.people.roles import Role
from safesocial.publishing import services
from safesocial.publishing.models import Post, PostStatus
from safesocial.testing.channels import make_channel
from safesocial.testing.files import photo
from safesocial.testing.standins.graph import FB_TOKEN

from .screens import UNNAMED_GROUPS, Screen, check_on_a_laptop_and_a_phone


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass(frozen=True)
class World:
    """Seabright with two channels and a post in every state a page shows differently."""

    teacher: User
    colleague: User
    head: User
    channel_admin: User
    sandbox: Channel
    live: Channel
    draft: Post
    in_review: Post
    scheduled: Post
    published: Post
    returned: Post


def _post(author, channel, text, *, image_alt=None, **kwargs) -> Post:
    images = [services.ImageUpload(photo(), image_alt)] if image_alt else []
    category = channel.trust.policy.category_keys()[0]
    return services.post_create(actor=author, channels=[channel], text=text, category=category, images=images, **kwargs)


def _submitted(author, channel, text, reviewer, **kwargs) -> Post:
    post, findings = services.post_submit(actor=author, post=_post(author, channel, text, **kwargs), reviewer=reviewer)
    assert post.status == PostStatus.IN_REVIEW, findings
    return post


@pytest.fixture
def world(live_server, make_staff, seabright, teacher, head) -> World:
    colleague = make_staff(Role.TEACHER, seabright, "Cora Colleague")
    channel_admin = make_staff(Role.CHANNEL_ADMIN, seabright, "Ada Admin")
    sandbox = make_channel(channel_admin, head, seabright, posters=[teacher])
    # A live channel, its page token stored encrypted through channels.services.credential_set.
    live = make_channel(
        channel_admin,
        head,
        seabright,
        delivery="live",
        name="Seabright on Facebook",
        posters=[teacher],
        token=FB_TOKEN,
    )
    assert live.credential is not None

    draft = _post(teacher, sandbox, "Our Year 3 trip to the aquarium", image_alt="A class looking at a shark tank")
    in_review = _submitted(
        teacher, sandbox, "Harvest festival donations", colleague, image_alt="Tins and boxes on a hall table"
    )
    scheduled = services.post_approve(
        actor=colleague,
        post=_submitted(
            teacher,
            sandbox,
            "Reminder: school closes at 1.30pm on Friday",
            colleague,
            scheduled_for=timezone.now() + dt.timedelta(hours=3),
        ),
    )
    published = services.post_approve(
        actor=colleague,
        post=_submitted(teacher, sandbox, "Sports day results are in!", colleague, image_alt="Pupils on a podium"),
    )
    returned = services.post_reject(
        actor=colleague,
        post=_submitted(teacher, sandbox, "Meet our new governors", colleague),
        notes="Check the governors are happy to be named first.",
    )
    world = World(
        teacher=teacher,
        colleague=colleague,
        head=head,
        channel_admin=channel_admin,
        sandbox=sandbox,
        live=live,
        draft=draft,
        in_review=in_review,
        scheduled=Post.objects.get(pk=scheduled.pk),
        published=Post.objects.get(pk=published.pk),
        returned=returned,
    )
    assert (world.scheduled.status, world.published.status) == (PostStatus.SCHEDULED, PostStatus.PUBLISHED)
    return world


def _open_the_login(page: Page, world: World) -> None:
    page.get_by_label("Reason").fill("The office manager is off sick and a closure notice must go out today.")
    page.get_by_role("button", name="Show the login").click()
    expect(page.get_by_role("main")).to_contain_text(FB_TOKEN)


SCREENS = [
    *(
        Screen(f"posts-{tab}", "colleague" if tab == "review" else "teacher", lambda w, tab=tab: f"/posts/?tab={tab}")
        for tab in ("review", "mine", "scheduled", "published", "failed")
    ),
    Screen("post-new", "teacher", lambda w: "/posts/new/", screenshots=True),
    Screen("post-detail", "teacher", lambda w: f"/posts/{w.draft.pk}/", screenshots=True),
    Screen("post-in-review", "colleague", lambda w: f"/posts/{w.in_review.pk}/", screenshots=True),
    Screen("post-returned", "teacher", lambda w: f"/posts/{w.returned.pk}/"),
    Screen("post-published", "teacher", lambda w: f"/posts/{w.published.pk}/"),
    Screen("post-edit", "teacher", lambda w: f"/posts/{w.draft.pk}/edit/"),
    Screen("posts-calendar", "teacher", lambda w: "/posts/calendar/", screenshots=True),
    Screen("channels", "head", lambda w: "/channels/"),
    Screen("channel-propose", "channel_admin", lambda w: "/channels/propose/"),
    Screen("channel-detail", "head", lambda w: f"/channels/{w.live.pk}/", screenshots=True),
    Screen("channel-detail-sandbox", "head", lambda w: f"/channels/{w.sandbox.pk}/"),
    Screen("acceptable-use-to-sign", "colleague", lambda w: "/channels/acceptable-use/"),
    Screen("acceptable-use-signed", "teacher", lambda w: "/channels/acceptable-use/"),
    Screen("sandbox", None, lambda w: f"/sandbox/{w.sandbox.pk}/", screenshots=True),
    Screen("break-glass", "head", lambda w: f"/channels/{w.live.pk}/emergency-access/"),
    Screen("break-glass-open", "head", lambda w: f"/channels/{w.live.pk}/emergency-access/", reach=_open_the_login),
]


@pytest.mark.browser
@pytest.mark.parametrize("screen", SCREENS, ids=[s.name for s in SCREENS])
def test_publishing_page_is_accessible_on_a_laptop_and_a_phone(screen: Screen, world, page, sign_in, screenshot):
    check_on_a_laptop_and_a_phone(screen, world, page, sign_in, screenshot)


FORMS = [s for s in SCREENS if s.name in {"post-new", "channel-propose", "channel-detail"}]


@pytest.mark.browser
@pytest.mark.parametrize("screen", FORMS, ids=[s.name for s in FORMS])
def test_groups_of_choices_are_announced_with_their_question(screen: Screen, world, page, sign_in):
    sign_in(getattr(world, screen.user))
    page.goto(screen.path(world))

    unnamed = page.evaluate(UNNAMED_GROUPS)
    assert not unnamed, f"on {screen.name}: {unnamed}"
