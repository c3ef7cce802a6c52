"""What a policy file leaves undecided: fields left at SafeSocial's default that the five reference policies show trusts
usually decide for themselves. `safesocial policy check` prints each as a warning (the file is still valid), so a trust
knows what it has not written down.

Each rule names how many of the five seeds (../shared/policies) decide the field; a rule belongs here only when most
of them do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .schema import Policy


@dataclass(frozen=True)
class Rule:
    field: str
    left_at_default: Callable[[Policy], bool]
    message: str


RULES: tuple[Rule, ...] = (
    Rule(
        "moderation.categories",
        lambda p: not p.moderation.categories,
        "no moderation rules of the trust's own: SafeSocial's usual settings decide which comments are hidden, "
        "queued or escalated (four of the five reference policies say their channels are moderated; write the "
        "trust's own rules so that the choice is the trust's)",
    ),
    Rule(
        "complaints",
        lambda p: p.complaints is None,
        "no complaints procedure: families are told only to ask the school office for it (all five reference "
        "policies point families to their complaints procedure)",
    ),
    Rule(
        "related_policies",
        lambda p: not p.related_policies,
        "no related policies: the document lists none (four of the five reference policies list the policies this "
        "one links with)",
    ),
    Rule(
        "whistleblowing",
        lambda p: p.whistleblowing is None,
        "no whistleblowing procedure: staff reporting a colleague are not pointed to it (three of the five reference "
        "policies name it)",
    ),
    Rule(
        "personal_use.own_content_conflict_to",
        lambda p: p.personal_use.own_content_conflict_to is None,
        "nobody named for staff to tell when their own content conflicts with their role (three of the five "
        "reference policies ask staff to tell the leadership team)",
    ),
    Rule(
        "parents.without_social_media",
        lambda p: p.parents.without_social_media is None,
        "no statement that families who do not use social media are not left out (three of the five reference "
        "policies make one)",
    ),
    Rule(
        "review.early",
        lambda p: "early" not in p.review.model_fields_set,
        "nothing brings the review forward: only the date in review.next_review opens it (three of the five "
        "reference policies are also revised after concerns or new guidance)",
    ),
)


def undecided(policy: Policy) -> list[str]:
    """One line per field the trust left at a default that trusts usually set, in the order of RULES."""
    return [f"{rule.field}: {rule.message}" for rule in RULES if rule.left_at_default(policy)]
