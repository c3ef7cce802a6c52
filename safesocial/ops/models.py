from django.db import models


class JobRun(models.Model):
    """When a scheduled job (cron or a `--every` loop) last finished a run, for /healthz: one row per job."""

    name = models.CharField(max_length=50, primary_key=True)
    last_ran_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.last_ran_at:%Y-%m-%d %H:%M:%S}"


class JobSlot(models.Model):
    """When a scheduled job is next due, shared by every scheduler process: the one whose UPDATE moves `next_run_at`
    past now runs the job; a scheduler on another machine, racing it, updates no row and skips (ops.scheduler)."""

    name = models.CharField(max_length=50, primary_key=True)
    next_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} next at {self.next_run_at:%Y-%m-%d %H:%M:%S}"
