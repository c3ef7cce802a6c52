"""What SafeSocial decided about a comment, in words: one sentence with the words that caused it marked, the state it is
in now, and what a moderator can do next, worded for what will happen on the platform.

    explain(comment, thresholds=...).sentence
    # Hidden: calls the head <mark>“a stupid cow”</mark> — abuse of a member of staff.

The classifier stores, per category, a score, the spans of the comment that raised it and a reason (classifier.py).
Words come from the spans: what a rule matched, the words that pushed a model's score up most, or for the semantic
layer (which reads meaning, not words) the sentence that scored highest. Scores are left to the page's "How
SafeSocial decided" disclosure; nothing here prints one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from . import patterns
from .thresholds import DEFAULT_THRESHOLDS, Action, action_for

Span = tuple[int, int]

# The platforms as a moderator names them in "Hide on Facebook".
PLATFORM_NAMES = {
    "facebook_page": "Facebook",
    "facebook_group": "Facebook",
    "instagram": "Instagram",
    "x": "X",
    "youtube": "YouTube",
    "linkedin": "LinkedIn",
}
SANDBOX = "the sandbox page"


def platform_name(channel: Any) -> str:
    """Where the comment is: 'Facebook', 'X' ... or the sandbox page that stands in for one."""
    if getattr(channel, "is_sandbox", False):
        return SANDBOX
    return PLATFORM_NAMES.get(str(getattr(channel, "platform", "")), "the platform")


# One wording per action, saying what will happen on the platform: the button, the history and the message after it
# all use these words. "{platform}" is platform_name().
BUTTONS = {
    "hide": "Hide on {platform}",
    "unhide": "Show it again on {platform}",
    "delete": "Delete from {platform}",
    "block": "Block the author on {platform}",
    "reply": "Reply on {platform}",
    "reviewed_hidden": "Keep hidden (mark reviewed)",
    "reviewed_visible": "Leave it up (mark reviewed)",
    "complaint_reply": "Reply with the complaints procedure",
}
DONE = {
    "hide": "Hidden on {platform}",
    "unhide": "Shown again on {platform}",
    "delete": "Deleted from {platform}",
    "block": "Author blocked on {platform}",
    "reply": "Replied on {platform}",
    "escalate": "Passed to the DSL",
    "reviewed": "Marked reviewed",
    "edited": "Edited by its author and checked again",
}
# What SafeSocial suggests or did, per decision of thresholds.decide, in the same words.
SUGGESTIONS = {
    "allow": "Leave it up",
    "hide": "Hide on {platform}",
    "review": "A moderator reads it",
    "escalate": "Escalate to the DSL",
    "redirect": "Reply with the complaints procedure",
    "checking": "Being checked",
}


# A category's action at its threshold, in "How SafeSocial decided".
THRESHOLD_ACTIONS = {
    "allow": "leave it up",
    "hide": "hide it",
    "review": "a moderator reads it",
    "escalate": "hide it and escalate to the DSL",
    "redirect": "reply with the complaints procedure",
}


def done_words(action: str, channel: Any) -> str:
    return DONE.get(action, action).format(platform=platform_name(channel))


def suggestion_words(action: str, channel: Any) -> str:
    return SUGGESTIONS.get(action, action).format(platform=platform_name(channel))


# The categories as the policy names them.
LABELS = {
    "abuse": "abuse",
    "hate": "hate aimed at people for who they are",
    "threat": "a threat",
    "inflammatory": "stirring up feeling against the school, its staff or a child",
    "spam": "spam",
    "commercial": "an advert",
    "donation": "a request for money",
    "pii": "personal information",
    "safeguarding": "a possible safeguarding concern",
    "complaint": "a complaint",
}

# A member of staff named in or just before the words: "the head", "Mr Grant", "that teacher".
STAFF = re.compile(
    rf"{patterns.STAFF}|\b(?:head|headteacher|head\s+teacher|deputy|teachers?|staff|receptionist|senco|caretaker|"
    r"dinner\s+lad(?:y|ies)|principal)\b",
    re.IGNORECASE,
)
# "The head is a stupid cow": who is called what.
CALLS = re.compile(r"^(?P<who>.+?)\s+(?:is|are|['\u2019]s|['\u2019]re)\s+(?P<what>.+)$", re.IGNORECASE)
SECOND_PERSON = {"you", "u", "ur", "you lot", "you all", "they", "he", "she", "them"}
EMAIL = re.compile(r"@")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
# Words too small to quote on their own (a model's top words can be "a", "the").
TOO_SMALL = frozenset(
    {"a", "an", "the", "and", "or", "but", "of", "to", "for", "with", "is", "are", "was", "were", "be", "been", "i"}
    | {"it", "its", "my", "your", "you", "we", "our", "us", "in", "on", "at", "he", "she", "they", "them", "his"}
    | {"her", "their", "this", "that", "these", "those", "so", "all", "lot", "not", "no", "as", "by", "from"}
)
MAX_QUOTES = 3
MAX_QUOTE = 90


@dataclass(frozen=True)
class Finding:
    """One category that fired, in words."""

    category: str
    label: str  # "abuse of a member of staff"
    words: SafeString  # 'calls the head <mark>“a stupid cow”</mark>', or "" when it has no words to show
    spans: tuple[Span, ...]
    by_meaning: bool  # the semantic layer's: its words are the sentence that scored highest
    deciding: bool  # its action is the one SafeSocial took

    @property
    def sentence(self) -> SafeString:
        if self.words:
            return format_html("{} — {}", self.words, self.label)
        return format_html("{}", self.label[:1].upper() + self.label[1:])


@dataclass(frozen=True)
class State:
    key: str  # checking, waiting, to_check, hidden, with_dsl, deleted, visible
    label: str


@dataclass(frozen=True)
class Score:
    category: str
    score: float
    threshold: float | None
    action: str
    fired: bool
    reason: str


@dataclass(frozen=True)
class Explanation:
    verdict: str  # "Hidden", "Hidden and passed to the DSL", "Left up for a moderator to check" ...
    sentence: SafeString  # the decision in one sentence, words marked
    state: State
    findings: list[Finding] = field(default_factory=list)  # deciding first, then the rest with words to show
    scores: list[Score] = field(default_factory=list)  # for "How SafeSocial decided"
    unread: str = ""


def state_of(comment: Any) -> State:
    """Where the comment stands now, as the inbox counts it."""
    if comment.suggested_action == "checking":
        return State("checking", "Being checked")
    if comment.kept_for_concern:
        return State("with_dsl", "Hidden · passed to the DSL")
    if comment.status == "deleted":
        return State("deleted", "Deleted")
    if comment.status == "hidden":
        return State("to_check", "Hidden by SafeSocial — check") if comment.needs_review else State("hidden", "Hidden")
    if comment.needs_review:
        return State("waiting", "Waiting for a moderator")
    return State("visible", "Visible")


def explain(
    comment: Any, *, thresholds: Mapping[str, tuple[Action, float]] | None = None, masked: bool = False
) -> Explanation:
    """The comment's decision in words. `masked`: the reader may not read a disclosure, so no words of it are shown."""
    return explain_classification(
        comment.text,
        comment.classification,
        comment.suggested_action,
        state=state_of(comment),
        thresholds=thresholds,
        masked=masked,
    )


