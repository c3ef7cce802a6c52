"""Issue 12, finding 9: a post goes out once, even when sweeps race, leases run out and answers are lost.

Another worker acting "between two statements" is simulated with Django's documented `execute_wrapper`: just before
the watched UPDATE reaches the database, the test writes what the other worker's claim writes (the house way of
simulating a worker, as in test_delivery.py). Lost and late answers come from the stand-in servers, which carry out
the request and then drop the connection or answer after the client gave up."""

import datetime as dt
import time
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.channels import services as channels
from safesocial.publishing import services
from safesocial.publishing.delivery import LEASE, deliver, deliver_due
from safesocial.publishing.models import Delivery, DeliveryStatus, PostStatus
from safesocial.testing.channels import make_channel
from safesocial.testing.standins.x import X_TOKEN, XStandIn

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def x_channel(channel_admin, head, seabright, teacher, x_api):
    channel = make_channel(
        channel_admin,
        head,
        seabright,
        delivery="live",
        name="Seabright on X",
        platform="x",
        posters=[teacher],
        token=X_TOKEN,
    )
    return channels.channel_update_connection(actor=channel_admin, channel=channel, external_id=XStandIn.user_id)


def _approved(author, reviewer, channel, when):
    post = services.post_create(
        actor=author,
        channels=[channel],
        text="Harvest festival on Thursday at 2pm.",
        category="events",
        scheduled_for=when,
    )
    post, _ = services.post_submit(actor=author, post=post)
    return services.post_approve(actor=reviewer, post=post)


@contextmanager
def just_before_update(sql_contains: str, meanwhile):
    """Run `meanwhile` once, just before the first UPDATE of a delivery whose SQL contains `sql_contains`."""
    fired = False

    def wrapper(execute, sql, params, many, context):
        nonlocal fired
        if not fired and sql.startswith('UPDATE "publishing_delivery"') and sql_contains in sql:
            fired = True
            meanwhile()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield
    assert fired, "the watched UPDATE never ran"


def test_a_sweep_never_resets_a_delivery_another_sweep_has_just_claimed(teacher, colleague, facebook, graph):
    when = timezone.now() + dt.timedelta(minutes=5)
    post = _approved(teacher, colleague, facebook, when)
    delivery = post.deliveries.get()
    # A worker claimed it and died; its lease ran out.
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, lease_until=when, attempts=1)
    sweep = when + LEASE + dt.timedelta(minutes=1)
    b_lease = sweep + LEASE

    def sweep_b_claims_it():  # sweep B recovered the delivery and claimed it; its send is on its way
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, lease_until=b_lease, attempts=2)

    with just_before_update('"next_attempt_at"', sweep_b_claims_it):
        deliver_due(now=sweep)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.lease_until) == (DeliveryStatus.SENDING, b_lease)  # still sweep B's
    assert graph.calls("POST", "/feed") == []  # only sweep B sends it


def test_a_worker_whose_lease_ran_out_does_not_undo_the_worker_that_took_over(teacher, colleague, facebook, graph):
    when = timezone.now() + dt.timedelta(minutes=5)
    post = _approved(teacher, colleague, facebook, when)
    delivery = post.deliveries.get()
    graph.fail("server_error", on="/feed")  # worker A's send fails; by the time it hears, its lease has run out
    b_lease = when + 2 * LEASE + dt.timedelta(minutes=2)

    def worker_b_took_over():
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, lease_until=b_lease, attempts=2)

    with just_before_update('"last_error"', worker_b_took_over):
        deliver(delivery.pk, when + dt.timedelta(seconds=1))

    delivery.refresh_from_db()
    assert (delivery.status, delivery.lease_until) == (DeliveryStatus.SENDING, b_lease)
    assert not AuditEntry.objects.filter(action__in=["post.delivery_retry", "post.delivery_failed"]).exists()


