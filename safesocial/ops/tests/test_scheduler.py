"""`safesocial scheduler`: the crontab's jobs on time, each run once however many machines run a scheduler."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from safesocial.ops.models import JobRun
from safesocial.ops.scheduler import Job, scheduler_tick

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.date(2026, 6, 1)  # in British Summer Time: 07:00 in London is 06:00 UTC


def at(day: dt.date, hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=LONDON)


@pytest.mark.django_db
def test_the_scheduler_runs_each_crontab_job_at_its_time_once():
    assert scheduler_tick(now=at(MONDAY, 6, 59, 30)) == []  # first sight: each job is due at its next time

    monday_seven = scheduler_tick(now=at(MONDAY, 7, 0, 5))
    assert set(monday_seven) == {
        "publish_due",
        "poll_comments",
        "poll_direct_messages",
        "concerns_chase",
        "policy_remind",
        "compliance_remind",
        "consent_remind",
    }
    assert set(JobRun.objects.values_list("name", flat=True)) == set(monday_seven)

    assert scheduler_tick(now=at(MONDAY, 7, 0, 40)) == []
    assert set(scheduler_tick(now=at(MONDAY, 7, 1, 5))) == {"publish_due", "concerns_chase"}
    # A scheduler stopped since then runs each missed job once, not once per missed time.
    tuesday_night = scheduler_tick(now=at(MONDAY + dt.timedelta(days=1), 3, 17, 2))
    assert set(tuesday_night) == {
        "publish_due",
        "poll_comments",
        "poll_direct_messages",
        "concerns_chase",
        "chase_take_downs",
        "chase_by_hand",
        "audit_checkpoint",
    }
    # A weekly job waits for next Monday.
    tuesday_seven = scheduler_tick(now=at(MONDAY + dt.timedelta(days=1), 7, 0, 5))
    assert set(tuesday_seven) == {
        "publish_due",
        "poll_comments",
        "poll_direct_messages",
        "concerns_chase",
        "policy_remind",
        "consent_remind",
    }
    tuesday_eight = scheduler_tick(now=at(MONDAY + dt.timedelta(days=1), 8, 0, 5))
    assert set(tuesday_eight) == {
        "publish_due",
        "poll_comments",
        "poll_direct_messages",
        "concerns_chase",
        "chase_take_downs",
    }


@pytest.mark.django_db
def test_a_failing_job_waits_for_its_next_time_and_the_others_still_run():
    ran = []

    def fail():
        raise RuntimeError("the network is down")

    jobs = [Job("broken", fail, every_minutes=1), Job("fine", lambda: ran.append("fine"), every_minutes=1)]
    scheduler_tick(now=at(MONDAY, 9, 0, 30), jobs=jobs)

    assert scheduler_tick(now=at(MONDAY, 9, 1, 1), jobs=jobs) == ["broken", "fine"]
    assert ran == ["fine"]
    assert scheduler_tick(now=at(MONDAY, 9, 1, 30), jobs=jobs) == []


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_racing_on_the_same_database_run_a_due_job_once():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database cannot take two writing threads; runs on PostgreSQL")
    runs = []
    jobs = [Job("publish_due", lambda: runs.append(threading.get_ident()), every_minutes=1)]
    scheduler_tick(now=at(MONDAY, 9, 0, 30), jobs=jobs)
    barrier = threading.Barrier(2)

    def machine():
        barrier.wait()
        try:
            scheduler_tick(now=at(MONDAY, 9, 1, 0), jobs=jobs)
        finally:
            connection.close()

    threads = [threading.Thread(target=machine) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(runs) == 1