def explain_classification(
    text: str,
    classification: Mapping[str, Any],
    suggested: str,
    *,
    state: State,
    thresholds: Mapping[str, tuple[Action, float]] | None = None,
    masked: bool = False,
) -> Explanation:
    rules = DEFAULT_THRESHOLDS if thresholds is None else thresholds
    categories = [c for c in classification.get("categories", []) if isinstance(c, Mapping)]
    fired = sorted((c for c in categories if c.get("fired")), key=lambda c: -float(c.get("score", 0)))
    scores = [
        Score(
            c["name"],
            float(c.get("score", 0)),
            rules[c["name"]][1] if c["name"] in rules else None,
            THRESHOLD_ACTIONS.get(str(rules[c["name"]][0]), "") if c["name"] in rules else "",
            bool(c.get("fired")),
            str(c.get("reason", "")),
        )
        for c in sorted(categories, key=lambda c: -float(c.get("score", 0)))
        if float(c.get("score", 0)) >= 0.05
    ]
    unread = str(classification.get("unread", ""))
    verdict = _verdict(suggested, state)

    if masked:
        sentence = format_html(
            "{}: a possible safeguarding concern. Only the people the policy names for concerns can read it.", verdict
        )
        return Explanation(verdict, sentence, state, [], [], "")
    if suggested == "checking":
        return Explanation(
            verdict, format_html("{}: SafeSocial has not finished reading it yet.", verdict), state, [], [], ""
        )

    findings = []
    for c in fired:
        deciding = action_for(c["name"], float(c.get("score", 0)), rules) == suggested
        finding = _finding(text, c, deciding)
        # A category that did not decide and has no words to point at (a model's leaning on the comment as a whole,
        # below the threshold) says nothing a moderator can check: it stays in "How SafeSocial decided".
        if deciding or finding.words:
            findings.append(finding)
    findings.sort(key=lambda f: not f.deciding)

    if findings and findings[0].deciding:
        sentence = format_html("{}: {}.", verdict, findings[0].sentence)
    elif unread:
        sentence = format_html("{}: {}", verdict, unread)
    elif findings:
        sentence = format_html("{}: {}.", verdict, findings[0].sentence)
    else:
        sentence = format_html("{}: nothing in it breaks the policy.", verdict)
    return Explanation(verdict, sentence, state, findings, scores, unread)


