"""May this person do this at this school? Answered here, and only here, from the person's roles
and the trust's policy. Rules on which trusts differ are read from the policy file; the rest are
the same for every trust and are listed in FIXED_RULES."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from safesocial.people.models import School, User
from safesocial.people.roles import ExtraRole, Role, role_or_key

if TYPE_CHECKING:
    # Only named for the type checker: the policy sits on the floor above, and reaches here as `trust.policy`.
    from safesocial.policy.schema import Policy


class Action(StrEnum):
    VIEW_SCHOOL = "view_school"
    VIEW_STAFF = "view_staff"
    MANAGE_STAFF = "manage_staff"
    VIEW_PUPILS = "view_pupils"
    MANAGE_PUPILS = "manage_pupils"
    VIEW_AUDIT = "view_audit"
    ADOPT_POLICY = "adopt_policy"
    APPROVE_CHANNEL = "approve_channel"
    AUTHORISE_POSTERS = "authorise_posters"
    REVIEW_POST = "review_post"
    BREAK_GLASS = "break_glass"
    MODERATE_COMMENTS = "moderate_comments"
    REPORT_CONCERN = "report_concern"
    RECEIVE_CONCERNS = "receive_concerns"
    RECEIVE_STAFF_CONCERNS = "receive_staff_concerns"
    VIEW_REPORTS = "view_reports"
    VIEW_CHANNELS = "view_channels"
    PROPOSE_CHANNEL = "propose_channel"
    WRITE_POST = "write_post"
    MANAGE_ESCALATION = "manage_escalation"
    DECIDE_FRIENDSHIP = "decide_friendship"
    DECIDE_UNBLOCK = "decide_unblock"
    DECIDE_REFERRED_UNBLOCK = "decide_referred_unblock"
    APPROVE_REMOTE_LEARNING = "approve_remote_learning"
    APPROVE_AI_TOOL = "approve_ai_tool"
    MANAGE_TRAINING = "manage_training"
    VIEW_COMPLIANCE = "view_compliance"
    DRAFT_POLICY_REVIEW = "draft_policy_review"
    NOTE_POLICY_REVIEW = "note_policy_review"


ACTION_LABELS = {
    Action.VIEW_SCHOOL: "See the school",
    Action.VIEW_STAFF: "See the staff list",
    Action.MANAGE_STAFF: "Add staff and change their roles",
    Action.VIEW_PUPILS: "See pupil and parent records",
    Action.MANAGE_PUPILS: "Change pupil and parent records",
    Action.VIEW_AUDIT: "Read the audit trail",
    Action.ADOPT_POLICY: "Adopt a new version of the policy",
    Action.APPROVE_CHANNEL: "Approve a new official channel",
    Action.AUTHORISE_POSTERS: "Authorise who may post to a channel",
    Action.REVIEW_POST: "Review a colleague's post before it goes out",
    Action.BREAK_GLASS: "Open a channel's login in an emergency",
    Action.MODERATE_COMMENTS: "Moderate comments on official channels",
    Action.REPORT_CONCERN: "Report a concern",
    Action.RECEIVE_CONCERNS: "Receive and manage safeguarding concerns",
    Action.RECEIVE_STAFF_CONCERNS: "Receive concerns about a member of staff",
    Action.VIEW_REPORTS: "See governors' reports",
    Action.VIEW_CHANNELS: "See the register of official channels",
    Action.PROPOSE_CHANNEL: "Propose a new official channel",
    Action.WRITE_POST: "Draft posts for official channels",
    Action.MANAGE_ESCALATION: "Take a parent through the escalation steps",
    Action.DECIDE_FRIENDSHIP: "Decide on a declared friendship with a family",
    Action.DECIDE_UNBLOCK: "Decide a request to unblock a website",
    Action.DECIDE_REFERRED_UNBLOCK: "Decide an unblock request that IT support referred",
    Action.APPROVE_REMOTE_LEARNING: "Approve an app or platform for remote learning",
    Action.APPROVE_AI_TOOL: "Approve an AI tool",
    Action.MANAGE_TRAINING: "Record staff training",
    Action.VIEW_COMPLIANCE: "See who has acknowledged the policy and been trained",
    Action.DRAFT_POLICY_REVIEW: "Draft the policy's annual review",
    Action.NOTE_POLICY_REVIEW: "Record that the governing body noted the review",
}

STAFF_ROLES = frozenset(Role) - {Role.GOVERNOR, Role.VOLUNTEER}
LEADERS = frozenset({Role.CEO, Role.HEAD})

# The same for every trust: who may do what, by role.
FIXED_RULES: dict[Action, frozenset[Role]] = {
    Action.VIEW_SCHOOL: frozenset(Role),
    Action.VIEW_STAFF: frozenset(Role),
    Action.MANAGE_STAFF: LEADERS | {Role.ADMIN_TEAM},
    Action.VIEW_PUPILS: frozenset(
        {Role.CEO, Role.HEAD, Role.DSL, Role.DEPUTY_DSL, Role.ADMIN_TEAM, Role.TEACHER, Role.SUPPORT_STAFF}
    ),
    Action.MANAGE_PUPILS: frozenset({Role.HEAD, Role.ADMIN_TEAM, Role.DSL}),
    Action.VIEW_AUDIT: frozenset({Role.CEO, Role.HEAD, Role.DSL}),
    Action.REPORT_CONCERN: frozenset(Role),
    Action.VIEW_REPORTS: LEADERS | {Role.GOVERNOR, Role.DSL},
    Action.VIEW_CHANNELS: STAFF_ROLES | {Role.GOVERNOR},
    Action.PROPOSE_CHANNEL: LEADERS | {Role.CHANNEL_ADMIN, Role.ADMIN_TEAM, Role.ESAFETY, Role.IT_SUPPORT, Role.DSL},
    # Drafting is open to staff; posting still needs the channel's authorisation (channels.selectors.can_post).
    Action.WRITE_POST: STAFF_ROLES,
    Action.MANAGE_TRAINING: LEADERS | {Role.ADMIN_TEAM, Role.DSL},
    Action.VIEW_COMPLIANCE: LEADERS | {Role.ADMIN_TEAM, Role.DSL, Role.GOVERNOR},
    # The clerk records it for the board; a governor or trustee holds the role in SafeSocial.
    Action.NOTE_POLICY_REVIEW: frozenset({Role.GOVERNOR}),
}


def _policy_reviewers(p: Policy) -> frozenset[Role | ExtraRole]:
    roles = p.post_reviewer_roles()
    return STAFF_ROLES if roles is None else roles


# Where trusts differ, the policy names the roles.
POLICY_RULES: dict[Action, Callable[[Policy], Iterable[Role | ExtraRole]]] = {
    Action.ADOPT_POLICY: lambda p: p.review.approver.roles,
    Action.APPROVE_CHANNEL: lambda p: p.channels.approvers.roles,
    Action.AUTHORISE_POSTERS: lambda p: p.channels.poster_authoriser.roles,
    Action.REVIEW_POST: _policy_reviewers,
    Action.BREAK_GLASS: lambda p: p.channels.emergency_access,
    # The roles the policy names (003: the PA to the CEO); channel administrators only where it names none.
    Action.MODERATE_COMMENTS: lambda p: p.channels.moderators or [Role.CHANNEL_ADMIN],
    Action.RECEIVE_CONCERNS: lambda p: [
        *p.concerns.report_to,
        *([p.concerns.trust_lead] if p.concerns.trust_lead else []),
    ],
    Action.RECEIVE_STAFF_CONCERNS: lambda p: [p.concerns.about_staff_to, p.concerns.about_head_to],
    Action.MANAGE_ESCALATION: lambda p: p.parents.escalation_managed_by,
    Action.DECIDE_FRIENDSHIP: lambda p: [p.concerns.friendship_decided_by],
    Action.DECIDE_UNBLOCK: lambda p: p.registers.unblock_decided_by.roles,
    Action.DECIDE_REFERRED_UNBLOCK: lambda p: p.registers.unblock_referred_to.roles,
    Action.APPROVE_REMOTE_LEARNING: lambda p: p.registers.remote_learning_approver.roles,
    Action.APPROVE_AI_TOOL: lambda p: p.registers.ai_tools_approver.roles,
    Action.DRAFT_POLICY_REVIEW: lambda p: [*p.review.reminders_to, *p.review.approver.roles],
}

# Actions whose trust-wide form belongs to trust-wide role holders only: a head of one school
# does not adopt the trust's policy.
TRUST_LEVEL = frozenset({Action.ADOPT_POLICY, Action.DRAFT_POLICY_REVIEW})


def allowed_roles(action: Action, policy: Policy) -> frozenset[Role | ExtraRole]:
    """The roles the policy (or SafeSocial) gives this power, with the trust's own roles that act as one of them."""
    named: frozenset[Role | ExtraRole] = frozenset(
        POLICY_RULES[action](policy) if action in POLICY_RULES else FIXED_RULES[action]
    )
    acting = {ExtraRole(key) for key, acts_as in policy.acts_as().items() if acts_as & named}
    return named | acting


