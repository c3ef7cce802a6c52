"""X (formerly Twitter) through the X API v2, with an OAuth 2.0 user-context token.

Comment moderation: replies to the account's posts are found by polling recent search for their conversations; a
reply can be hidden or shown again (PUT /2/tweets/:id/hidden), answered, and its author blocked where the app's API
plan allows it. X lets an account delete only its own posts, so another person's reply cannot be deleted."""

from __future__ import annotations

import datetime as dt
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
    NotFound,
    PermissionDenied,
    PlatformError,
    PublishRequest,
    PublishResult,
    RemoteComment,
    TokenExpired,
    Unsupported,
    ValidationProblem,
    check_limits,
    is_recent,
)

ALT_TEXT_LIMIT = 1_000  # POST /2/media/metadata
URL = re.compile(r"https?://\S+")

# Recent search covers the last 7 days and takes queries of up to 512 characters (4,096 on Enterprise).
SEARCH_WINDOW = dt.timedelta(days=7)
SEARCH_QUERY_LIMIT = 512
RECENT_POSTS = 20  # whose conversations are searched for replies
MAX_SEARCH_PAGES = 10
NO_DELETING = (
    "X lets an account delete only its own posts, so SafeSocial cannot delete this reply. Hide it instead: hidden "
    'replies move behind "View hidden replies" and their author is not told.'
)
BLOCKING_NEEDS_ENTERPRISE = (
    "X offers blocking through its API only on the Enterprise plan, which this app does not have. "
    "Block the account in the X app (their profile, then the three dots, then Block); meanwhile hide their replies."
)


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


def x_moderation_error(response: requests.Response, body: Any) -> PlatformError:
    """Publishing's reading, plus a reply that is gone and what X forbids: hiding a reply outside the account's own
    conversations, or an endpoint the app's API plan does not include."""
    error = x_error(response, body)
    if type(error) is not PlatformError or error.code == "duplicate":
        return error
    problem = str(http.as_dict(body).get("type") or "")
    if response.status_code == 404 or problem.endswith("/resource-not-found"):
        return NotFound(error.message, code="not_found")
    if response.status_code == 403:
        reason = str(http.as_dict(body).get("reason") or "")
        return PermissionDenied(error.message, code=reason or "403")
    return error


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
        params = {"max_results": 20, "exclude": "replies,retweets", "tweet.fields": "created_at"}
        body = _call("GET", f"/2/users/{account.external_id}/tweets", account, params=params)
        wanted = self._as_posted(request).text
        for tweet in http.data_list(body):
            created = http.parse_time(tweet.get("created_at"), platform="X")
            if _same_text(str(tweet.get("text", "")), wanted) and tweet.get("id") and is_recent(created, request):
                return PublishResult(tweet["id"], f"https://x.com/i/web/status/{tweet['id']}")
        return None

    def take_down(self, account: Account, external_id: str) -> None:
        """DELETE /2/tweets/:id, answered {"data": {"deleted": true}}."""
        path = f"/2/tweets/{http.path_id(external_id, platform='X')}"
        body = _call("DELETE", path, account, error=x_moderation_error)
        if http.answer_field(body, "data", "deleted", platform="X") is not True:
            raise PlatformError("X did not delete the post.", code="not_deleted")

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

    # --- Comment moderation --------------------------------------------------------------------------------------

    def fetch_comments(self, account: Account, since: dt.datetime | None = None) -> list[RemoteComment]:
        """Replies, by anyone but the account, in the conversations of its 20 most recent posts, from recent search
        (so from the last 7 days at most). Replies to replies are included: they sit in the same conversation and the
        account may hide them too."""
        user = http.path_id(account.external_id, platform="X")
        params = {"max_results": RECENT_POSTS, "exclude": "replies,retweets"}
        posts = _call("GET", f"/2/users/{user}/tweets", account, error=x_moderation_error, params=params)
        conversations = [str(t["id"]) for t in http.data_list(posts) if t.get("id")]
        # X refuses a start_time older than 7 days; a minute's margin covers the clocks and the request's travel.
        earliest = dt.datetime.now(dt.UTC) - SEARCH_WINDOW + dt.timedelta(minutes=1)
        start = max(since, earliest) if since else None
        comments: list[RemoteComment] = []
        for query in _conversation_queries(conversations, user):
            search: dict[str, Any] = {
                "query": query,
                "max_results": 100,
                "tweet.fields": "author_id,conversation_id,created_at,referenced_tweets",
                "expansions": "author_id",
                "user.fields": "name,username",
            }
            if start:
                search["start_time"] = start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            for _page in range(MAX_SEARCH_PAGES):
                body = _call("GET", "/2/tweets/search/recent", account, error=x_moderation_error, params=search)
                users = {str(u.get("id")): u for u in http.data_list(http.as_dict(body).get("includes"), "users")}
                for tweet in http.data_list(body):
                    reply = _reply(tweet, users)
                    if reply.author_id != user and (since is None or reply.created_at >= since):
                        comments.append(reply)
                token = http.as_dict(http.as_dict(body).get("meta")).get("next_token")
                if not token:
                    break
                search["next_token"] = token
        return sorted(comments, key=lambda c: c.created_at)

    def hide(self, account: Account, comment_id: str) -> None:
        """Only replies in conversations the account started can be hidden; anyone can still open them behind
        "View hidden replies", and the author is not told."""
        self._set_hidden(account, comment_id, hidden=True)

    def unhide(self, account: Account, comment_id: str) -> None:
        self._set_hidden(account, comment_id, hidden=False)

    def delete(self, account: Account, comment_id: str) -> None:
        raise Unsupported(NO_DELETING, code="x_cannot_delete_replies")

    def reply(self, account: Account, comment_id: str, text: str) -> str:
        if len(text) > self.limits.max_text:
            raise PlatformError(
                f"The reply is {len(text)} characters; X takes {self.limits.max_text}.", code="too_long"
            )
        payload = {"text": text, "reply": {"in_reply_to_tweet_id": http.path_id(comment_id, platform="X")}}
        body = _call("POST", "/2/tweets", account, error=x_moderation_error, json=payload)
        return str(http.answer_field(body, "data", "id", platform="X"))

    def block(self, account: Account, author_id: str, *, comment_id: str | None = None) -> None:
        user = http.path_id(account.external_id, platform="X")
        try:
            body = _call(
                "POST",
                f"/2/users/{user}/blocking",
                account,
                error=x_moderation_error,
                json={"target_user_id": author_id},
            )
        except PermissionDenied as exc:
            if exc.code == "client-not-enrolled":
                raise PermissionDenied(f"{BLOCKING_NEEDS_ENTERPRISE} (X said: {exc.message})", code=exc.code) from None
            raise
        if http.answer_field(body, "data", "blocking", platform="X") is not True:
            raise PlatformError(f"X did not block {author_id}.", code="not_blocked")

    def _set_hidden(self, account: Account, comment_id: str, *, hidden: bool) -> None:
        path = f"/2/tweets/{http.path_id(comment_id, platform='X')}/hidden"
        body = _call("PUT", path, account, error=x_moderation_error, json={"hidden": hidden})
        if http.answer_field(body, "data", "hidden", platform="X") is not hidden:
            raise PlatformError(f"X did not {'hide' if hidden else 'show'} the reply.", code="unexpected_answer")

    @staticmethod
    def _as_posted(request: PublishRequest) -> PublishRequest:
        # X has no link attachment: the link is part of the text and counts towards its length.
        return replace(request, text=http.text_with_link(request.text, request.link), link=None)


