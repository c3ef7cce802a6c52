"""Reads that depend on who is asking. A friendship declaration is seen by its declarer and by those who decide
at its school; an unblock request by its requester and those who decide it; the school's approved platforms and
AI tools by everyone who works there. Anything else is missing (404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from safesocial.hooks import DashboardItem
from safesocial.people.models import RoleAssignment, School, User
from safesocial.permissions import Action, may, schools_where
from safesocial.policy.schema import Policy

from .models import (
    AiToolApproval,
    ApprovalStatus,
    FriendshipDeclaration,
    FriendshipStatus,
    RemoteLearningAssessment,
    UnblockRequest,
    UnblockStatus,
)


def _policy(user: User) -> Policy:
    """The policy of the user's trust: registers are for members of one (an outsider gets 404)."""
    if user.trust is None:
        raise Http404("You are not on the staff of a trust")
    return user.trust.policy


def friendship_register_on(user: User) -> bool:
    return user.trust is not None and user.trust.policy.concerns.friendship_disclosure


def my_schools(user: User) -> QuerySet[School]:
    return schools_where(user, Action.VIEW_SCHOOL)


def friendships_for(user: User) -> QuerySet[FriendshipDeclaration]:
    if not friendship_register_on(user) or user.trust_id is None:
        return FriendshipDeclaration.objects.none()
    deciding = schools_where(user, Action.DECIDE_FRIENDSHIP)
    return (
        FriendshipDeclaration.objects.filter(trust_id=user.trust_id)
        .filter(Q(declarer=user) | Q(school__in=deciding))
        .select_related("school", "declarer", "decided_by")
    )


def friendship_for(user: User, pk: int) -> FriendshipDeclaration:
    declaration = friendships_for(user).filter(pk=pk).first()
    if declaration is None:
        raise Http404("No such declaration")
    return declaration


def unblock_requests_for(user: User) -> QuerySet[UnblockRequest]:
    if user.trust_id is None:
        return UnblockRequest.objects.none()
    deciding = schools_where(user, Action.DECIDE_UNBLOCK)
    referred = schools_where(user, Action.DECIDE_REFERRED_UNBLOCK)
    return (
        UnblockRequest.objects.filter(trust_id=user.trust_id)
        .filter(Q(requested_by=user) | Q(school__in=deciding) | Q(school__in=referred, referred_at__isnull=False))
        .select_related("school", "requested_by", "referred_by", "decided_by")
    )


def unblock_request_for(user: User, pk: int) -> UnblockRequest:
    request = unblock_requests_for(user).filter(pk=pk).first()
    if request is None:
        raise Http404("No such request")
    return request


def remote_learning_for(user: User) -> QuerySet[RemoteLearningAssessment]:
    return RemoteLearningAssessment.objects.filter(school__in=my_schools(user)).select_related(
        "school", "submitted_by", "decided_by"
    )


def ai_tools_for(user: User) -> QuerySet[AiToolApproval]:
    return AiToolApproval.objects.filter(school__in=my_schools(user)).select_related(
        "school", "submitted_by", "decided_by"
    )


def remote_learning_item_for(user: User, pk: int) -> RemoteLearningAssessment:
    item = remote_learning_for(user).filter(pk=pk).first()
    if item is None:
        raise Http404("No such assessment")
    return item


def ai_tool_for(user: User, pk: int) -> AiToolApproval:
    item = ai_tools_for(user).filter(pk=pk).first()
    if item is None:
        raise Http404("No such approval")
    return item


def friendship_advisers(user: User, school: School) -> list[tuple[str, list[User]]]:
    """The roles the policy says a declarer should talk to, with the people who hold them at the school."""
    roles = list(_policy(user).concerns.friendship_discussed_with)
    held = (
        RoleAssignment.objects.filter(role__in=roles, user__is_active=True)
        .filter(Q(school=school) | Q(school__isnull=True, trust_id=school.trust_id))
        .select_related("user")
        .order_by("user__full_name")
    )
    return [(role.label, [a.user for a in held if a.role == role]) for role in roles]


