"""Facebook Pages through the Graph API, and why closed groups cannot be reached at all.

The Graph call and its error reading live here and Instagram reuses them: both APIs share one host and one error
object, {"error": {"message", "type", "code", "error_subcode", "is_transient", "fbtrace_id"}}.

Comment moderation on a Page: webhooks bring new comments (see webhooks.py); fetch_comments polls the Page's recent
posts as a fallback; hide, restore, delete and reply act on the comment node, and block adds the author to the Page's
blocked list. All with the Page access token, as publishing uses."""

from __future__ import annotations

import datetime as dt
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
    NotFound,
    PermissionDenied,
    PlatformError,
    PublishRequest,
    PublishResult,
    RateLimited,
    RemoteComment,
    TemporaryError,
    TokenExpired,
    Unsupported,
    ValidationProblem,
    check_limits,
    is_recent,
)

# Graph error codes (developers.facebook.com/docs/graph-api/guides/error-handling, .../overview/rate-limiting and
# the Instagram Platform error codes page).
TOKEN_CODES = {102, 190}  # 190: expired, revoked or malformed token (subcodes 458-467 say which)
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002}  # app, user, page, custom; 80001/80002 Pages/Instagram BUC limits
RATE_LIMIT_SUBCODES = {2207042}  # Instagram: the account's 24-hour publishing limit
TRANSIENT_CODES = {1, 2}  # "unknown error", "service temporarily unavailable"
MEDIA_CODES = {324, 9004, 36001, 36003}  # missing/invalid image file; IG media fetch failed, bad size, aspect ratio
MEDIA_SUBCODES = {2207052, 2207004, 2207005, 2207009, 2207023}  # IG fetch failed, too big, format, ratio, type
NOT_FOUND_SUBCODE = 33  # "Object with ID '...' does not exist, cannot be loaded due to missing permissions, or ..."
PERMISSION_CODES = {10, *range(200, 300)}  # (#10) and (#200)-(#299): a permission the token lacks

# Polling reads the comments of the Page's most recent posts in one call; comments on older posts arrive by webhook.
RECENT_POSTS = 25
COMMENTS_PER_PAGE = 100
MAX_COMMENT_PAGES = 10  # per post, when a busy post has more new comments than one page holds
# `filter(stream)` returns replies as well as top-level comments, each reply with its `parent`; `from` is missing
# where Graph withholds the commenter.
COMMENT_FIELDS = "id,message,from,created_time,parent{id},permalink_url,is_hidden"


def graph(
    method: str,
    path: str,
    account: Account,
    *,
    platform: str = "Facebook",
    error: http.ErrorMapper | None = None,
    **kwargs: Any,
) -> Any:
    """One Graph API call. POSTs carry the token as the `access_token` form field, as the docs show; GETs and DELETEs
    send it in the Authorization header, which Graph also accepts, so it never sits in a URL that a proxy or urllib3's
    debug log could record."""
    url = f"{settings.FACEBOOK_GRAPH_URL.rstrip('/')}/{path}"
    if method in ("GET", "DELETE"):
        kwargs["headers"] = {"Authorization": f"Bearer {account.access_token}"}
    else:
        kwargs["data"] = {**kwargs.get("data", {}), "access_token": account.access_token}
    error = error or graph_error
    return http.call(method, url, token=account.access_token, error=error, platform=platform, **kwargs)


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


def graph_moderation_error(response: requests.Response, body: Any) -> PlatformError:
    """Publishing's reading, plus the two answers moderation meets most: a comment that is gone (or that this Page
    cannot see) and a permission the Page's token lacks (pages_manage_engagement, instagram_manage_comments)."""
    error = graph_error(response, body)
    if type(error) is not PlatformError:
        return error
    detail = http.as_dict(http.as_dict(body).get("error"))
    if detail.get("error_subcode") == NOT_FOUND_SUBCODE or response.status_code == 404:
        return NotFound(error.message, code=error.code)
    if detail.get("code") in PERMISSION_CODES or response.status_code == 403:
        return PermissionDenied(error.message, code=error.code)
    return error


def moderate(method: str, path: str, account: Account, *, platform: str = "Facebook", **kwargs: Any) -> Any:
    """A Graph call made for moderation: errors read by graph_moderation_error."""
    return graph(method, path, account, platform=platform, error=graph_moderation_error, **kwargs)


def succeeded(body: Any, *, platform: str) -> None:
    """Graph answers hide, restore and delete with {"success": true}; anything else means it did not happen."""
    if not (isinstance(body, dict) and body.get("success") in (True, "true")):
        raise PlatformError(f"{platform} did not confirm the change.", code="unexpected_answer")