def _verdict(suggested: str, state: State) -> str:
    if suggested == "checking":
        return "Being checked"
    if suggested == "escalate":
        return "Hidden and passed to the DSL" if state.key == "with_dsl" else "For the DSL"
    if suggested == "hide":
        return "Hidden" if state.key in ("to_check", "hidden", "deleted") else "Flagged to hide"
    if suggested == "review":
        return "Left up for a moderator to check"
    if suggested == "redirect":
        return "Left up for a reply"
    return "Left up"


def _finding(text: str, category: Mapping[str, Any], deciding: bool) -> Finding:
    name = str(category["name"])
    reason = str(category.get("reason", ""))
    spans = _spans(text, category.get("spans", []))
    by_meaning = _by_meaning(reason)
    quotes = [(a, b) for a, b in spans if _quotable(text[a:b])][:MAX_QUOTES]
    context = " ".join(text[max(0, a - 40) : b] for a, b in quotes)
    label = _label(name, reason, context, [text[a:b] for a, b in quotes])
    return Finding(name, label, _words(name, text, quotes, reason, by_meaning), tuple(spans), by_meaning, deciding)


def _spans(text: str, raw: Sequence[Any]) -> list[Span]:
    spans = []
    for span in raw:
        try:
            a, b = int(span[0]), int(span[1])
        except (TypeError, ValueError, IndexError):
            continue
        a, b = max(0, a), min(len(text), b)
        if a < b:
            spans.append((a, b))
    return sorted(set(spans))


def _quotable(words: str) -> bool:
    return len(words.strip()) >= 2 and words.strip().lower() not in TOO_SMALL


def _by_meaning(reason: str) -> bool:
    """The semantic layer's reasons quote nothing (it reads meaning); rules and models quote their words."""
    return bool(reason) and "“" not in reason and not reason.startswith(("The wording", "Reads a little like"))


def _quote(words: str) -> SafeString:
    words = " ".join(words.split())
    if len(words) > MAX_QUOTE:
        words = words[: MAX_QUOTE - 1].rsplit(" ", 1)[0] + "…"
    return format_html("<mark>“{}”</mark>", words)


def _joined(quotes: Sequence[SafeString]) -> SafeString:
    if len(quotes) == 1:
        return quotes[0]
    return format_html("{} and {}", format_html_join(", ", "{}", ((q,) for q in quotes[:-1])), quotes[-1])