def _acts_as(user: User) -> dict[str, frozenset[Role]]:
    try:
        return user.trust.policy.acts_as() if user.trust is not None else {}
    except LookupError:  # a trust still being set up has no policy yet
        return {}


def _assignments(user: User) -> list[tuple[int | None, Role | ExtraRole]]:
    """Every (school id or None, role) the user holds, loaded once per request. A role the trust declared holds, as
    well, the SafeSocial roles it acts as (policy `roles: [{acts_as: [...]}]`)."""
    cached: list[tuple[int | None, Role | ExtraRole]] | None = getattr(user, "_safesocial_roles", None)
    if cached is None:
        cached = [
            (school_id, role_or_key(role)) for school_id, role in user.role_assignments.values_list("school_id", "role")
        ]
        if any(isinstance(role, ExtraRole) for _, role in cached):
            acts_as = _acts_as(user)
            cached += [(sid, acted) for sid, role in list(cached) for acted in sorted(acts_as.get(role, ()))]
        user._safesocial_roles = cached  # type: ignore[attr-defined]
    return cached


def held_roles(user: User) -> list[tuple[int | None, Role | ExtraRole]]:
    """Every (school id or None, role) an active signed-in user holds (with the roles their trust's own roles act
    as), loaded once per request; none for anyone else."""
    return _assignments(user) if getattr(user, "is_authenticated", False) and user.is_active else []


