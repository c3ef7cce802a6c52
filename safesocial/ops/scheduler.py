"""`safesocial scheduler`: the README's crontab as one process, safe to run on every machine at once.

Each minute every scheduler asks, job by job, whether the job is due; the database gives each due run to exactly one of
them (services.job_claim). The jobs are the same management commands cron ran, called by name so that ops, the
basement, imports none of the apps above it; each command records its own run for /healthz (job_run_record)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from .services import job_claim

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A job run every `every_minutes` minutes, or at `at` (local time) each day, or on one weekday (0 = Monday)."""

    name: str
    run: Callable[[], object]
    every_minutes: int = 0
    at: dt.time | None = None
    weekday: int | None = None

    def next_after(self, now: dt.datetime) -> dt.datetime:
        """The first time after `now` this job is due, in the trust's time zone (07:00 stays 07:00 across BST)."""
        if self.every_minutes:
            step = self.every_minutes * 60
            return dt.datetime.fromtimestamp((now.timestamp() // step + 1) * step, tz=dt.UTC)
        assert self.at is not None
        local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
        day = local.date()
        while True:
            due = dt.datetime.combine(day, self.at, tzinfo=local.tzinfo)
            if due > now and (self.weekday is None or day.weekday() == self.weekday):
                return due
            day += dt.timedelta(days=1)


def _command(*args: str) -> Callable[[], object]:
    return lambda: call_command(*args)


# The README's crontab ("Scheduled work"), job for job.
JOBS: tuple[Job, ...] = (
    Job("publish_due", _command("publish_due"), every_minutes=1),
    Job("poll_comments", _command("poll_comments"), every_minutes=5),
    Job("poll_direct_messages", _command("poll_direct_messages"), every_minutes=5),
    Job("concerns_chase", _command("concerns", "chase"), every_minutes=1),
    Job("chase_take_downs", _command("chase_take_downs"), at=dt.time(8, 0)),
    Job("chase_by_hand", _command("chase_by_hand"), at=dt.time(8, 5)),
    Job("policy_remind", _command("policy", "remind"), at=dt.time(7, 0)),
    Job("compliance_remind", _command("compliance", "remind"), at=dt.time(7, 0), weekday=0),
    Job("consent_remind", _command("consent", "remind"), at=dt.time(7, 0)),
    Job("audit_checkpoint", _command("audit", "checkpoint"), at=dt.time(3, 17)),
)


def scheduler_tick(*, now: dt.datetime | None = None, jobs: Sequence[Job] = JOBS) -> list[str]:
    """Run each job that is due at `now` and that no other scheduler has taken; return the names of those run.

    A job that fails is logged and waits for its next time, as under cron; the others still run. A scheduler that was
    stopped for a day runs a missed job once, not once per missed time."""
    now = now or timezone.now()
    ran = []
    for job in jobs:
        if not job_claim(name=job.name, now=now, next_run_at=job.next_after(now)):
            continue
        try:
            job.run()
        except Exception:
            logger.exception("scheduled job failed: %s", job.name)
        ran.append(job.name)
    return ran


def scheduler_run() -> None:
    """Tick at the start of every minute, for ever."""
    while True:
        scheduler_tick()
        time.sleep(60 - time.time() % 60)
