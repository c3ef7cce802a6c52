from datetime import datetime

from django.utils import timezone

from .models import JobRun, JobSlot

# The scheduled jobs /healthz reports on, as the README's cron table runs them.
SCHEDULED_JOBS = (
    "publish_due",
    "poll_comments",
    "poll_direct_messages",
    "concerns_chase",
    "chase_take_downs",
    "chase_by_hand",
    "policy_remind",
    "compliance_remind",
    "consent_remind",
    "audit_checkpoint",
)


def job_run_record(*, name: str) -> None:
    """Note that a scheduled job has just finished a run, so monitoring can tell a stopped scheduler from a quiet one.

    A machine's heartbeat, not a person's act: no actor and no audit entry (publish_due alone runs every few
    seconds, and the audit trail is the record of what people and policy did)."""
    if name not in SCHEDULED_JOBS:
        raise ValueError(f"not a scheduled job: {name}")
    JobRun.objects.update_or_create(name=name, defaults={"last_ran_at": timezone.now()})


def job_claim(*, name: str, now: datetime, next_run_at: datetime) -> bool:
    """Take the run of a scheduled job that is due at `now`, for this process alone, and set when it is due next.

    One atomic UPDATE ... WHERE next_run_at <= now: of two schedulers racing (two machines), the database lets one
    update the row and the other, re-reading it, finds it no longer due, so each run happens once. A job seen for the
    first time is due at `next_run_at`, as cron would first run it."""
    JobSlot.objects.bulk_create([JobSlot(name=name, next_run_at=next_run_at)], ignore_conflicts=True)
    return JobSlot.objects.filter(name=name, next_run_at__lte=now).update(next_run_at=next_run_at) == 1
