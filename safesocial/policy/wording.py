"""Sentences that families and staff read, written from the trust's own rules rather than from one trust's policy.

The published policy, the public school page and a concern's guidance all say what SafeSocial will do; each sentence
here is built from the fields that make it do so, so a trust whose policy sets no rule is never promised one."""

from __future__ import annotations

from typing import Any

from safesocial.people.roles import Role

from .categories import Category
from .schema import ModerationAction, Policy

# How each category reads in "we remove comments that are ...", in the categories' own order.
_REMOVED_AS = {
    Category.ABUSE: "abusive",
    Category.HATE: "hateful",
    Category.THREAT: "threatening",
    Category.INFLAMMATORY: "inflammatory",
    Category.SPAM: "spam",
    Category.COMMERCIAL: "advertising",
    Category.DONATION: "requests for donations",
    Category.PII: "personal information",
    Category.COMPLAINT: "complaints",
}
_REMOVING = (ModerationAction.HIDE, ModerationAction.ESCALATE)
NO_COMMENT_RULES = "The school's own moderators decide which comments to remove from our channels."


def _join(words: list[str], last: str = "or") -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {last} " + words[-1]


def _in_order(policy: Policy, actions: tuple[ModerationAction, ...]) -> list[str]:
    rules = policy.moderation.categories
    return [
        phrase
        for category, phrase in _REMOVED_AS.items()
        if category.value in rules and rules[category.value].action in actions
    ]


def removed_kinds(policy: Policy) -> list[str]:
    """The kinds of comment the policy has hidden at once (or hidden and escalated), as they read in a sentence."""
    return _in_order(policy, _REMOVING)


def reviewed_kinds(policy: Policy) -> list[str]:
    """The kinds of comment a moderator decides on, left up meanwhile."""
    return _in_order(policy, (ModerationAction.REVIEW,))


def comment_rules(policy: Policy, *, document: bool = False) -> list[str]:
    """What the trust does with comments on its channels, one sentence each, from `moderation.categories` and the
    repeat-offender rule. A policy with no comment rules promises nothing but that the school's moderators decide."""
    m = policy.moderation
    removed, reviewed = removed_kinds(policy), reviewed_kinds(policy)
    out: list[str] = []
    if removed:
        who = "Staff responsible for our accounts remove, as soon as reasonably possible," if document else "We remove"
        out.append(f"{who} comments that are {_join(removed)}.")
        out.append(
            f"People who repeatedly post them ({m.repeat_offender_threshold} removed comments within "
            f"{m.repeat_offender_window_days} days) are blocked."
            if document
            else "We block people who repeatedly post them."
        )
    if reviewed:
        out.append(f"A moderator decides on comments that may be {_join(reviewed)}.")
    safeguarding = m.categories.get(Category.SAFEGUARDING.value)
    if safeguarding is not None and safeguarding.action == ModerationAction.ESCALATE:
        out.append("A comment suggesting a child may be at risk is passed to the designated safeguarding lead.")
    if not out:
        out.append(NO_COMMENT_RULES)
    return out


def role_name(role: Any) -> str:
    """'the headteacher', 'the CEO': a role as a sentence names it."""
    short = {Role.CEO: "CEO", Role.HEAD: "headteacher", Role.DSL: "designated safeguarding lead"}
    try:
        role = Role(role)
    except ValueError:
        return f"the {str(role).replace('_', ' ')}"
    return "the " + short.get(role, role.label.lower())


def staff_conduct_route(policy: Any) -> str:
    """Where a concern about a colleague's conduct goes, in the policy's roles: 'the headteacher (or the CEO when it
    is about the headteacher)'."""
    k = policy.concerns
    to, above = role_name(k.about_staff_to), role_name(k.about_head_to)
    return f"{to} (or {above} when it is about {to})" if above != to else to
