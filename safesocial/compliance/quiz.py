"""A short quiz on the trust's own policy, written from the policy file itself, plus any questions the trust adds
(`training.quiz`). The right answer is whatever this trust's policy says, so the same question has different
answers in different trusts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from safesocial.people.roles import ExtraRole, Role
from safesocial.policy.schema import Policy, StaffPersonalUse

# Roles a reader might plausibly guess; the wrong options are drawn from these.
PLAUSIBLE = [Role.HEAD, Role.CEO, Role.DSL, Role.CHANNEL_ADMIN, Role.ADMIN_TEAM, Role.TEACHER, Role.IT_SUPPORT]

PERSONAL_USE = {
    StaffPersonalUse.OUTSIDE_TEACHING_TIME: "Yes, but only outside teaching time and never in front of pupils",
    StaffPersonalUse.BREAKS: "Yes, during breaks, but not during lessons",
    StaffPersonalUse.BREAKS_IN_DESIGNATED_AREAS: "Only at break and lunch times, in designated staff areas",
    StaffPersonalUse.NOT_PERMITTED: "No, not at any time during school hours",
}


@dataclass(frozen=True)
class Question:
    question: str
    options: tuple[str, ...]
    answer: int
    explanation: str


def _the(role: Role | ExtraRole) -> str:
    return f"The {role.label[0].lower()}{role.label[1:]}"


def _ordered(question: str, right: str, wrong: list[str], explanation: str) -> Question:
    """Put the right answer at a place fixed by the question's text, so it is not always first and a page
    reload does not move it."""
    options = [w for w in dict.fromkeys(wrong) if w != right][:3]
    slot = int(hashlib.sha256(question.encode()).hexdigest(), 16) % (len(options) + 1)
    options.insert(slot, right)
    return Question(question, tuple(options), slot, explanation)


def _role_question(question: str, right: list[Role | ExtraRole], explanation: str) -> Question:
    right_text = " and ".join(_the(r) if i == 0 else _the(r).lower() for i, r in enumerate(right))
    wrong = [_the(r) for r in PLAUSIBLE if r not in right]
    return _ordered(question, right_text, wrong, explanation)


def questions(policy: Policy) -> list[Question]:
    c = policy.channels
    out = [
        _role_question(
            "Who approves a new official social media channel?",
            list(c.approvers.roles),
            "A channel is set up only after a risk assessment, signed off by the people the policy names.",
        ),
        _role_question(
            "Who may authorise a member of staff to post to an official account?",
            list(c.poster_authoriser.roles),
            "Only staff authorised by this person may post to or administer an official account.",
        ),
        _role_question(
            "A concern about the headteacher goes to…",
            [policy.concerns.about_head_to],
            "A concern about the head is never handled by the head.",
        ),
        _ordered(
            "May staff use personal social media during school hours?",
            PERSONAL_USE[policy.personal_use.staff_in_school_hours],
            [v for k, v in PERSONAL_USE.items() if k != policy.personal_use.staff_in_school_hours],
            "The policy sets when staff may use social media for themselves during the school day.",
        ),
    ]
    if policy.concerns.friendship_disclosure:
        roles = policy.concerns.friendship_discussed_with or [policy.concerns.friendship_decided_by]
        who = " and the ".join(r.label.lower() for r in roles)
        right = f"Do not accept it; if you already know the family, declare it and discuss it with the {who}"
        explanation = "A friendship that existed before the child joined is declared, and the decision recorded."
    else:
        right = "Do not accept it: staff do not befriend pupils or their families"
        explanation = "The policy makes no exception for friendships with families."
    out.append(
        _ordered(
            "A parent of a pupil sends you a friend request on your personal account. What do you do?",
            right,
            [
                "Accept it if you get on well with the family",
                "Accept it but keep your posts private from them",
                "Ignore it and tell no one",
            ],
            explanation,
        )
    )
    for q in policy.training.quiz:
        out.append(Question(q.question, tuple(q.options), q.answer, q.explanation))
    return out


def mark(qs: list[Question], answers: list[int | None]) -> int:
    return sum(1 for q, a in zip(qs, answers, strict=True) if a == q.answer)
