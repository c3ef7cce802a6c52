"""Every change to a direct message sent to an official account.

Every seed policy says staff must not have private contact with pupils (000, 003, 004: "not engage with any private or
direct messaging with current or past children or their family members"). So the account holds no conversation:
SafeSocial reads each message as it reads a comment (moderation's classifier, under the trust's thresholds), raises a
possible disclosure with the DSL, and answers each conversation at most once a day with the policy's standard
redirect text (`direct_messages.reply`). Nothing here, or anywhere in SafeSocial, sends any other words."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from safesocial.audit.services import audit_record
from safesocial.channels.models import Channel, ChannelStatus, Delivery
from safesocial.channels.services import credential_for_publishing
from safesocial.concerns.models import ConcernKind
from safesocial.concerns.services import concern_raise_from_comment
from safesocial.concerns.types import platform_of_channel
from safesocial.moderation.services import classify_for
from safesocial.platforms.base import Account, PlatformError
from safesocial.platforms.messaging import (
    Messenger,
    RemoteMessage,
    XMessenger,
    is_stale,
    messenger_for,
    read_meta_messages,
)
from safesocial.platforms.webhooks import WebhookPayloadError
from safesocial.policy.schema import Platform

from .models import CHECKING, DirectMessage, ReplyStatus, SandboxMessage, StandardReply
from .sandbox import SandboxMessenger

log = logging.getLogger(__name__)

ACTOR = "SafeSocial direct messages"
MAX_TEXT = 20_000  # read for meaning; a message is kept whole
UNREAD_ATTACHMENT = "It came with a photo or file, which SafeSocial does not read: open it on the platform if needed."


@dataclass(frozen=True)
class Incoming:
    external_id: str
    sender_id: str
    sender_name: str
    text: str
    created_at: dt.datetime
    attachments: int = 0

    @classmethod
    def from_remote(cls, remote: RemoteMessage) -> Incoming:
        return cls(
            external_id=remote.external_id,
            sender_id=remote.sender_id,
            sender_name=remote.sender_name,
            text=remote.text,
            created_at=remote.created_at,
            attachments=remote.attachments,
        )


def _audit(message: DirectMessage, action: str, **changes: Any) -> None:
    # Never the words of the message: the trail is read by people the policy does not name for concerns.
    audit_record(
        actor=ACTOR,
        action=f"direct_message.{action}",
        obj=message,
        label=f"direct message {message.pk}",
        school_id=message.channel.school_id,
        changes=changes,
    )


def message_receive(*, channel: Channel, incoming: Incoming) -> tuple[DirectMessage, bool]:
    """A message sent to an official account, from a webhook, a poll or the sandbox page; the same message twice is
    stored once. Returns the message and whether it was new.

    It is stored as being checked and its reading queued (tasks.classify_direct_message, once committed), as for a
    comment: a platform's webhook delivery should not wait for the classifier."""
    existing = DirectMessage.objects.filter(channel=channel, external_id=incoming.external_id).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            message = DirectMessage.objects.create(
                channel=channel,
                external_id=incoming.external_id[:255],
                sender_id=incoming.sender_id[:120],
                sender_name=incoming.sender_name[:200],
                text=incoming.text,
                attachments=min(incoming.attachments, 1000),
                created_at=incoming.created_at,
            )
            _audit(message, "receive", platform=channel.platform, attachments=message.attachments)
            transaction.on_commit(lambda: _enqueue(message.pk))
    except IntegrityError:  # the same delivery arriving twice at once: the other request stored it
        return DirectMessage.objects.get(channel=channel, external_id=incoming.external_id), False
    return message, True


def _enqueue(message_id: int) -> None:
    from .tasks import classify_direct_message  # here: the tasks module imports this one

    classify_direct_message.enqueue(message_id)


def message_classify(message_id: int) -> str | None:
    """Read a received message with the trust's moderation thresholds, raise a possible disclosure with the DSL, and
    send the policy's standard reply if this conversation has had none today. Runs in the background task; returns
    the thresholds' decision, or None when the message was already read."""
    message = DirectMessage.objects.select_related("channel__trust", "channel__school").get(pk=message_id)
    if message.action != CHECKING:
        return None
    channel = message.channel
    if message.text.strip():
        classification, action = classify_for(channel, message.text[:MAX_TEXT])
    else:
        classification, action = {"categories": []}, "review" if message.attachments else "allow"
    if message.attachments:
        unread = classification.get("unread")
        classification["unread"] = f"{unread} {UNREAD_ATTACHMENT}" if unread else UNREAD_ATTACHMENT
    name = "" if message.sender_name else _sender_name(message)
    with transaction.atomic():
        locked = DirectMessage.objects.select_for_update().get(pk=message_id)
        if locked.action != CHECKING:
            return None
        message.classification, message.action = classification, action
        fields = ["classification", "action"]
        if name:
            message.sender_name = name[:200]
            fields.append("sender_name")
        message.save(update_fields=fields)
        _audit(message, "classified", suggested=action, scores=_scores(message))
        if action == "escalate":
            _escalate(message)
    _reply_once(message)
    return action


