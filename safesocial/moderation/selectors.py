import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from safesocial.hooks import DashboardItem
from safesocial.people.models import RoleAssignment, School, Trust, User
from safesocial.permissions import Action, allowed_roles, is_trust_wide, schools_where

from .models import Action as ModerationAction
from .models import Comment, CommentStatus, ModerationEvent, Offender


def comments_for(user: User) -> QuerySet[Comment]:
    """Comments on the channels of the schools where the policy lets this user moderate."""
    if not user.is_authenticated or user.trust_id is None:
        return Comment.objects.none()
    scope = Q(channel__school__in=schools_where(user, Action.MODERATE_COMMENTS))
    if is_trust_wide(user, Action.MODERATE_COMMENTS):
        scope |= Q(channel__school__isnull=True)
    return Comment.objects.filter(channel__trust_id=user.trust_id).filter(scope).select_related("channel__school")


def review_deadline(user: User) -> dt.datetime | None:
    """Policy `moderation.remove_within_hours`: a comment received before this moment and still waiting for a
    moderator is late. None where the policy sets no limit."""
    trust = user.trust if user.is_authenticated else None
    if trust is None:
        return None
    hours = trust.policy.moderation.remove_within_hours
    return None if hours is None else timezone.now() - dt.timedelta(hours=hours)


def late_for_review(user: User) -> QuerySet[Comment]:
    """The comments this user moderates that have waited for a moderator longer than the policy allows."""
    deadline = review_deadline(user)
    if deadline is None:
        return Comment.objects.none()
    # A comment SafeSocial already hid is down: only those still up and waiting for a person can be late.
    return comments_for(user).filter(WAITING, received_at__lt=deadline)


def dashboard_items(user: User) -> list[DashboardItem]:
    """Chases the comments left waiting past the policy's `remove_within_hours`; nothing where it sets no limit."""
    trust = user.trust if user.is_authenticated else None
    hours = trust.policy.moderation.remove_within_hours if trust is not None else None
    if hours is None:
        return []
    late = late_for_review(user).count()
    if not late:
        return []
    return [
        DashboardItem(
            title="Comments waiting too long",
            text=f"{'comment has' if late == 1 else 'comments have'} waited longer than the policy's {hours} "
            "hours for a moderator.",
            url=reverse("moderation:inbox") + "?show=late",
            link_text="Deal with them now",
            tone="bad",
            count=late,
        )
    ]


# What the inbox counts. A comment still needs a person while it is up on the platform and flagged; one SafeSocial hid
# is counted apart, for a moderator to check the hiding (or show it again); a possible disclosure passed to the DSL is
# neither: the DSL decides what happens to it, and it stays hidden.
WAITING = Q(needs_review=True, status=CommentStatus.VISIBLE)
TO_CHECK = Q(needs_review=True, status=CommentStatus.HIDDEN, kept_for_concern=False)


def inbox_counts(comments: QuerySet[Comment]) -> dict[str, int]:
    """How many of these comments wait for a moderator, and how many SafeSocial hid for one to check, in one query.
    Both kinds are flagged for review, so only the flagged few are read (`comment_flagged_idx`), not every comment."""
    flagged = comments.filter(needs_review=True)
    return flagged.aggregate(waiting=Count("pk", filter=WAITING), to_check=Count("pk", filter=TO_CHECK))


def comment_for(user: User, pk: int) -> Comment:
    comment = comments_for(user).filter(pk=pk).first()
    if comment is None:
        raise Http404("No such comment")
    return comment


def offenders_for(user: User) -> QuerySet[Offender]:
    if not user.is_authenticated or user.trust_id is None:
        return Offender.objects.none()
    if not schools_where(user, Action.MODERATE_COMMENTS).exists():
        return Offender.objects.none()
    return (
        Offender.objects.filter(trust_id=user.trust_id, block_proposed_at__isnull=False)
        .select_related("parent")
        .prefetch_related("escalations")
    )


