"""Background work on RQ: with TASKS_BACKEND=django_tasks_rq.RQBackend, an approved post waits in the real Redis at
127.0.0.1:6379 until an RQ worker (`safesocial rqworker`) runs it."""

import django_rq
import pytest
from django.core.management import call_command
from django.test import override_settings

from safesocial.people.roles import Role
from safesocial.platforms.models import SandboxPost
from safesocial.publishing import services
from safesocial.publishing.models import PostStatus
from safesocial.testing.channels import make_channel

# Real commits, so that the enqueue queued with transaction.on_commit happens as in production.
pytestmark = pytest.mark.django_db(transaction=True)

# A Redis database of its own, emptied before and after, so the test neither sees nor drops anyone else's jobs.
REDIS_DB = "redis://127.0.0.1:6379/13"


@pytest.fixture
def rq_backend():
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        RQ_QUEUES={"default": {"URL": REDIS_DB}},
    ):
        queue = django_rq.get_queue("default")
        queue.connection.flushdb()
        yield queue
        queue.connection.flushdb()


def test_an_approved_post_waits_in_redis_until_an_rq_worker_publishes_it(
    rq_backend, client, make_staff, head, seabright, teacher
):
    colleague = make_staff(Role.TEACHER, seabright, "Cora Colleague")
    admin = make_staff(Role.CHANNEL_ADMIN, seabright, "Ada Admin")
    channel = make_channel(admin, head, seabright, posters=[teacher])
    post = services.post_create(
        actor=teacher, channels=[channel], text="Harvest festival on Thursday at 2pm.", category="events"
    )
    post, _ = services.post_submit(actor=teacher, post=post)
    services.post_approve(actor=colleague, post=post)

    assert rq_backend.count == 1
    assert not SandboxPost.objects.exists()
    assert client.get("/healthz").json()["queue"] == {"backend": "RQBackend", "waiting": 1}

    call_command("rqworker", "default", burst=True, worker_class="rq.worker.SimpleWorker")

    assert rq_backend.count == 0
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert SandboxPost.objects.count() == 1
