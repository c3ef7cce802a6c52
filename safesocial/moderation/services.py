"""Every change to a comment on an official channel. Policy 001: abusive, hateful, inflammatory, spam,
commercial, donation and personal-information comments are removed as soon as reasonably possible; users who
are repeatedly abusive are blocked. A comment that may disclose a risk to a child goes to the DSL, kept."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from safesocial import hooks
from safesocial.audit.services import audit_record
from safesocial.channels.models import Channel, ChannelStatus, Delivery
from safesocial.channels.services import credential_for_publishing
from safesocial.consent.selectors import register_for
from safesocial.people.models import ParentCarer, Pupil, User
from safesocial.permissions import Action as Perm
from safesocial.permissions import may
from safesocial.platforms.base import Account, PlatformError, RemoteComment
from safesocial.platforms.registry import moderator_for
from safesocial.platforms.sandbox import SandboxModerator
from safesocial.text.rules import RegisterIndex

from .explain import suggestion_words
from .models import Action, Comment, CommentStatus, ModerationEvent, Offender
from .selectors import strikes_of
from .thresholds import thresholds_from_policy

if TYPE_CHECKING:
    from .classifier import Classification

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Incoming:
    external_id: str
    author_id: str
    author_name: str
    text: str
    created_at: dt.datetime
    parent_external_id: str = ""

    @classmethod
    def from_remote(cls, remote: RemoteComment) -> Incoming:
        return cls(
            external_id=remote.external_id,
            author_id=remote.author_id,
            author_name=remote.author_name,
            text=remote.text,
            created_at=remote.created_at,
            parent_external_id=remote.parent_external_id,
        )


def thresholds_for(channel: Channel):
    return thresholds_from_policy(channel.trust.policy.moderation)


_REGISTERS: dict[int, tuple[float, tuple[int, int | None], object]] = {}
REGISTER_MAX_AGE_SECONDS = 300


def _register_index(school):
    """The school's pupil register as the classifier's name index, kept for a few minutes per process: building it
    reads every pupil and consent, and comments arrive far more often than pupils join. A pupil added or leaving the
    roll changes the fingerprint and rebuilds it at once; a renamed pupil is seen within REGISTER_MAX_AGE_SECONDS."""
    roll = Pupil.objects.filter(school=school, on_roll=True).aggregate(n=Count("id"), last=Max("id"))
    fingerprint = (roll["n"], roll["last"])
    cached = _REGISTERS.get(school.pk)
    now = time.monotonic()
    if cached is not None and cached[1] == fingerprint and now - cached[0] < REGISTER_MAX_AGE_SECONDS:
        return cached[2]
    index = RegisterIndex(register_for(school))
    _REGISTERS[school.pk] = (now, fingerprint, index)
    return index


def classify_for(channel: Channel, text: str) -> tuple[dict, str]:
    """The classifier's view as stored with the comment, and the action the trust's thresholds give."""
    from .classifier import classify, decide  # here: loading the classifier takes 0.4 s, paid only where it runs

    thresholds = thresholds_for(channel)
    result = classify(text, register=_register_index(channel.school) if channel.school else None)
    return stored_view(result, thresholds), str(decide(result, thresholds))


def stored_view(result: Classification, thresholds) -> dict[str, Any]:
    """A classification as it is kept with the comment (and read back by explain.py): per category its score, spans,
    reason and whether it fired under the trust's thresholds."""
    fired = {r.name for r in result.fired(thresholds)}
    view: dict[str, Any] = {
        "categories": [
            {
                "name": r.name,
                "score": round(r.score, 4),
                "spans": [list(s) for s in r.spans],
                "reason": r.reason,
                "fired": r.name in fired,
            }
            for r in result.categories.values()
        ]
    }
    if result.unread:
        view["unread"] = result.unread
    return view


def _moderator(channel: Channel):
    if channel.is_sandbox:
        return SandboxModerator(), Account(external_id=channel.external_id, access_token="", channel_id=channel.pk)
    account = Account(channel.external_id, credential_for_publishing(channel), channel_id=channel.pk)
    return moderator_for(channel.platform), account


def _event(comment: Comment, action: str, actor: User | None, reason: str, error: str = "") -> ModerationEvent:
    event = ModerationEvent.objects.create(
        comment=comment,
        action=action,
        actor=actor,
        reason=reason,
        classification=comment.classification,
        ok=not error,
        error=error,
    )
    audit_record(
        actor=actor if actor is not None else "SafeSocial moderation",
        action=f"comment.{action}",
        obj=comment,
        label=f"comment {comment.pk}",
        school_id=comment.channel.school_id,
        changes={"reason": reason, "ok": not error, "error": error, "scores": _scores(comment)},
    )
    return event


