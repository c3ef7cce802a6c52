"""Meta's webhooks for comments on a Facebook Page (the `feed` field) and an Instagram professional account (the
`comments` field): verifying the subscription, verifying each delivery's signature, and reading the comments out.

Meta signs the raw request body with the app secret, HMAC-SHA256, in `X-Hub-Signature-256: sha256=<hex>`. Check the
signature on the bytes exactly as they arrived, before parsing them: re-serialised JSON would not match.

Replay protection is the caller's job, because Meta signs no timestamp header: a captured delivery stays validly signed
for ever. So the view that receives deliveries must
  1. refuse entries sent too long ago: `is_stale` reads `entry.time` (when Meta sent it), which lies inside the signed
     body and so cannot be refreshed by whoever replays it, falling back on the comment's created_time. Ten minutes
     is plenty for a live delivery; anything refused this way is still found by polling (fetch_comments), so nothing
     is lost;
  2. store each IncomingComment at most once by its `delivery_key`, under a unique constraint, for at least as long
     as the staleness window: Meta retries a delivery it thinks failed, and an attacker may resend one within the
     window.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from safesocial.policy.schema import Platform

from .base import PlatformError, RemoteComment
from .http import as_dict, parse_time

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
_SIGNATURE = re.compile(r"sha256=([0-9a-f]{64})")
DEFAULT_MAX_AGE = dt.timedelta(minutes=10)
# A delivery is a few kilobytes, a batch of them far less than a megabyte; should a genuine one ever be refused as too
# large, polling (fetch_comments) still finds its comments.
MAX_BODY_BYTES = 1024 * 1024
# Meta's deliveries nest seven deep (object > entry list > entry > changes > change > value > from). Python's JSON
# parser recurses once a level and fails with a RecursionError near a thousand, so depth is counted before parsing.
MAX_DEPTH = 32
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(rb"[^\[\]{}]+")

# Facebook's feed verbs for a comment, as we record them. Meta documents add, edited and remove; older payloads and
# some clients say edit or delete, and Page moderation in Facebook itself sends hide and unhide.
VERBS = {
    "add": "add",
    "edited": "edited",
    "edit": "edited",
    "remove": "remove",
    "delete": "remove",
    "hide": "hide",
    "unhide": "unhide",
}


class WebhookPayloadError(ValueError):
    """The body is not a Meta webhook delivery at all (not an object with an `entry` list)."""


@dataclass(frozen=True)
class IncomingComment:
    """One comment event from a webhook delivery."""

    platform: Platform  # FACEBOOK_PAGE or INSTAGRAM
    account_id: str  # entry.id: the Page id, or the Instagram professional account id
    verb: str  # add, edited, remove, hide, unhide (Instagram only ever sends add)
    comment: RemoteComment  # on remove, Facebook sends little more than the ids: text and author may be empty
    sent_at: dt.datetime | None  # entry.time: when Meta sent the notification
    delivery_key: str  # the same event delivered twice has the same key; store it once

    @property
    def by_account(self) -> bool:
        """Written by the Page or account itself (its own replies), which moderation can usually pass over."""
        return self.comment.author_id == self.account_id


def verify_meta_signature(app_secret: str, body: bytes, header: str | None) -> bool:
    """True only if `header` is "sha256=" and the HMAC-SHA256 of the raw `body` under the app secret, in lower-case
    hex. Anything else is refused: no header, another algorithm (Meta's older sha1= header), a truncated or padded
    digest, an empty secret (a misconfiguration must not accept everything)."""
    if not app_secret or not isinstance(body, bytes | bytearray) or not isinstance(header, str):
        return False
    match = _SIGNATURE.fullmatch(header.strip())
    if match is None:
        return False
    expected = hmac.new(app_secret.encode(), bytes(body), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), match.group(1).encode())


def subscription_challenge(params: Mapping[str, str], verify_token: str) -> str | None:
    """Meta's GET to verify a new subscription carries hub.mode=subscribe, hub.verify_token (the string set in the app
    dashboard) and hub.challenge. Answer 200 with the returned challenge as the body; None means answer 403."""
    if not verify_token or params.get("hub.mode") != "subscribe":
        return None
    given = params.get("hub.verify_token") or ""
    if not hmac.compare_digest(given.encode(), verify_token.encode()):
        return None
    challenge = params.get("hub.challenge") or ""
    return challenge or None


def read_meta_delivery(body: bytes) -> list[IncomingComment]:
    """The comment events in a delivery's raw body, which must already have passed verify_meta_signature. A body too
    large or nested too deep to be a delivery is refused before it is parsed, as is one that is not JSON: each raises
    WebhookPayloadError."""
    if len(body) > MAX_BODY_BYTES:
        raise WebhookPayloadError(f"Too large: a delivery is at most {MAX_BODY_BYTES:,} bytes.")
    if _nested_deeper_than(MAX_DEPTH, body):
        raise WebhookPayloadError(f"Nested more than {MAX_DEPTH} deep: no delivery is.")
    try:
        payload = json.loads(body)
    except ValueError as exc:  # not JSON, not UTF-8, or a number with more digits than Python will read
        raise WebhookPayloadError(f"Not JSON: {exc}") from None
    return parse_meta_webhook(_without_nul(payload))


def _without_nul(value: Any) -> Any:
    """The payload with NUL characters taken out of every string: JSON allows "\\u0000", PostgreSQL text does not.
    Recursion is safe here: the depth was checked before parsing."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    return value