def _conversation_queries(conversations: list[str], user: str) -> list[str]:
    """Search queries for replies in these conversations by anyone but the account, each within X's 512 characters:
    "-from:<user> (conversation_id:<a> OR conversation_id:<b> ...)"."""
    queries: list[str] = []
    terms: list[str] = []
    head = f"-from:{user} "

    def query(terms: list[str]) -> str:
        return head + (f"({' OR '.join(terms)})" if len(terms) > 1 else terms[0])

    for conversation in conversations:
        term = f"conversation_id:{conversation}"
        if terms and len(query([*terms, term])) > SEARCH_QUERY_LIMIT:
            queries.append(query(terms))
            terms = []
        terms.append(term)
    if terms:
        queries.append(query(terms))
    return queries


def _reply(tweet: dict[str, Any], users: dict[str, dict[str, Any]]) -> RemoteComment:
    tweet_id = str(http.answer_field(tweet, "id", platform="X"))
    author_id = str(tweet.get("author_id") or "")
    author = users.get(author_id, {})
    conversation = str(tweet.get("conversation_id") or "")
    replied_to = [
        str(ref.get("id"))
        for ref in tweet.get("referenced_tweets") or []
        if isinstance(ref, dict) and ref.get("type") == "replied_to" and ref.get("id")
    ]
    username, name = author.get("username"), author.get("name")
    return RemoteComment(
        external_id=tweet_id,
        parent_external_id=replied_to[0] if replied_to else conversation,
        author_id=author_id,
        author_name=f"{name} (@{username})" if name and username else str(name or username or ""),
        text=html.unescape(str(tweet.get("text") or "")),  # X escapes &, < and > in text it hands back
        created_at=http.parse_time(tweet.get("created_at"), platform="X"),
        url=f"https://x.com/{username}/status/{tweet_id}" if username else f"https://x.com/i/web/status/{tweet_id}",
        post_external_id=conversation,
    )


def _upload_error(response: requests.Response, body: Any) -> PlatformError:
    return x_error(response, body, uploading=True)


def _call(method: str, path: str, account: Account, *, error: http.ErrorMapper = x_error, **kwargs: Any) -> Any:
    headers = {"Authorization": f"Bearer {account.access_token}"}
    url = f"{settings.X_API_URL.rstrip('/')}{path}"
    return http.call(method, url, token=account.access_token, error=error, platform="X", headers=headers, **kwargs)