def _scores(comment: Comment) -> dict[str, float]:
    return {c["name"]: round(c["score"], 3) for c in comment.classification.get("categories", [])}


def _reasons(comment: Comment) -> str:
    """Why the categories fired, as the sentences a moderator reads in the history and the DSL in a concern.
    Each reason is already a sentence (or two), so they follow one another rather than being run together."""
    sentences = []
    for c in comment.top_categories:
        reason = (c.get("reason") or f"Flagged as {c['name']}").strip()
        sentences.append(reason if reason.endswith((".", "!", "?")) else f"{reason}.")
    if comment.classification.get("unread"):
        sentences.append(comment.classification["unread"])
    return " ".join(sentences) or "No category fired."


# A comment stored but not yet classified: the webhook answers at once and the task classifies (comment_classify).
CHECKING = "checking"


def comment_receive(*, channel: Channel, incoming: Incoming) -> tuple[Comment, bool]:
    """A new comment, from a webhook, a poll or the sandbox page. The same comment twice is stored once.
    Returns the comment and whether it was new.

    The comment is stored as being checked and its classification queued (tasks.classify_comment, once committed):
    reading a comment for meaning takes tens of milliseconds, which a platform's webhook delivery should not wait
    for, and with a worker it does not (benchmarks/webhook_latency.py). With the immediate backend (tests, the demo)
    the task runs as the transaction commits, so the comment is classified, hidden or escalated before the request
    ends, as before."""
    existing = Comment.objects.filter(channel=channel, external_id=incoming.external_id).first()
    if existing is not None:
        return existing, False
    empty = not incoming.text.strip()
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                channel=channel,
                external_id=incoming.external_id,
                parent_external_id=incoming.parent_external_id,
                author_id=incoming.author_id,
                author_name=incoming.author_name[:200],
                text=incoming.text,
                created_at=incoming.created_at,
                classification={"categories": []},
                suggested_action="allow" if empty else CHECKING,
            )
            audit_record(
                actor="SafeSocial moderation",
                action="comment.receive",
                obj=comment,
                label=f"comment {comment.pk}",
                school_id=channel.school_id,
                changes={"suggested": comment.suggested_action},
            )
            if not empty:
                transaction.on_commit(lambda: _enqueue_classification(comment.pk))
    except IntegrityError:  # the same delivery, arriving twice at once: the other request stored it
        return Comment.objects.get(channel=channel, external_id=incoming.external_id), False
    return comment, True


def _enqueue_classification(comment_id: int) -> None:
    from .tasks import classify_comment  # here, not at the top: the tasks module imports this one

    classify_comment.enqueue(comment_id)


def comment_classify(comment_id: int) -> str | None:
    """Classify a received comment with its trust's thresholds and act: hide what they say to hide, raise a possible
    disclosure with the DSL (policy 001). Runs in the background task; returns the suggested action, or None when
    there was nothing to do (already classified, or an edit classified it first)."""
    comment = Comment.objects.select_related("channel__trust", "channel__school").get(pk=comment_id)
    if comment.suggested_action != CHECKING:
        return None
    classification, action = classify_for(comment.channel, comment.text[:20_000])
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment_id)
        if locked.suggested_action != CHECKING or locked.text != comment.text:
            return None
        comment.classification, comment.suggested_action = classification, action
        comment.needs_review = action in ("review", "redirect", "hide", "escalate")
        comment.save(update_fields=["classification", "suggested_action", "needs_review"])
        audit_record(
            actor="SafeSocial moderation",
            action="comment.classified",
            obj=comment,
            label=f"comment {comment.pk}",
            school_id=comment.channel.school_id,
            changes={"suggested": action, "scores": _scores(comment)},
        )
    if action in ("hide", "escalate") and comment.status == CommentStatus.VISIBLE:
        _auto_hide(comment)
    return action