def offender_for(user: User, pk: str | int) -> Offender:
    """One repeat offender, whose comments a moderator opens from the list; anything else is missing (404)."""
    try:
        offender = offenders_for(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        offender = None
    if offender is None:
        raise Http404("No such author")
    return offender


def comments_behind_escalation(user: User, offender: Offender) -> QuerySet[Comment]:
    """The comments by a repeat offender, newest first, for whoever the policy lets take parents through the
    escalation steps (`parents.escalation_managed_by`) at the school: they judge the proposal moderation made without
    being moderators. A comment kept for a safeguarding concern stays with the DSL's concern, not here."""
    if not user.is_authenticated or user.trust_id != offender.trust_id:
        return Comment.objects.none()
    return (
        Comment.objects.filter(
            channel__trust_id=offender.trust_id,
            channel__school__in=schools_where(user, Action.MANAGE_ESCALATION),
            channel__platform=offender.platform,
            author_id=offender.author_id,
            kept_for_concern=False,
        )
        .select_related("channel")
        .order_by("-received_at")
    )


def moderator_roles(user: User) -> list[str]:
    """The roles the trust's policy names to moderate comments on its channels, as people call them."""
    if not user.is_authenticated or user.trust is None:
        return []
    return sorted(role.label for role in allowed_roles(Action.MODERATE_COMMENTS, user.trust.policy))


def moderators_near(user: User) -> QuerySet[RoleAssignment]:
    """Who moderates comments at the schools this user works in, and across the trust: the people to tell about
    a comment when the user does not moderate any channel themselves."""
    trust = user.trust if user.is_authenticated else None
    if trust is None:
        return RoleAssignment.objects.none()
    roles = [role.value for role in allowed_roles(Action.MODERATE_COMMENTS, trust.policy)]
    return (
        RoleAssignment.objects.filter(trust=trust, user__is_active=True, role__in=roles)
        .filter(Q(school__in=schools_where(user, Action.VIEW_SCHOOL)) | Q(school__isnull=True))
        .select_related("user", "school")
        .order_by("school__name", "user__full_name", "role")
    )


@dataclass(frozen=True)
class Queue:
    key: str  # a school's key, or "trust" for the trust's own channels
    name: str
    waiting: int | None  # None where it was not counted: with one queue there are no tabs to show it on
    to_check: int | None = None  # hidden by SafeSocial, for a moderator to check


def queues_for(user: User) -> list[Queue]:
    """One queue per school the user moderates, and one for the trust's own channels. How many wait in each is
    counted, in one grouped query on the comments' own channels, only when there are queues to choose between."""
    places: list[tuple[int | None, str, str]] = [
        (s.pk, s.key, s.name) for s in schools_where(user, Action.MODERATE_COMMENTS).only("pk", "key", "name")
    ]
    if is_trust_wide(user, Action.MODERATE_COMMENTS):
        places.append((None, "trust", "The trust's own channels"))
    if len(places) < 2:
        return [Queue(key, name, None) for _, key, name in places]
    counts: dict[int | None, tuple[int, int]] = {
        school: (waiting, to_check)
        for school, waiting, to_check in comments_for(user)
        .filter(needs_review=True)
        .values_list("channel__school_id")
        .annotate(waiting=Count("id", filter=WAITING), to_check=Count("id", filter=TO_CHECK))
        .values_list("channel__school_id", "waiting", "to_check")
    }
    return [Queue(key, name, *counts.get(pk, (0, 0))) for pk, key, name in places]


def strikes_of(offender: Offender) -> int:
    """Hidden or deleted comments by this author within the policy's window; disclosures never count."""
    window = offender.trust.policy.moderation.repeat_offender_window_days
    return (
        Comment.objects.filter(
            channel__trust=offender.trust,
            channel__platform=offender.platform,
            author_id=offender.author_id,
            status__in=[CommentStatus.HIDDEN, CommentStatus.DELETED],
            received_at__gte=timezone.now() - dt.timedelta(days=window),
        )
        .exclude(suggested_action="escalate")
        .count()
    )


def hidden_comments_by_author(trust_id: int, since: dt.datetime):
    """Hidden comments on the trust's channels since then, counted per author as (channel__platform, author_name,
    author_id, n) rows: for the safeguarding patterns, which count accounts, never read comments."""
    return (
        Comment.objects.filter(channel__trust_id=trust_id, status=CommentStatus.HIDDEN, received_at__gte=since)
        .values("channel__platform", "author_name", "author_id")
        .annotate(n=Count("id"))
    )


def blocked_offenders(trust_id: int):
    """The trust's blocked authors as (platform, author_name, author_id, parent_id) rows."""
    return Offender.objects.filter(trust_id=trust_id, blocked_at__isnull=False).values(
        "platform", "author_name", "author_id", "parent_id"
    )


# For the governors' report: figures, never the words of a comment -------------------------------------------------


def comments_between(trust: Trust, school: School | None, start: dt.datetime, end: dt.datetime):
    """Comments received on the trust's channels (at one school, or all) between start and end, as (school_id,
    classification, received_at, first action at, first action by a person at) rows."""
    comments = Comment.objects.filter(channel__trust=trust, received_at__gte=start, received_at__lt=end)
    if school is not None:
        comments = comments.filter(channel__school=school)
    return comments.annotate(
        first_at=Min("events__at"), person_at=Min("events__at", filter=Q(events__actor__isnull=False))
    ).values_list("channel__school_id", "classification", "received_at", "first_at", "person_at")


def actions_between(trust: Trust, school: School | None, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """How many times each moderation action succeeded between start and end, by the action's label."""
    events = ModerationEvent.objects.filter(comment__channel__trust=trust, at__gte=start, at__lt=end, ok=True)
    if school is not None:
        events = events.filter(comment__channel__school=school)
    counts = events.values("action").annotate(n=Count("pk")).order_by()
    return {ModerationAction(row["action"]).label: row["n"] for row in counts}
