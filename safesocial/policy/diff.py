"""What a draft changes in the policy: the lines of the file, and the rules in plain English.

The line difference marks each line with a sign and a word ("Added", "Removed"), not colour alone, so it reads the
same in print, in high-contrast mode and to a screen reader."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .approvers import Approvers
from .schema import Policy


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    old_number: int | None
    new_number: int | None
    text: str

    @property
    def sign(self) -> str:
        return {"added": "+", "removed": "\u2212"}.get(self.kind, "")

    @property
    def word(self) -> str:
        return {"added": "Added", "removed": "Removed"}.get(self.kind, "Unchanged")


@dataclass(frozen=True)
class Hunk:
    old_start: int
    new_start: int
    lines: list[DiffLine]


def line_diff(old: str, new: str, context: int = 3) -> list[Hunk]:
    """The changed lines with `context` unchanged lines around them, grouped as a unified diff groups them."""
    a, b = old.splitlines(), new.splitlines()
    hunks = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        lines = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                pairs = zip(range(i1, i2), range(j1, j2), strict=True)
                lines += [DiffLine("same", i + 1, j + 1, a[i]) for i, j in pairs]
                continue
            if tag in ("replace", "delete"):
                lines += [DiffLine("removed", i + 1, None, a[i]) for i in range(i1, i2)]
            if tag in ("replace", "insert"):
                lines += [DiffLine("added", None, j + 1, b[j]) for j in range(j1, j2)]
        hunks.append(Hunk(group[0][1] + 1, group[0][3] + 1, lines))
    return hunks


# Names for the fields people change most; any other field is named from its path.
FIELD_LABELS = {
    "trust.name": "Trust name",
    "document.title": "Document title",
    "document.version": "Document version",
    "document.written": "Date written",
    "document.approved_by": "Approved by (body)",
    "document.approved_on": "Approved on",
    "review.cadence_months": "Review every (months)",
    "review.next_review": "Next review",
    "review.reminders_to": "Review reminders go to",
    "review.approver": "Who approves the reviewed policy",
    "review.noted_by": "Review noted by",
    "review.reminder_days_before": "Review reminders (days before)",
    "channels.approver": "Who signs off a new channel",
    "channels.poster_authoriser": "Who authorises posters",
    "channels.emergency_access": "Emergency access to channels",
    "channels.moderators": "Comment moderators",
    "channels.review_months": "Channel review every (months)",
    "channels.aup_signature_required": "Acceptable use signature required",
    "channels.school_devices_only": "School devices only",
    "posts.reviewers": "Who reviews posts",
    "posts.reviewer_roles": "Post reviewer roles",
    "posts.reviewers_required": "Reviewers needed per post",
    "posts.consent_required_for": "Consent needed for",
    "posts.suggestions_to": "Suggestions for posts go to",
    "personal_use.staff_in_school_hours": "Staff personal use in school hours",
    "personal_use.minimum_account_age": "Minimum account age",
    "moderation.repeat_offender_threshold": "Repeat offender after (comments)",
    "moderation.repeat_offender_window_days": "Repeat offender window (days)",
    "moderation.remove_within_hours": "Remove within (hours)",
    "concerns.report_to": "Concerns reported to",
    "concerns.trust_lead": "Trust safeguarding lead",
    "concerns.about_staff_to": "Concerns about staff go to",
    "concerns.about_head_to": "Concerns about the head go to",
    "concerns.external_advice": "External safeguarding advice",
    "training.refresher_months": "Refresher training every (months)",
    "training.quiz_pass_mark": "Quiz pass mark (%)",
    "training.topics": "Training topics",
    "acknowledgement.reminder_days": "Acknowledgement reminders every (days)",
    "registers.unblock_decided_by": "Who decides unblock requests",
    "registers.unblock_referred_to": "Who decides unblock requests referred up",
    "registers.remote_learning_approver": "Who approves a remote learning platform",
    "registers.ai_tools_approver": "Who approves an AI tool",
}
LONG = 80


@dataclass(frozen=True)
class FieldChange:
    path: str
    label: str
    before: str | None  # None: the field is new
    after: str | None  # None: the field was removed

    @property
    def sentence(self) -> str:
        if self.before is None:
            return f"{self.label}: added ({self.after})" if self.after else f"{self.label}: added"
        if self.after is None:
            return f"{self.label}: removed"
        if self.before == "" and self.after == "":
            return f"{self.label}: changed (see the lines below)"
        return f"{self.label}: {self.before} → {self.after}"


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    """Lists of things with a key or a name (schools, categories, steps, contacts) compare by that key."""
    if items and all(isinstance(i, dict) for i in items):
        for field in ("key", "email", "name", "heading"):
            keys = [i.get(field) for i in items]
            if all(isinstance(k, str) for k in keys) and len(set(keys)) == len(keys):
                return {k: i for k, i in zip(keys, items, strict=True)}
    return None


def _flatten(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list) and value and any(isinstance(i, dict) for i in value):
        keyed = _keyed(value)
        for key, item in keyed.items() if keyed else enumerate(value):
            _flatten(item, f"{path}[{key}]", out)
    else:
        out[path] = value


def _show(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value) or "none"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _label(path: str) -> str:
    if path in FIELD_LABELS:
        return FIELD_LABELS[path]
    parts = path.replace("[", ".").replace("]", "").split(".")
    return ": ".join(p.replace("_", " ").capitalize() for p in parts if p)


def _approvers_in_words(model: BaseModel, data: dict[str, Any], labels: dict[str, str]) -> None:
    """Replace each approver (a role, all_of or any_of) in the dumped `data` by the sentence that names it, so a change
    from one role to several reads "the CEO → the CEO and the headteacher", not as a key removed and another added."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, Approvers):
            data[name] = value.describe(labels)
        elif isinstance(value, BaseModel) and isinstance(data.get(name), dict):
            _approvers_in_words(value, data[name], labels)


def _dump(policy: Policy) -> dict[str, Any]:
    data = policy.model_dump(mode="json")
    _approvers_in_words(policy, data, policy.role_labels())
    # The older co_approvers sign as well as the approver: one "who signs off" names them all, so rewriting
    # `approver: ceo, co_approvers: [head]` as `approver: {all_of: [ceo, head]}` changes nothing.
    data["channels"]["approver"] = policy.channels.approvers.describe(policy.role_labels())
    data["channels"].pop("co_approvers", None)
    return data


def field_changes(old: Policy, new: Policy) -> list[FieldChange]:
    """Every rule the draft changes, in the order of the schema, with before and after values where they are short."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    old_data, new_data = _dump(old), _dump(new)
    # The document history reads best as the entries added, not as their fields one by one.
    old_history = old_data["document"].pop("history")
    new_history = new_data["document"].pop("history")
    _flatten(old_data, "", before)
    _flatten(new_data, "", after)
    changes = [
        FieldChange("document.history", "Document history", None, f"{h['date']}: {h['event']}")
        for h in new_history
        if h not in old_history
    ]
    for path in [*before, *(p for p in after if p not in before)]:
        if before.get(path, object()) == after.get(path, object()):
            continue
        was = _show(before[path]) if path in before else None
        now = _show(after[path]) if path in after else None
        if (was and len(was) > LONG) or (now and len(now) > LONG):
            was, now = ("" if was is not None else None), ("" if now is not None else None)
        changes.append(FieldChange(path, _label(path), was, now))
    return changes
