"""The dashboard: what each person needs to see first, decided by their roles and the policy."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safesocial import hooks
from safesocial.audit.selectors import chain_head
from safesocial.channels.selectors import awaiting_signoff_for, reviews_due_for
from safesocial.concerns.selectors import concerns_for
from safesocial.moderation.selectors import comments_for, inbox_counts
from safesocial.people.selectors import (
    safeguarding_contacts_at,
    school_summaries,
    schools_for,
    schools_without_dsl,
    trust_figures,
)
from safesocial.permissions import Action, may, roles_at, schools_where
from safesocial.policy.explain import STAFF_USE
from safesocial.publishing.models import PostStatus
from safesocial.publishing.selectors import awaiting_review_by, posts_for


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.trust_id is None:
        if user.is_superuser:
            return redirect("setup:trust")
        return render(request, "dashboard_no_trust.html", {"title": "Dashboard"})
    trust = user.trust
    policy = trust.policy
    version = trust.policy_version
    my_schools = list(schools_for(user))
    assignments = list(user.role_assignments.select_related("school"))
    today = timezone.localdate()
    days_to_review = (policy.review.next_review - today).days

    panels = {
        "review": may(user, Action.ADOPT_POLICY)
        or bool(set(policy.review.approver.roles) & roles_at(user, None))
        or any(r in roles_at(user, None) for r in policy.review.reminders_to),
        "channels_approver": list(schools_where(user, Action.APPROVE_CHANNEL)),
        "authoriser": list(schools_where(user, Action.AUTHORISE_POSTERS)),
        "concerns": list(schools_where(user, Action.RECEIVE_CONCERNS)),
        "staff_concerns": list(schools_where(user, Action.RECEIVE_STAFF_CONCERNS)),
        "manage_staff": list(schools_where(user, Action.MANAGE_STAFF)),
    }
    figures, my_school_rows = None, []
    if not (may(user, Action.VIEW_PUPILS) or may(user, Action.MANAGE_STAFF)):
        my_school_rows = [row for row in school_summaries(user) if row["roles"]]
    else:
        figures = {"schools": len(my_schools), **trust_figures(trust)}
    dsl_gaps = schools_without_dsl(panels["manage_staff"]) if panels["manage_staff"] else []
    contacts = safeguarding_contacts_at([school for school in my_schools if _holds_role_at(assignments, school)])
    audit_head = chain_head(user)
    work = {
        "to_review": awaiting_review_by(user).count(),
        "to_sign": list(awaiting_signoff_for(user)),
        "reviews_due": list(reviews_due_for(user)),
        "failed": posts_for(user).filter(author=user, status=PostStatus.FAILED).count(),
        "returned": posts_for(user).filter(author=user, status=PostStatus.REJECTED).count(),
        "comments": inbox_counts(comments_for(user)),
        "concerns": concerns_for(user).filter(status="open").count(),
    }
    # Each part of the policy adds its cards (hooks.DASHBOARD_CARDS), filled from the apps' AppConfig.ready().
    items = [item for cards in hooks.DASHBOARD_CARDS.call(user) for item in cards]
    # What needs action comes first, the worst first; the cards that only inform are folded below (issue 19: a DSL's
    # dashboard was 4,700 px tall on a phone).
    to_act = sorted((i for i in items if not i.banner and i.tone in ("bad", "warn")), key=lambda i: i.tone != "bad")
    to_read = [i for i in items if not i.banner and i.tone not in ("bad", "warn")]
    return render(
        request,
        "dashboard.html",
        {
            "title": "Dashboard",
            "trust": trust,
            "policy": policy,
            "version": version,
            "assignments": assignments,
            "days_to_review": days_to_review,
            "panels": panels,
            "figures": figures,
            "my_school_rows": my_school_rows,
            "dsl_gaps": dsl_gaps,
            "contacts": contacts,
            "staff_use": STAFF_USE[policy.personal_use.staff_in_school_hours],
            "audit_head": audit_head,
            "work": work,
            "items": items,
            "to_act": to_act,
            "to_read": to_read,
            # The policy app's own card says when a review is due and links to it; this one is for the quiet months.
            "review_card": any(item.title.startswith("Policy review") for item in items),
        },
    )


def _holds_role_at(assignments, school) -> bool:
    return any(a.school_id in (None, school.pk) for a in assignments)
