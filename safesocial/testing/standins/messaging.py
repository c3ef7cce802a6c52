"""Direct messages to an official account, as the platforms' public docs describe them: Meta's messaging webhooks
(the Messenger Platform's `messages` field for a Page, the Instagram messaging webhook) with the Send API and the User
Profile API on graph.facebook.com, and X's Direct Messages endpoints on api.x.com.

The two servers extend the Graph and X stand-ins, so a test that reads messages runs against the same hosts as the
adapters' other tests. `messenger_delivery` and `instagram_messages_delivery` build webhook bodies as Meta sends
them, and `signed` signs one the way Meta does (X-Hub-Signature-256 over the raw body with the app secret)."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from .base import Received, Reply
from .graph import FB_TOKEN, IG_TOKEN, GraphStandIn, graph_error
from .x import XStandIn, problem

META_APP_SECRET = "5e1f0c0ffee0ddba11ab1e5ca1ab1e00"
# A Page-scoped id (Messenger) and an Instagram-scoped id (Instagram messaging) for the person writing.
PSID = "7300000000000001"
IGSID = "17843000000000001"
X_SENDER = ("1600000000000000077", "Pat Pupil", "patpupil")


def signed(payload: dict[str, Any], secret: str = META_APP_SECRET) -> tuple[bytes, str]:
    """The raw body Meta would post and its X-Hub-Signature-256 header."""
    body = json.dumps(payload).encode()
    return body, "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _messaging(account_id: str, sender: str, text: str, mid: str, at_ms: int, **message: Any) -> dict[str, Any]:
    return {
        "sender": {"id": sender},
        "recipient": {"id": account_id},
        "timestamp": at_ms,
        "message": {"mid": mid, "text": text, **message},
    }


def messenger_delivery(
    text: str,
    *,
    sender: str = PSID,
    mid: str = "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8f",
    at: float | None = None,
    **message: Any,
) -> dict[str, Any]:
    """A Page's `messages` webhook: object "page", entry.messaging[] (timestamps in milliseconds)."""
    at_ms = int((time.time() if at is None else at) * 1000)
    page = GraphStandIn.page_id
    event = _messaging(page, sender, text, mid, at_ms, **message)
    return {"object": "page", "entry": [{"id": page, "time": at_ms, "messaging": [event]}]}


def instagram_messages_delivery(
    text: str,
    *,
    sender: str = IGSID,
    mid: str = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA",
    at: float | None = None,
    **message: Any,
) -> dict[str, Any]:
    """An Instagram professional account's messaging webhook: object "instagram", entry.messaging[]."""
    at_ms = int((time.time() if at is None else at) * 1000)
    account = GraphStandIn.ig_user_id
    event = _messaging(account, sender, text, mid, at_ms, **message)
    return {"object": "instagram", "entry": [{"id": account, "time": at_ms, "messaging": [event]}]}


class MessagingGraphStandIn(GraphStandIn):
    """graph.facebook.com with the Send API (POST /{page-id}/messages; /me/messages for the Page linked to the
    Instagram account) and the User Profile API (GET /{PSID} and /{IGSID})."""

    def __init__(self) -> None:
        super().__init__()
        # People who have messaged the account, by their scoped id.
        self.people: dict[str, dict[str, str]] = {PSID: {"name": "Pat Pupil"}}
        self.ig_people: dict[str, dict[str, str]] = {IGSID: {"name": "Pat Pupil", "username": "pat.pupil"}}
        self.sent: list[dict[str, Any]] = []  # {"id", "by" (page or ig), "to", "text", "messaging_type"}

    def failure_reply(self, failure: str, request: Received) -> Reply | None:
        match failure:
            case "outside_window":
                message = "(#10) This message is sent outside of allowed window."
                return graph_error(400, message, 10, 2018278)
            case "unavailable":
                return graph_error(400, "(#551) This person isn't available right now.", 551, 1545041)
        return super().failure_reply(failure, request)

    def route(self, request: Received) -> Reply:
        node, _, edge = request.path.removeprefix(f"/{self.version}/").partition("/")
        if request.token and request.path.startswith(f"/{self.version}/"):
            if request.method == "POST" and edge == "messages" and node in (self.page_id, "me"):
                return self._send_message(request, node)
            if request.method == "GET" and not edge and (node in self.people or node in self.ig_people):
                known = self.people.get(node) or self.ig_people[node]
                fields = request.query.get("fields", "id").split(",")
                return 200, {"id": node} | {k: v for k, v in known.items() if k in fields}, {}
        return super().route(request)

    def _send_message(self, request: Received, node: str) -> Reply:
        form = request.form
        if form.get("messaging_type") not in {"RESPONSE", "UPDATE", "MESSAGE_TAG"}:
            return graph_error(400, "(#100) param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}", 100)
        try:
            recipient = json.loads(form.get("recipient", "{}")).get("id", "")
            text = json.loads(form.get("message", "{}")).get("text", "")
        except ValueError:
            return graph_error(400, "(#100) param recipient must be a JSON object", 100)
        # The Page's own token reaches its Messenger inbox; the Instagram token the linked Instagram account's.
        by = "instagram" if request.token == IG_TOKEN else "facebook" if request.token == FB_TOKEN else ""
        people = self.ig_people if by == "instagram" else self.people
        if not by or (node == self.page_id and by != "facebook"):
            return graph_error(400, "(#200) The Page access token is not for this Page.", 200)
        if recipient not in people:
            return graph_error(400, "(#100) No matching user found", 100, 2018001)
        if not text or len(text.encode()) > (1000 if by == "instagram" else 2000):
            return graph_error(400, "(#100) Length of param message[text] must be less than or equal to 2000", 100)
        message_id = f"m_{self.next_id('AG5Hz2U')}"
        self.sent.append(
            {"id": message_id, "by": by, "to": recipient, "text": text, "messaging_type": form["messaging_type"]}
        )
        return 200, {"recipient_id": recipient, "message_id": message_id}, {}