def friendship_decider_label(user: User) -> str:
    return _policy(user).concerns.friendship_decided_by.label


def may_decide(user: User, action: Action, school: School) -> bool:
    return may(user, action, school)


_DECIDERS = {
    Action.DECIDE_UNBLOCK: lambda p: p.registers.unblock_decided_by,
    Action.DECIDE_REFERRED_UNBLOCK: lambda p: p.registers.unblock_referred_to,
    Action.APPROVE_REMOTE_LEARNING: lambda p: p.registers.remote_learning_approver,
    Action.APPROVE_AI_TOOL: lambda p: p.registers.ai_tools_approver,
}


def decider_roles(user: User, action: Action) -> str:
    """Who decides, as a sentence names them: "the CEO and the headteacher", "the DSL or the headteacher"."""
    policy = _policy(user)
    return _DECIDERS[action](policy).describe(policy.role_labels())


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def dashboard_items(user: User) -> list[DashboardItem]:
    """Things waiting for this user's decision, and the user's own declarations that need attention."""
    if not getattr(user, "trust_id", None):
        return []
    today = timezone.localdate()
    url = reverse("registers:index")
    items: list[DashboardItem] = []
    if friendship_register_on(user):
        deciding = schools_where(user, Action.DECIDE_FRIENDSHIP)
        mine = FriendshipDeclaration.objects.filter(declarer=user).exclude(status=FriendshipStatus.WITHDRAWN)
        own_due = mine.filter(Q(reconfirm_due__lt=today) | Q(needs_update_at__isnull=False)).count()
        if own_due:
            items.append(
                DashboardItem(
                    title="Your friendship declarations",
                    text=f"of your declarations {_plural(own_due, 'needs', 'need')} re-confirming or updating.",
                    url=url + "#friendships",
                    link_text="Re-confirm or update",
                    tone="warn",
                    count=own_due,
                )
            )
        if deciding.exists():
            at = FriendshipDeclaration.objects.filter(school__in=deciding).exclude(declarer=user)
            waiting = at.filter(status=FriendshipStatus.AWAITING).count()
            overdue = at.exclude(status=FriendshipStatus.WITHDRAWN).filter(reconfirm_due__lt=today).count()
            if waiting or overdue:
                # The card shows the count as its figure; the text carries on from it.
                text = f"{_plural(waiting, 'declaration waits', 'declarations wait')} for your decision."
                if overdue:
                    text += f" {overdue} {_plural(overdue, 'is', 'are')} overdue for re-confirmation."
                items.append(
                    DashboardItem(
                        title="Friendship declarations",
                        text=text,
                        url=url + "#friendships",
                        link_text="See the declarations",
                        tone="warn",
                        count=waiting,
                    )
                )
    unblock = UnblockRequest.objects.filter(
        Q(school__in=schools_where(user, Action.DECIDE_UNBLOCK), status=UnblockStatus.REQUESTED)
        | Q(school__in=schools_where(user, Action.DECIDE_REFERRED_UNBLOCK), status=UnblockStatus.REFERRED)
    ).exclude(requested_by=user)
    n = unblock.count()
    if n:
        items.append(
            DashboardItem(
                title="Requests to unblock a website",
                text=f"{_plural(n, 'request waits', 'requests wait')} for your decision.",
                url=url + "#unblock",
                link_text="Decide the requests",
                tone="warn",
                count=n,
            )
        )
    for model, action, title, anchor in (
        (RemoteLearningAssessment, Action.APPROVE_REMOTE_LEARNING, "Remote learning risk assessments", "remote"),
        (AiToolApproval, Action.APPROVE_AI_TOOL, "AI tools to approve", "ai-tools"),
    ):
        n = (
            model.objects.filter(school__in=schools_where(user, action), status=ApprovalStatus.SUBMITTED)
            .exclude(submitted_by=user)
            .count()
        )
        if n:
            items.append(
                DashboardItem(
                    title=title,
                    text=f"{_plural(n, 'request waits', 'requests wait')} for your approval.",
                    url=url + f"#{anchor}",
                    link_text="Decide",
                    tone="warn",
                    count=n,
                )
            )
    return items
