"""YouTube through the YouTube Data API v3: it can change a video's description, but it cannot make community posts."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests
from django.conf import settings

from safesocial.policy.schema import Platform

from . import http
from .base import (
    Account,
    Limits,
    PlatformError,
    PublishRequest,
    PublishResult,
    RateLimited,
    TokenExpired,
    Unsupported,
    ValidationProblem,
)

COMMUNITY_POSTS_UNSUPPORTED = (
    "YouTube's public Data API cannot create community posts, so SafeSocial cannot publish this to YouTube. "
    "Post it yourself in YouTube Studio (Create, then Create post) and record it here, "
    "or put the announcement in a video's description, which SafeSocial can update."
)
DESCRIPTION_LIMIT_BYTES = 5_000  # videos resource: snippet.description, at most 5,000 bytes, no < or >
# videos.update replaces the whole snippet: whatever we leave out is deleted, so keep everything else we may set.
KEPT_SNIPPET_FIELDS = ("title", "categoryId", "tags", "defaultLanguage")
QUOTA_REASONS = {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded"}


def youtube_error(response: requests.Response, body: Any) -> PlatformError:
    """Google's error object: {"error": {"code", "message", "errors": [{"reason", "domain", "message"}]}}."""
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    message = str(error.get("message") or "")
    reasons = [str(e.get("reason")) for e in error.get("errors", []) if isinstance(e, dict) and e.get("reason")]
    if response.status_code == 401:
        return TokenExpired(message or "YouTube did not accept the access token.", code="401")
    if response.status_code == 403 and QUOTA_REASONS.intersection(reasons):
        wait = _until_quota_resets() if "quotaExceeded" in reasons else http.retry_after(response)
        return RateLimited(message, code=reasons[0], retry_after=wait)
    return http.default_error(response, message, reasons[0] if reasons else "")


def _until_quota_resets() -> int | None:
    """The daily quota resets at midnight Pacific time."""
    try:
        pacific = ZoneInfo("America/Los_Angeles")
    except ZoneInfoNotFoundError:
        return None
    now = dt.datetime.now(pacific)
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=pacific)
    return int((midnight - now).total_seconds())


def description_problems(text: str) -> list[ValidationProblem]:
    problems = []
    if len(text.encode()) > DESCRIPTION_LIMIT_BYTES:
        problems.append(ValidationProblem(f"The description is over YouTube's {DESCRIPTION_LIMIT_BYTES:,} bytes."))
    if "<" in text or ">" in text:
        problems.append(ValidationProblem("YouTube descriptions cannot contain < or >."))
    return problems


class YouTubeAdapter:
    platform: ClassVar[Platform] = Platform.YOUTUBE
    limits: ClassVar[Limits] = Limits(max_text=DESCRIPTION_LIMIT_BYTES, max_images=0, max_image_bytes=0)

    def validate(self, request: PublishRequest) -> list[ValidationProblem]:
        return [ValidationProblem(COMMUNITY_POSTS_UNSUPPORTED, "channel")]

    def publish(self, account: Account, request: PublishRequest) -> PublishResult:
        raise Unsupported(COMMUNITY_POSTS_UNSUPPORTED, code="community_posts")

    def find_published(self, account: Account, request: PublishRequest) -> PublishResult | None:
        return None

    def update_video_description(self, account: Account, video_id: str, text: str) -> PublishResult:
        """Replace a video's description, keeping its title, category, tags and language."""
        if problems := description_problems(text):
            raise PlatformError(" ".join(p.message for p in problems), code="invalid_description")
        body = _call("GET", account, params={"part": "snippet", "id": video_id})
        items = body.get("items") if isinstance(body, dict) else None
        if not items:
            raise PlatformError(f"YouTube has no video {video_id} that this channel can edit.", code="videoNotFound")
        current = items[0].get("snippet", {})
        snippet = {key: current[key] for key in KEPT_SNIPPET_FIELDS if key in current} | {"description": text}
        _call("PUT", account, params={"part": "snippet"}, json={"id": video_id, "snippet": snippet})
        return PublishResult(video_id, f"https://www.youtube.com/watch?v={video_id}")


def _call(method: str, account: Account, **kwargs: Any) -> Any:
    url = f"{settings.YOUTUBE_API_URL.rstrip('/')}/youtube/v3/videos"
    headers = {"Authorization": f"Bearer {account.access_token}"}
    return http.call(
        method, url, token=account.access_token, error=youtube_error, platform="YouTube", headers=headers, **kwargs
    )
