"""From scores to one action: the trust's thresholds per category, or SafeSocial's usual ones.

The policy file's `moderation.categories` maps each category to an action and a threshold. Its actions are the
policy's words (hide, review, escalate, suggest_reply, allow); a decision uses the command line's words, where
suggest_reply is "redirect" (point the author to the complaints procedure with a polite reply).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from safesocial.policy.categories import CATEGORIES

Action = Literal["allow", "hide", "review", "escalate", "redirect"]

ACTIONS: tuple[Action, ...] = ("allow", "hide", "review", "escalate", "redirect")

# When two categories fire, the more protective action wins. Escalating also hides the comment from the public
# (it is kept as evidence for the DSL), so it outranks hiding; a human look outranks a suggested reply.
SEVERITY: dict[str, int] = {"allow": 0, "redirect": 1, "review": 2, "hide": 3, "escalate": 4}

# SafeSocial's usual settings, as the example policies write them (examples/policies/000-*.yaml).
DEFAULT_THRESHOLDS: dict[str, tuple[Action, float]] = {
    "abuse": ("hide", 0.7),
    "hate": ("hide", 0.6),
    "threat": ("escalate", 0.5),
    "inflammatory": ("review", 0.6),
    "spam": ("hide", 0.8),
    "commercial": ("review", 0.7),
    "donation": ("review", 0.7),
    "pii": ("hide", 0.6),
    "safeguarding": ("escalate", 0.4),
    "complaint": ("redirect", 0.6),
}

# Below a category's threshold, a band that goes to a person rather than being allowed: the classifier's uncertain
# disclosures (a missed one costs far more than a DSL reading a false one), and hate the semantic layer finds without
# a slur or a word the linear models know (coded words, stereotypes, emoji), which a person judges before anything is
# hidden. Measured from the category's threshold, the trust's or SafeSocial's usual one.
REVIEW_BAND: dict[str, float] = {"safeguarding": 0.2, "hate": 0.15}

POLICY_ACTIONS: dict[str, Action] = {
    "hide": "hide",
    "review": "review",
    "escalate": "escalate",
    "suggest_reply": "redirect",
    "redirect": "redirect",
    "allow": "allow",
}


def thresholds_from_policy(moderation: Mapping[str, Any] | Any) -> dict[str, tuple[Action, float]]:
    """Thresholds from a policy's `moderation` section (a mapping or schema.Moderation).

    A category the policy leaves out keeps SafeSocial's usual setting: leaving safeguarding out of a policy must
    not stop disclosures reaching the DSL. A trust that wants a category ignored says `{action: allow}`."""
    categories = moderation["categories"] if isinstance(moderation, Mapping) else moderation.categories
    result = dict(DEFAULT_THRESHOLDS)
    for name, rule in categories.items():
        if name not in CATEGORIES:
            raise ValueError(f"unknown moderation category {name!r}; choose from {list(CATEGORIES)}")
        action = rule["action"] if isinstance(rule, Mapping) else rule.action
        threshold = rule.get("threshold", 0.5) if isinstance(rule, Mapping) else rule.threshold
        action = str(getattr(action, "value", action))
        if action not in POLICY_ACTIONS:
            raise ValueError(f"{name}: unknown action {action!r}; choose from {sorted(POLICY_ACTIONS)}")
        threshold = float(threshold)
        if not 0 < threshold <= 1:
            raise ValueError(f"{name}: threshold {threshold} must be above 0 and at most 1")
        result[name] = (POLICY_ACTIONS[action], threshold)
    return result


def action_for(name: str, score: float, thresholds: Mapping[str, tuple[Action, float]] | None = None) -> Action | None:
    """What one category asks for at this score: its action at or above the threshold, review in its review band
    below it (when its action is stronger than review), None otherwise."""
    rule = (DEFAULT_THRESHOLDS if thresholds is None else thresholds).get(name)
    if rule is None:
        return None
    action, threshold = rule
    if score >= threshold:
        return action
    band = REVIEW_BAND.get(name)
    if band and score >= threshold - band and SEVERITY[action] > SEVERITY["review"]:
        return "review"
    return None


def decide(
    scores: Mapping[str, float], thresholds: Mapping[str, tuple[Action, float]] | None = None, *, unread: bool = False
) -> Action:
    """The most protective action among the categories whose score reaches their threshold (or review band); allow
    if none does. A comment the classifier could not read (`unread`, another language) is never allowed unseen."""
    chosen: Action = "review" if unread else "allow"
    for name, score in scores.items():
        action = action_for(name, score, thresholds)
        if action is not None and SEVERITY[action] > SEVERITY[chosen]:
            chosen = action
    return chosen