def comment_edit(*, channel: Channel, incoming: Incoming) -> tuple[Comment, bool]:
    """The author edited a comment: a kind comment may become abusive after it was allowed, so the new words are
    classified again with the trust's thresholds. The words as first received are kept in the event, and a comment
    that was hidden or raised with the DSL stays so: only a moderator restores it. Returns the comment and whether
    it changed (an edit SafeSocial has never seen the original of is received as new)."""
    existing = Comment.objects.filter(channel=channel, external_id=incoming.external_id).first()
    if existing is None:
        return comment_receive(channel=channel, incoming=incoming)
    if existing.text == incoming.text:
        return existing, False
    classification, action = (
        classify_for(channel, incoming.text[:20_000]) if incoming.text.strip() else ({"categories": []}, "allow")
    )
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("channel").get(pk=existing.pk)
        before = {"text": comment.text, "suggested": comment.suggested_action, "scores": _scores(comment)}
        comment.text, comment.classification, comment.suggested_action = incoming.text, classification, action
        comment.needs_review = comment.needs_review or action in ("review", "redirect", "hide", "escalate")
        comment.save(update_fields=["text", "classification", "suggested_action", "needs_review"])
        ModerationEvent.objects.create(
            comment=comment,
            action=Action.EDITED,
            reason=f"Edited on the platform; SafeSocial now suggests: {suggestion_words(action, channel)}",
            classification={"before": before, "after": classification},
        )
        audit_record(
            actor="SafeSocial moderation",
            action="comment.edited",
            obj=comment,
            label=f"comment {comment.pk}",
            school_id=channel.school_id,
            changes={"suggested": [before["suggested"], action], "scores": _scores(comment)},
        )
        if action in ("hide", "escalate") and comment.status == CommentStatus.VISIBLE and not comment.kept_for_concern:
            transaction.on_commit(lambda: _auto_hide(comment))
    return comment, True


def _auto_hide(comment: Comment) -> None:
    """Hide at once what the trust's thresholds say to hide; raise a possible disclosure with the DSL. `comment` is as
    just classified, with its channel and trust (whose policy the classification has already read)."""
    if comment.suggested_action == "escalate":
        # The reason names no words of the comment: moderators who are not named for concerns read this history.
        _apply(comment, Action.HIDE, actor=None, reason="Hidden automatically: a possible safeguarding concern")
        with transaction.atomic():
            _escalate(comment, actor=None)
    else:
        _apply(comment, Action.HIDE, actor=None, reason=f"Hidden automatically: {_reasons(comment)}")


def _apply(comment: Comment, action: str, *, actor: User | None, reason: str, text: str = "") -> ModerationEvent:
    """Carry out an action on the platform; a platform error keeps the comment as it was and is recorded."""
    moderator, account = _moderator(comment.channel)
    try:
        if action == Action.HIDE:
            moderator.hide(account, comment.external_id)
        elif action == Action.UNHIDE:
            moderator.unhide(account, comment.external_id)
        elif action == Action.DELETE:
            moderator.delete(account, comment.external_id)
        elif action == Action.REPLY:
            moderator.reply(account, comment.external_id, text)
        elif action == Action.BLOCK:
            moderator.block(account, comment.author_id)
    except PlatformError as exc:
        with transaction.atomic():
            return _event(comment, action, actor, reason, error=exc.message)
    return _record(comment, action, actor, reason)


@transaction.atomic
def _record(comment: Comment, action: str, actor: User | None, reason: str) -> ModerationEvent:
    """What the platform did, written in one transaction after the call (no lock held across the network)."""
    status: dict[str, str] = {
        Action.HIDE: CommentStatus.HIDDEN,
        Action.UNHIDE: CommentStatus.VISIBLE,
        Action.DELETE: CommentStatus.DELETED,
    }
    if action in status:
        comment.status = status[action]
        comment.save(update_fields=["status"])
    event = _event(comment, action, actor, reason)
    # A disclosure is never held against the person who made it.
    disclosure = comment.suggested_action == "escalate" or comment.kept_for_concern
    if action in (Action.HIDE, Action.DELETE) and not disclosure:
        _count_strike(comment)
    return event


def _escalate(comment: Comment, actor: User | None) -> None:
    """Policy 001: a comment that may disclose a risk to a child goes to the DSL. Concerns sit above moderation:
    they raise the concern through hooks.COMMENT_DISCLOSURE, keep the comment with it, and it is kept here."""
    concern = next(filter(None, hooks.COMMENT_DISCLOSURE.call(comment, _reasons(comment))), None)
    if concern is None:
        return
    comment.kept_for_concern = True
    comment.save(update_fields=["kept_for_concern"])
    _event(comment, Action.ESCALATE, actor, "Raised with the designated safeguarding lead")


def _may_moderate(actor: User, comment: Comment) -> bool:
    return may(actor, Perm.MODERATE_COMMENTS, comment.channel.school)


