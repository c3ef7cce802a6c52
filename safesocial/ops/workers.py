"""What every background worker does once when it starts, before its first task: `safesocial db_worker` (the
database queue, safesocial/ops/management/commands/db_worker.py) and `safesocial rqworker` (RQ, through
settings.RQ["WORKER_CLASS"]).

A worker is one long-lived process that runs task after task, so anything the tasks load on first use is better
loaded now: the comment classifier takes about a second to load, and the first comment after a start (and every
comment queued behind it) would wait for it (benchmarks/webhook_latency.py). The apps above ops say what to load by
filling hooks.WORKER_STARTING."""

from __future__ import annotations

import logging
import time

from django.db import connections
from rq.worker import SimpleWorker

from safesocial import hooks

logger = logging.getLogger(__name__)


def worker_starting() -> float:
    """Load what the tasks need (hooks.WORKER_STARTING) and keep the database connections open; returns the seconds
    it took.

    The web closes its connection after each request unless DATABASE_CONN_MAX_AGE says otherwise; a worker asks the
    database for work several times a second, and a new connection each time (a TCP connection and a sign-in on
    PostgreSQL) would cost more than the question. A connection that breaks is still replaced (Django closes it
    when it errors)."""
    started = time.perf_counter()
    for alias in connections:
        connections[alias].settings_dict["CONN_MAX_AGE"] = None
    hooks.WORKER_STARTING.call()
    took = time.perf_counter() - started
    logger.info("worker ready in %.2f s", took)
    return took


class RQWorker(SimpleWorker):
    """RQ's worker for SafeSocial: jobs run in the worker's own process, where what they need is already loaded.

    RQ's default worker forks a child for every job and runs the job there: the child would get a fresh database
    connection each time and, unless the parent had loaded it, the classifier too. SafeSocial's jobs are short calls
    to services that record their own failures; a job that crashed the process would take the worker down with it,
    and the process manager starts it again."""

    def work(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        worker_starting()
        return super().work(*args, **kwargs)
