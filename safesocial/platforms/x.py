"""X (formerly Twitter) through the X API v2, with an OAuth 2.0 user-context token."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from typing import Any, ClassVar

import requests
from django.conf import settings

from safesocial.policy.schema import Platform

from . import http
from .base import (
    Account,
    Limits,
    MediaItem,
    MediaRejected,
    PlatformError,
    PublishRequest,
    PublishResult,
    TokenExpired,
    ValidationProblem,
    check_limits,
)

ALT_TEXT_LIMIT = 1_000  # POST /2/media/metadata
URL = re.compile(r"https?://\S+")


def x_error(response: requests.Response, body: Any, *, uploading: bool = False) -> PlatformError:
    message = _message(body)
    status = response.status_code
    if status == 401:
        return TokenExpired(message or "X did not accept the access token.", code="401")
    if status == 403 and "duplicate" in message.lower():
        # Retrying can never succeed, and usually means the post is already there.
        return PlatformError(message, code="duplicate")
    if status in (400, 413, 415, 422) and (uploading or "media" in message.lower()):
        return MediaRejected(message, code=str(status))
    return http.default_error(response, message)  # 429 with x-rate-limit-reset, 5xx, and anything else


def _message(body: Any) -> str:
    """X answers with problem details ({"title", "detail", "type"}), often with {"errors": [{"message"}]} inside;
    the errors say most precisely what was wrong."""
    if not isinstance(body, dict):
        return ""
    errors = body.get("errors")
    errors = errors if isinstance(errors, list) else []
    details = [str(e.get("message") or e.get("detail") or "") for e in errors if isinstance(e, dict)]
    return "; ".join(d for d in details if d) or str(body.get("detail") or body.get("title") or "")


def _same_text(posted: str, wanted: str) -> bool:
    """X hands text back HTML-escaped, with links rewritten to t.co and a t.co link per attached photo added: compare
    what is left once links are set aside."""

    def words(text: str) -> list[str]:
        return URL.sub(" ", html.unescape(text)).split()

    return words(posted) == words(wanted)


class XAdapter:
    platform: ClassVar[Platform] = Platform.X
    # 280 characters counted simply by len: X counts emoji and CJK characters twice, so such a post can still be
    # refused, and links count here at full length where X counts 23. Four photos of up to 5 MB each.
    limits: ClassVar[Limits] = Limits(
        max_text=280,
        max_images=4,
        max_image_bytes=5_000_000,
        image_types=frozenset({"image/jpeg", "image/png", "image/webp"}),
    )

    def validate(self, request: PublishRequest) -> list[ValidationProblem]:
        problems = check_limits(self.limits, self._as_posted(request))
        for item in request.media:
            if len(item.alt_text) > ALT_TEXT_LIMIT:
                problems.append(
                    ValidationProblem(f"{item.filename}: alt text over {ALT_TEXT_LIMIT} characters.", "media")
                )
        return problems

    def publish(self, account: Account, request: PublishRequest) -> PublishResult:
        media_ids = [self._upload(account, item) for item in request.media]
        payload: dict[str, Any] = {"text": self._as_posted(request).text}
        if media_ids:
            payload["media"] = {"media_ids": media_ids}
        body = _call("POST", "/2/tweets", account, json=payload)
        tweet_id = str(http.answer_field(body, "data", "id", platform="X"))
        return PublishResult(tweet_id, f"https://x.com/i/web/status/{tweet_id}")

    def find_published(self, account: Account, request: PublishRequest) -> PublishResult | None:
        params = {"max_results": 20, "exclude": "replies,retweets"}
        body = _call("GET", f"/2/users/{account.external_id}/tweets", account, params=params)
        wanted = self._as_posted(request).text
        for tweet in body.get("data", []) if isinstance(body, dict) else []:
            if _same_text(str(tweet.get("text", "")), wanted) and tweet.get("id"):
                return PublishResult(tweet["id"], f"https://x.com/i/web/status/{tweet['id']}")
        return None

    def _upload(self, account: Account, item: MediaItem) -> str:
        body = _call(
            "POST",
            "/2/media/upload",
            account,
            error=_upload_error,
            files={"media": (item.filename, item.data, item.content_type)},
            data={"media_category": "tweet_image"},
        )
        media_id = str(http.answer_field(body, "data", "id", platform="X"))
        if item.alt_text:
            metadata = {"id": media_id, "metadata": {"alt_text": {"text": item.alt_text[:ALT_TEXT_LIMIT]}}}
            _call("POST", "/2/media/metadata", account, error=_upload_error, json=metadata)
        return media_id

    @staticmethod
    def _as_posted(request: PublishRequest) -> PublishRequest:
        # X has no link attachment: the link is part of the text and counts towards its length.
        return replace(request, text=http.text_with_link(request.text, request.link), link=None)


def _upload_error(response: requests.Response, body: Any) -> PlatformError:
    return x_error(response, body, uploading=True)


def _call(method: str, path: str, account: Account, *, error: http.ErrorMapper = x_error, **kwargs: Any) -> Any:
    headers = {"Authorization": f"Bearer {account.access_token}"}
    url = f"{settings.X_API_URL.rstrip('/')}{path}"
    return http.call(method, url, token=account.access_token, error=error, platform="X", headers=headers, **kwargs)
