"""The one way adapters talk HTTP: a call wrapper that turns the network's and the platform's failures into
SafeSocial's PlatformError family.

Tokens never reach a message or a log line: adapters send them in headers or POST bodies, never in URLs; we log
platform, method, path and status only; we write transport-error messages ourselves rather than pass on requests'
(which quote the URL); and we scrub the token from response bodies before an adapter reads them (Graph echoes a
malformed token back in its error message).

A timeout on a write does not mean nothing was published: the code "timeout" tells the caller to ask
find_published before trying again."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings

from .base import PlatformError, RateLimited, TemporaryError

log = logging.getLogger(__name__)

# An adapter's reading of a failed response: (response, its JSON body or {}) -> the error to raise.
ErrorMapper = Callable[[requests.Response, Any], PlatformError]

# One session per thread: connection reuse without sharing a Session across worker threads.
_local = threading.local()


def _session() -> requests.Session:
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


def call(
    method: str,
    url: str,
    *,
    token: str,
    error: ErrorMapper,
    platform: str,
    **kwargs: Any,
) -> Any:
    """Make one request and return its JSON body, or raise the PlatformError `error` makes of the failure.
    `token` is only used to scrub it from what comes back; the caller puts it where the platform wants it."""
    timeout = settings.PLATFORM_TIMEOUT_SECONDS
    path = urlsplit(url).path
    try:
        response = _session().request(method, url, timeout=timeout, **kwargs)
    except requests.Timeout:
        raise TemporaryError(f"{platform} did not answer within {timeout} seconds.", code="timeout") from None
    except requests.ConnectionError:
        raise TemporaryError(f"Could not connect to {platform}.", code="connection") from None
    log.info("%s %s %s -> %s", platform, method, path, response.status_code)
    body = _json(response, token)
    if response.ok:
        return body
    raise error(response, body)


def _json(response: requests.Response, token: str) -> Any:
    text = response.text
    if token:
        text = text.replace(token, "***")
    try:
        return json.loads(text) if text else {}
    except ValueError:
        return {}  # an HTML error page from a proxy or load balancer: the status code says enough


def default_error(response: requests.Response, message: str, code: str = "") -> PlatformError:
    """What the status code alone says, for failures an adapter has no more specific reading of."""
    status = response.status_code
    message = message or f"HTTP {status} {response.reason}".strip()
    code = code or str(status)
    if status == 429:
        return RateLimited(message, code=code, retry_after=retry_after(response))
    if status >= 500:
        return TemporaryError(message, code=code, retry_after=retry_after(response))
    return PlatformError(message, code=code)


def retry_after(response: requests.Response) -> int | None:
    """Seconds to wait, from Retry-After (seconds or an HTTP date) or X's x-rate-limit-reset (epoch seconds)."""
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return int(value)
    if value:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            return max(0, int(when.timestamp() - time.time()))
    reset = response.headers.get("x-rate-limit-reset", "").strip()
    if reset.isdigit():
        return max(0, int(reset) - int(time.time()))
    return None


def answer_field(body: Any, *keys: str, platform: str) -> Any:
    """A field of a successful answer. If it is missing the API changed under us: retrying would not help, and the
    post may already be live, so this is a permanent error for a person to look at."""
    value = body
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    if value is None or value == "":
        raise PlatformError(f"{platform} answered without {'.'.join(keys)}.", code="unexpected_answer")
    return value


def parse_time(value: Any, *, platform: str) -> dt.datetime:
    """An aware datetime from what platforms send: ISO 8601 with Z, +00:00 or Graph's +0000, or Unix seconds
    (Meta's webhooks; milliseconds in some of them)."""
    try:
        if isinstance(value, bool):
            raise TypeError
        if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
            seconds = float(value)
            return dt.datetime.fromtimestamp(seconds / 1000 if seconds > 100_000_000_000 else seconds, dt.UTC)
        when = dt.datetime.fromisoformat(str(value))
    except (TypeError, ValueError, OverflowError, OSError):
        raise PlatformError(f"{platform} sent a time SafeSocial cannot read.", code="unexpected_answer") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


_PATH_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def path_id(value: str, *, platform: str) -> str:
    """An id about to go into a URL path. Ids come from the platform or a moderator's click; one that could climb the
    path ("../me/feed") would aim the channel's token at another endpoint, so anything but letters, digits, _ . - is
    refused."""
    if not isinstance(value, str) or not _PATH_ID.fullmatch(value) or ".." in value:
        raise PlatformError(f"{value!r} is not a {platform} id.", code="invalid_id")
    return value


def as_dict(value: Any) -> dict[str, Any]:
    """An object from an answer, or an empty one where the platform sent something else or nothing."""
    return value if isinstance(value, dict) else {}


def data_list(body: Any, key: str = "data") -> list[dict[str, Any]]:
    """The list of objects under `key` ("data" for Graph and X, "items" for Google), skipping anything else."""
    items = body.get(key) if isinstance(body, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def text_with_link(text: str, link: str | None) -> str:
    """Where a platform has no link attachment (photo posts, Instagram, X), the link goes at the end of the text."""
    return f"{text}\n\n{link}" if link else text