def _nested_deeper_than(limit: int, body: bytes) -> bool:
    """Whether the brackets outside JSON strings ever open more than `limit` deep; linear and without recursion."""
    depth = 0
    for byte in _NOT_A_BRACKET.sub(b"", _JSON_STRING.sub(b"", body)):
        depth += 1 if byte in b"[{" else -1
        if depth > limit:
            return True
    return False


def parse_meta_webhook(payload: Any) -> list[IncomingComment]:
    """The comment events in a delivery, in order. Other changes (posts, reactions, mentions, messages) are passed
    over; a comment change too malformed to read is logged, without its content, and skipped, so the rest of the
    delivery still counts. Raises WebhookPayloadError for a body that is not a delivery."""
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise WebhookPayloadError("Not a Meta webhook delivery: no entry list.")
    kind = payload.get("object")
    events: list[IncomingComment] = []
    for entry in payload["entry"]:
        if not isinstance(entry, dict) or not entry.get("id"):
            log.warning("Skipped a %s webhook entry without an id.", kind)
            continue
        account_id = str(entry["id"])
        sent_at = _time_or_none(entry.get("time"))
        changes = entry.get("changes")
        for change in changes if isinstance(changes, list) else []:
            if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
                continue
            field, value = change.get("field"), change["value"]
            try:
                if kind == "page" and field == "feed" and value.get("item") == "comment":
                    event = _facebook(account_id, value, sent_at)
                elif kind == "instagram" and field == "comments":
                    event = _instagram(account_id, value, sent_at)
                else:
                    continue
            except (KeyError, TypeError, ValueError, PlatformError):
                log.warning("Skipped a malformed %s %s change for %s.", kind, field, account_id)
                continue
            if event is not None:
                events.append(event)
    return events


def is_stale(
    event: IncomingComment, *, now: dt.datetime | None = None, max_age: dt.timedelta = DEFAULT_MAX_AGE
) -> bool:
    """Too old to accept from a webhook: sent (or, without entry.time, created) more than `max_age` ago, or claiming
    to come from the future beyond a minute's clock skew. Polling picks up whatever is refused."""
    now = now or dt.datetime.now(dt.UTC)
    when = event.sent_at or event.comment.created_at
    return when < now - max_age or when > now + dt.timedelta(minutes=1)


def _facebook(page_id: str, value: dict[str, Any], sent_at: dt.datetime | None) -> IncomingComment | None:
    """{"item": "comment", "verb": "add", "comment_id", "post_id", "parent_id", "from": {"id", "name"}, "message",
    "created_time": 1664803591, "permalink_url"?, "is_hidden"?}; parent_id is the post for a top-level comment."""
    verb = VERBS.get(str(value.get("verb") or ""))
    if verb is None:
        return None
    comment_id, post_id = str(value["comment_id"]), str(value["post_id"])
    author = as_dict(value.get("from"))
    created = value.get("created_time")
    created_at = parse_time(created, platform="Facebook") if created is not None else sent_at
    if created_at is None:
        raise ValueError("no time")
    message = str(value.get("message") or "")
    comment = RemoteComment(
        external_id=comment_id,
        parent_external_id=str(value.get("parent_id") or post_id),
        author_id=str(author.get("id") or ""),
        author_name=str(author.get("name") or ""),
        text=message,
        created_at=created_at,
        url=str(value.get("permalink_url") or f"https://www.facebook.com/{comment_id}"),
        post_external_id=post_id,
        hidden=verb == "hide" or bool(value.get("is_hidden")),
    )
    # An edit keeps the comment's created_time, so two edits differ only in their text: the key carries a digest of
    # it (never the text itself, which keys may be logged with).
    digest = hashlib.sha256(message.encode()).hexdigest()[:16] if verb == "edited" else ""
    key = ":".join(p for p in ("facebook", page_id, comment_id, verb, str(created or ""), digest) if p)
    return IncomingComment(Platform.FACEBOOK_PAGE, page_id, verb, comment, sent_at, key)


def _instagram(account_id: str, value: dict[str, Any], sent_at: dt.datetime | None) -> IncomingComment:
    """{"id", "text", "from": {"id", "username"}, "media": {"id", "media_product_type"}, "parent_id"?}. Instagram
    notifies new comments only, and says nothing of when it was written: the time Meta sent it stands in."""
    comment_id = str(value["id"])
    media = as_dict(value.get("media"))
    media_id = str(media.get("id") or "")
    author = as_dict(value.get("from"))
    if sent_at is None:
        raise ValueError("no time")
    comment = RemoteComment(
        external_id=comment_id,
        parent_external_id=str(value.get("parent_id") or media_id),
        author_id=str(author.get("id") or ""),
        author_name=str(author.get("username") or ""),
        text=str(value.get("text") or ""),
        created_at=sent_at,
        url=None,  # Instagram comments have no address of their own; the media's permalink needs a call
        post_external_id=media_id,
    )
    return IncomingComment(
        Platform.INSTAGRAM, account_id, "add", comment, sent_at, f"instagram:{account_id}:{comment_id}:add"
    )


def _time_or_none(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return parse_time(value, platform="Meta")
    except PlatformError:
        return None
