from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from safesocial import hooks
from safesocial.channels.models import Channel, ChannelStatus
from safesocial.permissions import Action as Perm
from safesocial.permissions import may, schools_where
from safesocial.platforms.webhooks import (
    WebhookPayloadError,
    is_stale,
    read_meta_delivery,
    subscription_challenge,
    verify_meta_signature,
)
from safesocial.policy.schema import DEFAULT_COMPLAINT_REPLY
from safesocial.views_kit import query_without_page, run_service

from . import selectors, services
from .explain import actions_for, done_words, explain, marked_text, platform_name
from .models import Action
from .thresholds import thresholds_from_policy

# The reply offered where the policy writes none of its own (`moderation.complaint_reply`).
COMPLAINT_REPLY = DEFAULT_COMPLAINT_REPLY

# Comments a page of the inbox shows. Pages go to older comments without counting them all: a trust's channels hold
# a million, and the tabs already say how many wait.
INBOX_PAGE = 50


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) < 100_000 else 1


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    queues = selectors.queues_for(request.user)
    if not queues:
        # Nobody's comments are waiting for this user: say whose job it is rather than "nothing waiting".
        return render(
            request,
            "moderation/inbox.html",
            {
                "queues": queues,
                "moderator_roles": selectors.moderator_roles(request.user),
                "moderators": selectors.moderators_near(request.user),
                "title": "Comments",
            },
        )
    comments = selectors.comments_for(request.user)
    queue = request.GET.get("queue", "")
    if queue:
        if queue not in {q.key for q in queues}:
            raise Http404
        comments = (
            comments.filter(channel__school__key=queue)
            if queue != "trust"
            else comments.filter(channel__school__isnull=True)
        )
    author = request.GET.get("author", "")
    offender = selectors.offender_for(request.user, author) if author else None
    if offender is not None:
        comments = comments.filter(channel__platform=offender.platform, author_id=offender.author_id)
    view = request.GET.get("show", "all" if offender else "review")
    deadline = selectors.review_deadline(request.user)
    counts = selectors.inbox_counts(comments)
    if view == "review":
        comments = comments.filter(selectors.WAITING)
    elif view == "check":
        comments = comments.filter(selectors.TO_CHECK)
    elif view == "late":  # the policy's remove_within_hours; none set, nothing is late
        comments = comments.filter(selectors.WAITING, received_at__lt=deadline) if deadline else comments.none()
    elif view == "hidden":
        comments = comments.filter(status="hidden")
    elif view != "all":
        raise Http404
    number = _page_number(request.GET.get("page"))
    start = (number - 1) * INBOX_PAGE
    # Newest first, and the id settles ties, so that a comment is on one page only.
    shown = list(comments.order_by("-received_at", "-pk")[start : start + INBOX_PAGE + 1])  # one more: an older page?
    has_next = len(shown) > INBOX_PAGE
    shown = shown[:INBOX_PAGE]
    thresholds = thresholds_from_policy(request.user.trust.policy.moderation)
    for comment in shown:
        comment.masked = _masked(request.user, comment)
        comment.explained = explain(comment, thresholds=thresholds, masked=comment.masked)
    if offender is not None:
        # A possible disclosure is never tied to a named author for someone the policy does not name for concerns.
        shown = [c for c in shown if not c.masked]
    return render(
        request,
        "moderation/inbox.html",
        {
            "comments": shown,
            "counts": counts,
            "show": view,
            "queues": queues,
            "escalation_schools": set(schools_where(request.user, Perm.MANAGE_ESCALATION).values_list("pk", flat=True)),
            "queue": queue,
            "page_number": number,
            "has_next": has_next,
            "page_query": query_without_page(request),
            "deadline": deadline,
            "offender": offender,
            "offenders": selectors.offenders_for(request.user)[:50],
            "title": f"Comments by {offender}" if offender else "Comments",
        },
    )


def _masked(user, comment) -> bool:
    """A comment that became a safeguarding concern is read only by the people the policy names for concerns."""
    return bool(comment.kept_for_concern) and not may(user, Perm.RECEIVE_CONCERNS, comment.channel.school)


