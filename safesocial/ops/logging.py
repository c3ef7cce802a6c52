"""Request IDs and structured logs. Every request gets an ID: the X-Request-ID a trusted proxy sent (so one ID follows
the request from the load balancer through gunicorn into our log), or a new one. It is echoed in the response and
added to every log record made while the request runs; LOG_FORMAT=json writes those records as one JSON object a line,
with one access line per request naming the route's pattern, never its path (parents' links carry a token)."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from safesocial.web import _trusted as is_trusted_proxy

request_id: ContextVar[str] = ContextVar("request_id", default="-")
access_log = logging.getLogger("safesocial.access")
# A proxy's ID is written into our logs: letters, digits and - . _ : only, so it cannot forge a line.
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class RequestIdMiddleware:
    """First in MIDDLEWARE, so everything after it logs with the ID. The ID stays set until the response is finished:
    Django logs a 4xx or 5xx after the middleware has returned."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        from_proxy = is_trusted_proxy(request.META.get("REMOTE_ADDR", "")) and _VALID_ID.fullmatch(given)
        request_id.set(given if from_proxy else uuid.uuid4().hex)
        started = time.monotonic()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id.get()
        match = getattr(request, "resolver_match", None)
        route = match.route if match else None
        access_log.info(
            "%s %s %s",
            request.method,
            route or "-",
            response.status_code,
            extra={
                "method": request.method,
                "route": route,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs: object) -> None:
    request_id.set("-")


def redact_path(path: str) -> str:
    """Parents' consent and acknowledgement links carry a signed token in their path, and whoever reads the logs must
    not be able to open a family's page: any path segment of 20 characters or more is logged as `…`."""
    return re.sub(r"[^/]{20,}", "…", path)


class RequestIdFilter(logging.Filter):
    """Adds the request ID to each record, and takes the path out of Django's own request warnings
    ("Forbidden: /consent/<token>/")."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        if record.name.startswith(("django.request", "django.security")) and isinstance(record.args, tuple):
            record.args = tuple(redact_path(a) if isinstance(a, str) and a.startswith("/") else a for a in record.args)
        return True


# Attributes every LogRecord has; anything else was passed in `extra` and belongs in the JSON line.
# Django's own `request` extra is left out: its text is the path, and a parent's link carries a token.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id", "request"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD and k not in line})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)