def test_a_late_success_is_recorded_even_after_the_lease_ran_out(teacher, colleague, facebook, graph):
    when = timezone.now() + dt.timedelta(minutes=5)
    post = _approved(teacher, colleague, facebook, when)
    delivery = post.deliveries.get()

    def a_sweep_recovered_it():  # the post is on Facebook: the next send must not happen
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.RETRY, lease_until=None)

    with just_before_update('"external_id"', a_sweep_recovered_it):
        deliver(delivery.pk, when + dt.timedelta(seconds=1))

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PUBLISHED
    assert deliver_due(now=when + dt.timedelta(hours=1))["sent"] == 0
    assert len(graph.posts) == 1


@pytest.mark.parametrize("failure", ["answer_lost", "answer_late"])
def test_a_facebook_post_whose_answer_was_lost_is_not_posted_again(teacher, colleague, facebook, graph, failure):
    when = timezone.now() + dt.timedelta(minutes=5)
    post = _approved(teacher, colleague, facebook, when)
    graph.fail(failure, on="/feed")
    with override_settings(PLATFORM_TIMEOUT_SECONDS=0.2):
        assert deliver_due(now=when + dt.timedelta(seconds=1))["retrying"] == 1
    graph.fail("")

    deliver_due(now=when + dt.timedelta(hours=1))

    post.refresh_from_db()
    delivery = post.deliveries.get()
    assert len(graph.posts) == 1
    assert post.status == PostStatus.PUBLISHED and delivery.external_id == graph.posts[0]["id"]


@pytest.mark.parametrize("failure", ["answer_lost", "answer_late"])
def test_an_x_post_whose_answer_was_lost_is_not_posted_again(teacher, colleague, x_channel, x_api, failure):
    when = timezone.now() + dt.timedelta(minutes=5)
    post = _approved(teacher, colleague, x_channel, when)
    x_api.fail(failure, on="/2/tweets")
    with override_settings(PLATFORM_TIMEOUT_SECONDS=0.2):
        assert deliver_due(now=when + dt.timedelta(seconds=1))["retrying"] == 1
    x_api.fail("")

    deliver_due(now=when + dt.timedelta(hours=1))

    post.refresh_from_db()
    delivery = post.deliveries.get()
    assert len(x_api.tweets) == 1
    assert post.status == PostStatus.PUBLISHED and delivery.external_id == x_api.tweets[0]["id"]


def test_a_retry_does_not_mistake_last_weeks_post_with_the_same_words_for_this_one(teacher, colleague, facebook, graph):
    when = timezone.now() + dt.timedelta(minutes=5)
    post = _approved(teacher, colleague, facebook, when)
    old = graph.add_post(post.text, created=time.time() - 7 * 24 * 3600)
    graph.fail("server_error", on="/feed")
    assert deliver_due(now=when + dt.timedelta(seconds=1))["retrying"] == 1
    graph.fail("")

    deliver_due(now=when + dt.timedelta(hours=1))

    post.refresh_from_db()
    delivery = post.deliveries.get()
    assert post.status == PostStatus.PUBLISHED
    assert delivery.external_id != old and len(graph.posts) == 2


def test_retrying_a_failed_post_asks_facebook_first_when_its_last_try_may_have_got_there(
    teacher, colleague, facebook, graph
):
    when = timezone.now() + dt.timedelta(minutes=5)
    post = _approved(teacher, colleague, facebook, when)
    graph.fail("answer_lost", on="/feed")
    with override_settings(PLATFORM_TIMEOUT_SECONDS=0.2):
        deliver_due(now=when + dt.timedelta(seconds=1))
    graph.fail("expired_token")
    deliver_due(now=when + dt.timedelta(hours=1))
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED and len(graph.posts) == 1
    graph.fail("")  # the token is renewed, and the author presses "Try again"

    services.post_retry(actor=teacher, post=post)
    deliver_due(now=when + dt.timedelta(hours=2))

    post.refresh_from_db()
    assert len(graph.posts) == 1
    assert post.status == PostStatus.PUBLISHED and post.deliveries.get().external_id == graph.posts[0]["id"]
