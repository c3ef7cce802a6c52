"""The ten pages people open most, on a laptop (1280 wide) and a phone (390x844): each is saved as a screenshot for
people to look over (var/screenshots/ten-*.png), nothing scrolls sideways on the phone, the page's first action
is on the first screen, and axe-core finds no serious or critical problem at either width (issue 19)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from safesocial.channels.models import Channel
from safesocial.concerns.services import concern_report
from safesocial.moderation.models import Comment
from safesocial.moderation.services import Incoming, comment_receive
from safesocial.people.models import School, User
from safesocial.people.roles import Role
from safesocial.publishing.models import Post, PostStatus
from safesocial.publishing.services import post_create, post_submit
from safesocial.testing.channels import make_channel

from .screens import problems_at

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class World:
    """Seabright with a channel, a post waiting for its reviewer, a comment to moderate and an open concern."""

    teacher: User
    head: User
    dsl: User
    channel_admin: User
    seabright: School
    sandbox: Channel
    in_review: Post
    comment: Comment


@pytest.fixture
def world(live_server, make_staff, seabright, teacher, head, dsl) -> World:
    channel_admin = make_staff(Role.CHANNEL_ADMIN, seabright, "Ada Admin")
    sandbox = make_channel(channel_admin, head, seabright, posters=[teacher])
    category = sandbox.trust.policy.category_keys()[0]
    draft = post_create(actor=teacher, channels=[sandbox], text="Harvest festival donations", category=category)
    in_review, findings = post_submit(actor=teacher, post=draft, reviewer=head)
    assert in_review.status == PostStatus.IN_REVIEW, findings
    incoming = Incoming("c-1", "u-1", "Sam Keating", "Lovely photos from sports day", timezone.now())
    comment = comment_receive(channel=sandbox, incoming=incoming)[0]
    assistant = make_staff(Role.SUPPORT_STAFF, seabright, "Tara Assistant")
    concern_report(
        actor=assistant,
        school=seabright,
        kind="friend_request",
        summary="A friend request from a pupil's father.",
    )
    return World(teacher, head, dsl, channel_admin, seabright, sandbox, in_review, comment)


# (name, who looks, path, the first thing they would do there: role and accessible name)
PAGES = [
    ("dashboard-teacher", "teacher", lambda w: "/", ("link", "Write a post")),
    ("dashboard-head", "head", lambda w: "/", ("link", "See them")),
    ("posts", "teacher", lambda w: "/posts/?tab=mine", ("link", "Write a post")),
    ("post-new", "teacher", lambda w: "/posts/new/", ("textbox", "Text")),
    ("review", "head", lambda w: f"/posts/{w.in_review.pk}/", ("checkbox", "Clear, transparent and open to scrutiny")),
    ("comments", "channel_admin", lambda w: "/comments/?show=all", ("link", "Lovely photos from sports day")),
    ("comment", "channel_admin", lambda w: f"/comments/{w.comment.pk}/", ("button", "Hide on the sandbox page")),
    ("concerns", "head", lambda w: "/concerns/", ("button", "Apply filters")),
    ("concern-report", "teacher", lambda w: "/concerns/report/", ("combobox", "What kind of concern is it?")),
    ("public-school", None, lambda w: f"/schools/{w.seabright.pk}/", ("link", "Report a concern")),
]


def first_action_problem(page, role: str, name: str, height: int) -> str | None:
    action = page.get_by_role(role, name=name, exact=True).first
    if not action.count():
        return f"no {role} named {name!r}"
    box = action.bounding_box()
    if box is None or box["y"] + box["height"] > height:
        return f"{role} {name!r} is not on the first {height}px: {box}"
    return None


@pytest.mark.browser
@pytest.mark.parametrize(("name", "user", "path", "action"), PAGES, ids=[p[0] for p in PAGES])
def test_the_most_used_pages_work_on_a_laptop_and_a_phone(name, user, path, action, world, page, sign_in, screenshot):
    if user:
        sign_in(getattr(world, user))
    problems = []
    for label, size in (("desktop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        response = page.goto(path(world))
        assert response is not None and response.ok, f"{path(world)} answered {response and response.status}"
        screenshot(page, f"ten-{label}-{name}")
        problems += problems_at(page, size["width"])
        late = first_action_problem(page, *action, size["height"])
        if late:
            problems.append(f"at {size['width']}px: {late}")
    assert not problems, f"on {name}:\n" + "\n".join(problems)
