"""Facebook Pages through the Graph API, and why closed groups cannot be reached at all.

The Graph call and its error reading live here and Instagram reuses them: both APIs share one host and one error
object, {"error": {"message", "type", "code", "error_subcode", "is_transient", "fbtrace_id"}}."""

from __future__ import annotations

import json
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
    RateLimited,
    TemporaryError,
    TokenExpired,
    Unsupported,
    ValidationProblem,
    check_limits,
)

# Graph error codes (developers.facebook.com/docs/graph-api/guides/error-handling, .../overview/rate-limiting and
# the Instagram Platform error codes page).
TOKEN_CODES = {102, 190}  # 190: expired, revoked or malformed token (subcodes 458-467 say which)
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002}  # app, user, page, custom; 80001/80002 Pages/Instagram BUC limits
RATE_LIMIT_SUBCODES = {2207042}  # Instagram: the account's 24-hour publishing limit
TRANSIENT_CODES = {1, 2}  # "unknown error", "service temporarily unavailable"
MEDIA_CODES = {324, 9004, 36001, 36003}  # missing/invalid image file; IG media fetch failed, bad size, aspect ratio
MEDIA_SUBCODES = {2207052, 2207004, 2207005, 2207009, 2207023}  # IG fetch failed, too big, format, ratio, type


def graph(method: str, path: str, account: Account, *, platform: str = "Facebook", **kwargs: Any) -> Any:
    """One Graph API call. POSTs carry the token as the `access_token` form field, as the docs show; GETs send it
    in the Authorization header, which Graph also accepts, so it never sits in a URL that a proxy or urllib3's debug
    log could record."""
    url = f"{settings.FACEBOOK_GRAPH_URL.rstrip('/')}/{path}"
    if method == "GET":
        kwargs["headers"] = {"Authorization": f"Bearer {account.access_token}"}
    else:
        kwargs["data"] = {**kwargs.get("data", {}), "access_token": account.access_token}
    return http.call(method, url, token=account.access_token, error=graph_error, platform=platform, **kwargs)


def graph_error(response: requests.Response, body: Any) -> PlatformError:
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return http.default_error(response, "")
    # Instagram explains media problems to people in error_user_title/msg (e.g. which URL it could not fetch).
    for_people = ": ".join(str(p) for p in (error.get("error_user_title"), error.get("error_user_msg")) if p)
    message = " ".join(p for p in (str(error.get("message") or ""), for_people) if p)
    code, subcode = error.get("code"), error.get("error_subcode")
    code_text = f"{code}/{subcode}" if subcode else str(code or response.status_code)
    if code in TOKEN_CODES:
        return TokenExpired(message, code=code_text)
    if code in RATE_LIMIT_CODES or subcode in RATE_LIMIT_SUBCODES:
        return RateLimited(message, code=code_text, retry_after=_time_to_regain_access(response))
    if code in TRANSIENT_CODES or error.get("is_transient"):
        return TemporaryError(message, code=code_text, retry_after=http.retry_after(response))
    if code in MEDIA_CODES or subcode in MEDIA_SUBCODES or (code == 100 and _about_an_image(message)):
        return MediaRejected(message, code=code_text)
    return http.default_error(response, message, code_text)


def _about_an_image(message: str) -> bool:
    # Code 100 is "invalid parameter" for any parameter; only the message says it was the picture.
    lowered = message.lower()
    return "image" in lowered or "photo" in lowered


def _time_to_regain_access(response: requests.Response) -> int | None:
    """Graph sends no Retry-After; its X-Business-Use-Case-Usage header says, in minutes, when a throttled Page or
    Instagram account may call again: {"<id>": [{"type": "pages", "estimated_time_to_regain_access": 5, ...}]}."""
    try:
        usage = json.loads(response.headers.get("X-Business-Use-Case-Usage") or "{}")
        entries = [entry for per_account in usage.values() for entry in per_account]
        minutes = max((int(e.get("estimated_time_to_regain_access") or 0) for e in entries), default=0)
    except (ValueError, TypeError, AttributeError):
        minutes = 0
    return minutes * 60 if minutes else http.retry_after(response)