@transaction.atomic
def comment_act(*, actor: User, comment: Comment, action: str, reason: str, text: str = "") -> ModerationEvent:
    """A moderator hides, restores, deletes, replies to or blocks the author of a comment, saying why."""
    comment = Comment.objects.select_for_update().select_related("channel__trust").get(pk=comment.pk)
    if not _may_moderate(actor, comment):
        raise PermissionDenied("The trust's policy does not name you to moderate this channel's comments.")
    if action not in Action.values or action == Action.ESCALATE:
        raise ValidationError("Unknown moderation action.")
    if not reason.strip() and action != Action.REVIEWED:
        raise ValidationError("Say why: the reason is kept with the action.")
    if comment.kept_for_concern and action == Action.DELETE:
        raise ValidationError("This comment is part of a safeguarding concern: it is kept, never deleted.")
    if comment.kept_for_concern and action in (Action.BLOCK, Action.REPLY):
        raise ValidationError(
            "This comment is a possible disclosure: the DSL decides what happens, not a public reply."
        )
    if comment.kept_for_concern and action == Action.UNHIDE:
        raise ValidationError("This comment is part of a safeguarding concern: it stays hidden from the public.")
    if action == Action.REPLY and not text.strip():
        raise ValidationError("Write the reply.")
    comment.needs_review = False
    comment.reviewed_by, comment.reviewed_at = actor, timezone.now()
    comment.save(update_fields=["needs_review", "reviewed_by", "reviewed_at"])
    if action == Action.REVIEWED:
        kept = "Read and kept hidden" if comment.status == CommentStatus.HIDDEN else "Read and left up"
        return _event(comment, Action.REVIEWED, actor, reason or kept)
    event = _apply(comment, action, actor=actor, reason=reason, text=text)
    if event.ok and action == Action.BLOCK:
        Offender.objects.filter(
            trust=comment.channel.trust, platform=comment.channel.platform, author_id=comment.author_id
        ).update(blocked_at=timezone.now())
    return event


def _count_strike(comment: Comment) -> Offender:
    """Repeat offenders: authors of hidden or deleted comments, across the trust's channels. At the policy's
    threshold a block is proposed and, for a parent or carer, the first step of the escalation ladder."""
    trust = comment.channel.trust
    policy = trust.policy
    offender, _ = Offender.objects.get_or_create(
        trust=trust,
        platform=comment.channel.platform,
        author_id=comment.author_id,
        defaults={"author_name": comment.author_name},
    )
    offender.trust = trust  # found rather than made, it would read the trust and its policy again
    strikes = strikes_of(offender)
    if strikes >= policy.moderation.repeat_offender_threshold and offender.block_proposed_at is None:
        offender.block_proposed_at = timezone.now()
        parent = ParentCarer.objects.filter(trust=trust, full_name__iexact=comment.author_name.strip()).first()
        if parent is not None and policy.parents.escalation:
            offender.parent = parent
            offender.escalation_step = policy.parents.escalation[0].key
        offender.save(update_fields=["block_proposed_at", "parent", "escalation_step"])
        if offender.parent_id:
            # The escalation ladder sits above moderation: it proposes its first step through hooks.REPEAT_OFFENDER.
            hooks.REPEAT_OFFENDER.call(offender=offender)
        audit_record(
            actor="SafeSocial moderation",
            action="offender.block_proposed",
            obj=offender,
            label=f"offender {offender.pk}",
            changes={"strikes": strikes, "parent": bool(offender.parent_id)},
        )
    return offender


def comments_poll(channel: Channel) -> int:
    """Fetch the channel's new comments (X and YouTube have no webhooks; Facebook and Instagram fall back to this)
    and take each through the same path as a webhook delivery. Returns how many were new."""
    moderator, account = _moderator(channel)
    since = Comment.objects.filter(channel=channel).aggregate(latest=Max("created_at"))["latest"]
    new = 0
    for remote in moderator.fetch_comments(account, since=since):
        if remote.author_id and remote.author_id == channel.external_id:
            continue  # the page's own replies
        _, created = comment_receive(channel=channel, incoming=Incoming.from_remote(remote))
        new += created
    return new


def poll_all() -> dict[str, int]:
    """One round over every active live channel; a platform's refusal for one channel does not stop the rest."""
    outcome = {"channels": 0, "new": 0, "failed": 0}
    for channel in Channel.objects.filter(status=ChannelStatus.ACTIVE, delivery=Delivery.LIVE).select_related("trust"):
        outcome["channels"] += 1
        try:
            outcome["new"] += comments_poll(channel)
        except PlatformError as exc:
            outcome["failed"] += 1
            log.warning("polling %s failed: %s", channel.pk, exc.message)
    return outcome


def comment_arrived(channel: Channel, remote: RemoteComment) -> None:
    """A comment that reached SafeSocial outside a webhook or a poll (the sandbox page): received like any other.
    Fills hooks.COMMENT_ARRIVED."""
    comment_receive(channel=channel, incoming=Incoming.from_remote(remote))
