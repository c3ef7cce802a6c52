"""The trust that the two-server test (test_two_servers.py) runs against, built and read in a process of its own with
that test's settings (its PostgreSQL database, Redis and S3 bucket):

    python -m safesocial.ops.tests.two_servers_world setup POSTS   # prints the ids and addresses the test needs
    python -m safesocial.ops.tests.two_servers_world due           # every scheduled job due now
    python -m safesocial.ops.tests.two_servers_world report        # what the database holds, as JSON

Everything is made through the same service functions the pages call."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safesocial.settings")
django.setup()

from django.utils import timezone  # noqa: E402

from safesocial.concerns import services as concerns  # noqa: E402
from safesocial.concerns.models import Concern  # noqa: E402
from safesocial.moderation.models import Comment  # noqa: E402
from safesocial.ops.models import JobRun, JobSlot  # noqa: E402
from safesocial.ops.scheduler import JOBS  # noqa: E402
from safesocial.people.models import User  # noqa: E402
from safesocial.people.roles import Role  # noqa: E402
from safesocial.people.services import RoleSpec, staff_create  # noqa: E402
from safesocial.platforms.models import SandboxPost  # noqa: E402
from safesocial.policy.services import trust_create_from_policy  # noqa: E402
from safesocial.publishing import services as publishing  # noqa: E402
from safesocial.publishing.models import Post  # noqa: E402
from safesocial.testing.channels import make_channel  # noqa: E402
from safesocial.testing.people import PASSWORD, holder  # noqa: E402
from safesocial.testing.standins.graph import FB_TOKEN  # noqa: E402
from safesocial.testing.trusts import POLICY_FILES, policy_text  # noqa: E402


def _staff(trust, school, role: Role, name: str, email: str) -> User:
    return staff_create(
        actor=None, trust=trust, email=email, full_name=name, roles=[RoleSpec(role, school)], password=PASSWORD
    )


def setup(posts: int) -> dict:
    """Harbourside (example policy 000) with a teacher who posts and has reported a concern, a colleague who reviews,
    a sandbox channel and a Facebook Page, and `posts` posts approved: their publishing waits in Redis for a worker."""
    trust = trust_create_from_policy(actor=None, text=policy_text("000"), source=POLICY_FILES["000"].name)
    seabright = trust.schools.get(key="seabright")
    head = holder(trust, Role.HEAD, "seabright")
    teacher = _staff(trust, seabright, Role.TEACHER, "Tess Teacher", "tess.teacher@example.com")
    colleague = _staff(trust, seabright, Role.TEACHER, "Cora Colleague", "cora.colleague@example.com")
    admin = _staff(trust, seabright, Role.CHANNEL_ADMIN, "Ada Admin", "ada.admin@example.com")
    sandbox = make_channel(admin, head, seabright, posters=[teacher])
    facebook = make_channel(
        admin, head, seabright, delivery="live", name="Seabright on Facebook", posters=[teacher], token=FB_TOKEN
    )
    concern = concerns.concern_report(
        actor=teacher, school=seabright, kind="friend_request", summary="A friend request to a pupil from a stranger."
    ).concern
    for i in range(posts):
        post = publishing.post_create(
            actor=teacher, channels=[sandbox], text=f"Harvest festival notice {i + 1}.", category="events"
        )
        post, _ = publishing.post_submit(actor=teacher, post=post)
        publishing.post_approve(actor=colleague, post=post)
    return {
        "teacher": {"email": teacher.email, "password": PASSWORD, "name": teacher.full_name},
        "concern": concern.pk,
        "page_id": facebook.external_id,
    }


def due() -> dict:
    """Make every scheduled job due a minute ago, as if both machines' schedulers had been waiting for it."""
    a_minute_ago = timezone.now() - dt.timedelta(minutes=1)
    for job in JOBS:
        JobSlot.objects.update_or_create(name=job.name, defaults={"next_run_at": a_minute_ago})
    return {"due": sorted(job.name for job in JOBS)}


def report() -> dict:
    return {
        "posts": {
            str(post.pk): {
                "status": post.status,
                "sends": [d.attempts for d in post.deliveries.all()],
                "sandbox_copies": SandboxPost.objects.filter(text__contains=post.text).count(),
            }
            for post in Post.objects.prefetch_related("deliveries")
        },
        "comments": list(Comment.objects.values_list("external_id", flat=True)),
        "evidence": list(Concern.objects.values_list("evidence__file", flat=True).exclude(evidence__file=None)),
        "jobs_run": sorted(JobRun.objects.values_list("name", flat=True)),
    }


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    result = {"setup": lambda: setup(int(args[0])), "due": due, "report": report}[command]()
    print(json.dumps(result))
