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


PUPIL_CHOICES = 20  # the most a pupil search shows: type more of the name to narrow it


def pupils_to_tag(post: Post, query: str = "") -> list[tuple[object, bool, bool]]:
    """Pupils of the post's school to tag a face as, at most PUPIL_CHOICES, as (pupil, has photo consent for social
    media, tagged on the school's earlier posts). Pupils already tagged on earlier posts come first, most recently
    tagged first: taken from staff's tags, never from faces (no biometrics). A query matches a name or a class."""
    from safesocial.consent.models import Purpose
    from safesocial.consent.selectors import consents_for, in_force
    from safesocial.people.models import Pupil

    from .models import FaceKind, FaceTag

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
