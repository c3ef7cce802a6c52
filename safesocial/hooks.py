"""Named slots that a higher floor fills, so that a lower floor can show or ask for what the higher one holds.

SafeSocial's apps import only from the floors below them (docs/architecture.md; `lint-imports` checks it). Where a
lower floor needs something only a higher floor knows (a card on the dashboard, a panel on a pupil's page, a check
before a channel login is shared), it asks a slot here, and the higher app fills the slot from its
`AppConfig.ready()`, as Wagtail's `wagtail_hooks.py` do. A slot nobody fills gives nothing: the lower floor works
alone. Each slot's comment says what its functions receive and return, and which apps fill it.

This module sits on the ground floor and names no app: arguments that are models are typed `Any` here and precisely
in the functions that fill the slot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from django.http import HttpRequest

F = TypeVar("F", bound=Callable[..., Any])


class Slot(Generic[F]):
    """The functions registered under one name, called in `order` (then in the order they were registered)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: list[tuple[int, int, F]] = []

    def register(self, fn: F, *, order: int = 0) -> F:
        """Fill the slot (from AppConfig.ready()); registering the same function twice keeps one."""
        if all(existing is not fn for _, _, existing in self._entries):
            self._entries.append((order, len(self._entries), fn))
            self._entries.sort(key=lambda entry: entry[:2])
        return fn

    def __iter__(self) -> Iterator[F]:
        return iter([fn for _, _, fn in self._entries])

    def call(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Call every function in the slot with these arguments; their answers, in order."""
        return [fn(*args, **kwargs) for fn in self]

    def __repr__(self) -> str:
        return f"<Slot {self.name}: {len(self._entries)} registered>"


@dataclass(frozen=True)
class DashboardItem:
    """A card on a person's dashboard: how many things wait and a link to them, never the content of a safeguarding
    record."""

    title: str
    text: str  # one sentence, e.g. "3 declarations wait for your decision."
    url: str
    link_text: str
    tone: Literal["ok", "warn", "bad", ""] = ""
    count: int | None = None
    banner: bool = False  # across the top of the dashboard, for what cannot wait (an unacknowledged urgent concern)


# ---- What a page shows ---------------------------------------------------------------------------------------------

# fn(user) -> the cards for this person, in `order`: concerns, escalation, registers, publishing, compliance,
# governors, policy. Read by the dashboard (safesocial/views.py).
DASHBOARD_CARDS: Slot[Callable[[Any], Iterable[DashboardItem]]] = Slot("dashboard_cards")

# fn(request, pupil) -> HTML for the pupil's page (people/pupil_detail.html), or "" to show nothing. Filled by consent
# (the consents in force) and publishing (the published posts featuring the child).
PUPIL_PANELS: Slot[Callable[[HttpRequest, Any], str]] = Slot("pupil_panels")

# fn(request, concern) -> HTML for the concern's page (concerns/detail.html), or "". Filled by escalation (the
# parent escalations started from the concern).
CONCERN_PANELS: Slot[Callable[[HttpRequest, Any], str]] = Slot("concern_panels")

# fn(request, channel) -> HTML for the channel's page (channels/detail.html), or "". Filled by publishing (posts
# waiting to be published by hand, and the channel's take-downs).
CHANNEL_PANELS: Slot[Callable[[HttpRequest, Any], str]] = Slot("channel_panels")

# fn(trust, since, until) -> HTML for "What the year brought" on an open policy review (policy/review.html), or "".
# Filled by concerns (lessons learnt), governors (moderation in the year) and channels (reviews missed or overdue).
REVIEW_PACK: Slot[Callable[[Any, dt.date, dt.date], str]] = Slot("review_pack")

# fn(trust, since) -> [(date, reason), ...]: what happened since a date that brings the policy's review forward
# (policy/selectors.early_review_reasons, when the policy's review.early.after_debrief is on). Filled by concerns
# (cases closed with a debrief saying the policy should change).
REVIEW_TRIGGERS: Slot[Callable[[Any, dt.date], list[tuple[dt.date, str]]]] = Slot("review_triggers")


# ---- What a service asks or tells ----------------------------------------------------------------------------------

# fn(pupil=pupil) -> None, inside the transaction that added the pupil to a school's records (people.services.
# pupil_create, the MIS import). Filled by registers: a declared friendship naming the child is flagged for linking.
PUPIL_CREATED: Slot[Callable[..., Any]] = Slot("pupil_created")

# fn(parent=parent) -> None, inside the transaction that added a parent or carer, or linked them to another pupil.
# Filled by registers, as for pupils.
PARENT_LINKED: Slot[Callable[..., Any]] = Slot("parent_linked")

# fn(consent) -> the published things that relied on the consent just withdrawn, inside the withdrawal's transaction
# (consent.services.consent_record). Filled by publishing (a take-down decision opens on each post).
CONSENT_WITHDRAWN: Slot[Callable[[Any], list[Any]]] = Slot("consent_withdrawn")

# fn(user) -> reasons this person may not yet administer an official channel ([] when none), asked by
# channels.services.access_grant. Filled by compliance (training not current, acceptable use not signed).
CHANNEL_ACCESS_BLOCKERS: Slot[Callable[[Any], list[str]]] = Slot("channel_access_blockers")

# fn(channel, remote_comment) -> None: a comment arrived outside a platform's webhook (the sandbox page posts one).
# Filled by moderation, which classifies and acts on it as on any other.
COMMENT_ARRIVED: Slot[Callable[[Any, Any], None]] = Slot("comment_arrived")

# fn(body) -> counts for the webhook's answer ({"stored", "duplicates", "refused"}): the direct messages in a Meta
# webhook delivery whose signature moderation.views.meta_webhook has checked. Meta sends a Page's (and an Instagram
# account's) messages to the same callback URL as its comments. Filled by direct_messages.
META_MESSAGES: Slot[Callable[[bytes], dict[str, int]]] = Slot("meta_messages")

# fn(comment, reasons) -> the concern raised for a comment that may disclose a risk to a child, or None, inside the
# transaction that hides it (moderation.services). Filled by concerns.
COMMENT_DISCLOSURE: Slot[Callable[[Any, str], Any]] = Slot("comment_disclosure")

# fn(offender=offender) when an author reaches the policy's repeat-offender threshold and was matched to a parent
# (moderation.services). Filled by escalation (the ladder's first step is proposed).
REPEAT_OFFENDER: Slot[Callable[..., Any]] = Slot("repeat_offender")

# fn() -> None, once when a background worker process starts, before its first task (ops.workers.worker_starting:
# `safesocial db_worker` and `safesocial rqworker`). Filled by moderation (the comment classifier's models are loaded
# then, not in the first comment's task).
WORKER_STARTING: Slot[Callable[[], None]] = Slot("worker_starting")


# fn(trust, policy) -> warnings (plain sentences) about how the trust's records differ from a policy file, printed by
# `safesocial policy check` when the database holds a trust. Filled by channels (official channels the policy names
# that are not on the register, and registered channels the policy does not name).
POLICY_CHECKS: Slot[Callable[[Any, Any], list[str]]] = Slot("policy_checks")


def panels(slot: Slot[Callable[..., str]], *args: Any) -> list[str]:
    """The HTML of every panel a slot's functions give for these arguments, leaving out the empty ones."""
    return [html for html in slot.call(*args) if html]