def _post_result(post_id: str) -> PublishResult:
    return PublishResult(post_id, f"https://www.facebook.com/{post_id}")


class FacebookPageAdapter:
    platform: ClassVar[Platform] = Platform.FACEBOOK_PAGE
    # Text: Facebook's 63,206-character post limit. Photos: the Page Photos docs ask for 4 MB or less. Ten images
    # per post is our choice; the API documents no maximum for attached_media.
    limits: ClassVar[Limits] = Limits(
        max_text=63_206,
        max_images=10,
        max_image_bytes=4_000_000,
        image_types=frozenset({"image/jpeg", "image/png", "image/gif"}),
    )

    def validate(self, request: PublishRequest) -> list[ValidationProblem]:
        return check_limits(self.limits, request)

    def publish(self, account: Account, request: PublishRequest) -> PublishResult:
        page = account.external_id
        if not request.media:
            data = {"message": request.text} | ({"link": request.link} if request.link else {})
            return _post_result(self._id(graph("POST", f"{page}/feed", account, data=data)))
        message = _message(request)
        if len(request.media) == 1:
            photo = self._upload(account, request.media[0], caption=message, published=True)
            # A published photo answers with its own id and the id of the feed story it made; the story is the post.
            return _post_result(photo.get("post_id") or self._id(photo))
        # Several photos: upload each unpublished, then make one feed post that attaches them all. If that last call
        # fails the unpublished photos stay invisible, so a retry that uploads them again shows nothing twice.
        photo_ids = [self._id(self._upload(account, item, caption="", published=False)) for item in request.media]
        attached = {f"attached_media[{i}]": json.dumps({"media_fbid": fbid}) for i, fbid in enumerate(photo_ids)}
        post = graph("POST", f"{page}/feed", account, data={"message": message, **attached})
        return _post_result(self._id(post))

    def find_published(self, account: Account, request: PublishRequest) -> PublishResult | None:
        params = {"fields": "id,message,created_time", "limit": 25}
        body = graph("GET", f"{account.external_id}/posts", account, params=params)
        wanted = _message(request).strip()
        for post in body.get("data", []) if isinstance(body, dict) else []:
            if str(post.get("message", "")).strip() == wanted and post.get("id"):
                return _post_result(post["id"])
        return None

    def _upload(self, account: Account, item: MediaItem, *, caption: str, published: bool) -> Any:
        data = {"published": "true" if published else "false"}
        if caption:
            data["caption"] = caption
        if item.alt_text:
            data["alt_text_custom"] = item.alt_text
        files = {"source": (item.filename, item.data, item.content_type)}
        return graph("POST", f"{account.external_id}/photos", account, data=data, files=files)

    @staticmethod
    def _id(body: Any) -> str:
        return str(http.answer_field(body, "id", platform="Facebook"))


def _message(request: PublishRequest) -> str:
    # Text posts carry the link as an attachment (the `link` field); photo posts have no such field.
    return request.text if not request.media else http.text_with_link(request.text, request.link)


GROUPS_API_REMOVED = (
    "Facebook removed the Groups API in April 2024, so no app can post to a Facebook group any more. "
    "Post in the group yourself on Facebook, then record the post here."
)


class FacebookGroupAdapter:
    platform: ClassVar[Platform] = Platform.FACEBOOK_GROUP
    limits: ClassVar[Limits] = FacebookPageAdapter.limits

    def validate(self, request: PublishRequest) -> list[ValidationProblem]:
        return [ValidationProblem(GROUPS_API_REMOVED, "channel")]

    def publish(self, account: Account, request: PublishRequest) -> PublishResult:
        raise Unsupported(GROUPS_API_REMOVED, code="groups_api_removed")

    def find_published(self, account: Account, request: PublishRequest) -> PublishResult | None:
        return None
