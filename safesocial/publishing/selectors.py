"""Reads of posts that depend on who is asking. Drafts are the author's own; other posts are seen by
staff of the school they are for."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from safesocial.channels.selectors import channels_of, people_of
from safesocial.consent.models import Purpose
from safesocial.consent.selectors import consents_for, in_force
from safesocial.hooks import DashboardItem
from safesocial.people.models import Pupil, RoleAssignment, School, Trust, User
from safesocial.people.roles import Role
from safesocial.permissions import Action, allowed_roles, is_trust_wide, role_scope, roles_at, schools_where

from .models import (
    Delivery,
    DeliveryStatus,
    FaceKind,
    FaceTag,
    Post,
    PostStatus,
    Suggestion,
    SuggestionStatus,
    TakeDown,
    WithdrawalDecision,
)


def posts_for(user: User) -> QuerySet[Post]:
    if not user.is_authenticated or user.trust_id is None:
        return Post.objects.none()
    schools = schools_where(user, Action.VIEW_CHANNELS)
    scope = Q(school__in=schools) | Q(school__isnull=True)
    visible = Post.objects.filter(trust_id=user.trust_id).filter(scope)
    return visible.filter(~Q(status=PostStatus.DRAFT) | Q(author=user)).select_related("author", "school")


def post_for(user: User, pk: int) -> Post:
    post = posts_for(user).filter(pk=pk).first()
    if post is None:
        raise Http404("No such post")
    trust = user.trust  # loaded already: posts_for asked the policy who may see what
    if trust is not None and post.trust_id == trust.pk:
        # The same row, with its policy, for this request: the post's page asks the policy again through post.trust,
        # which would load both a second time.
        post.trust = trust
    return post


# What a row of the post lists shows (publishing/list.html): the first line, status, when and who wrote it.
LIST_FIELDS = (
    "id",
    "text",
    "status",
    "findings",
    "published_at",
    "scheduled_for",
    "author__full_name",
    "author__email",
)


def list_rows(posts: QuerySet[Post], limit: int = 200) -> list[Post]:
    """The posts of a list page, each with `channel_names`: two queries however many rows, and only the columns a row
    shows (a post's page loads the rest)."""
    rows = list(posts.select_related(None).select_related("author").only(*LIST_FIELDS)[:limit])
    names: dict[int, list[str]] = {}
    deliveries = Delivery.objects.filter(post_id__in=[p.pk for p in rows]).order_by("channel__name", "channel_id")
    for post_id, name in deliveries.values_list("post_id", "channel__name"):
        names.setdefault(post_id, []).append(name)
    for post in rows:
        post.channel_names = names.get(post.pk, [])  # type: ignore[attr-defined]
    return rows


def awaiting_review_by(user: User) -> QuerySet[Post]:
    """Posts in review at schools where the policy lets this user review, not written by them (nor the version
    in review edited by them)."""
    if not user.is_authenticated or user.trust_id is None:
        return Post.objects.none()
    schools = schools_where(user, Action.REVIEW_POST)
    scope = Q(school__in=schools)
    if is_trust_wide(user, Action.REVIEW_POST):
        scope |= Q(school__isnull=True)
    return (
        Post.objects.filter(trust_id=user.trust_id, status=PostStatus.IN_REVIEW)
        .filter(scope)
        .exclude(author=user)
        .exclude(edited_by=user)
        .exclude(reviews__reviewer=user, reviews__post_version=F("version"))
        .select_related("author", "school")
        .order_by("submitted_at")
    )


def calendar_posts(user: User, start: dt.datetime, end: dt.datetime, school=None) -> QuerySet[Post]:
    when = Q(scheduled_for__gte=start, scheduled_for__lt=end) | Q(
        scheduled_for__isnull=True, published_at__gte=start, published_at__lt=end
    )
    qs = posts_for(user).filter(when).exclude(status__in=[PostStatus.DRAFT, PostStatus.WITHDRAWN])
    if school is not None:
        qs = qs.filter(school=school)
    return qs.prefetch_related("channels")


def published_posts_featuring(pupil: Pupil, how: str | None = None) -> QuerySet[Post]:
    """Published posts naming the pupil or showing their (unblurred) face."""
    featured = {"featured__pupil": pupil} | ({"featured__how": how} if how else {})
    return (
        Post.objects.filter(status=PostStatus.PUBLISHED, **featured)
        .distinct()
        .prefetch_related("channels", "deliveries")
        .order_by("-published_at")
    )


# How a published post relies on each purpose: official social media covers every post that names or shows the child
# (all SafeSocial's channels are social media); the name consents cover the posts that name them. Website and press
# consents cover no post SafeSocial publishes; face matching is never published.
RELIED_ON_BY: dict[str, str | None] = {
    Purpose.SOCIAL_MEDIA: None,
    Purpose.NAME_WITH_PHOTO: "named",
    Purpose.FIRST_NAME_ONLY: "named",
}


def posts_relying_on(pupil: Pupil, purpose: str) -> QuerySet[Post]:
    """The published posts that needed this consent of this pupil: a withdrawal puts each up for a decision."""
    if purpose not in RELIED_ON_BY:
        return Post.objects.none()
    return published_posts_featuring(pupil, RELIED_ON_BY[purpose])


def eligible_reviewers(post: Post) -> QuerySet[User]:
    """Everyone the policy allows to read this post before it goes out, except its author and whoever wrote
    its current version."""
    roles = allowed_roles(Action.REVIEW_POST, post.trust.policy)
    where = Q(school__isnull=True) | Q(school_id=post.school_id)
    user_ids = RoleAssignment.objects.filter(where, trust=post.trust, role__in=list(roles)).values("user_id")
    reviewers = User.objects.filter(pk__in=user_ids, is_active=True).exclude(pk__in=[post.author_id, post.edited_by_id])
    return reviewers.order_by("full_name")


def open_withdrawal_decisions_for(user: User):
    """Posts waiting for a decision after a consent withdrawal, for the DSLs of their school and the owners of their
    channels."""
    if not user.is_authenticated or user.trust_id is None:
        return WithdrawalDecision.objects.none()
    scope = Q(post__school__in=schools_where(user, Action.RECEIVE_CONCERNS)) | Q(post__deliveries__channel__owner=user)
    return (
        WithdrawalDecision.objects.filter(post__trust_id=user.trust_id, decision="")
        .filter(scope)
        .distinct()
        .select_related("post")
    )


def dashboard_items(user: User) -> list[DashboardItem]:
    return [*_withdrawal_items(user), *_by_hand_items(user), *_suggestion_items(user)]


def _withdrawal_items(user: User) -> list[DashboardItem]:
    decisions = list(open_withdrawal_decisions_for(user))
    if not decisions:
        return []
    overdue = any(d.due_on < timezone.localdate() for d in decisions)
    first = min(decisions, key=lambda d: d.due_on)
    return [
        DashboardItem(
            title="Posts to decide on after a consent withdrawal",
            text=f"published post{'s' if len(decisions) != 1 else ''} relied on a consent a parent "
            f"withdrew: take each down or say why it stays, by {first.due_on:%d/%m/%Y}.",
            url=reverse("publishing:detail", args=[first.post_id]),
            link_text="Decide",
            tone="bad" if overdue else "warn",
            count=len(decisions),
        )
    ]


def to_publish_by_hand(user: User) -> QuerySet[Delivery]:
    """Approved posts due now on the channels this user runs or posts to that are published by hand (closed groups),
    waiting for someone to publish them and record the link; the oldest first."""
    if not user.is_authenticated or user.trust_id is None:
        return Delivery.objects.none()
    return (
        Delivery.objects.filter(
            status=DeliveryStatus.MANUAL, due_at__lte=timezone.now(), channel__in=channels_of(user).values("pk")
        )
        .select_related("post", "channel")
        .order_by("due_at", "pk")
    )


def _by_hand_items(user: User) -> list[DashboardItem]:
    waiting = list(to_publish_by_hand(user)[:100])
    if not waiting:
        return []
    first = waiting[0]
    late = first.due_at is not None and first.due_at < timezone.now() - dt.timedelta(days=1)
    n = len(waiting)
    return [
        DashboardItem(
            title="Posts to publish by hand",
            # The count is shown beside the sentence (`count`), so the sentence starts after it.
            text=f"approved post{'s' if n != 1 else ''} for a channel published by hand "
            f"({first.channel}{' and others' if len({d.channel_id for d in waiting}) > 1 else ''}) "
            f"{'wait' if n != 1 else 'waits'} for you: publish {'each' if n != 1 else 'it'} there, then record "
            "the link.",
            url=reverse("publishing:detail", args=[first.post_id]) + "#by-hand",
            link_text="Publish and record",
            tone="bad" if late else "warn",
            count=n,
        )
    ]


def manual_waiting_on(channel) -> QuerySet[Delivery]:
    """The channel's approved posts waiting to be published by hand, the oldest first (due now or later)."""
    return (
        Delivery.objects.filter(channel=channel, status=DeliveryStatus.MANUAL)
        .select_related("post")
        .order_by("due_at", "pk")
    )


# Take-downs, for the pages of a pupil and of a channel ---------------------------------------------------------


def take_downs_featuring(pupil: Pupil) -> QuerySet[TakeDown]:
    """Every take-down of a post that named or showed the pupil, newest first."""
    return (
        TakeDown.objects.filter(delivery__post__featured__pupil=pupil)
        .distinct()
        .select_related("delivery__post", "delivery__channel", "requested_by", "confirmed_by")
        .order_by("-requested_at")
    )


def take_downs_on(channel) -> QuerySet[TakeDown]:
    """Every take-down on the channel, newest first."""
    return (
        TakeDown.objects.filter(delivery__channel=channel)
        .select_related("delivery__post", "delivery__channel", "requested_by", "confirmed_by")
        .order_by("-requested_at")
    )


# Suggestions ---------------------------------------------------------------------------------------------------------


def role_holders(trust, school, role: str) -> QuerySet[User]:
    """The active holders of a role at a school (or across the trust), as the policy's roles count there."""
    where = Q(school__isnull=True) | Q(school_id=school.pk if school else None)
    holders = RoleAssignment.objects.filter(where, trust=trust, role=role).values("user_id")
    return User.objects.filter(pk__in=holders, is_active=True).order_by("full_name")


def suggestion_deciders(suggestion: Suggestion) -> QuerySet[User]:
    """Who decides on a suggestion now: while it is open, the holders of the role the policy named for it
    (posts.suggestions_to, kept on the suggestion as `to_role`); when it named nobody, or once that person agreed, the
    channel's owner and authorised posters."""
    if suggestion.status == SuggestionStatus.OPEN and suggestion.to_role:
        return role_holders(suggestion.trust, suggestion.school, suggestion.to_role)
    if suggestion.status in (SuggestionStatus.OPEN, SuggestionStatus.AGREED):
        return people_of(suggestion.channel)
    return User.objects.none()


def may_decide_suggestion(user: User, suggestion: Suggestion) -> bool:
    if suggestion.trust_id != user.trust_id:
        return False
    if suggestion.status == SuggestionStatus.OPEN and suggestion.to_role:
        return suggestion.to_role in roles_at(user, suggestion.school)
    if suggestion.status in (SuggestionStatus.OPEN, SuggestionStatus.AGREED):
        return channels_of(user).filter(pk=suggestion.channel_id).exists()
    return False


def _waiting_scope(user: User) -> Q:
    """The suggestions waiting for this user's decision, as a filter (as may_decide_suggestion decides one)."""
    mine = Q(channel__in=channels_of(user).values("pk"))
    scope = (Q(status=SuggestionStatus.OPEN, to_role="") | Q(status=SuggestionStatus.AGREED)) & mine
    for role in Role:  # the roles the user holds, read once per request (permissions.role_scope)
        trust_wide, schools = role_scope(user, role)
        if trust_wide or schools:
            held = Q(status=SuggestionStatus.OPEN, to_role=role.value)
            scope |= held if trust_wide else held & Q(school_id__in=sorted(schools))
    return scope


def suggestions_waiting_for(user: User) -> QuerySet[Suggestion]:
    if not user.is_authenticated or user.trust_id is None:
        return Suggestion.objects.none()
    return (
        Suggestion.objects.filter(trust_id=user.trust_id)
        .filter(_waiting_scope(user))
        .select_related("channel", "suggested_by")
        .order_by("created_at")
    )


def suggestions_for(user: User) -> QuerySet[Suggestion]:
    """The suggestions a person may read: their own, those waiting for their decision, those they decided, and those
    for the channels they run or post to."""
    if not user.is_authenticated or user.trust_id is None:
        return Suggestion.objects.none()
    scope = (
        Q(suggested_by=user)
        | _waiting_scope(user)
        | Q(agreed_by=user)
        | Q(decided_by=user)
        | Q(channel__in=channels_of(user).values("pk"))
    )
    return (
        Suggestion.objects.filter(trust_id=user.trust_id)
        .filter(scope)
        .select_related("channel", "suggested_by", "decided_by", "agreed_by", "post")
    )


def suggestion_for(user: User, pk: int) -> Suggestion:
    suggestion = suggestions_for(user).filter(pk=pk).first()
    if suggestion is None:
        raise Http404("No such suggestion")
    return suggestion


def _suggestion_items(user: User) -> list[DashboardItem]:
    waiting = list(suggestions_waiting_for(user)[:100])
    if not waiting:
        return []
    n = len(waiting)
    return [
        DashboardItem(
            title="Suggestions for posts",
            text=f"suggestion{'s' if n != 1 else ''} for a post from colleagues "
            f"{'wait' if n != 1 else 'waits'} for your decision: turn each into a draft, or decline it with a note.",
            url=reverse("publishing:suggestions"),
            link_text="Decide",
            tone="warn",
            count=n,
        )
    ]


PUPIL_CHOICES = 20  # the most a pupil search shows: type more of the name to narrow it


def pupils_to_tag(post: Post, query: str = "") -> list[tuple[object, bool, bool]]:
    """Pupils of the post's school to tag a face as, at most PUPIL_CHOICES, as (pupil, has photo consent for social
    media, tagged on the school's earlier posts). Pupils already tagged on earlier posts come first, most recently
    tagged first: taken from staff's tags, never from faces (no biometrics). A query matches a name or a class."""
    if post.school_id is None:  # a trust-wide post: no school's pupils to choose from
        return []
    pupils = Pupil.objects.filter(school_id=post.school_id, on_roll=True)
    for word in query.split():
        pupils = pupils.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(class_name__iexact=word)
            | Q(year_group__iexact=word.removeprefix("Y").removeprefix("y"))
        )
    earlier = (
        FaceTag.objects.filter(image__post__school_id=post.school_id, kind=FaceKind.PUPIL, pupil__in=pupils)
        .exclude(image__post=post)
        .order_by("-tagged_at")
        .values_list("pupil_id", flat=True)
    )
    seen = list(dict.fromkeys(earlier[:500]))[:PUPIL_CHOICES]
    by_id = pupils.in_bulk(seen)
    chosen = [by_id[pk] for pk in seen if pk in by_id]
    if len(chosen) < PUPIL_CHOICES:
        rest = pupils.exclude(pk__in=seen).order_by("last_name", "first_name")
        chosen += list(rest[: PUPIL_CHOICES - len(chosen)])
    records = consents_for(chosen)
    return [(p, in_force(records.get(p.pk, {}), Purpose.SOCIAL_MEDIA), p.pk in by_id) for p in chosen]


# For the governors' report: figures, never the text of a post -----------------------------------------------------


def published_between(trust: Trust, school: School | None, start: dt.datetime, end: dt.datetime):
    """The trust's posts published between start and end (at one school, or all), as (school_id, category,
    submitted_at, approved_at) rows."""
    qs = Post.objects.filter(trust=trust, status=PostStatus.PUBLISHED, published_at__gte=start, published_at__lt=end)
    if school is not None:
        qs = qs.filter(school=school)
    return qs.values_list("school_id", "category", "submitted_at", "approved_at")