def _sender_name(message: DirectMessage) -> str:
    """Meta's webhooks name no sender; the platform's profile API does. A refusal leaves the id to stand for them."""
    try:
        messenger, account = _messenger(message.channel)
        return messenger.sender_name(account, message.sender_id)
    except (PlatformError, ValidationError):
        return ""


def _scores(message: DirectMessage) -> dict[str, float]:
    return {c["name"]: round(c["score"], 3) for c in message.classification.get("categories", [])}


def _reasons(message: DirectMessage) -> str:
    """Why the categories fired, as sentences, as moderation gives them for a comment."""
    sentences = []
    for c in message.top_categories:
        reason = (c.get("reason") or f"Flagged as {c['name']}").strip()
        sentences.append(reason if reason.endswith((".", "!", "?")) else f"{reason}.")
    if message.classification.get("unread"):
        sentences.append(message.classification["unread"])
    return " ".join(sentences) or "No category fired."


def _escalate(message: DirectMessage) -> None:
    """Policy: anything suggesting a child may be at risk goes to the DSL of that school. The concern says the words
    came by direct message and keeps them, for the DSL alone: the DSL's email says only that there is a concern."""
    channel = message.channel
    fired = {c["name"] for c in message.top_categories}
    threat = "threat" in fired and "safeguarding" not in fired
    sender = message.sender_name or message.sender_id
    concern = concern_raise_from_comment(
        trust=channel.trust,
        school=channel.school,
        kind=ConcernKind.COMMENT_THREAT if threat else ConcernKind.COMMENT_DISCLOSURE,
        summary=(
            f"A direct message to {channel.name} ({channel.platform_label}), sent privately by {sender}, may "
            f"disclose a risk to a child or threaten someone. Nobody at the school has replied to it: the account "
            f"sends only the policy's standard reply, pointing to the school office and to 999. "
            f"Why it was flagged: {_reasons(message)}\n\nThe message, as received:\n{message.text}"
        ),
        occurred_at=message.created_at,
        platform=platform_of_channel(channel.platform),
        account_handle=sender,
    )
    message.concern = concern
    message.save(update_fields=["concern"])
    _audit(message, "escalate", concern=concern.pk)


def reply_text(channel: Channel) -> str:
    """The policy's standard reply, with the channel's school (or, for the trust's own channels, the trust) named."""
    place = channel.school.name if channel.school_id and channel.school else channel.trust.name
    return channel.trust.policy.direct_messages.reply_for(place)


def _reply_once(message: DirectMessage) -> None:
    """Policy: no private conversation with a pupil through an official account. The account answers a conversation
    once a day at most, and only with the policy's text; StandardReply's unique constraint holds that however many
    messages arrive at once. A refused reply is recorded and frees the day, so the next message may try again."""
    channel = message.channel
    text = reply_text(channel)
    try:
        with transaction.atomic():
            claim = StandardReply.objects.create(
                channel=channel,
                recipient_id=message.sender_id,
                day=timezone.localdate(),
                message=message,
                text=text,
            )
    except IntegrityError:
        with transaction.atomic():
            message.reply_status = ReplyStatus.ALREADY
            message.save(update_fields=["reply_status"])
            _audit(message, "reply_not_repeated")
        return
    try:
        messenger, account = _messenger(channel)
        sent_id = messenger.send(account, message.sender_id, text)
    except (PlatformError, ValidationError) as exc:
        error = exc.message if isinstance(exc, PlatformError) else "; ".join(exc.messages)
        with transaction.atomic():
            claim.delete()
            message.reply_status = ReplyStatus.FAILED
            message.save(update_fields=["reply_status"])
            _audit(message, "reply_failed", error=error)
        log.warning("the standard reply to direct message %s failed: %s", message.pk, error)
        return
    now = timezone.now()
    with transaction.atomic():
        claim.external_id, claim.sent_at = sent_id[:255], now
        claim.save(update_fields=["external_id", "sent_at"])
        message.reply_status, message.replied_at = ReplyStatus.SENT, now
        message.save(update_fields=["reply_status", "replied_at"])
        _audit(message, "reply", standard_reply=claim.pk)