def role_scope(user: User, role: Role | str) -> tuple[bool, set[int]]:
    """(holds the role trust-wide, the ids of the schools where it is held), from the roles loaded once per request."""
    held = held_roles(user)
    return (
        any(sid is None and r == role for sid, r in held),
        {sid for sid, r in held if sid is not None and r == role},
    )


def roles_at(user: User, school: School | None) -> frozenset[Role | ExtraRole]:
    """Roles that count at this school: those held there and those held trust-wide.
    With no school, only trust-wide roles count."""
    school_id = school.pk if school is not None else None
    return frozenset(role for sid, role in held_roles(user) if sid is None or sid == school_id)


def may(user: Any, action: Action, school: School | None = None) -> bool:
    """The one question every view, service and template asks."""
    if not getattr(user, "is_authenticated", False) or user.trust_id is None:
        return False
    # Compared by id: loading the school's trust would cost a query for every row of a list page. The user's own trust
    # object carries its parsed policy once per request.
    if school is not None and school.trust_id != user.trust_id:
        return False
    trust = user.trust
    if action in TRUST_LEVEL and school is not None:
        school = None
    held = roles_at(user, school)
    if not held:
        return False
    return bool(held & allowed_roles(action, trust.policy))


def require(user: Any, action: Action, school: School | None = None) -> None:
    if not may(user, action, school):
        raise PermissionDenied(ACTION_LABELS[action])


def schools_where(user: Any, action: Action):
    """The schools at which the user may do this (a queryset)."""
    if not getattr(user, "is_authenticated", False) or user.trust is None or not user.is_active:
        return School.objects.none()
    allowed = allowed_roles(action, user.trust.policy)
    held = _assignments(user)
    if any(sid is None and role in allowed for sid, role in held):
        return School.objects.filter(trust=user.trust)
    ids = {sid for sid, role in held if sid is not None and role in allowed}
    return School.objects.filter(trust=user.trust, pk__in=ids)


def is_trust_wide(user: Any, action: Action) -> bool:
    """Does the user hold this power across the whole trust (through a trust-wide role)?"""
    return getattr(user, "is_authenticated", False) and may(user, action, None)
