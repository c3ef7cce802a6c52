"""What a comment can be flagged as. The policy file sets an action and a threshold per category
(`moderation.categories`), the classifier scores every one of them and the governors' report counts them: all three
read this one list. It lives on the policy floor, the lowest that needs it, and imports nothing: the classifier runs
without Django."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """In this order: the classifier reports its scores so. Each has the label the governors' report shows."""

    label: str

    def __new__(cls, value: str, label: str) -> Category:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    ABUSE = "abuse", "Abuse"
    HATE = "hate", "Hate"
    THREAT = "threat", "Threats"
    INFLAMMATORY = "inflammatory", "Inflammatory"
    SPAM = "spam", "Spam"
    COMMERCIAL = "commercial", "Commercial"
    DONATION = "donation", "Donation requests"
    PII = "pii", "Personal information"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    COMPLAINT = "complaint", "Complaints"


CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)
