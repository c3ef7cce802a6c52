"""Direct messages to an official account: reading them from Meta's messaging webhooks and X's DM events, and sending
the one reply SafeSocial ever sends, the policy's standard redirect text.

Meta (the Messenger Platform's `messages` webhook field for a Page, the Instagram messaging webhook for a professional
account) delivers messages to the same callback URL as comments, signed the same way, but as `entry[].messaging[]`
events rather than `entry[].changes[]`:
    {"object": "page" | "instagram", "entry": [{"id": <page or IG account id>, "time": <ms>, "messaging": [
        {"sender": {"id": <PSID or IGSID>}, "recipient": {"id": <page or IG account id>}, "timestamp": <ms>,
         "message": {"mid": "...", "text": "...", "attachments": [...], "is_echo": true?}}]}]}
Echoes (the account's own messages), deliveries, reads and reactions carry no `message`, or an `is_echo` one, and are
passed over. The sender's name is not in the delivery: `sender_name` asks the User Profile API for it.

X has no webhook for DMs on the self-serve plans: `fetch_messages` polls GET /2/dm_events (the last 30 days, newest
first), which needs the dm.read scope and an API plan that includes Direct Messages; without them X answers 403 and
polling says so. Replies go out through POST /2/dm_conversations/with/:participant_id/messages (dm.write)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from safesocial.policy.schema import PLATFORM_LABELS, Platform

from . import http
from .base import Account, PlatformError, Unsupported
from .facebook import graph, graph_moderation_error
from .webhooks import MAX_BODY_BYTES, MAX_DEPTH, WebhookPayloadError, _nested_deeper_than, _without_nul
from .x import _call as x_call
from .x import x_moderation_error

log = logging.getLogger(__name__)

# X: up to 100 events a page; the poll reads at most this many pages back to the last message it already has.
DM_EVENTS_PER_PAGE = 100
MAX_DM_PAGES = 5
DM_EVENT_FIELDS = "id,text,event_type,created_at,sender_id,dm_conversation_id,attachments"


@dataclass(frozen=True)
class RemoteMessage:
    """One message sent to the account, as the platform holds it."""

    external_id: str  # Meta's mid, X's dm_event id
    sender_id: str  # Page-scoped id (Messenger), Instagram-scoped id, X user id
    sender_name: str  # empty where the platform does not say (Meta's webhooks never do)
    text: str
    created_at: dt.datetime  # aware
    attachments: int = 0  # photos, videos, files: SafeSocial reads none of them


@dataclass(frozen=True)
class IncomingMessage:
    """One message from a Meta webhook delivery."""

    platform: Platform  # FACEBOOK_PAGE or INSTAGRAM
    account_id: str  # entry.id: the Page, or the Instagram professional account
    message: RemoteMessage
    sent_at: dt.datetime | None  # entry.time: when Meta sent the notification

    @property
    def delivery_key(self) -> str:
        return f"{self.platform}:{self.account_id}:{self.message.external_id}"


def read_meta_messages(body: bytes) -> list[IncomingMessage]:
    """The messages in a Meta webhook delivery's raw body, which must already have passed verify_meta_signature.
    Anything that is not a delivery raises WebhookPayloadError, as for comments."""
    if len(body) > MAX_BODY_BYTES:
        raise WebhookPayloadError(f"Too large: a delivery is at most {MAX_BODY_BYTES:,} bytes.")
    if _nested_deeper_than(MAX_DEPTH, body):
        raise WebhookPayloadError(f"Nested more than {MAX_DEPTH} deep: no delivery is.")
    try:
        payload = _without_nul(json.loads(body))
    except ValueError as exc:
        raise WebhookPayloadError(f"Not JSON: {exc}") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise WebhookPayloadError("Not a Meta webhook delivery: no entry list.")
    platform = {"page": Platform.FACEBOOK_PAGE, "instagram": Platform.INSTAGRAM}.get(str(payload.get("object")))
    if platform is None:
        return []
    messages: list[IncomingMessage] = []
    for entry in payload["entry"]:
        if not isinstance(entry, dict) or not entry.get("id") or not isinstance(entry.get("messaging"), list):
            continue
        account_id = str(entry["id"])
        sent_at = _time_or_none(entry.get("time"))
        for event in entry["messaging"]:
            try:
                message = _meta_message(account_id, event)
            except (KeyError, TypeError, ValueError, PlatformError):
                log.warning("Skipped a malformed %s messaging event for %s.", platform, account_id)
                continue
            if message is not None:
                messages.append(IncomingMessage(platform, account_id, message, sent_at))
    return messages


def _meta_message(account_id: str, event: Any) -> RemoteMessage | None:
    message = event.get("message") if isinstance(event, dict) else None
    if not isinstance(message, dict) or message.get("is_echo") or message.get("is_deleted"):
        return None  # a delivery or read receipt, a reaction, the account's own message, an unsent one
    sender = str(http.as_dict(event.get("sender")).get("id") or "")
    if not sender or sender == account_id:
        return None
    attachments = message.get("attachments")
    return RemoteMessage(
        external_id=str(message["mid"]),
        sender_id=sender,
        sender_name="",
        text=str(message.get("text") or ""),
        created_at=http.parse_time(event["timestamp"], platform="Meta"),
        attachments=len(attachments) if isinstance(attachments, list) else 0,
    )


def is_stale(incoming: IncomingMessage, *, max_age: dt.timedelta, now: dt.datetime | None = None) -> bool:
    """Too old to accept from a webhook (a replay): as for comments, by entry.time, or else the message's time."""
    now = now or dt.datetime.now(dt.UTC)
    when = incoming.sent_at or incoming.message.created_at
    return when < now - max_age or when > now + dt.timedelta(minutes=1)


