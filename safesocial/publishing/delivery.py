"""Taking posts out of the outbox and onto their platforms, exactly once.

A delivery is claimed with one conditional UPDATE, so of two workers only one sends it. The call to the
platform happens outside any transaction; if the worker dies before recording the result, the claim's lease
runs out and a sweep puts the delivery back in the outbox. Any send after the first (a retry after a timeout or
a lost answer, a recovered lease) asks the platform whether the post is already there before sending again.

The end of a claim's lease is also its token: only the worker still holding the lease records a failure, so a
worker that heard back after its lease ran out cannot put back a delivery that another worker has taken over."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from safesocial.channels.models import Channel
from safesocial.channels.selectors import people_of
from safesocial.channels.services import credential_for_publishing
from safesocial.platforms.base import (
    Account,
    Adapter,
    MediaItem,
    NotFound,
    PlatformError,
    PublishRequest,
    TakeDowner,
    TemporaryError,
    TokenExpired,
    Unsupported,
)
from safesocial.platforms.registry import adapter_for as live_adapter
from safesocial.platforms.sandbox import SandboxAdapter

from . import notifications
from .models import Delivery, DeliveryStatus, Post, PostStatus, TakeDown, TakeDownStatus
from .services import approval_grace, audit_post, finish_take_down

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 6
# A post found on the platform counts as this delivery's only if it is no older than the post's approval, less this
# margin for the platform's clock and its whole-second times: a school may post the same words twice.
CLOCK_MARGIN = dt.timedelta(minutes=10)


def backoff(attempts: int, retry_after: int | None = None) -> dt.timedelta:
    """30 s, 1, 2, 4, 8 minutes...; never sooner than the platform asked."""
    seconds = min(30 * 2 ** max(attempts - 1, 0), 3600)
    return dt.timedelta(seconds=max(seconds, retry_after or 0))


def adapter_for(channel: Channel) -> Adapter:
    if channel.is_sandbox:
        return SandboxAdapter()
    if channel.is_manual:  # never sent through an API, even where one exists: a poster publishes it by hand
        raise Unsupported(f"{channel} is published by hand: {channel.manual_reason}", code="by_hand")
    return live_adapter(channel.platform)


def _request(delivery: Delivery) -> PublishRequest:
    post = delivery.post
    media = []
    for image in post.images.all():
        with image.file.open("rb") as f:
            media.append(
                MediaItem(
                    filename=image.file.name.rsplit("/", 1)[-1],
                    content_type=image.content_type,
                    data=f.read(),
                    alt_text=image.alt_text,
                )
            )
    return PublishRequest(
        text=post.text,
        media=tuple(media),
        idempotency_key=delivery.idempotency_key,
        not_before=post.approved_at - CLOCK_MARGIN if post.approved_at else None,
    )


def _account(channel: Channel) -> Account:
    token = "" if channel.is_sandbox else credential_for_publishing(channel)
    return Account(external_id=channel.external_id, access_token=token, channel_id=channel.pk)


def _claim(delivery_id: int, now: dt.datetime) -> dt.datetime | None:
    """The lease, if this worker got the delivery. It runs from the real time too: a long sweep's `now` is old by
    the time it reaches its last delivery, and a lease already over when taken would invite a second sender."""
    lease = max(now, timezone.now()) + LEASE
    claimed = Delivery.objects.filter(
        pk=delivery_id,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRY],
        next_attempt_at__lte=now,
    ).update(status=DeliveryStatus.SENDING, lease_until=lease, attempts=F("attempts") + 1)
    return lease if claimed == 1 else None


SKIPPED = "skipped"


def deliver(delivery_id: int, now: dt.datetime | None = None) -> str:
    """Send one delivery if it is due and nobody else has it. Returns its status afterwards, or SKIPPED
    when another worker has it or it was not due (so a sweep counts only its own work)."""
    now = now or timezone.now()
    lease = _claim(delivery_id, now)
    if lease is None:
        return SKIPPED
    delivery = Delivery.objects.select_related("post__trust", "channel__trust").get(pk=delivery_id)
    try:
        adapter = adapter_for(delivery.channel)
        request = _request(delivery)
        problems = adapter.validate(request)
        if problems:
            raise PlatformError("; ".join(p.message for p in problems))
        account = _account(delivery.channel)
        # Neither Facebook nor X takes an idempotency key, so before any send but the first ask the platform:
        # the last attempt may have got there without anyone hearing so.
        result = adapter.find_published(account, request) if delivery.attempts > 1 else None
        if result is None:
            result = adapter.publish(account, request)
    except TemporaryError as exc:
        return _record_failure(delivery, lease, exc.message, now=now, retry_after=exc.retry_after, temporary=True)
    except PlatformError as exc:
        return _record_failure(delivery, lease, exc.message, now=now, temporary=False)
    except Exception as exc:  # a bug or an unreadable credential: keep the post, tell people, never loop
        log.exception("delivery %s failed unexpectedly", delivery_id)
        message = f"SafeSocial could not publish this post ({type(exc).__name__})."
        return _record_failure(delivery, lease, message, now=now, temporary=False)
    return _record_success(delivery, result.external_id, result.url or "")


@transaction.atomic
def _record_success(delivery: Delivery, external_id: str, url: str) -> str:
    """The post is on the platform, whoever holds the lease now: recorded even after the lease ran out, so that a
    delivery put back in the outbox meanwhile is not sent again."""
    updated = Delivery.objects.filter(pk=delivery.pk, status__in=[DeliveryStatus.SENDING, DeliveryStatus.RETRY]).update(
        status=DeliveryStatus.PUBLISHED,
        external_id=external_id,
        external_url=url,
        published_at=timezone.now(),
        lease_until=None,
        last_error="",
    )
    if updated:
        audit_post(
            actor="publisher",
            action="post.delivered",
            post=delivery.post,
            changes={"channel": delivery.channel_id, "external_id": external_id, "attempts": delivery.attempts},
        )
        _settle(delivery.post_id)
    return DeliveryStatus.PUBLISHED


@transaction.atomic
def _record_failure(
    delivery: Delivery,
    lease: dt.datetime,
    message: str,
    *,
    now: dt.datetime,
    temporary: bool,
    retry_after: int | None = None,
) -> str:
    retry = temporary and delivery.attempts < MAX_ATTEMPTS
    status = DeliveryStatus.RETRY if retry else DeliveryStatus.FAILED
    updated = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING, lease_until=lease).update(
        status=status,
        last_error=message[:2000],
        lease_until=None,
        next_attempt_at=now + backoff(delivery.attempts, retry_after) if retry else None,
    )
    if not updated:  # the lease ran out and another worker has the delivery: what happens next is its to say
        log.warning("delivery %s: lease lost before recording %r", delivery.pk, message[:200])
        return SKIPPED
    audit_post(
        actor="publisher",
        action="post.delivery_retry" if retry else "post.delivery_failed",
        post=delivery.post,
        changes={"channel": delivery.channel_id, "error": message[:500], "attempts": delivery.attempts},
    )
    if not retry:
        _settle(delivery.post_id)
    return status


def _settle(post_id: int) -> None:
    """The post's status follows its deliveries: published when all are, failed when one failed for good."""
    post = Post.objects.select_for_update().get(pk=post_id)
    if post.status != PostStatus.SCHEDULED:
        return
    statuses = list(post.deliveries.values_list("status", "last_error"))
    # A delivery waiting to be published by hand is still to come: its post is not failed while a person may yet act.
    open_ = {DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.RETRY, DeliveryStatus.MANUAL}
    if all(s == DeliveryStatus.PUBLISHED for s, _ in statuses):
        post.status, post.published_at, post.status_note = PostStatus.PUBLISHED, timezone.now(), ""
        post.save(update_fields=["status", "published_at", "status_note"])
        transaction.on_commit(lambda: notifications.published(post))
    elif not any(s in open_ for s, _ in statuses) and any(s == DeliveryStatus.FAILED for s, _ in statuses):
        post.status = PostStatus.FAILED
        post.status_note = "; ".join(e for s, e in statuses if s == DeliveryStatus.FAILED and e)
        post.save(update_fields=["status", "status_note"])
        transaction.on_commit(lambda: notifications.failed(post))