def _words(name: str, text: str, quotes: Sequence[Span], reason: str, by_meaning: bool) -> SafeString:
    if not quotes:
        return mark_safe("")
    if by_meaning:
        what = _what(reason)
        sentence = _quote(text[quotes[0][0] : quotes[0][1]])
        return format_html("{} {}", sentence, what) if what else sentence
    if name == "abuse":
        for a, b in quotes:
            calls = CALLS.match(" ".join(text[a:b].split()))
            if calls and len(calls["what"].split()) <= 6:
                who = calls["who"]
                if who.lower() in SECOND_PERSON:
                    who = "someone"
                elif who.split()[0] in ("The", "That", "This", "Their", "Our", "Your"):
                    who = who[:1].lower() + who[1:]
                return format_html("calls {} {}", who, _quote(calls["what"]))
    return format_html("says {}", _joined([_quote(text[a:b]) for a, b in quotes]))


def _what(reason: str) -> str:
    """What the semantic layer's reason says the sentence may be: 'may be a pupil saying they want to disappear'."""
    first = reason.split(": ")[0].split(". ")[0].rstrip(".")
    for lead in ("This ", "The comment "):
        if first.startswith(lead):
            return first[len(lead) :]
    return ""


def _label(name: str, reason: str, context: str, quoted: Sequence[str]) -> str:
    label = LABELS.get(name, name)
    staff = bool(STAFF.search(context))
    if name == "abuse" and staff:
        return "abuse of a member of staff"
    if name == "threat" and staff:
        return "a threat to a member of staff"
    if name == "complaint":
        return "a complaint about a member of staff" if "member of staff" in reason or staff else "a complaint"
    if name == "pii":
        kinds = []
        for words in quoted:
            if EMAIL.search(words):
                kinds.append("an email address")
            elif POSTCODE.search(words):
                kinds.append("a postcode")
            elif sum(ch.isdigit() for ch in words) >= 7:
                kinds.append("a phone number")
            elif "pupil" in reason:
                kinds.append("a pupil's name")
        kinds = list(dict.fromkeys(kinds))
        return f"{label} ({' and '.join(kinds)})" if kinds else label
    return label


def marked_text(text: str, spans: Sequence[Span]) -> SafeString:
    """The comment with the words that caused the decision marked."""
    merged: list[list[int]] = []
    for a, b in sorted(_spans(text, spans)):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    parts, last = [], 0
    for a, b in merged:
        parts.append(conditional_escape(text[last:a]))
        parts.append(format_html("<mark>{}</mark>", text[a:b]))
        last = b
    parts.append(conditional_escape(text[last:]))
    return mark_safe("".join(parts))


@dataclass(frozen=True)
class Choice:
    action: str  # a moderation Action value, posted to moderation:act
    label: str
    danger: bool = False


@dataclass(frozen=True)
class Actions:
    """What a moderator may do with a comment in its state: marking it reviewed needs no reason; anything that
    changes the platform does."""

    review: Choice | None  # "Keep hidden (mark reviewed)" or "Leave it up (mark reviewed)", while it waits
    with_reason: list[Choice]
    reply: str  # the reply button's words, "" where no public reply may be made
    with_dsl: bool  # a possible disclosure passed to the DSL: the DSL decides, it stays hidden and is kept


def actions_for(comment: Any) -> Actions:
    platform = platform_name(comment.channel)

    def choice(key: str, action: str, danger: bool = False) -> Choice:
        return Choice(action, BUTTONS[key].format(platform=platform), danger)

    if comment.suggested_action == "checking":
        return Actions(None, [], "", False)
    if comment.kept_for_concern:
        # The services refuse to show, delete, reply to or block a disclosure; one the platform would not hide can
        # still be hidden.
        hide = [choice("hide", "hide")] if comment.status == "visible" else []
        return Actions(None, hide, "", True)
    review = None
    if comment.needs_review and comment.status == "hidden":
        review = choice("reviewed_hidden", "reviewed")
    elif comment.needs_review and comment.status == "visible":
        review = choice("reviewed_visible", "reviewed")
    changes = {
        "visible": [choice("hide", "hide"), choice("delete", "delete", True), choice("block", "block", True)],
        "hidden": [choice("unhide", "unhide"), choice("delete", "delete", True), choice("block", "block", True)],
        "deleted": [choice("block", "block", True)],
    }[comment.status]
    reply = ""
    if comment.status != "deleted":
        key = "complaint_reply" if getattr(comment, "suggests_complaint_reply", False) else "reply"
        reply = BUTTONS[key].format(platform=platform)
    return Actions(review, changes, reply, False)
