"""A term of known data for the governors' report: the numbers its tests expect, and a name that must never reach it.
Used by the report's own tests and by the browser test that downloads its PDF."""

from __future__ import annotations

import datetime as dt

from safesocial.channels.models import Channel
from safesocial.concerns.models import Concern
from safesocial.consent.models import Consent, Method, Purpose
from safesocial.moderation.models import Comment, ModerationEvent
from safesocial.people.models import School, Trust, User
from safesocial.people.roles import Role
from safesocial.people.services import pupil_create
from safesocial.publishing.models import Post, PostStatus
from safesocial.testing.channels import make_channel

SECRET = "Zebedee Quartermaine"  # a name that must never reach the report


def at(day: int, hour: int = 9, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=dt.UTC)


def autumn_term(trust: Trust, seabright: School, millbrook: School, head: User, make_staff) -> Channel:
    """Seabright, autumn 2026: five posts, three comments acted on, two concerns (and one at Millbrook), ten pupils,
    seven consent decisions. Every name in it is SECRET, which must never reach the report."""
    admin = make_staff(Role.CHANNEL_ADMIN, seabright, "Cal Admin")
    channel = make_channel(admin, head, seabright)
    for i, wait_hours in enumerate([1, 2, 3, 4, 30]):
        Post.objects.create(
            trust=trust,
            school=seabright,
            author=admin,
            edited_by=admin,
            text=f"Post {i}",
            category="events",
            status=PostStatus.PUBLISHED,
            submitted_at=at(1 + i),
            approved_at=at(1 + i) + dt.timedelta(hours=wait_hours),
            published_at=at(2 + i),
        )
    for i, (minutes, category) in enumerate([(10, "abuse"), (50, "abuse"), (240, "spam")]):
        comment = Comment.objects.create(
            channel=channel,
            external_id=f"c{i}",
            author_id=f"a{i}",
            author_name=SECRET,
            text=f"{SECRET} wrote something",
            created_at=at(3),
            received_at=at(3),
            classification={"categories": [{"name": category, "score": 0.9, "fired": True, "reason": SECRET}]},
            suggested_action="review",
        )
        ModerationEvent.objects.create(
            comment=comment, action="hide", actor=head, reason=SECRET, at=at(3) + dt.timedelta(minutes=minutes)
        )
    for school in (seabright, seabright, millbrook):
        Concern.objects.create(
            trust=trust, school=school, kind="comment_threat", summary=SECRET, source="moderation", created_at=at(5)
        )
    for i in range(10):
        pupil = pupil_create(
            actor=None,
            school=seabright,
            first_name=SECRET.split()[0],
            last_name=f"Pupil{i}",
            date_of_birth=dt.date(2018, 1, 1),
            year_group="3" if i < 6 else "4",
            class_name="Owls",
        )
        if i < 7:
            Consent.objects.create(
                pupil=pupil,
                purpose=Purpose.SOCIAL_MEDIA,
                given=i < 5,
                method=Method.PAPER,
                given_on=dt.date(2026, 9, 5),
                recorded_at=at(5, month=9),
            )
    return channel