def recover_lost(now: dt.datetime | None = None) -> int:
    """Deliveries whose worker died mid-send go back to the outbox, due now; deliver() asks the platform whether the
    post got there before sending again. One UPDATE that checks the lease has run out, so a delivery that another
    sweep has just recovered and claimed (with a fresh lease) is left to it."""
    now = now or timezone.now()
    return Delivery.objects.filter(status=DeliveryStatus.SENDING, lease_until__lt=now).update(
        status=DeliveryStatus.RETRY, next_attempt_at=now, lease_until=None
    )


@transaction.atomic
def expire_stale_approvals(now: dt.datetime | None = None) -> int:
    """Hootsuite's rule: an approval is for a time. A post not sent by its scheduled time (plus a grace
    period) goes back to review rather than out of date."""
    now = now or timezone.now()
    overdue = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, due_at__lt=now - approval_grace(), attempts=0
    ).values("post_id")
    stale = Post.objects.select_for_update().filter(status=PostStatus.SCHEDULED, pk__in=overdue)
    count = 0
    for post in stale:
        if post.deliveries.filter(status=DeliveryStatus.PUBLISHED).exists():
            continue
        post.deliveries.update(status=DeliveryStatus.WAITING, idempotency_key="", due_at=None, next_attempt_at=None)
        post.status = PostStatus.IN_REVIEW
        post.status_note = "Its approval expired: it was not published by its scheduled time. Read it again."
        post.approved_at, post.scheduled_for = None, None
        post.save(update_fields=["status", "status_note", "approved_at", "scheduled_for"])
        audit_post(actor="publisher", action="post.approval_expired", post=post)
        count += 1
    return count


