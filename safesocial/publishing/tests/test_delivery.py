"""Scheduling and delivery: on time, exactly once, retried with backoff, failed with the platform's words."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from safesocial.platforms.models import SandboxPost
from safesocial.publishing import services
from safesocial.publishing.delivery import LEASE, SKIPPED, backoff, deliver, deliver_due
from safesocial.publishing.models import Delivery, DeliveryStatus, PostStatus
from safesocial.testing.files import photo

# Real commits, so that work queued with transaction.on_commit (publishing, emails) runs as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def _approved(author, reviewer, channel, when=None, **kwargs):
    post = services.post_create(
        actor=author,
        channels=[channel],
        text=kwargs.pop("text", "Harvest festival on Thursday at 2pm."),
        category="events",
        scheduled_for=when,
        **kwargs,
    )
    post, _ = services.post_submit(actor=author, post=post)
    return services.post_approve(actor=reviewer, post=post)


def test_a_scheduled_post_waits_for_its_time(teacher, colleague, sandbox):
    when = timezone.now() + dt.timedelta(hours=2)
    post = _approved(teacher, colleague, sandbox, when)
    assert deliver_due(now=timezone.now())["sent"] == 0
    assert deliver_due(now=when + dt.timedelta(seconds=1))["sent"] == 1
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


def test_an_approval_expires_when_the_post_was_not_sent_by_its_time(teacher, colleague, sandbox):
    when = timezone.now() + dt.timedelta(hours=1)
    post = _approved(teacher, colleague, sandbox, when)
    outcome = deliver_due(now=when + dt.timedelta(hours=3))
    post.refresh_from_db()
    assert outcome["expired"] == 1 and outcome["sent"] == 0
    assert post.status == PostStatus.IN_REVIEW
    assert "approval expired" in post.status_note
    assert not SandboxPost.objects.exists()


def test_the_same_delivery_run_twice_publishes_once(teacher, colleague, sandbox):
    when = timezone.now() + dt.timedelta(minutes=5)
    post = _approved(teacher, colleague, sandbox, when)
    delivery = post.deliveries.get()
    later = when + dt.timedelta(seconds=1)
    assert deliver(delivery.pk, later) == DeliveryStatus.PUBLISHED
    assert deliver(delivery.pk, later) == SKIPPED
    assert deliver_due(now=later)["sent"] == 0
    assert SandboxPost.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_the_same_post_send_it_once(teacher, colleague, facebook, graph):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database cannot take two writing threads; runs on PostgreSQL")
    when = timezone.now() + dt.timedelta(minutes=5)
    post = _approved(teacher, colleague, facebook, when)
    delivery = post.deliveries.get()
    later = when + dt.timedelta(seconds=1)
    results = []
    barrier = threading.Barrier(2)

    def worker():
        barrier.wait()
        results.append(deliver(delivery.pk, later))
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(graph.calls("POST", "/feed")) == 1
    assert sorted(results) == sorted([DeliveryStatus.PUBLISHED, SKIPPED])


def test_a_worker_that_died_after_sending_is_not_sent_again(teacher, colleague, facebook, graph):
    when = timezone.now() + dt.timedelta(minutes=5)
    post = _approved(teacher, colleague, facebook, when)
    delivery = post.deliveries.get()
    # The worker claimed it and the post reached Facebook; then the worker died before recording it.
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, lease_until=when, attempts=1)
    posted = graph.add_post(post.text)
    outcome = deliver_due(now=when + LEASE + dt.timedelta(minutes=1))
    delivery.refresh_from_db()
    assert outcome["recovered"] == 1
    assert delivery.status == DeliveryStatus.PUBLISHED and delivery.external_id == posted
    assert graph.calls("POST", "/feed") == []


def test_a_worker_that_died_before_sending_sends_on_the_next_sweep(teacher, colleague, facebook, graph):
    when = timezone.now() + dt.timedelta(minutes=5)
    post = _approved(teacher, colleague, facebook, when)
    Delivery.objects.filter(post=post).update(status=DeliveryStatus.SENDING, lease_until=when, attempts=1)
    deliver_due(now=when + LEASE + dt.timedelta(minutes=1))
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert len(graph.calls("POST", "/feed")) == 1


def test_a_teacher_posts_a_photo_to_facebook_and_the_graph_api_gets_it(teacher, colleague, facebook, graph):
    post = _approved(teacher, colleague, facebook, images=[services.ImageUpload(photo(), "Pumpkins in the hall")])
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    (upload,) = graph.calls("POST", "/photos")
    assert upload.token == "EAAPageTokenFb0123456789secret"
    assert "source" in upload.files
    delivery = post.deliveries.get()
    assert delivery.external_url.startswith("https://www.facebook.com/")


def test_a_rate_limit_is_retried_with_backoff_and_then_succeeds(teacher, colleague, facebook, graph):
    graph.fail("rate_limit")
    when = timezone.now() + dt.timedelta(minutes=5)
    post = _approved(teacher, colleague, facebook, when)
    first = when + dt.timedelta(seconds=1)
    assert deliver_due(now=first)["retrying"] == 1
    delivery = post.deliveries.get()
    assert delivery.status == DeliveryStatus.RETRY and delivery.next_attempt_at >= first + dt.timedelta(seconds=29)
    post.refresh_from_db()
    assert post.status == PostStatus.SCHEDULED  # kept, not failed
    graph.fail("")
    assert deliver_due(now=delivery.next_attempt_at + dt.timedelta(seconds=1))["sent"] == 1
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


def test_an_expired_token_fails_the_post_with_the_platforms_message(teacher, colleague, facebook, graph, mailoutbox):
    graph.fail("expired_token")
    post = _approved(teacher, colleague, facebook)
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED
    assert "Session has expired" in post.status_note
    assert "EAAPage" not in post.status_note
    assert any(m.subject == "A post could not be published" for m in mailoutbox)
    # the post is kept and can go out once the channel is reconnected
    graph.fail("")
    services.post_retry(actor=teacher, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


def test_temporary_failures_give_up_after_the_last_attempt(teacher, colleague, facebook, graph):
    graph.fail("server_error")
    when = timezone.now() + dt.timedelta(minutes=5)
    post = _approved(teacher, colleague, facebook, when)
    now = when + dt.timedelta(seconds=1)
    for _ in range(10):
        deliver_due(now=now)
        now += dt.timedelta(hours=1)
    post.refresh_from_db()
    delivery = post.deliveries.get()
    assert post.status == PostStatus.FAILED and delivery.attempts == 6


def test_backoff_doubles_and_honours_the_platforms_wait():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(1, retry_after=600).total_seconds() == 600
    assert backoff(20).total_seconds() == 3600