@login_required
def comment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_for(request.user, pk)
    comment.masked = _masked(request.user, comment)
    explained = explain(comment, thresholds=services.thresholds_for(comment.channel), masked=comment.masked)
    spans = [span for finding in explained.findings for span in finding.spans]
    events = list(comment.events.select_related("actor"))
    for event in events:
        event.done = done_words(event.action, comment.channel)
    return render(
        request,
        "moderation/comment.html",
        {
            "comment": comment,
            "explained": explained,
            "marked": "" if comment.masked else marked_text(comment.text, spans),
            "actions": actions_for(comment),
            "platform": platform_name(comment.channel),
            "events": events,
            "complaint_reply": (
                comment.channel.trust.policy.complaint_reply_text() if comment.suggests_complaint_reply else ""
            ),
            "title": "Comment",
        },
    )


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    comment = selectors.comment_for(request.user, pk)
    if action not in Action.values:
        raise Http404

    def done(event) -> str | None:
        if event.ok:
            return f"{done_words(event.action, comment.channel)}."
        messages.error(request, f"The platform refused: {event.error}. Nothing changed.")
        return None

    return run_service(
        request,
        lambda: services.comment_act(
            actor=request.user,
            comment=comment,
            action=action,
            reason=request.POST.get("reason", ""),
            text=request.POST.get("text", ""),
        ),
        ok=done,
        then=reverse("moderation:comment", args=[pk]),
    )


@csrf_exempt
def meta_webhook(request: HttpRequest) -> HttpResponse:
    """Comments from Facebook Pages and Instagram accounts. A delivery whose X-Hub-Signature-256 does not match the
    app secret is refused; the same comment delivered twice is stored once; deliveries older than the allowed age
    (replays) are refused, and polling picks up anything genuinely late."""
    import datetime as dt

    from django.conf import settings

    if request.method == "GET":
        challenge = subscription_challenge(request.GET, settings.META_VERIFY_TOKEN)
        return HttpResponse(challenge, content_type="text/plain") if challenge else HttpResponse(status=403)
    if request.method != "POST":
        return HttpResponse(status=405)
    if not verify_meta_signature(settings.META_APP_SECRET, request.body, request.headers.get("X-Hub-Signature-256")):
        return JsonResponse({"error": "signature does not match"}, status=403)
    try:
        events = read_meta_delivery(request.body)
    except (ValueError, WebhookPayloadError) as exc:
        return JsonResponse({"error": f"not a webhook delivery: {exc}"}, status=400)
    outcome: dict = {"stored": 0, "duplicates": 0, "skipped": 0, "errors": []}
    max_age = dt.timedelta(minutes=settings.WEBHOOK_MAX_AGE_MINUTES)
    for event in events:
        if event.verb not in ("add", "edited") or event.by_account:
            outcome["skipped"] += 1
            continue
        if is_stale(event, max_age=max_age):
            outcome["errors"].append({"comment": event.comment.external_id, "error": "too old: refused as a replay"})
            continue
        channel = Channel.objects.filter(
            platform=event.platform, external_id=event.account_id, status=ChannelStatus.ACTIVE
        ).first()
        if channel is None:
            outcome["errors"].append({"account": event.account_id, "error": "not an active official channel"})
            continue
        c = event.comment
        receive = services.comment_edit if event.verb == "edited" else services.comment_receive
        _, new = receive(
            channel=channel,
            incoming=services.Incoming(
                external_id=c.external_id,
                author_id=c.author_id,
                author_name=c.author_name,
                text=c.text,
                created_at=c.created_at,
                parent_external_id=c.parent_external_id or "",
            ),
        )
        outcome["stored" if new else "duplicates"] += 1
    # Direct messages come to the same address; direct_messages, above moderation, reads them (hooks.META_MESSAGES).
    for counts in hooks.META_MESSAGES.call(request.body):
        outcome["messages"] = counts
    return JsonResponse(outcome)
