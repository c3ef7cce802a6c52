"""`safesocial db_worker --processes N`: several worker processes on one queue, as production runs one per core so
that classifying comments is not held to one interpreter lock (benchmarks/production_mix.py). Each queued comment is
classified once, by one process, and the abusive ones are hidden on the platform."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connections
from django_tasks_db.models import DBTaskResult

from safesocial.moderation.models import Comment, CommentStatus
from safesocial.moderation.tests.test_worker_queue import database_queue, deliver  # noqa: F401 (a fixture)

# Real commits: the worker processes read the queue through connections of their own.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def postgresql():
    if connections["default"].vendor == "sqlite":
        pytest.skip("the tests' in-memory SQLite database is not shared with forked processes; runs on PostgreSQL")


def test_two_worker_processes_classify_each_comment_once_and_hide_the_abusive_ones(
    postgresql,
    client,
    facebook,
    graph,
    database_queue,  # noqa: F811
):
    post = f"{facebook.external_id}_1"
    abusive = [graph.add_comment(post, f"You are all useless idiots, number {n}") for n in range(3)]
    kind = [graph.add_comment(post, f"Lovely photos, well done everyone, number {n}") for n in range(5)]
    for comment_id in abusive + kind:
        assert deliver(client, facebook.external_id, comment_id, graph.comments[comment_id]["text"]).json()["stored"]

    call_command("db_worker", batch=True, startup_delay=False, verbosity=0, processes=2, threads=2)

    rows = list(DBTaskResult.objects.all())
    assert len(rows) == 8
    assert {row.status for row in rows} == {"SUCCESSFUL"}
    # Each task was claimed once, by a thread of one of the two processes (their worker IDs start p0- and p1-).
    assert all(len(row.worker_ids) == 1 and row.worker_ids[0][:3] in ("p0-", "p1-") for row in rows)
    for comment_id in abusive:
        assert Comment.objects.get(external_id=comment_id).status == CommentStatus.HIDDEN
        assert graph.comments[comment_id]["hidden"]
    for comment_id in kind:
        assert Comment.objects.get(external_id=comment_id).status == CommentStatus.VISIBLE
        assert not graph.comments[comment_id]["hidden"]
    # Hidden once each on Facebook: the hide calls the stand-in received.
    hides = [r for r in graph.received if r.method == "POST" and r.form.get("is_hidden") == "true"]
    assert len(hides) == 3, hides


def test_processes_must_be_one_or_more(postgresql, database_queue):  # noqa: F811
    with pytest.raises(Exception, match="--processes must be 1 or more"):
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0, processes=0)
