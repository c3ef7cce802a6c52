"""Webhook comments with a background worker (TASKS_BACKEND=django_tasks_db.DatabaseBackend): the webhook only stores
the comment, and `safesocial db_worker` classifies it and hides it on the platform, having loaded the classifier
before its first task (benchmarks/webhook_latency.py --worker measures how fast)."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django_tasks.signals import task_started
from django_tasks_db.models import DBTaskResult

from safesocial.moderation.models import Comment, CommentStatus
from safesocial.text import embedder

# Real commits: the classification is queued with transaction.on_commit, as in production.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SECRET = "app-secret-for-tests"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.META_APP_SECRET = SECRET
    # The worker keeps its database connection for good (ops.workers.worker_starting); this process goes on testing.
    kept = {alias: connections[alias].settings_dict["CONN_MAX_AGE"] for alias in connections}
    yield
    for alias, age in kept.items():
        connections[alias].settings_dict["CONN_MAX_AGE"] = age


def one_worker_run() -> None:
    """`safesocial db_worker --batch`: run every queued task, then stop. On SQLite in one thread: the tests' shared
    in-memory database locks whole tables between connections and refuses a second writing thread at once ("database
    table is locked"), which a database file in WAL mode, as in the demo, does not."""
    sqlite = connections["default"].vendor == "sqlite"
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0, **({"threads": 1} if sqlite else {}))


def deliver(client, page_id: str, comment_id: str, message: str):
    """What Facebook sends when someone comments on a Page post, signed with the app secret."""
    now = int(timezone.now().timestamp())
    change = {
        "item": "comment",
        "verb": "add",
        "comment_id": comment_id,
        "post_id": f"{page_id}_1",
        "parent_id": f"{page_id}_1",
        "from": {"id": "7100000000000042", "name": "A Visitor"},
        "message": message,
        "created_time": now,
    }
    body = json.dumps(
        {"object": "page", "entry": [{"id": page_id, "time": now, "changes": [{"field": "feed", "value": change}]}]}
    )
    signature = "sha256=" + hmac.new(SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
    return client.post(
        reverse("meta_webhook"), body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature
    )


def test_the_webhook_only_stores_and_one_worker_run_hides_the_abusive_comment(client, facebook, graph, database_queue):
    abusive = graph.add_comment(f"{facebook.external_id}_1", "You are all useless idiots")
    kind = graph.add_comment(f"{facebook.external_id}_1", "Lovely photos, well done everyone")
    for comment_id in (abusive, kind):
        assert deliver(client, facebook.external_id, comment_id, graph.comments[comment_id]["text"]).json()["stored"]

    # Answered at once: both comments are stored, still being checked, and wait in the queue.
    assert set(Comment.objects.values_list("suggested_action", "status")) == {("checking", CommentStatus.VISIBLE)}
    assert DBTaskResult.objects.ready().count() == 2
    assert not graph.comments[abusive]["hidden"]

    one_worker_run()

    assert not DBTaskResult.objects.ready().exists()
    assert sorted(DBTaskResult.objects.values_list("status", "return_value")) == [
        ("SUCCESSFUL", "allow"),
        ("SUCCESSFUL", "hide"),
    ]
    assert Comment.objects.get(external_id=abusive).status == CommentStatus.HIDDEN
    assert graph.comments[abusive]["hidden"]  # on Facebook itself, through the Graph API
    assert Comment.objects.get(external_id=kind).status == CommentStatus.VISIBLE
    assert not graph.comments[kind]["hidden"]


def test_the_worker_loads_the_classifier_once_before_its_first_task(client, facebook, graph, database_queue):
    for n in range(3):
        comment_id = graph.add_comment(f"{facebook.external_id}_1", f"Thank you for the photos, number {n}")
        deliver(client, facebook.external_id, comment_id, graph.comments[comment_id]["text"])
    embedder._session.cache_clear()  # as in a new process: nothing loaded yet
    loaded_when_tasks_started = []

    def note(sender, task_result, **kwargs):
        loaded_when_tasks_started.append(embedder._session.cache_info().currsize)

    task_started.connect(note)
    try:
        one_worker_run()
    finally:
        task_started.disconnect(note)

    assert loaded_when_tasks_started == [1, 1, 1]  # the sentence embedder was there before the first comment
    assert embedder._session.cache_info().misses == 1  # and was loaded once for all three