@runtime_checkable
class Messenger(Protocol):
    """Direct messages on one platform. Every method raises a PlatformError subclass when the platform says no."""

    def send(self, account: Account, recipient_id: str, text: str) -> str:
        """Send `text` to the person, as the account; returns the message's id."""
        ...

    def sender_name(self, account: Account, sender_id: str) -> str:
        """The person's name as the platform shows it to the account, or "" where it will not say."""
        ...


class MetaMessenger:
    """Messenger (a Page) and Instagram messaging (through the Page linked to the account), both by the Send API with
    the Page access token publishing uses: POST /{page-id}/messages (Instagram: /me/messages, the linked Page) with
    messaging_type=RESPONSE, answered {"recipient_id", "message_id"}. A reply must come within 24 hours of the
    person's message, which SafeSocial's does."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.label = "Instagram" if platform == Platform.INSTAGRAM else "Facebook"

    def send(self, account: Account, recipient_id: str, text: str) -> str:
        node = "me" if self.platform == Platform.INSTAGRAM else http.path_id(account.external_id, platform=self.label)
        data = {
            "recipient": json.dumps({"id": recipient_id}),
            "messaging_type": "RESPONSE",
            "message": json.dumps({"text": text}),
        }
        body = graph("POST", f"{node}/messages", account, platform=self.label, error=graph_moderation_error, data=data)
        return str(http.answer_field(body, "message_id", platform=self.label))

    def sender_name(self, account: Account, sender_id: str) -> str:
        """The User Profile API: GET /{PSID}?fields=name, or /{IGSID}?fields=name,username."""
        fields = "name,username" if self.platform == Platform.INSTAGRAM else "name"
        path = http.path_id(sender_id, platform=self.label)
        body = http.as_dict(graph("GET", path, account, platform=self.label, params={"fields": fields}))
        name, username = str(body.get("name") or ""), str(body.get("username") or "")
        return f"{name} (@{username})" if name and username else name or username


class XMessenger:
    """X's Direct Messages endpoints, with the channel's OAuth 2.0 user-context token."""

    def send(self, account: Account, recipient_id: str, text: str) -> str:
        path = f"/2/dm_conversations/with/{http.path_id(recipient_id, platform='X')}/messages"
        body = x_call("POST", path, account, error=x_moderation_error, json={"text": text})
        return str(http.answer_field(body, "data", "dm_event_id", platform="X"))

    def sender_name(self, account: Account, sender_id: str) -> str:
        return ""  # fetch_messages already has it, from the sender_id expansion

    def fetch_messages(
        self, account: Account, since: dt.datetime | None = None, *, per_page: int = DM_EVENTS_PER_PAGE
    ) -> list[RemoteMessage]:
        """Messages sent to the account (not by it) after `since`, oldest first, from GET /2/dm_events."""
        params: dict[str, Any] = {
            "event_types": "MessageCreate",
            "dm_event.fields": DM_EVENT_FIELDS,
            "expansions": "sender_id",
            "user.fields": "name,username",
            "max_results": per_page,
        }
        found: list[RemoteMessage] = []
        for _page in range(MAX_DM_PAGES):
            body = x_call("GET", "/2/dm_events", account, error=x_moderation_error, params=params)
            users = {str(u.get("id")): u for u in http.data_list(http.as_dict(body).get("includes"), "users")}
            page = [_x_message(event, users) for event in http.data_list(body)]
            found.extend(m for m in page if m is not None and m.sender_id != account.external_id)
            token = http.as_dict(http.as_dict(body).get("meta")).get("next_token")
            oldest = min((m.created_at for m in page if m is not None), default=None)
            if not token or not page or (since is not None and oldest is not None and oldest <= since):
                break
            params["pagination_token"] = str(token)
        return sorted((m for m in found if since is None or m.created_at > since), key=lambda m: m.created_at)


def _x_message(event: dict[str, Any], users: dict[str, dict[str, Any]]) -> RemoteMessage | None:
    if event.get("event_type") != "MessageCreate" or not event.get("id") or not event.get("sender_id"):
        return None
    sender = str(event["sender_id"])
    user = users.get(sender, {})
    name, username = user.get("name"), user.get("username")
    attachments = http.as_dict(event.get("attachments")).get("media_keys")
    return RemoteMessage(
        external_id=str(event["id"]),
        sender_id=sender,
        sender_name=f"{name} (@{username})" if name and username else str(name or username or ""),
        text=str(event.get("text") or ""),
        created_at=http.parse_time(event.get("created_at"), platform="X"),
        attachments=len(attachments) if isinstance(attachments, list) else 0,
    )


def messenger_for(platform: str) -> Messenger:
    """Who sends direct messages on a Platform value, or Unsupported saying plainly that SafeSocial cannot."""
    if platform in (Platform.FACEBOOK_PAGE, Platform.INSTAGRAM):
        return MetaMessenger(Platform(platform))
    if platform == Platform.X:
        return XMessenger()
    try:
        name = PLATFORM_LABELS[Platform(platform)]
    except ValueError:
        name = "this platform"
    raise Unsupported(
        f"SafeSocial cannot read or answer direct messages on {name}: its API has no messaging for official accounts.",
        code="no_messaging",
    )


def _time_or_none(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return http.parse_time(value, platform="Meta")
    except PlatformError:
        return None