class DirectMessagesXStandIn(XStandIn):
    """api.x.com with Direct Messages lookup (GET /2/dm_events) and manage (POST
    /2/dm_conversations/with/:participant_id/messages). Both need an API plan that includes Direct Messages: with
    `dm_access` off they answer 403 client-not-enrolled, as X does."""

    def __init__(self) -> None:
        super().__init__()
        self.dm_access = True
        # Every DM event the account can see, newest first: {"id", "event_type", "text", "sender_id",
        # "dm_conversation_id", "created" (epoch seconds)}.
        self.dm_events: list[dict[str, Any]] = []
        self.refuses_dms: set[str] = set()  # people whose settings refuse DMs from the account

    def add_dm(self, text: str, *, sender: tuple[str, str, str] = X_SENDER, created: float | None = None) -> str:
        """A message someone sent the account."""
        sender_id, name, username = sender
        self.users.setdefault(sender_id, {"id": sender_id, "name": name, "username": username})
        return self._event(text, sender_id, sender_id, created)

    def sent_to(self, participant: str) -> list[str]:
        return [e["text"] for e in self.dm_events if e["sender_id"] == self.user_id and participant in e["conv"]]

    def _event(self, text: str, sender_id: str, other: str, created: float | None) -> str:
        event_id = self.next_id("18800500000000")
        low, high = sorted([self.user_id, other], key=int)
        self.dm_events.insert(
            0,
            {
                "id": event_id,
                "event_type": "MessageCreate",
                "text": text,
                "sender_id": sender_id,
                "dm_conversation_id": f"{low}-{high}",
                "conv": {low, high},
                "created": time.time() if created is None else created,
            },
        )
        self.dm_events.sort(key=lambda e: (e["created"], int(e["id"])), reverse=True)
        return event_id

    def route(self, request: Received) -> Reply:
        if request.bearer and request.path == "/2/dm_events" and request.method == "GET":
            return self._no_access() or self._lookup(request.query)
        match = re.fullmatch(r"/2/dm_conversations/with/(\w+)/messages", request.path)
        if request.bearer and match and request.method == "POST":
            return self._no_access() or self._send_dm(match.group(1), request.json or {})
        return super().route(request)

    def _no_access(self) -> Reply | None:
        if self.dm_access:
            return None
        detail = (
            "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a "
            "Twitter developer App that is attached to a Project. You can create a project via the developer portal."
        )
        type_ = "https://api.x.com/2/problems/client-forbidden"
        return problem(403, "Client Forbidden", detail, type_, reason="client-not-enrolled")

    def _lookup(self, query: dict[str, str]) -> Reply:
        invalid = "https://api.x.com/2/problems/invalid-request"
        if not 1 <= int(query.get("max_results", 100)) <= 100:
            return problem(
                400, "Invalid Request", "The `max_results` query parameter value is not between 1 and 100", invalid
            )
        wanted = set(filter(None, query.get("event_types", "").split(",")))
        events = [e for e in self.dm_events if not wanted or e["event_type"] in wanted]
        # Only the last 30 days.
        events = [e for e in events if e["created"] >= time.time() - 30 * 24 * 3600]
        offset = int(query.get("pagination_token") or 0)
        page = events[offset : offset + int(query.get("max_results", 100))]
        fields = set(query.get("dm_event.fields", "").split(","))
        body: dict[str, Any] = {"meta": {"result_count": len(page)}}
        if page:
            body["data"] = [self._dm_as_read(e, fields) for e in page]
            if "sender_id" in query.get("expansions", ""):
                user_fields = {"id", *query.get("user.fields", "").split(",")}
                senders = dict.fromkeys(e["sender_id"] for e in page)
                body["includes"] = {
                    "users": [{k: v for k, v in self.users[s].items() if k in user_fields} for s in senders]
                }
        if offset + len(page) < len(events):
            body["meta"]["next_token"] = str(offset + len(page))
        return 200, body, {}

    @staticmethod
    def _dm_as_read(event: dict[str, Any], fields: set[str]) -> dict[str, Any]:
        read = {"id": event["id"], "event_type": event["event_type"], "text": event["text"]}
        extra = {
            "sender_id": event["sender_id"],
            "dm_conversation_id": event["dm_conversation_id"],
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(event["created"])),
        }
        return read | {k: v for k, v in extra.items() if k in fields}

    def _send_dm(self, participant: str, payload: dict[str, Any]) -> Reply:
        text = payload.get("text")
        if not isinstance(text, str) or not text or len(text) > 10_000:
            return problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
        if participant not in self.users or participant == self.user_id:
            return problem(400, "Invalid Request", f"The `participant_id` {participant} is not a valid user.")
        if participant in self.refuses_dms:
            return problem(403, "Forbidden", "You are not permitted to send Direct Messages to this user.")
        event_id = self._event(text, self.user_id, participant, None)
        conversation = next(e["dm_conversation_id"] for e in self.dm_events if e["id"] == event_id)
        return 201, {"data": {"dm_conversation_id": conversation, "dm_event_id": event_id}}, {}


@pytest.fixture
def messenger_api() -> Iterator[MessagingGraphStandIn]:
    standin = MessagingGraphStandIn()
    with standin.running(), override_settings(FACEBOOK_GRAPH_URL=standin.base_url, META_APP_SECRET=META_APP_SECRET):
        yield standin


@pytest.fixture
def x_dm_api() -> Iterator[DirectMessagesXStandIn]:
    standin = DirectMessagesXStandIn()
    with standin.running(), override_settings(X_API_URL=standin.url):
        yield standin
