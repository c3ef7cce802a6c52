"""YouTube through the YouTube Data API v3: it can change a video's description, but it cannot make community posts.

Comment moderation: comments on the channel's videos are polled from commentThreads; comments.setModerationStatus
holds one for review (hide), publishes it again (restore), rejects it (delete) or rejects it and bans its author
(block); comments.insert answers one. Only the channel owner's token can moderate."""

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
    NotFound,
    PermissionDenied,
    PlatformError,
    PublishRequest,
    PublishResult,
    RateLimited,
    RemoteComment,
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
MAX_THREAD_PAGES = 5  # of 100 threads each; commentThreads.list costs 1 quota unit a page
# Held back from the public, by YouTube's filters or by us: what `hidden` means on a RemoteComment.
NOT_PUBLIC = {"heldForReview", "likelySpam", "rejected"}


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


def youtube_moderation_error(response: requests.Response, body: Any) -> PlatformError:
    """Publishing's reading, plus a comment that is gone (404 commentNotFound) and what this channel may not do (403
    forbidden, which YouTube also answers for a comment its author deleted)."""
    error = youtube_error(response, body)
    if type(error) is not PlatformError:
        return error
    if response.status_code == 404:
        return NotFound(error.message, code=error.code)
    if response.status_code == 403:
        return PermissionDenied(error.message, code=error.code)
    return error


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

    # --- Comment moderation --------------------------------------------------------------------------------------

    def fetch_comments(self, account: Account, since: dt.datetime | None = None) -> list[RemoteComment]:
        """Published comments and replies on the channel's videos, newest threads first, reading on until the threads
        are older than `since` (one page of 100 without it). A new reply under an older thread is found only while that
        thread is within the pages read; YouTube's own held-for-review comments are not listed."""
        params: dict[str, Any] = {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": account.external_id,
            "maxResults": 100,
            "order": "time",
            "textFormat": "plainText",  # textDisplay as plain text; textOriginal is only shown to a comment's author
        }
        comments: list[RemoteComment] = []
        for _page in range(MAX_THREAD_PAGES):
            body = _moderate("GET", account, "commentThreads", params=params)
            oldest: dt.datetime | None = None
            for thread in http.data_list(body, "items"):
                snippet = http.as_dict(thread.get("snippet"))
                post = str(snippet.get("videoId") or snippet.get("channelId") or "")
                top = _comment(snippet.get("topLevelComment"), post)
                replies = http.data_list(thread.get("replies"), "comments")
                if int(snippet.get("totalReplyCount") or 0) > len(replies):
                    replies = self._replies(account, top.external_id)  # the thread carries only some of them
                for comment in [top, *(_comment(r, post) for r in replies)]:
                    if since is None or comment.created_at >= since:
                        comments.append(comment)
                oldest = top.created_at if oldest is None else min(oldest, top.created_at)
            token = http.as_dict(body).get("nextPageToken")
            if since is None or not token or (oldest is not None and oldest < since):
                break
            params = {**params, "pageToken": token}
        return sorted(comments, key=lambda c: c.created_at)

    def hide(self, account: Account, comment_id: str) -> None:
        """Held for review: out of public view and in YouTube Studio's review queue."""
        self._set_status(account, comment_id, "heldForReview")

    def unhide(self, account: Account, comment_id: str) -> None:
        """Publishes a held comment again. YouTube cannot publish a rejected (deleted or blocked) comment again."""
        self._set_status(account, comment_id, "published")

    def delete(self, account: Account, comment_id: str) -> None:
        """Rejects the comment, which also hides its replies: comments.delete only works on the channel's own
        comments, so rejecting is how an owner removes anyone else's. It cannot be undone."""
        self._set_status(account, comment_id, "rejected")

    def reply(self, account: Account, comment_id: str, text: str) -> str:
        """YouTube threads one level deep: answer the top-level comment of the thread."""
        payload = {"snippet": {"parentId": comment_id, "textOriginal": text}}
        body = _moderate("POST", account, "comments", params={"part": "snippet"}, json=payload)
        return str(http.answer_field(body, "id", platform="YouTube"))

    def block(self, account: Account, author_id: str, *, comment_id: str | None = None) -> None:
        """Rejects the comment and bans its author (banAuthor=true): YouTube then rejects whatever else they write on
        the channel. The API bans only through a comment, so we check first that the comment is the author's."""
        if not comment_id:
            raise Unsupported(
                "YouTube can only block someone through one of their comments: choose the comment to block them by.",
                code="needs_comment",
            )
        body = _moderate("GET", account, "comments", params={"part": "snippet", "id": comment_id})
        items = http.data_list(body, "items")
        if not items:
            raise NotFound(f"YouTube has no comment {comment_id} on this channel.", code="commentNotFound")
        if _comment(items[0], "").author_id != author_id:
            raise PlatformError(
                f"Comment {comment_id} was not written by {author_id}; nobody was blocked.", code="author_mismatch"
            )
        self._set_status(account, comment_id, "rejected", ban_author=True)

    def _set_status(self, account: Account, comment_id: str, status: str, *, ban_author: bool = False) -> None:
        params = {"id": comment_id, "moderationStatus": status} | ({"banAuthor": "true"} if ban_author else {})
        _moderate("POST", account, "comments/setModerationStatus", params=params)  # 204 No Content

    def _replies(self, account: Account, parent_id: str) -> list[dict[str, Any]]:
        params: dict[str, Any] = {
            "part": "snippet",
            "parentId": parent_id,
            "maxResults": 100,
            "textFormat": "plainText",
        }
        replies: list[dict[str, Any]] = []
        for _page in range(MAX_THREAD_PAGES):
            body = _moderate("GET", account, "comments", params=params)
            replies += http.data_list(body, "items")
            token = http.as_dict(body).get("nextPageToken")
            if not token:
                break
            params = {**params, "pageToken": token}
        return replies


def _comment(item: Any, post: str) -> RemoteComment:
    """A comment resource: {"id", "snippet": {"authorDisplayName", "authorChannelId": {"value"}, "textDisplay",
    "parentId" (replies), "videoId", "publishedAt", "moderationStatus" (to the owner)}}."""
    item = http.as_dict(item)
    comment_id = str(http.answer_field(item, "id", platform="YouTube"))
    snippet = http.as_dict(item.get("snippet"))
    author = http.as_dict(snippet.get("authorChannelId"))
    video = str(snippet.get("videoId") or "")
    post = post or video
    return RemoteComment(
        external_id=comment_id,
        parent_external_id=str(snippet.get("parentId") or post),
        author_id=str(author.get("value") or ""),
        author_name=str(snippet.get("authorDisplayName") or ""),
        text=str(snippet.get("textDisplay") or snippet.get("textOriginal") or ""),
        created_at=http.parse_time(snippet.get("publishedAt"), platform="YouTube"),
        url=f"https://www.youtube.com/watch?v={video}&lc={comment_id}" if video else None,
        post_external_id=post,
        hidden=snippet.get("moderationStatus") in NOT_PUBLIC,
    )


def _call(
    method: str, account: Account, resource: str = "videos", *, error: http.ErrorMapper = youtube_error, **kwargs: Any
) -> Any:
    url = f"{settings.YOUTUBE_API_URL.rstrip('/')}/youtube/v3/{resource}"
    headers = {"Authorization": f"Bearer {account.access_token}"}
    return http.call(
        method, url, token=account.access_token, error=error, platform="YouTube", headers=headers, **kwargs
    )


def _moderate(method: str, account: Account, resource: str, **kwargs: Any) -> Any:
    return _call(method, account, resource, error=youtube_moderation_error, **kwargs)