def next_cursor(edge: Any) -> str | None:
    """The `after` cursor of a Graph edge that has more to give. We page with the cursor rather than follow
    paging.next, whose URL carries the access token."""
    paging = edge.get("paging") if isinstance(edge, dict) else None
    if not isinstance(paging, dict) or not paging.get("next"):
        return None
    cursors = paging.get("cursors")
    return str(cursors["after"]) if isinstance(cursors, dict) and cursors.get("after") else None


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
        for post in http.data_list(body):
            created = http.parse_time(post.get("created_time"), platform="Facebook")
            if str(post.get("message", "")).strip() == wanted and post.get("id") and is_recent(created, request):
                return _post_result(post["id"])
        return None

    def take_down(self, account: Account, external_id: str) -> None:
        """Graph's DELETE /{post-id}, answered {"success": true}; a post already gone answers code 100, subcode 33."""
        succeeded(moderate("DELETE", http.path_id(external_id, platform="Facebook"), account), platform="Facebook")

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

    # --- Comment moderation --------------------------------------------------------------------------------------

    def fetch_comments(self, account: Account, since: dt.datetime | None = None) -> list[RemoteComment]:
        """Comments and replies on the Page's 25 most recent feed posts, newest comments first per post, in one call;
        a post with more new comments than one page holds is read on with its cursor."""
        stream = f"comments.filter(stream).order(reverse_chronological).limit({COMMENTS_PER_PAGE}){{{COMMENT_FIELDS}}}"
        params = {"fields": f"id,{stream}", "limit": RECENT_POSTS}
        feed = moderate("GET", f"{http.path_id(account.external_id, platform='Facebook')}/feed", account, params=params)
        comments: list[RemoteComment] = []
        for post in http.data_list(feed):
            post_id = str(http.answer_field(post, "id", platform="Facebook"))
            edge = post.get("comments")
            for _page in range(MAX_COMMENT_PAGES):
                page = [_comment(item, post_id) for item in http.data_list(edge)]
                comments.extend(c for c in page if since is None or c.created_at >= since)
                cursor = next_cursor(edge)
                if since is None or cursor is None or not page or page[-1].created_at < since:
                    break
                params = {
                    "fields": COMMENT_FIELDS,
                    "filter": "stream",
                    "order": "reverse_chronological",
                    "limit": COMMENTS_PER_PAGE,
                    "after": cursor,
                }
                edge = moderate("GET", f"{http.path_id(post_id, platform='Facebook')}/comments", account, params=params)
        return sorted(comments, key=lambda c: c.created_at)

    def hide(self, account: Account, comment_id: str) -> None:
        """Hidden comments stay visible to their author and their friends, so the author is not tipped off."""
        self._set_hidden(account, comment_id, hidden=True)

    def unhide(self, account: Account, comment_id: str) -> None:
        self._set_hidden(account, comment_id, hidden=False)

    def delete(self, account: Account, comment_id: str) -> None:
        succeeded(moderate("DELETE", _comment_path(comment_id), account), platform="Facebook")

    def reply(self, account: Account, comment_id: str, text: str) -> str:
        body = moderate("POST", f"{_comment_path(comment_id)}/comments", account, data={"message": text})
        return str(http.answer_field(body, "id", platform="Facebook"))

    def block(self, account: Account, author_id: str, *, comment_id: str | None = None) -> None:
        """Add the author to the Page's blocked list: they can no longer comment on, like or message the Page. Graph
        answers {"<id>": true} for each id it blocked."""
        page = http.path_id(account.external_id, platform="Facebook")
        body = moderate("POST", f"{page}/blocked", account, data={"user": author_id})
        if not (isinstance(body, dict) and body.get(author_id) in (True, "true")):
            raise PlatformError(f"Facebook did not block {author_id}.", code="not_blocked")

    def _set_hidden(self, account: Account, comment_id: str, *, hidden: bool) -> None:
        data = {"is_hidden": "true" if hidden else "false"}
        succeeded(moderate("POST", _comment_path(comment_id), account, data=data), platform="Facebook")


def _comment_path(comment_id: str) -> str:
    return http.path_id(comment_id, platform="Facebook")


def _comment(item: dict[str, Any], post_id: str) -> RemoteComment:
    comment_id = str(http.answer_field(item, "id", platform="Facebook"))
    author = http.as_dict(item.get("from"))
    parent = http.as_dict(item.get("parent"))
    return RemoteComment(
        external_id=comment_id,
        parent_external_id=str(parent.get("id") or post_id),
        author_id=str(author.get("id") or ""),
        author_name=str(author.get("name") or ""),
        text=str(item.get("message") or ""),
        created_at=http.parse_time(item.get("created_time"), platform="Facebook"),
        url=str(item.get("permalink_url") or f"https://www.facebook.com/{comment_id}"),
        post_external_id=post_id,
        hidden=bool(item.get("is_hidden")),
    )


def _message(request: PublishRequest) -> str:
    # Text posts carry the link as an attachment (the `link` field); photo posts have no such field.
    return request.text if not request.media else http.text_with_link(request.text, request.link)


GROUPS_API_REMOVED = (
    "Facebook removed the Groups API in April 2024, so no app can post to a Facebook group any more. "
    "Post in the group yourself on Facebook, then record the post here."
)


GROUP_MODERATION_REMOVED = (
    "Facebook removed the Groups API in April 2024, so SafeSocial cannot read or moderate a group's comments. "
    "Moderate them in the group on Facebook."
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

    # The Groups API went with publishing: no app can read or moderate a group's comments either.

    def fetch_comments(self, account: Account, since: dt.datetime | None = None) -> list[RemoteComment]:
        raise Unsupported(GROUP_MODERATION_REMOVED, code="groups_api_removed")

    def hide(self, account: Account, comment_id: str) -> None:
        raise Unsupported(GROUP_MODERATION_REMOVED, code="groups_api_removed")

    def unhide(self, account: Account, comment_id: str) -> None:
        raise Unsupported(GROUP_MODERATION_REMOVED, code="groups_api_removed")

    def delete(self, account: Account, comment_id: str) -> None:
        raise Unsupported(GROUP_MODERATION_REMOVED, code="groups_api_removed")

    def reply(self, account: Account, comment_id: str, text: str) -> str:
        raise Unsupported(GROUP_MODERATION_REMOVED, code="groups_api_removed")

    def block(self, account: Account, author_id: str, *, comment_id: str | None = None) -> None:
        raise Unsupported(GROUP_MODERATION_REMOVED, code="groups_api_removed")
