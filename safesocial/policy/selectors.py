from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from safesocial import hooks
from safesocial.hooks import DashboardItem
from safesocial.people.models import Trust, User
from safesocial.permissions import Action, may

from .models import OPEN_REVIEW, PolicyReview, PolicyVersion, ReviewStatus


def trust_for(user: User) -> Trust:
    if not user.is_authenticated or user.trust is None:
        raise Http404("You are not on the staff of a trust")
    return user.trust


def versions_for(user: User):
    return PolicyVersion.objects.filter(trust=trust_for(user)).select_related("adopted_by").defer("text")


def version_for(user: User, number: int) -> PolicyVersion:
    version = PolicyVersion.objects.filter(trust=trust_for(user), number=number).first()
    if version is None:
        raise Http404("No such version")
    return version


# The annual review ------------------------------------------------------------------------------------------------


def may_see_reviews(user: User) -> bool:
    return any(may(user, a) for a in (Action.DRAFT_POLICY_REVIEW, Action.ADOPT_POLICY, Action.NOTE_POLICY_REVIEW))


def reviews_for(user: User) -> QuerySet[PolicyReview]:
    """Reviews are for the people the policy names to draft, approve and note them (trust-wide roles)."""
    if not user.is_authenticated or user.trust_id is None or not may_see_reviews(user):
        return PolicyReview.objects.none()
    return PolicyReview.objects.filter(trust_id=user.trust_id).select_related(
        "started_by", "submitted_by", "approved_by", "noted_by", "base_version", "adopted_version"
    )


def review_for(user: User, pk: int) -> PolicyReview:
    review = reviews_for(user).filter(pk=pk).first()
    if review is None:
        raise Http404("No such review")
    return review


def open_review(trust: Trust) -> PolicyReview | None:
    return PolicyReview.objects.filter(trust=trust, status__in=OPEN_REVIEW).first()


def review_history(trust: Trust) -> list[PolicyReview]:
    """Approved reviews, newest first, for the policy pages: who approved each and when the governors noted it."""
    return list(
        PolicyReview.objects.filter(trust=trust, status__in=[ReviewStatus.APPROVED, ReviewStatus.NOTED])
        .select_related("approved_by", "adopted_version")
        .order_by("-approved_at")
    )


@dataclass
class YearInReview:
    """What the year brought, as the review opens: each part from the app that holds it (hooks.REVIEW_PACK: lessons
    from closed concerns, moderation, channels), as HTML."""

    since: dt.date
    until: dt.date
    parts: list[str]


def year_in_review(trust: Trust, since: dt.date, until: dt.date) -> YearInReview:
    return YearInReview(since, until, hooks.panels(hooks.REVIEW_PACK, trust, since, until))


def early_review_reasons(trust: Trust, today: dt.date | None = None) -> list[tuple[dt.date, str]]:
    """Why the review is brought forward before review.next_review, oldest first: guidance the policy names that has
    been published since the version in force was adopted and, where review.early.after_debrief is on, cases closed
    since then with a debrief saying the policy should change. Empty when nothing has happened."""
    today = today or timezone.localdate()
    early = trust.policy.review.early
    if not early.after_debrief and not early.guidance:
        return []
    since = timezone.localtime(trust.policy_version.effective_from).date()
    reasons = [
        (g.published, f"new guidance was published: {g.title}") for g in early.guidance if since < g.published <= today
    ]
    if early.after_debrief:
        for found in hooks.REVIEW_TRIGGERS.call(trust, since):
            reasons.extend(found)
    return sorted(reasons, key=lambda reason: reason[0])


def dashboard_items(user: User) -> list[DashboardItem]:
    """The review is due or overdue; a draft waits for the approver; an approved review waits to be noted."""
    trust = user.trust if user.is_authenticated else None
    if trust is None or not may_see_reviews(user):
        return []
    rules = trust.policy.review
    items = []
    current = (
        PolicyReview.objects.filter(trust=trust)
        .exclude(status=ReviewStatus.NOTED)
        .order_by("-started_at")
        .only("pk", "status")
        .first()
    )
    days = (rules.next_review - timezone.localdate()).days
    drafting = may(user, Action.DRAFT_POLICY_REVIEW)
    if (
        drafting
        and current is None
        and days > max(rules.reminder_days_before)
        and (reasons := early_review_reasons(trust))
    ):
        items.append(
            DashboardItem(
                title="Policy review brought forward",
                text="The social media policy's review is brought forward: "
                + "; ".join(f"{why} ({on:%-d %B %Y})" for on, why in reasons)
                + ".",
                url=reverse("policy:reviews"),
                link_text="Start the review",
                tone="warn",
            )
        )
    if (
        drafting
        and (current is None or current.status != ReviewStatus.SUBMITTED)
        and days <= max(rules.reminder_days_before)
    ):
        draft = current if current is not None and current.status == ReviewStatus.DRAFT else None
        in_progress = draft is not None
        when = (
            f"was due on {rules.next_review:%-d %B %Y}, {-days} day{pluralize(-days)} ago"
            if days < 0
            else f"is due on {rules.next_review:%-d %B %Y}, in {days} day{pluralize(days)}"
        )
        items.append(
            DashboardItem(
                title="Policy review overdue" if days < 0 else "Policy review due",
                text=f"The social media policy's review {when}." + (" A draft is in progress." if in_progress else ""),
                url=reverse("policy:review", args=[draft.pk]) if draft is not None else reverse("policy:reviews"),
                link_text="Carry on with the draft" if in_progress else "Start the review",
                tone="bad" if days < 0 else "warn",
            )
        )
    if current is not None and current.status == ReviewStatus.SUBMITTED and may(user, Action.ADOPT_POLICY):
        items.append(
            DashboardItem(
                title="Policy review waiting for your approval",
                text="A reviewed draft of the social media policy waits for your approval.",
                url=reverse("policy:review", args=[current.pk]),
                link_text="Read and decide",
                tone="warn",
            )
        )
    if current is not None and current.status == ReviewStatus.APPROVED and may(user, Action.NOTE_POLICY_REVIEW):
        items.append(
            DashboardItem(
                title="Policy review waiting to be noted",
                text=f"The reviewed policy was approved: record when the {rules.noted_by or 'governing body'} "
                "noted it.",
                url=reverse("policy:review", args=[current.pk]),
                link_text="Record the meeting",
                tone="warn",
            )
        )
    return items
