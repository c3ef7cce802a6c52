"""How urgent a concern is, on the trust's own scale (`concerns.triage_levels` in the policy).

The reporter answers two questions a teaching assistant can answer; the answers give one of SafeSocial's four
meanings (immediate, significant, low, information), and the trust's level with that meaning is the concern's level
until the DSL confirms or changes it. Kept free of Django, like types.py."""

from __future__ import annotations

from typing import Any

ANSWERS = [("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")]
MEANINGS = ("immediate", "significant", "low", "information")

# Kinds SafeSocial raises itself, with no one to answer: a comment that may disclose a risk to a child is treated as
# immediate until the DSL has looked; a threat as significant.
KIND_MEANING = {"comment_disclosure": "immediate", "comment_threat": "significant"}


def meaning_from_answers(at_risk_now: str, harm_likely: str, kind: str = "") -> str:
    """Yes to "at risk right now" is immediate. Any doubt is significant: the DSL looks today. Two noes are low;
    only the DSL calls a concern "information". Nobody answered (the public form left blank): significant."""
    if not at_risk_now and not harm_likely and kind in KIND_MEANING:
        return KIND_MEANING[kind]
    if at_risk_now == "yes":
        return "immediate"
    if at_risk_now == "no" and harm_likely == "no":
        return "low"
    return "significant"


def level_for(policy: Any, meaning: str) -> str:
    """The key of the trust's level for a meaning, or of the nearest less urgent one it has (its scale may have no
    "low"), or its least urgent."""
    levels = list(policy.concerns.triage_levels)
    for wanted in MEANINGS[MEANINGS.index(meaning) :]:
        for level in levels:
            if level.means == wanted:
                return level.key
    return levels[-1].key


def keys(policy: Any) -> list[str]:
    return [level.key for level in policy.concerns.triage_levels]


def urgent_keys(policy: Any) -> list[str]:
    return [level.key for level in policy.concerns.triage_levels if level.means == "immediate"]


def label(policy: Any, key: str) -> str:
    """The level's name on the trust's scale; a level the policy has since dropped shows as its key."""
    for level in policy.concerns.triage_levels:
        if level.key == key:
            return level.label
    return key or "Not set"


def choices(policy: Any) -> list[tuple[str, str]]:
    return [(level.key, level.label) for level in policy.concerns.triage_levels]