def deliver_due(now: dt.datetime | None = None) -> dict[str, int]:
    """One sweep of the outbox: expire stale approvals, recover lost sends, send everything due."""
    now = now or timezone.now()
    expired = expire_stale_approvals(now)
    recovered = recover_lost(now)
    due = list(
        Delivery.objects.filter(
            Q(status=DeliveryStatus.PENDING) | Q(status=DeliveryStatus.RETRY), next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    outcomes = [deliver(pk, now) for pk in due]
    return {
        "expired": expired,
        "recovered": recovered,
        "sent": sum(1 for o in outcomes if o == DeliveryStatus.PUBLISHED),
        "retrying": sum(1 for o in outcomes if o == DeliveryStatus.RETRY),
        "failed": sum(1 for o in outcomes if o == DeliveryStatus.FAILED),
    }


# --- Take-down ----------------------------------------------------------------------------------------------------


def takes_down_by_api(channel: Channel) -> bool:
    """Whether SafeSocial can delete this channel's posts itself; if not, a person removes them by hand."""
    try:
        return isinstance(adapter_for(channel), TakeDowner)
    except Unsupported:
        return False


def _refusal(channel: Channel, exc: PlatformError) -> str:
    """The platform's refusal, in words that say what to do next."""
    name = "The sandbox" if channel.is_sandbox else channel.platform_label
    if isinstance(exc, NotFound):
        return (
            f"{name} says the post is not there: it may have been deleted there already. Open it to check; if it is "
            f"gone, confirm so here. ({exc.message})"
        )
    if isinstance(exc, TokenExpired):
        return f"{name} no longer accepts the channel's connection: reconnect the channel, then retry. ({exc.message})"
    return f"{name} refused to delete the post: {exc.message}"


def take_down(take_down_id: int) -> str:
    """Delete one delivery's post on its platform. Claimed with one conditional UPDATE, so two workers never both
    call; the call itself happens outside any transaction."""
    claimed = TakeDown.objects.filter(pk=take_down_id, status=TakeDownStatus.PENDING).update(
        status=TakeDownStatus.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return SKIPPED
    row = TakeDown.objects.select_related("delivery__channel__trust", "delivery__post").get(pk=take_down_id)
    channel = row.delivery.channel
    try:
        adapter = adapter_for(channel)
        adapter.take_down(_account(channel), row.delivery.external_id)  # type: ignore[attr-defined]
    except PlatformError as exc:
        message, code = _refusal(channel, exc), exc.code
    except Exception as exc:  # a bug or an unreadable credential: tell people, never loop
        log.exception("take-down %s failed unexpectedly", take_down_id)
        message, code = f"SafeSocial could not delete the post ({type(exc).__name__}).", "unexpected"
    else:
        with transaction.atomic():
            row = TakeDown.objects.select_for_update().select_related("delivery").get(pk=take_down_id)
            finish_take_down(row, actor="publisher", action="post.taken_down")
        return TakeDownStatus.DONE
    with transaction.atomic():
        TakeDown.objects.filter(pk=take_down_id).update(status=TakeDownStatus.REFUSED, error=message[:2000])
        post = Post.objects.select_for_update().get(pk=row.delivery.post_id)
        post.status_note = f"Take-down refused on {channel}: {message}"
        post.save(update_fields=["status_note"])
        audit_post(
            actor="publisher",
            action="post.take_down_refused",
            post=post,
            changes={"channel": channel.pk, "code": code, "error": message[:500], "attempts": row.attempts},
        )
    return TakeDownStatus.REFUSED


CHASE_EVERY = dt.timedelta(days=1)


def chase_manual_take_downs(now: dt.datetime | None = None) -> int:
    """Daily: whoever asked for a take-down by hand, and the channel's owner, hear again until someone confirms
    the post is gone. The email names no pupil and quotes no post."""
    now = now or timezone.now()
    due = TakeDown.objects.filter(status=TakeDownStatus.MANUAL, requested_at__lte=now - CHASE_EVERY).filter(
        Q(chased_at__isnull=True) | Q(chased_at__lte=now - CHASE_EVERY)
    )
    messages, chased = [], 0
    for row in due.select_related("delivery__channel__owner", "delivery__post", "requested_by"):
        channel, post = row.delivery.channel, row.delivery.post
        # One UPDATE per row, so two schedulers chase once.
        if not TakeDown.objects.filter(pk=row.pk, chased_at=row.chased_at).update(chased_at=now):
            continue
        chased += 1
        link = settings.SITE_ROOT + reverse("publishing:detail", args=[post.pk])
        body = (
            f"Post {post.pk} on {channel} is waiting to be taken down by hand since {row.requested_at:%d/%m/%Y}. "
            f"Remove it on {channel.platform_label}, then confirm here: {link}\n"
        )
        for email in sorted({row.requested_by.email, channel.owner.email} - {""}):
            messages.append(("A post still needs taking down", body, None, [email]))
        audit_post(actor="publisher", action="post.take_down_chased", post=post, changes={"channel": channel.pk})
    if messages:
        send_mass_mail(messages)
    return chased


def chase_publishing_by_hand(now: dt.datetime | None = None) -> int:
    """Daily: an approved post for a channel published by hand (a closed group) that nobody has recorded a day after
    it fell due is chased: its author and the channel's owner and posters hear again each day until someone records
    the link. The email names no pupil and quotes no post."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status=DeliveryStatus.MANUAL, due_at__lte=now - CHASE_EVERY).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - CHASE_EVERY)
    )
    messages, chased = [], 0
    for row in due.select_related("channel", "post__author"):
        channel, post = row.channel, row.post
        # One UPDATE per row, so two schedulers chase once.
        if not Delivery.objects.filter(pk=row.pk, reminded_at=row.reminded_at).update(reminded_at=now):
            continue
        chased += 1
        link = settings.SITE_ROOT + reverse("publishing:detail", args=[post.pk])
        since = timezone.localtime(row.due_at) if row.due_at else now
        body = (
            f"Post {post.pk} was approved for {channel} and has been waiting since {since:%d/%m/%Y} to be published "
            f"by hand. Publish it on {channel.platform_label}, then record its link here: {link}\n"
        )
        people = [post.author, *people_of(channel)]
        for email in sorted({p.email for p in people if p.is_active} - {""}):
            messages.append(("A post is waiting to be published by hand", body, None, [email]))
        audit_post(actor="publisher", action="post.by_hand_chased", post=post, changes={"channel": channel.pk})
    if messages:
        send_mass_mail(messages)
    return chased
