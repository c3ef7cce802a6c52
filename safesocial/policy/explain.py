"""The policy in plain English: what it makes SafeSocial do."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safesocial.people.roles import ExtraRole, Role, role_or_key

from .approvers import Approvers, _in_sentence, role_words
from .schema import (
    PLATFORM_LABELS,
    Complaints,
    ModerationAction,
    Policy,
    PupilPersonalUse,
    ReviewerRule,
    StaffPersonalUse,
)


def _role(role: Role | ExtraRole) -> str:
    short = {Role.CEO: "CEO", Role.HEAD: "headteacher", Role.DSL: "DSL", Role.DEPUTY_DSL: "deputy DSLs"}
    return "the " + short.get(role, role_words(role) if isinstance(role, ExtraRole) else role.label.lower())


def _first_up(text: str) -> str:
    """'The CEO or the DSL', where str.capitalize() would give 'The ceo or the dsl'."""
    return text[:1].upper() + text[1:]


def _roles(roles) -> str:
    names = [_role(role_or_key(r)) for r in roles]
    if len(names) <= 1:
        return "".join(names) or "nobody"
    return ", ".join(names[:-1]) + " or " + names[-1]


STAFF_USE = {
    StaffPersonalUse.OUTSIDE_TEACHING_TIME: (
        "Staff may use social media for themselves in school hours, "
        "but only outside teaching time and never in front of pupils."
    ),
    StaffPersonalUse.BREAKS: "Staff may use social media for themselves during their breaks, not in lessons.",
    StaffPersonalUse.BREAKS_IN_DESIGNATED_AREAS: (
        "Staff may use social media for themselves only at break and lunch, in designated staff areas."
    ),
    StaffPersonalUse.NOT_PERMITTED: "Staff may not use social media for themselves during school hours at all.",
}
PUPIL_USE = {
    PupilPersonalUse.NOT_PERMITTED: "Pupils may not use social media for themselves during the school day.",
    PupilPersonalUse.CURRICULUM_ONLY: "Pupils may use social media in lessons only as part of a curriculum activity.",
}
MOD_ACTION = {
    ModerationAction.HIDE: "hidden at once, then checked by a moderator",
    ModerationAction.REVIEW: "sent to a moderator to decide",
    ModerationAction.ESCALATE: "hidden and raised with the DSL as a safeguarding concern (never deleted)",
    ModerationAction.SUGGEST_REPLY: "kept, with a polite reply pointing to the complaints procedure suggested",
    ModerationAction.ALLOW: "left up",
}


def _date(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _own_roles(policy: Policy) -> str:
    """The trust's own roles, each with the powers of SafeSocial's roles it acts as."""
    parts = []
    for role in policy.roles:
        powers = " and ".join(_role(r) for r in role.acts_as)
        parts.append(_in_sentence(role.label) + (f", with the powers of {powers}" if powers else ""))
    return "; ".join(parts)


def _where(procedure: Complaints) -> str:
    """Where a procedure is: its address, its contact, or both."""
    return " or ".join(str(part) for part in (procedure.url, procedure.contact) if part)


def _approval(approvers: Approvers, labels: dict[str, str]) -> str:
    """'the CEO and the headteacher (each signs)', 'the DSL or the headteacher (either one)'."""
    words = approvers.describe(labels)
    if approvers.single:
        return words
    return words + (" (each signs)" if approvers.needs_every_role else " (any one of them)")


def explain(policy: Policy) -> list[tuple[str, list[str]]]:
    """Sections of plain sentences, in the order a new DSL would want to read them."""
    c, p = policy.channels, policy.posts
    labels = policy.role_labels()
    schools = ", ".join(s.name for s in policy.trust.schools)
    out: list[tuple[str, list[str]]] = []
    out.append(
        (
            "The trust",
            [
                f"{policy.trust.name} runs {len(policy.trust.schools)} school(s): {schools}.",
                f"This is version {policy.document.version} of its {policy.document.title.lower()}, "
                f"approved by the {policy.document.approved_by}.",
                (
                    "Besides SafeSocial's roles, the trust names its own, which staff can be given: "
                    + _own_roles(policy)
                    + "."
                    if policy.roles
                    else ""
                ),
                (
                    "The staff policy page and the published document list the policies this one links with: "
                    + "; ".join(r.title for r in policy.related_policies)
                    + "."
                    if policy.related_policies
                    else ""
                ),
            ],
        )
    )
    official = [f"{ch.name} ({PLATFORM_LABELS[ch.platform]})" for ch in c.official] or ["none listed yet"]
    out.append(
        (
            "Official channels",
            [
                "A new official channel needs a risk assessment and sign-off by "
                + c.approvers.describe(labels)
                + (" (all of them)" if c.approvers.needs_every_role else "")
                + "; until then SafeSocial will not let anyone post to it.",
                f"Only staff authorised by {c.poster_authoriser.describe(labels)} may post or administer a channel"
                + (
                    ", and only after signing the social media acceptable use agreement."
                    if c.aup_signature_required
                    else "."
                ),
                f"In an emergency {_roles(c.emergency_access)} may open a channel's login; "
                "SafeSocial asks for a reason, tells the channel's owner and records it.",
                f"Each channel is reviewed every {c.review_months} months.",
                (
                    "The policy asks staff to manage channels only from school-owned devices; SafeSocial cannot "
                    "check which device is used."
                    if c.school_devices_only
                    else ""
                ),
                "Official channels only like or follow non-commercial pages." if not c.follow_commercial_pages else "",
                "The official channels are: " + "; ".join(official) + ".",
                "The channel register warns about an official channel nobody has registered, and about a registered "
                "channel the policy does not name; so does `safesocial policy check`.",
                (
                    "Whoever proposes a channel answers what the policy asks them to consider ("
                    + "; ".join(c.setup_considerations)
                    + "), and the answers are kept with its risk assessment."
                    if c.setup_considerations
                    else ""
                ),
            ],
        )
    )
    reviewers = (
        "any colleague other than the author"
        if p.reviewers == ReviewerRule.ANY_COLLEAGUE
        else f"a member of {_roles(p.reviewer_roles)} (never the author)"
    )
    out.append(
        (
            "Posts",
            [
                f"Every post is read and agreed by {reviewers} before it goes out"
                + (f"; {p.reviewers_required} reviewers must agree." if p.reviewers_required > 1 else "."),
                "A post must fall in one of these categories: " + ", ".join(c.label for c in p.categories) + ".",
                "SafeSocial checks parental consent for every pupil named or pictured in a post before it can be "
                "approved; the policy asks for consent for " + ", ".join(p.consent_required_for) + ".",
                (
                    f"Staff who cannot post suggest a post to {_roles([p.suggestions_to])}, who decides whether the "
                    "channel's posters write it up."
                    if p.suggestions_to
                    else "Staff who cannot post suggest a post to the channel's authorised posters, who write it up "
                    "or say why not."
                ),
                *(
                    f"A reviewer confirms this criterion before approving a post: {criterion}"
                    for criterion in p.criteria
                ),
            ],
        )
    )
    u = policy.personal_use
    out.append(
        (
            "Personal use",
            [
                STAFF_USE[u.staff_in_school_hours],
                PUPIL_USE[u.pupils_in_school_hours],
                f"The policy accepts a pupil having a social media account only from the age of "
                f"{u.minimum_account_age}; SafeSocial does not check pupils' ages.",
                (
                    f"Staff may not be friends with former pupils under {u.staff_may_befriend_former_pupils_over}."
                    if u.staff_may_befriend_former_pupils_over
                    else "Staff may not be friends with current or past pupils or their families."
                ),
            ],
        )
    )
    m = policy.moderation
    out.append(
        (
            "Comments on official channels",
            [
                f"A comment judged {cat} (score {rule.threshold:.0%} or more) is {MOD_ACTION[rule.action]}."
                for cat, rule in m.categories.items()
            ]
            + [
                f"Someone with {m.repeat_offender_threshold} comments removed within {m.repeat_offender_window_days} "
                "days is proposed for blocking."
            ]
            + (
                [
                    f"A comment still waiting for a moderator after {m.remove_within_hours} hours is marked late "
                    "and chased on the moderators' dashboard."
                ]
                if m.remove_within_hours
                else []
            )
            + [
                "A moderator dealing with a complaint left as a comment is offered this reply: \u201c"
                + policy.complaint_reply_text()
                + "\u201d"
            ],
        )
    )
    steps = [f"Step {i}: {s.title}." for i, s in enumerate(policy.parents.escalation, start=1)]
    out.append(
        (
            "Parents who post inappropriately",
            steps
            or [
                "The policy sets no escalation steps: each case is decided by "
                + _roles(policy.parents.escalation_managed_by)
                + "."
            ],
        )
    )
    f = policy.parents
    school_names = {s.key: s.name for s in policy.trust.schools}
    today = timezone.localdate()
    meetings = [
        f"{_date(m.date)}, {m.title}" + (f" ({school_names[m.school]})" if m.school else "")
        for m in sorted(f.esafety_meetings, key=lambda m: m.date)
        if m.date >= today
    ]
    out.append(
        (
            "Families",
            [
                "Each school's public page tells families whom to talk to about a worry: \u201c"
                + f.family_guidance
                + "\u201d",
                (
                    "Each school's public page and the reply offered to a complaint point families to the complaints "
                    "procedure: " + _where(policy.complaints) + "."
                    if policy.complaints
                    else ""
                ),
                (
                    "Online safety meetings for parents and carers are shown on the public school page until they "
                    "have passed: " + "; ".join(meetings) + "."
                    if meetings
                    else ""
                ),
            ],
        )
    )
    k = policy.concerns
    out.append(
        (
            "Concerns",
            [
                f"A concern at a school goes to {_roles(k.report_to)} of that school"
                + (
                    f"; the trust-wide {_role(k.trust_lead)[4:]} sees every school's concerns." if k.trust_lead else "."
                ),
                f"A concern about a member of staff goes to {_role(k.about_staff_to)}; "
                f"one about {_role(k.about_staff_to)} goes to {_role(k.about_head_to)}. "
                "It is never shown to the person it is about.",
                f"When unsure, the DSL seeks advice from {k.external_advice}.",
                "Each concern gets a level: " + "; ".join(level.label for level in k.triage_levels) + ". "
                f"An immediate risk reaches every receiver at once, and is chased after "
                f"{k.chase_unacknowledged_minutes} minutes if nobody has acknowledged it.",
                "Staff declare pre-existing friendships with families in the friendships register."
                if k.friendship_disclosure
                else "",
                (
                    "Staff reporting a concern about a colleague are shown the whistleblowing procedure: "
                    + _where(policy.whistleblowing)
                    + "."
                    if policy.whistleblowing
                    else ""
                ),
            ],
        )
    )
    g = policy.registers
    out.append(
        (
            "Registers",
            [
                f"An unblock request is decided by {_approval(g.unblock_decided_by, labels)}; one referred up, by "
                f"{_approval(g.unblock_referred_to, labels)}.",
                f"A remote learning platform is approved by {_approval(g.remote_learning_approver, labels)}; an AI "
                f"tool, by {_approval(g.ai_tools_approver, labels)}.",
            ],
        )
    )
    t = policy.training
    out.append(
        (
            "Training and acknowledgement",
            [
                ("Staff are trained at induction and " if t.induction else "Staff are trained ")
                + f"every {t.refresher_months} months on: {'; '.join(t.topics)}.",
                f"The policy quiz is passed at {t.quiz_pass_mark}%.",
                "These groups acknowledge each new version: " + ", ".join(policy.acknowledgement.groups) + ".",
            ],
        )
    )
    r = policy.review
    out.append(
        (
            "Review",
            [
                f"The policy is reviewed every {r.cadence_months} months; the next review is due on "
                f"{r.next_review:%-d %B %Y}.",
                f"{_first_up(_roles(r.reminders_to))} are reminded; {_approval(r.approver, labels)} "
                + ("approve" if r.approver.needs_every_role else "approves")
                + " the new version"
                + (f", noted by the {r.noted_by}." if r.noted_by else "."),
                "It is also reviewed after " + "; ".join(r.also_after) + ".",
                (
                    "A concern closed with a debrief saying the policy should change brings the review forward."
                    if r.early.after_debrief
                    else ""
                ),
                *(
                    f"New guidance brings the review forward from the day it is published: {u.title}, "
                    f"{_date(u.published)}."
                    for u in r.early.guidance
                ),
            ],
        )
    )
    return [(title, [line for line in lines if line]) for title, lines in out]


def explain_text(policy: Policy) -> str:
    parts = []
    for title, lines in explain(policy):
        parts.append(title.upper())
        parts.extend(f"  - {line}" for line in lines)
        parts.append("")
    return "\n".join(parts)
