"""api.x.com (the X API v2), as its public docs describe it."""

from __future__ import annotations

import calendar
import html
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from safesocial.platforms.base import Account

from .base import BAD_GATEWAY, Received, Reply, StandIn

X_TOKEN = "x-user-context-token-0123456789-secret"


def problem(status: int, title: str, detail: str, type_: str = "about:blank", **extra: Any) -> Reply:
    headers = extra.pop("headers", {})
    return status, {"title": title, "detail": detail, "type": type_, "status": status} | extra, headers


class XStandIn(StandIn):
    """api.x.com: media upload and metadata, create Post (and reply), a user's Posts timeline, recent search, hide
    replies, and blocking (which X keeps for the Enterprise plan)."""

    user_id = "1500000000000000001"

    def __init__(self) -> None:
        super().__init__()
        self.tweets: list[dict[str, Any]] = []  # newest first, as posted
        self.media: dict[str, dict[str, Any]] = {}
        # Everyone's Posts by id, the account's included: {"id", "text", "author_id", "conversation_id",
        # "in_reply_to", "created" (epoch seconds), "hidden"}.
        self.everything: dict[str, dict[str, Any]] = {}
        self.users = {self.user_id: {"id": self.user_id, "name": "Seabright Primary", "username": "SeabrightPri"}}
        self.enterprise = False  # blocking is an Enterprise-only endpoint
        self.blocks: list[tuple[str, str]] = []  # (who blocked, whom)

    def failure_reply(self, failure: str, request: Received) -> Reply | None:
        match failure:
            case "expired_token":
                return problem(401, "Unauthorized", "Unauthorized")
            case "rate_limit":
                reset = str(int(time.time()) + 900)
                headers = {"x-rate-limit-limit": "100", "x-rate-limit-remaining": "0", "x-rate-limit-reset": reset}
                return problem(429, "Too Many Requests", "Too Many Requests", headers=headers)
            case "rejected_media":
                detail = "One or more parameters to your request was invalid."
                type_ = "https://api.x.com/2/problems/invalid-request"
                errors = [{"message": "media type unrecognized.", "parameters": {"media": []}}]
                return problem(400, "Invalid Request", detail, type_, errors=errors)
            case "server_error":
                return problem(503, "Service Unavailable", "Service Unavailable", headers={"Retry-After": "30"})
            case "bad_gateway":
                return BAD_GATEWAY
            case "unknown":
                detail = (
                    "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from "
                    "a Twitter developer App that is attached to a Project."
                )
                type_ = "https://api.x.com/2/problems/client-forbidden"
                return problem(403, "Client Forbidden", detail, type_, reason="client-not-enrolled")
        return None

    def route(self, request: Received) -> Reply:
        if not request.bearer:
            return problem(401, "Unauthorized", "Unauthorized")
        match request.method, request.path:
            case "POST", "/2/media/upload":
                upload = request.files.get("media")
                if upload is None or request.form.get("media_category") not in {"tweet_image", "tweet_gif"}:
                    return problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
                media_id = self.next_id("18800281060205")
                self.media[media_id] = {"upload": upload, "metadata": {}}
                data = {"id": media_id, "media_key": f"3_{media_id}", "size": len(upload.data)}
                return 200, {"data": data | {"expires_after_secs": 86400}}, {}
            case "POST", "/2/media/metadata":
                media = self.media.get(request.json.get("id"))
                if media is None:
                    return problem(400, "Invalid Request", "The media id is not valid.")
                media["metadata"] = request.json.get("metadata", {})
                return 200, {"data": {"id": request.json["id"], "associated_metadata": media["metadata"]}}, {}
            case "POST", "/2/tweets":
                return self._tweet(request.json or {})
            case "GET", path if path == f"/2/users/{self.user_id}/tweets":
                exclude = request.query.get("exclude", "").split(",")
                own = [t for t in self.tweets if not ("replies" in exclude and t.get("in_reply_to"))]
                fields = request.query.get("tweet.fields", "").split(",")
                tweets = [self._as_read(t, fields) for t in own[: int(request.query.get("max_results", 10))]]
                meta = {"result_count": len(tweets)}
                return 200, ({"data": tweets, "meta": meta} if tweets else {"meta": meta}), {}
            case "GET", "/2/tweets/search/recent":
                return self._search(request.query)
            case "DELETE", path if re.fullmatch(r"/2/tweets/\w+", path):
                return self._delete_tweet(path.split("/")[3])
            case "PUT", path if re.fullmatch(r"/2/tweets/\w+/hidden", path):
                return self._hide(path.split("/")[3], request.json)
            case "POST", path if re.fullmatch(r"/2/users/\w+/blocking", path):
                return self._block(path.split("/")[3], request.json or {})
        return problem(404, "Not Found Error", f"Could not find {request.path}")

    def add_reply(
        self,
        to: str,
        text: str,
        *,
        author: tuple[str, str, str] = ("1600000000000000001", "Jo Parent", "joparent"),
        created: float | None = None,
    ) -> str:
        """Someone's reply to one of the account's Posts, or to a reply in its conversation."""
        author_id, name, username = author
        self.users.setdefault(author_id, {"id": author_id, "name": name, "username": username})
        reply_id = self.next_id("18800400000000")
        self.everything[reply_id] = {
            "id": reply_id,
            "text": text,
            "author_id": author_id,
            "conversation_id": self.everything[to]["conversation_id"],
            "in_reply_to": to,
            "created": time.time() if created is None else created,
            "hidden": False,
        }
        return reply_id

    def _search(self, query: dict[str, str]) -> Reply:
        """Recent search for the operators our adapter uses: conversation_id:<id> (ORed) and -from:<user>."""
        text = query.get("query", "")
        invalid = "https://api.x.com/2/problems/invalid-request"
        if not text or len(text) > 512:
            message = "There were errors processing your request: Query must be between 1 and 512 characters long."
            return problem(
                400, "Invalid Request", message, invalid, errors=[{"parameters": {"query": [text]}, "message": message}]
            )
        if not 10 <= int(query.get("max_results", 10)) <= 100:
            return problem(
                400, "Invalid Request", "The `max_results` query parameter value is not between 10 and 100", invalid
            )
        earliest = time.time() - 7 * 24 * 3600
        start = earliest
        if "start_time" in query:
            start = calendar.timegm(time.strptime(query["start_time"], "%Y-%m-%dT%H:%M:%SZ"))
            if start < earliest:
                message = (
                    f"Invalid 'start_time':'{query['start_time']}'. 'start_time' must be on or after "
                    f"{time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime(earliest))}"
                )
                return problem(
                    400,
                    "Invalid Request",
                    message,
                    invalid,
                    errors=[{"parameters": {"start_time": [query["start_time"]]}, "message": message}],
                )
        conversations = set(re.findall(r"conversation_id:(\d+)", text))
        excluded = set(re.findall(r"-from:(\w+)", text))
        found = [
            t
            for t in self.everything.values()
            if t["conversation_id"] in conversations and t["author_id"] not in excluded and t["created"] >= start
        ]
        found.sort(key=lambda t: (t["created"], int(t["id"])), reverse=True)
        offset = int(query.get("next_token") or 0)
        page = found[offset : offset + int(query.get("max_results", 10))]
        fields = query.get("tweet.fields", "").split(",")
        body: dict[str, Any] = {"meta": {"result_count": len(page)}}
        if page:
            body["data"] = [self._found(t, fields) for t in page]
            body["meta"] |= {"newest_id": page[0]["id"], "oldest_id": page[-1]["id"]}
            if "author_id" in query.get("expansions", ""):
                user_fields = ["id", *query.get("user.fields", "").split(",")]
                authors = dict.fromkeys(t["author_id"] for t in page)
                body["includes"] = {
                    "users": [{k: v for k, v in self.users[a].items() if k in user_fields} for a in authors]
                }
        if offset + len(page) < len(found):
            body["meta"]["next_token"] = str(offset + len(page))
        return 200, body, {}

    @staticmethod
    def _found(tweet: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        full = {
            "author_id": tweet["author_id"],
            "conversation_id": tweet["conversation_id"],
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(tweet["created"])),
        }
        if tweet.get("in_reply_to"):
            full["referenced_tweets"] = [{"type": "replied_to", "id": tweet["in_reply_to"]}]
        read = {
            "id": tweet["id"],
            "text": html.escape(tweet["text"], quote=False),
            "edit_history_tweet_ids": [tweet["id"]],
        }
        return read | {k: v for k, v in full.items() if k in fields}

    def _delete_tweet(self, tweet_id: str) -> Reply:
        if not any(t["id"] == tweet_id for t in self.tweets):
            detail = f"Could not find tweet with id: [{tweet_id}]."
            type_ = "https://api.x.com/2/problems/resource-not-found"
            return problem(404, "Not Found Error", detail, type_, resource_type="tweet", resource_id=tweet_id)
        self.tweets = [t for t in self.tweets if t["id"] != tweet_id]
        self.everything.pop(tweet_id, None)
        return 200, {"data": {"deleted": True}}, {}

    def _hide(self, tweet_id: str, payload: Any) -> Reply:
        if not isinstance(payload, dict) or not isinstance(payload.get("hidden"), bool):
            return problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
        tweet = self.everything.get(tweet_id)
        if tweet is None:
            detail = f"Could not find tweet with id: [{tweet_id}]."
            return problem(404, "Not Found Error", detail, "https://api.x.com/2/problems/resource-not-found")
        root = self.everything.get(tweet["conversation_id"], {})
        if not tweet.get("in_reply_to") or root.get("author_id") != self.user_id:
            detail = "You attempted to hide a Tweet that is not a reply in a conversation you started."
            return problem(403, "Forbidden", detail)
        tweet["hidden"] = payload["hidden"]
        return 200, {"data": {"hidden": tweet["hidden"]}}, {}

    def _block(self, source: str, payload: dict[str, Any]) -> Reply:
        if source != self.user_id:
            return problem(403, "Forbidden", "You are not permitted to perform this action.")
        if not self.enterprise:
            detail = (
                "You currently have access to a subset of X API V2 endpoints and limited v1.1 endpoints (e.g. media "
                "post, oauth) only. If you need access to this endpoint, you may need a different access level. You "
                "can learn more here: https://developer.x.com/en/portal/product"
            )
            type_ = "https://api.x.com/2/problems/client-forbidden"
            return problem(
                403,
                "Client Forbidden",
                detail,
                type_,
                reason="client-not-enrolled",
                required_enrollment="Appropriate Level of API Access",
                registration_url="https://developer.x.com/en/portal/dashboard",
            )
        target = str(payload.get("target_user_id", ""))
        if target not in self.users:
            return problem(400, "Invalid Request", "The `target_user_id` field is not a valid user id.")
        self.blocks.append((source, target))
        return 200, {"data": {"blocking": True}}, {}

    def _tweet(self, payload: dict[str, Any]) -> Reply:
        media_ids = payload.get("media", {}).get("media_ids", [])
        if any(m not in self.media for m in media_ids):
            errors = [{"parameters": {"media.media_ids": media_ids}, "message": "Your media IDs are invalid."}]
            detail = "One or more parameters to your request was invalid."
            return problem(
                400, "Invalid Request", detail, "https://api.x.com/2/problems/invalid-request", errors=errors
            )
        if any(t["text"] == payload.get("text") for t in self.tweets):
            return problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
        in_reply_to = (payload.get("reply") or {}).get("in_reply_to_tweet_id")
        if in_reply_to and in_reply_to not in self.everything:
            return problem(403, "Forbidden", "You attempted to reply to a Tweet that is deleted or not visible to you.")
        tweet_id = self.next_id("18800300000000")
        tweet = {"id": tweet_id, "text": payload.get("text", ""), "media_ids": media_ids, "in_reply_to": in_reply_to}
        self.tweets.insert(0, tweet)
        conversation = self.everything[in_reply_to]["conversation_id"] if in_reply_to else tweet_id
        self.everything[tweet_id] = {
            "id": tweet_id,
            "text": tweet["text"],
            "author_id": self.user_id,
            "conversation_id": conversation,
            "in_reply_to": in_reply_to,
            "created": time.time(),
            "hidden": False,
        }
        return (
            201,
            {"data": {"id": tweet_id, "text": payload.get("text", ""), "edit_history_tweet_ids": [tweet_id]}},
            {},
        )

    def _as_read(self, tweet: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        # As X hands text back: HTML-escaped, links shortened to t.co, and a t.co link to the photos appended.
        text = re.sub(r"https?://\S+", "https://t.co/AbC123xYz0", html.escape(tweet["text"], quote=False))
        if tweet["media_ids"]:
            text += " https://t.co/PhOtO98765"
        read = {"id": tweet["id"], "text": text, "edit_history_tweet_ids": [tweet["id"]]}
        if "created_at" in fields:  # only when asked for with tweet.fields, as on X
            read["created_at"] = time.strftime(
                "%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(self.everything[tweet["id"]]["created"])
            )
        return read


@pytest.fixture
def x_api() -> Iterator[XStandIn]:
    standin = XStandIn()
    with standin.running(), override_settings(X_API_URL=standin.url):
        yield standin


@pytest.fixture
def x_account() -> Account:
    return Account(XStandIn.user_id, X_TOKEN)
