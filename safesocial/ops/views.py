"""/healthz: for a load balancer (the HTTP status) and for monitoring (the JSON). No sign-in, no personal data: only
whether each part answers, how many background tasks wait, and how long ago each scheduled job last ran."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import JobRun
from .services import SCHEDULED_JOBS

logger = logging.getLogger(__name__)

DATABASE_QUEUE = "django_tasks_db.DatabaseBackend"
RQ_QUEUE = "django_tasks_rq.RQBackend"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was just stored")
    cache.delete(key)


def storage_check() -> None:
    """Write a small file where SafeSocial keeps files (disk or bucket), read it back and delete it."""
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as stored:
            if stored.read() != b"ok":
                raise RuntimeError("the storage did not return what was just written")
    finally:
        default_storage.delete(name)


def _passes(name: str, check: Callable[[], None]) -> bool:
    """Run one check; the reason for a failure goes to the log only (it may name hosts or paths)."""
    try:
        check()
    except Exception:
        logger.exception("health check failed: %s", name)
        return False
    return True


def _waiting(backend: str) -> int | None:
    if backend == DATABASE_QUEUE:
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.ready().count()
    if backend == RQ_QUEUE:
        import django_rq

        return int(django_rq.get_queue("default").count)
    return None


def _queue() -> dict[str, Any]:
    backend = settings.TASKS["default"]["BACKEND"]
    try:
        waiting = _waiting(backend)
    except Exception:  # Redis down: the queue's depth is unknown, the web pages still work
        logger.exception("health check failed: queue")
        waiting = None
    return {"backend": backend.rsplit(".", 1)[-1], "waiting": waiting}


def _jobs() -> dict[str, int | None]:
    """Seconds since each scheduled job last finished a run; null if it never has."""
    now = timezone.now()
    last = dict(JobRun.objects.values_list("name", "last_ran_at"))
    return {name: int((now - last[name]).total_seconds()) if name in last else None for name in SCHEDULED_JOBS}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database and the cache answer (every page needs both), 503 otherwise; storage is reported but,
    being needed only for uploads and evidence, does not take the server out of the load balancer."""
    checks = {"database": _passes("database", _database), "cache": _passes("cache", _cache)}
    checks["storage"] = _passes("storage", storage_check)
    body: dict[str, Any] = {"status": "ok" if checks["database"] and checks["cache"] else "error"}
    body["checks"] = {name: "ok" if passed else "error" for name, passed in checks.items()}
    body["queue"] = _queue() if checks["database"] else None
    body["jobs_seconds_since_last_run"] = _jobs() if checks["database"] else None
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
