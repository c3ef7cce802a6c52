"""Reads of posts that depend on who is asking. Drafts are the author's own; other posts are seen by
staff of the school they are for."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.http import Http404

from safesocial.people.models import User
from safesocial.permissions import Action, is_trust_wide, schools_where

from .models import Post, PostStatus


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
    return post


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


def open_withdrawal_decisions_for(user: User):
    """Posts waiting for a decision after a consent withdrawal, for the DSLs of their school and the owners of their
    channels."""
    from .models import WithdrawalDecision

    if not user.is_authenticated or user.trust_id is None:
        return WithdrawalDecision.objects.none()
    scope = Q(post__school__in=schools_where(user, Action.RECEIVE_CONCERNS)) | Q(post__deliveries__channel__owner=user)
    return (
        WithdrawalDecision.objects.filter(post__trust_id=user.trust_id, decision="")
        .filter(scope)
        .distinct()
        .select_related("post")
    )


def dashboard_items(user: User) -> list:
    from django.urls import reverse
    from django.utils import timezone

    from safesocial.dashboard import DashboardItem

    decisions = list(open_withdrawal_decisions_for(user))
    if not decisions:
        return []
    overdue = any(d.due_on < timezone.localdate() for d in decisions)
    first = min(decisions, key=lambda d: d.due_on)
    return [
        DashboardItem(
            title="Posts to decide on after a consent withdrawal",
            text=f"{len(decisions)} published post{'s' if len(decisions) != 1 else ''} relied on a consent a parent "
            f"withdrew: take each down or say why it stays, by {first.due_on:%d/%m/%Y}.",
            url=reverse("publishing:detail", args=[first.post_id]),
            link_text="Decide",
            tone="bad" if overdue else "warn",
            count=len(decisions),
        )
    ]