def _messenger(channel: Channel) -> tuple[Messenger, Account]:
    if channel.is_sandbox:
        return SandboxMessenger(), Account(external_id=channel.external_id, access_token="", channel_id=channel.pk)
    account = Account(channel.external_id, credential_for_publishing(channel), channel_id=channel.pk)
    return messenger_for(channel.platform), account


# Arriving --------------------------------------------------------------------------------------------------------


def meta_messages_delivered(body: bytes) -> dict[str, int]:
    """The direct messages in a Meta webhook delivery, whose signature moderation's webhook view has checked: Meta
    sends a Page's and an Instagram account's messages to the same callback URL as their comments. Fills
    hooks.META_MESSAGES. Replays (older than WEBHOOK_MAX_AGE_MINUTES) and messages to accounts that are not active
    official channels are refused."""
    outcome = {"stored": 0, "duplicates": 0, "refused": 0}
    try:
        delivered = read_meta_messages(body)
    except WebhookPayloadError:
        return outcome  # not a delivery: the comments' reading has already answered 400
    max_age = dt.timedelta(minutes=settings.WEBHOOK_MAX_AGE_MINUTES)
    for item in delivered:
        channel = Channel.objects.filter(
            platform=item.platform, external_id=item.account_id, status=ChannelStatus.ACTIVE, delivery=Delivery.LIVE
        ).first()
        if channel is None or is_stale(item, max_age=max_age):
            outcome["refused"] += 1
            continue
        _, new = message_receive(channel=channel, incoming=Incoming.from_remote(item.message))
        outcome["stored" if new else "duplicates"] += 1
    return outcome


def messages_poll(channel: Channel) -> int:
    """Fetch an X account's new direct messages (X has no DM webhook on its self-serve plans) and receive each as a
    webhook's would be. Returns how many were new; raises the platform's refusal (no DM access on the app's plan, an
    expired token) for the caller to record."""
    messenger, account = _messenger(channel)
    if not isinstance(messenger, XMessenger):
        return 0
    since = DirectMessage.objects.filter(channel=channel).aggregate(latest=Max("created_at"))["latest"]
    new = 0
    for remote in messenger.fetch_messages(account, since=since):
        _, created = message_receive(channel=channel, incoming=Incoming.from_remote(remote))
        new += created
    return new


def poll_all() -> dict[str, int]:
    """One round over every active live X channel; a refusal for one channel does not stop the rest."""
    outcome = {"channels": 0, "new": 0, "failed": 0}
    channels = Channel.objects.filter(status=ChannelStatus.ACTIVE, delivery=Delivery.LIVE, platform=Platform.X)
    for channel in channels.select_related("trust", "school"):
        outcome["channels"] += 1
        try:
            outcome["new"] += messages_poll(channel)
        except (PlatformError, ValidationError) as exc:
            outcome["failed"] += 1
            log.warning(
                "polling direct messages for %s failed: %s", channel.pk, getattr(exc, "message", None) or str(exc)
            )
    return outcome


SANDBOX_MAX_TEXT = 2_000


def sandbox_message_send(*, channel: Channel, visitor_id: str, visitor_name: str, text: str) -> DirectMessage:
    """A visitor to a sandbox page messages its account privately, as the public would on the real page. The message
    goes into the sandbox account's inbox and through the same reading as a webhook delivery."""
    if not channel.is_sandbox or channel.status != ChannelStatus.ACTIVE:
        raise ValidationError("This page does not take messages.")
    visitor_name, text = visitor_name.strip()[:100], text.strip()
    if not visitor_name or not text:
        raise ValidationError("Give your name and write a message.")
    if len(text) > SANDBOX_MAX_TEXT:
        raise ValidationError(f"That message is too long ({SANDBOX_MAX_TEXT:,} characters at most).")
    with transaction.atomic():
        sent = SandboxMessage.objects.create(
            channel=channel, visitor_id=visitor_id, visitor_name=visitor_name, text=text
        )
        message, _ = message_receive(
            channel=channel,
            incoming=Incoming(
                external_id=f"sandbox-message-{sent.pk}",
                sender_id=visitor_id,
                sender_name=visitor_name,
                text=text,
                created_at=sent.created_at,
            ),
        )
    return message
