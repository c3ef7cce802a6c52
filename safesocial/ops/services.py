from django.utils import timezone

from .models import JobRun

# The scheduled jobs /healthz reports on, as the README's cron table runs them.
SCHEDULED_JOBS = ("publish_due", "poll_comments", "policy_remind", "compliance_remind", "audit_checkpoint")


def job_run_record(*, name: str) -> None:
    """Note that a scheduled job has just finished a run, so monitoring can tell a stopped scheduler from a quiet one.

    A machine's heartbeat, not a person's act: no actor and no audit entry (publish_due alone runs every few
    seconds, and the audit trail is the record of what people and policy did)."""
    if name not in SCHEDULED_JOBS:
        raise ValueError(f"not a scheduled job: {name}")
    JobRun.objects.update_or_create(name=name, defaults={"last_ran_at": timezone.now()})
