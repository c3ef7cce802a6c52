"""Every change to a post, from draft to published. Who may review, and how many must agree, are read from
the trust's policy."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone

from safesocial.audit.services import audit_record
from safesocial.channels.models import Channel, ChannelStatus
from safesocial.channels.selectors import can_post, owns_or_administers, takes_posts
from safesocial.consent.models import Consent, Purpose, ReferencePhoto
from safesocial.consent.selectors import consents_for, in_force, register_for
from safesocial.dates import add_working_days
from safesocial.images import FaceMatcher, ImageRejected, MatchingUnavailable, blur_faces, detect_faces, sanitise
from safesocial.people.models import User
from safesocial.permissions import Action, may, schools_where
from safesocial.policy.schema import is_http_url
from safesocial.text.findings import Finding
from safesocial.workflow import move

from . import notifications
from .models import (
    EDITABLE,
    POST_TRANSITIONS,
    SUGGESTION_TRANSITIONS,
    Decision,
    Delivery,
    DeliveryStatus,
    FaceKind,
    FaceTag,
    FeaturedPupil,
    Post,
    PostImage,
    PostStatus,
    Review,
    Suggestion,
    SuggestionImage,
    SuggestionStatus,
    TakeDown,
    TakeDownReason,
    TakeDownStatus,
    WithdrawalChoice,
    WithdrawalDecision,
)
from .post_checks import run_checks, text_findings, too_long
from .selectors import (
    eligible_reviewers,
    may_decide_suggestion,
    posts_relying_on,
    role_holders,
    suggestion_deciders,
)

MAX_IMAGE_BYTES = 10_000_000


def _move(post: Post, to: str, note: str | None = None) -> None:
    """Move the post, and say why on the post when there is something to say."""
    move(post, to, transitions=POST_TRANSITIONS, refusal="A post that is {now} cannot become {to}.")
    if note is not None:
        post.status_note = note


def _save(post: Post, *fields: str) -> None:
    post.updated_at = timezone.now()
    post.save(update_fields=[*fields, "updated_at"])


def _recheck(post: Post) -> list[Finding]:
    """Run the automated checks again on the post as it is now, so its page never shows stale findings: after every
    save of its text or images, and after a face is tagged or blurred."""
    findings = run_checks(post)
    post.findings = [f.as_dict() for f in findings]
    _save(post, "findings")
    return findings


def _check_channels(actor: User, channels: Sequence[Channel]) -> None:
    if not channels:
        raise ValidationError("Choose at least one channel.")
    schools = {c.school_id for c in channels}
    if len(schools) > 1:
        raise ValidationError("A post goes to the channels of one school (or of the trust) at a time.")
    for channel in channels:
        if channel.status != ChannelStatus.ACTIVE:
            raise ValidationError(
                f"{channel} is {channel.get_status_display().lower()}, not active: it takes no posts."
            )
        if not can_post(actor, channel):
            raise PermissionDenied(f"You are not authorised to post to {channel}.")
        if not takes_posts(channel):
            # A live channel SafeSocial can reach only for its comments (YouTube): approved posts would fail there,
            # and be posted by hand with nothing to show they were read first.
            raise ValidationError(
                f"SafeSocial cannot publish to {channel}: {channel.platform_label}'s API takes no posts. Ask its "
                "owner to register a channel published by hand."
            )


def _check_schedule(when: dt.datetime | None) -> None:
    if when is not None and when < timezone.now() - dt.timedelta(minutes=1):
        raise ValidationError("The scheduled time is in the past: choose a time from now on, or leave it empty.")


def _clean_text(text: str) -> str:
    """The post's words, refused before any check runs when empty or longer than any platform takes."""
    text = text.strip()
    if not text:
        raise ValidationError("Write the post's text.")
    if problem := too_long(text):
        raise ValidationError(problem)
    return text


def fingerprint(text: str) -> dict[str, object]:
    """What the audit trail keeps of words that may name a child (a post, a reviewer's notes, a reason): enough
    to show they changed and to match a copy, never the words themselves. The trail cannot be erased. The hash is
    keyed with the audit key, so a short note cannot be matched against a list of pupils' names by someone who
    reads only the database."""
    digest = hmac.new(settings.AUDIT_KEYS[0].encode(), text.encode(), hashlib.sha256).hexdigest()
    return {"hmac_sha256": digest, "length": len(text)}


def audit_post(*, actor, action: str, post: Post, changes: dict[str, object] | None = None) -> None:
    """Every audit entry about a post, labelled by its number: its usual label, the first line of its text,
    may name a child."""
    audit_record(
        actor=actor, action=action, obj=post, label=f"Post {post.pk}", school_id=post.school_id, changes=changes
    )


def _delete_files_on_commit(storage, names: Iterable[str]) -> None:
    """Files no row points to any more (a superseded blurred copy, a removed image and its unblurred original)
    leave the disk once the change is committed, not before: a rolled-back change still has them."""
    names = [name for name in names if name]

    def delete() -> None:
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


def _check_category(post_or_trust_policy, category: str) -> None:
    allowed = post_or_trust_policy.category_keys()
    if category not in allowed:
        raise ValidationError(f"'{category}' is not one of the trust's post categories.")


@dataclass(frozen=True)
class ImageUpload:
    file: UploadedFile
    alt_text: str


def _read_image(upload: ImageUpload):
    """Refuse anything that is not really an image of a type platforms take, or is too large; return it
    re-encoded with every piece of metadata (GPS above all) removed and its orientation applied."""
    f = upload.file
    size = f.size or 0
    if size > MAX_IMAGE_BYTES:
        raise ValidationError(f"{f.name} is {size / 1_000_000:.1f} MB; images must be 10 MB or less.")
    if not upload.alt_text.strip():
        raise ValidationError(f"Describe {f.name} for people who cannot see it.")
    data = f.read()
    f.seek(0)
    try:
        return sanitise(data)
    except ImageRejected as exc:
        raise ValidationError(f"{f.name}: {exc}") from None


def _attach_images(post: Post, images: Iterable[ImageUpload]) -> None:

    start = post.images.count()
    for i, upload in enumerate(images):
        clean = _read_image(upload)
        stem = (upload.file.name or "image").rsplit(".", 1)[0][:60] or "image"
        extension = "png" if clean.content_type == "image/png" else "jpg"
        image = PostImage(
            post=post,
            content_type=clean.content_type,
            size=len(clean.data),
            width=clean.width,
            height=clean.height,
            alt_text=upload.alt_text.strip(),
            position=start + i,
            had_location=clean.had_gps,
        )
        image.file.save(f"{stem}.{extension}", ContentFile(clean.data), save=False)
        image.save()
        faces = FaceTag.objects.bulk_create(
            [FaceTag(image=image, x=f.x, y=f.y, w=f.w, h=f.h, score=f.score) for f in detect_faces(clean.data)]
        )
        _suggest_pupils(post, clean.data, faces)


def _suggest_pupils(post: Post, data: bytes, faces) -> None:
    """Where the trust has switched face matching on, suggest who each face is, comparing it only with the
    reference faces of pupils whose parents gave biometric consent that is still in force (Protection of
    Freedoms Act 2012 ss.26-28). Staff confirm every suggestion; the post photo's own face data is not kept."""
    if not faces or post.school is None or not post.trust.policy.consent.face_matching:
        return
    enrolled = list(ReferencePhoto.objects.filter(pupil__school=post.school).select_related("pupil"))
    records = consents_for([r.pupil for r in enrolled])
    references = {r.pupil_id: r.embedding for r in enrolled if in_force(records.get(r.pupil_id, {}), Purpose.BIOMETRIC)}
    if not references:
        return
    try:
        matcher = FaceMatcher()
    except MatchingUnavailable:
        return
    for face in faces:
        matches = matcher.match(matcher.embed(data, face.box), references)
        if matches:
            face.suggested_pupil_id = matches[0][0]
            face.save(update_fields=["suggested_pupil"])


@transaction.atomic
def post_create(
    *,
    actor: User,
    channels: Sequence[Channel],
    text: str,
    category: str,
    scheduled_for: dt.datetime | None = None,
    images: Iterable[ImageUpload] = (),
) -> Post:
    """Policy: only authorised staff post, to active official channels, in the trust's categories."""
    _check_channels(actor, channels)
    trust = channels[0].trust
    _check_category(trust.policy, category)
    _check_schedule(scheduled_for)
    text = _clean_text(text)
    post = Post.objects.create(
        trust=trust,
        school=channels[0].school,
        author=actor,
        edited_by=actor,
        text=text,
        category=category,
        scheduled_for=scheduled_for,
    )
    Delivery.objects.bulk_create([Delivery(post=post, channel=channel) for channel in channels])
    _attach_images(post, images)
    _recheck(post)
    audit_post(
        actor=actor,
        action="post.create",
        post=post,
        changes={"channels": [c.pk for c in channels], "category": category, "scheduled_for": scheduled_for},
    )
    return post


def _may_edit(actor: User, post: Post) -> bool:
    return actor.pk == post.author_id or any(can_post(actor, d.channel) for d in post.deliveries.all())


@transaction.atomic
def post_update(
    *,
    actor: User,
    post: Post,
    text: str,
    category: str,
    scheduled_for: dt.datetime | None,
    images: Iterable[ImageUpload] = (),
    remove_images: Iterable[int] = (),
) -> Post:
    """An edit makes a new version, written by whoever edits it. Editing a submitted post (in review, approved,
    scheduled or failed) resubmits it: its checks run again on the new words, and approvals were for the words
    they read."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not _may_edit(actor, post):
        raise PermissionDenied("Only the author or the channel's posters can edit this post.")
    if post.status not in EDITABLE:
        raise ValidationError(f"A {post.get_status_display().lower()} post cannot be edited.")
    text = _clean_text(text)
    _check_category(post.trust.policy, category)
    _check_schedule(scheduled_for)
    before_text, before = post.text, {"category": post.category, "scheduled_for": post.scheduled_for}
    post.text, post.category, post.scheduled_for = text, category, scheduled_for
    removed = list(post.images.filter(pk__in=list(remove_images)))
    for image in removed:
        _delete_files_on_commit(image.file.storage, [image.file.name, image.original.name])
        image.delete()
    images = list(images)
    _attach_images(post, images)
    post.version = F("version") + 1
    post.edited_by = actor
    _save(post, "text", "category", "scheduled_for", "version", "edited_by")
    post.refresh_from_db(fields=["version"])
    fields: list[str] = []
    changes: dict[str, object] = {"fields": fields, "version": post.version}
    if post.text != before_text:
        fields.append("text")
        changes["text"] = {"before": fingerprint(before_text), "after": fingerprint(post.text)}
    for name, old in before.items():
        if getattr(post, name) != old:
            fields.append(name)
            changes[name] = [old, getattr(post, name)]
    if images or removed:  # how many, not their descriptions: alt text may name a child
        fields.append("images")
        changes["images"] = {"added": len(images), "removed": len(removed)}
    audit_post(actor=actor, action="post.update", post=post, changes=changes)
    if post.status not in (PostStatus.DRAFT, PostStatus.REJECTED):
        _cancel_deliveries(post)
        post.approved_at = None
        _save(post, "approved_at")
        reviewer = _still_eligible(post.requested_reviewer, post)
        _submit(actor=actor, post=post, reviewer=reviewer, note="Edited after review: it needs reading again.")
    else:
        _recheck(post)
    return post


def _cancel_deliveries(post: Post) -> None:
    post.deliveries.exclude(status__in=[DeliveryStatus.PUBLISHED]).update(
        status=DeliveryStatus.WAITING, idempotency_key="", due_at=None, next_attempt_at=None, lease_until=None
    )


@transaction.atomic
def post_submit(*, actor: User, post: Post, reviewer: User | None = None) -> tuple[Post, list[Finding]]:
    """Submitted posts pass SafeSocial's automated checks before any colleague reads them; a post with a
    blocking finding goes back to its author with every finding explained."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if actor.pk != post.author_id:
        raise PermissionDenied("Only the author submits a post.")
    return post, _submit(actor=actor, post=post, reviewer=reviewer)


def _submit(*, actor: User, post: Post, reviewer: User | None, note: str = "") -> list[Finding]:
    """The one way into review, for a first submission and for an edit of a submitted post alike: the checks
    run on the words as they are now, and the pupils the post names are recorded again."""
    if reviewer is not None:
        _check_reviewer(reviewer, post)
    _move(post, PostStatus.SUBMITTED, "")
    post.submitted_at = timezone.now()
    post.requested_reviewer = reviewer
    _save(post, "status", "status_note", "submitted_at", "requested_reviewer")
    findings = _recheck(post)
    record_featured_from_text(post, register_for(post.school))
    blocking = [f for f in findings if f.blocks]
    if blocking:
        _move(post, PostStatus.DRAFT, "Automated checks found problems to fix before review.")
        _save(post, "status", "status_note")
    else:
        _move(post, PostStatus.IN_REVIEW, note)
        _save(post, "status", "status_note")
        transaction.on_commit(lambda: notifications.review_requested(post, reviewers_to_notify(post)))
    audit_post(
        actor=actor,
        action="post.submit",
        post=post,
        # Check names only: a finding's words may name a child, and the audit trail names none.
        changes={"status": post.status, "findings": [[f.check, f.severity] for f in findings]},
    )
    return findings


def reviewers_to_notify(post: Post) -> list[User]:
    """The colleague the author asked for; else the channels' administrators and posters who may review;
    else everyone who may."""
    if post.requested_reviewer is not None:
        return [post.requested_reviewer]
    eligible = eligible_reviewers(post)
    channel_people = eligible.filter(
        channel_access__channel__in=post.channels.all(), channel_access__revoked_at__isnull=True
    ).distinct()
    return list(channel_people) or list(eligible)


def _check_reviewer(reviewer: User, post: Post) -> None:
    if reviewer.pk == post.author_id:
        raise PermissionDenied("Authors cannot review their own posts: the policy asks for another colleague.")
    if reviewer.pk == post.edited_by_id:
        raise PermissionDenied("You edited this version: another colleague must read and agree it.")
    if not may(reviewer, Action.REVIEW_POST, post.school):
        raise PermissionDenied(f"The trust's policy does not allow {reviewer} to review posts here.")


def _still_eligible(reviewer: User | None, post: Post) -> User | None:
    """The colleague the author asked for, if they may still review this version (an editor may not)."""
    if reviewer is None:
        return None
    try:
        _check_reviewer(reviewer, post)
    except PermissionDenied:
        return None
    return reviewer


@transaction.atomic
def post_approve(*, actor: User, post: Post, notes: str = "", confirmed: Collection[str] | None = None) -> Post:
    """Policy: public communications are read and agreed by another colleague (or the team the policy
    names) before they go out; the policy says how many must agree. A reviewer at the approve form confirms each of
    the policy's post criteria (posts.criteria); `confirmed` None is a caller with no form to show them (the demo)."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    _check_reviewer(actor, post)
    if post.status != PostStatus.IN_REVIEW:
        raise ValidationError(f"This post is {post.get_status_display().lower()}, not waiting for review.")
    if Review.objects.filter(post=post, post_version=post.version, reviewer=actor).exists():
        raise ValidationError("You have already reviewed this version.")
    criteria = post.trust.policy.posts.criteria
    if confirmed is not None and not set(criteria) <= set(confirmed):
        raise ValidationError("Confirm every criterion of the policy before approving, or return the post.")
    Review.objects.create(
        post=post,
        post_version=post.version,
        reviewer=actor,
        author_id=post.author_id,
        editor_id=post.edited_by_id,
        decision=Decision.APPROVE,
        notes=notes,
        criteria_confirmed=[c for c in criteria if c in set(confirmed or ())],
    )
    needed = post.trust.policy.posts.reviewers_required
    agreed = Review.objects.filter(post=post, post_version=post.version, decision=Decision.APPROVE).count()
    changes: dict[str, object] = {"approvals": agreed, "needed": needed, "version": post.version}
    if confirmed is not None:
        changes["criteria_confirmed"] = len(criteria)
    if agreed >= needed:
        _move(post, PostStatus.APPROVED, notes)
        post.approved_at = timezone.now()
        _save(post, "status", "status_note", "approved_at")
        _schedule(post)
        changes["status"] = post.status
        transaction.on_commit(lambda: notifications.approved(post))
    audit_post(actor=actor, action="post.approve", post=post, changes=changes)
    return post


def _schedule(post: Post) -> None:
    """Fill the outbox: one delivery per channel, each with a key that is unique to this version."""
    now = timezone.now()
    due = post.scheduled_for if post.scheduled_for and post.scheduled_for > now else now
    by_api = False
    for delivery in post.deliveries.exclude(status=DeliveryStatus.PUBLISHED).select_related("channel"):
        if delivery.channel.is_manual:
            # No worker claims it: a poster publishes it by hand once it is due, and records the link.
            delivery.status, delivery.due_at, delivery.next_attempt_at = DeliveryStatus.MANUAL, due, None
            delivery.last_error, delivery.lease_until, delivery.reminded_at = "", None, None
            delivery.save(
                update_fields=["status", "due_at", "next_attempt_at", "last_error", "lease_until", "reminded_at"]
            )
            continue
        by_api = True
        delivery.status = DeliveryStatus.PENDING
        delivery.due_at = delivery.next_attempt_at = due
        key = f"ss-{post.pk}-{delivery.channel_id}-v{post.version}"
        # A failed post retried may have reached the platform on its last try without anyone hearing so: counting
        # that try makes the next send ask the platform first (delivery.deliver).
        tried = delivery.attempts > 0 and delivery.idempotency_key == key
        delivery.idempotency_key = key
        delivery.attempts, delivery.last_error, delivery.lease_until = int(tried), "", None
        delivery.save(
            update_fields=[
                "status",
                "due_at",
                "next_attempt_at",
                "idempotency_key",
                "attempts",
                "last_error",
                "lease_until",
            ]
        )
    _move(post, PostStatus.SCHEDULED)
    _save(post, "status")
    if due <= now and by_api:
        from .tasks import deliver_post  # here, not at the top: tasks import delivery, which imports this module

        transaction.on_commit(lambda: deliver_post.enqueue(post.pk))


@transaction.atomic
def post_reject(*, actor: User, post: Post, notes: str) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    _check_reviewer(actor, post)
    if not notes.strip():
        raise ValidationError("Tell the author what to change.")
    if post.status != PostStatus.IN_REVIEW:
        raise ValidationError(f"This post is {post.get_status_display().lower()}, not waiting for review.")
    Review.objects.create(
        post=post,
        post_version=post.version,
        reviewer=actor,
        author_id=post.author_id,
        editor_id=post.edited_by_id,
        decision=Decision.REJECT,
        notes=notes.strip(),
    )
    _move(post, PostStatus.REJECTED, notes.strip())
    _save(post, "status", "status_note")
    audit_post(actor=actor, action="post.reject", post=post, changes={"notes": fingerprint(notes.strip())})
    transaction.on_commit(lambda: notifications.rejected(post))
    return post


@transaction.atomic
def post_withdraw(*, actor: User, post: Post, reason: str = "") -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not (_may_edit(actor, post) or may(actor, Action.APPROVE_CHANNEL, post.school)):
        raise PermissionDenied("Only the author, the channel's posters or the channel approver can withdraw it.")
    if post.deliveries.filter(status=DeliveryStatus.SENDING).exists():
        raise ValidationError("The post is being published right now; try again in a minute.")
    _move(post, PostStatus.WITHDRAWN, reason)
    _cancel_deliveries(post)
    post.deliveries.exclude(status=DeliveryStatus.PUBLISHED).update(status=DeliveryStatus.CANCELLED)
    _save(post, "status", "status_note")
    audit_post(actor=actor, action="post.withdraw", post=post, changes={"reason": fingerprint(reason)})
    return post


@transaction.atomic
def post_retry(*, actor: User, post: Post) -> Post:
    """A failed post goes out again as approved (after its cause, e.g. an expired token, is fixed)."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not _may_edit(actor, post):
        raise PermissionDenied("Only the author or the channel's posters can retry this post.")
    if post.status != PostStatus.FAILED:
        raise ValidationError("Only a failed post is retried.")
    if post.scheduled_for and post.scheduled_for < timezone.now() - approval_grace():
        _move(post, PostStatus.IN_REVIEW, "Its approval expired with its scheduled time: it needs reading again.")
        _save(post, "status", "status_note")
        post.scheduled_for = None
        _save(post, "scheduled_for")
    else:
        _schedule(post)
    audit_post(actor=actor, action="post.retry", post=post, changes={"status": post.status})
    return post


def approval_grace() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "PUBLISH_GRACE_MINUTES", 60))


def may_tag(actor: User, post: Post) -> bool:
    return _may_edit(actor, post) or may(actor, Action.MANAGE_PUPILS, post.school)


@transaction.atomic
def face_tag(*, actor: User, face, pupil=None, not_pupil: bool = False, not_a_face: bool = False):
    """A member of staff says whose face this is, or that the detector was wrong and it is no face at all (a sleeve
    badge): recorded with who said so, and it then needs no tag. Tags change only before review: the reviewer reads
    the post with its faces settled."""
    face = FaceTag.objects.select_for_update().select_related("image__post").get(pk=face.pk)
    post = face.image.post
    if not may_tag(actor, post):
        raise PermissionDenied("Only the author, the channel's posters or the office can tag faces in this post.")
    if post.status not in (PostStatus.DRAFT, PostStatus.REJECTED):
        raise ValidationError("Faces are tagged before a post is sent for review.")
    if pupil is not None and pupil.school_id != post.school_id:
        raise ValidationError("That pupil is not at this post's school.")
    if pupil is None and not (not_pupil or not_a_face):
        raise ValidationError("Choose a pupil, or say this is not one of our pupils, or not a face.")
    before = (face.kind, face.pupil_id)
    if pupil is not None:
        face.kind = FaceKind.PUPIL
    else:
        face.kind = FaceKind.NOT_A_FACE if not_a_face else FaceKind.NOT_PUPIL
    face.pupil = pupil
    face.tagged_by, face.tagged_at = actor, timezone.now()
    face.save(update_fields=["kind", "pupil", "tagged_by", "tagged_at"])
    FeaturedPupil.objects.filter(post=post, how="photo").exclude(
        pupil_id__in=FaceTag.objects.filter(image__post=post, kind=FaceKind.PUPIL).values("pupil_id")
    ).delete()
    if pupil is not None:
        FeaturedPupil.objects.get_or_create(post=post, pupil=pupil, how="photo")
    audit_post(
        actor=actor,
        action="post.face_tag",
        post=post,
        changes={"face": face.pk, "before": list(before), "kind": face.kind, "pupil": pupil.pk if pupil else None},
    )
    _recheck(post)
    return face


@transaction.atomic
def post_blur_faces_without_consent(*, actor: User, post: Post) -> int:
    """One action: blur every face in the post's photos that is not a pupil with photo consent (untagged
    faces included). The unblurred original stays inside SafeSocial; only the blurred copy is published."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not may_tag(actor, post):
        raise PermissionDenied("Only the author, the channel's posters or the office can change this post's photos.")
    if post.status not in (PostStatus.DRAFT, PostStatus.REJECTED):
        raise ValidationError("Photos are changed before a post is sent for review.")
    blurred = 0
    for image in post.images.prefetch_related("faces__pupil"):
        faces = [f for f in image.faces.all() if not f.blurred]
        records = consents_for([f.pupil for f in faces if f.pupil is not None])
        targets = [
            f
            for f in faces
            if f.kind == FaceKind.UNTAGGED
            or (f.pupil is not None and not in_force(records.get(f.pupil.pk, {}), Purpose.SOCIAL_MEDIA))
        ]
        if not targets:
            continue
        with image.file.open("rb") as fh:
            data = fh.read()
        result = blur_faces(data, [f.box for f in targets])
        current = image.file.name
        if image.original:
            _delete_files_on_commit(image.file.storage, [current])  # the blurred copy this one supersedes
        else:
            image.original.name = current  # the upload itself is the original kept: no second copy of it
        # Named after the upload, without the timestamp its stored name begins with (so names do not grow).
        image.file.save(current.rsplit("/", 1)[-1].split("-", 1)[-1], ContentFile(result), save=False)
        image.size = len(result)
        image.save(update_fields=["file", "original", "size"])
        for face in targets:
            face.blurred = True
            face.save(update_fields=["blurred"])
            if face.pupil_id:  # a blurred child no longer appears in the post
                still_shown = post.images.filter(faces__pupil_id=face.pupil_id, faces__blurred=False).exists()
                if not still_shown:
                    FeaturedPupil.objects.filter(post=post, pupil_id=face.pupil_id, how="photo").delete()
        blurred += len(targets)
    audit_post(actor=actor, action="post.blur_faces", post=post, changes={"faces": blurred})
    _recheck(post)
    return blurred


def record_featured_from_text(post: Post, register) -> None:
    """Pupils named in full in the text feature in the post (for consent withdrawals)."""
    FeaturedPupil.objects.filter(post=post, how="named").delete()
    text = post.text.lower()
    for pupil in register:
        for first in {pupil.first_name, pupil.preferred_name} - {""}:
            if re.search(rf"\b{re.escape(first.lower())}\s+{re.escape(pupil.last_name.lower())}\b", text):
                FeaturedPupil.objects.get_or_create(post=post, pupil_id=pupil.pupil_id, how="named")
                break


# --- Take-down --------------------------------------------------------------------------------------------------------


def may_take_down(actor: User, post: Post) -> bool:
    """Policy: a published post is taken down by its author, the administrators and owners of its channels, the
    policy's channel approvers (the head, in most) and those it names to receive concerns (the DSLs)."""
    if actor.pk == post.author_id:
        return True
    if may(actor, Action.APPROVE_CHANNEL, post.school) or may(actor, Action.RECEIVE_CONCERNS, post.school):
        return True
    return owns_or_administers(actor, post.deliveries.values("channel_id"))


@transaction.atomic
def post_take_down(*, actor: User, post: Post, reason: str, note: str = "") -> Post:
    """Take a published post off every channel it reached: through the platform's API where it allows it, else by
    hand (the person confirms it is gone). Called again after a refusal, it tries the refused channels again."""
    from .delivery import takes_down_by_api  # here, not at the top: delivery imports this module

    post = Post.objects.select_for_update().get(pk=post.pk)
    if not may_take_down(actor, post):
        raise PermissionDenied(
            "Only the post's author, its channels' administrators, the head or the DSL can take it down."
        )
    if reason not in TakeDownReason.values:
        raise ValidationError("Choose why the post is coming down.")
    if post.status != PostStatus.PUBLISHED:
        raise ValidationError(f"This post is {post.get_status_display().lower()}: only a published post comes down.")
    published = post.deliveries.filter(status=DeliveryStatus.PUBLISHED).select_related("channel")
    deliveries = [d for d in published if getattr(d, "take_down", None) is None or d.take_down.status == "refused"]
    if not deliveries:
        raise ValidationError("This post is already being taken down.")
    ways = {}
    for delivery in deliveries:
        by_api = takes_down_by_api(delivery.channel)
        TakeDown.objects.update_or_create(
            delivery=delivery,
            defaults={
                "reason": reason,
                "note": note.strip(),
                "status": TakeDownStatus.PENDING if by_api else TakeDownStatus.MANUAL,
                "requested_by": actor,
                "requested_at": timezone.now(),
                "error": "",
                "chased_at": None,
            },
        )
        ways[delivery.channel_id] = "api" if by_api else "by_hand"
    _close_withdrawal_decisions(actor, post)
    audit_post(
        actor=actor,
        action="post.take_down",
        post=post,
        changes={"reason": reason, "note": fingerprint(note.strip()), "channels": ways},
    )
    if any(way == "api" for way in ways.values()):
        from .tasks import take_down_post  # here, not at the top: tasks import delivery, which imports this module

        transaction.on_commit(lambda: take_down_post.enqueue(post.pk))
    return post


@transaction.atomic
def take_down_confirm(*, actor: User, take_down):
    """A person says the post is gone from the platform: after removing it by hand, or after the platform said it
    was not there any more."""
    take_down = TakeDown.objects.select_for_update().select_related("delivery__post").get(pk=take_down.pk)
    post = take_down.delivery.post
    if not may_take_down(actor, post):
        raise PermissionDenied("Only those who may take this post down can confirm it is gone.")
    if take_down.status not in (TakeDownStatus.MANUAL, TakeDownStatus.REFUSED):
        raise ValidationError("This take-down is not waiting for anyone to confirm it.")
    take_down.confirmed_by = actor
    finish_take_down(take_down, actor=actor, action="post.take_down_confirmed")
    return take_down


def finish_take_down(take_down, *, actor, action: str) -> None:
    """The post is off this channel: the delivery says so, and the post once it is off every channel."""
    take_down.status, take_down.done_at, take_down.error = TakeDownStatus.DONE, timezone.now(), ""
    take_down.save(update_fields=["status", "done_at", "error", "confirmed_by"])
    delivery = take_down.delivery
    delivery.status = DeliveryStatus.TAKEN_DOWN
    delivery.save(update_fields=["status"])
    post = Post.objects.select_for_update().get(pk=delivery.post_id)
    audit_post(actor=actor, action=action, post=post, changes={"channel": delivery.channel_id})
    if post.status == PostStatus.PUBLISHED and not post.deliveries.filter(status=DeliveryStatus.PUBLISHED).exists():
        _move(post, PostStatus.TAKEN_DOWN, f"Taken down: {take_down.get_reason_display().lower()}.")
        _save(post, "status", "status_note")


def _close_withdrawal_decisions(actor: User, post: Post) -> None:

    post.withdrawal_decisions.filter(decision="").update(
        decision=WithdrawalChoice.TAKE_DOWN, decided_by=actor, decided_at=timezone.now()
    )


# --- Decisions after a consent withdrawal ---------------------------------------------------------------------------


def withdrawal_decisions_open(consent: Consent) -> list[Post]:
    """Policy: a withdrawal takes effect at once. Each published post that relied on the consent waits for a
    decision, due within the policy's working days (consent.withdrawal_decision_working_days). Fills
    hooks.CONSENT_WITHDRAWN; returns the posts."""
    pupil = consent.pupil
    posts = list(posts_relying_on(pupil, consent.purpose))
    days = pupil.school.trust.policy.consent.withdrawal_decision_working_days
    due = add_working_days(timezone.localdate(), days)
    for post in posts:
        WithdrawalDecision.objects.get_or_create(post=post, consent=consent, defaults={"pupil": pupil, "due_on": due})
    return posts


@transaction.atomic
def withdrawal_decide(*, actor: User, decision, take_down: bool, because: str = ""):
    """Take the post down (reason: consent withdrawn), or keep it and say why."""
    decision = WithdrawalDecision.objects.select_for_update().select_related("post").get(pk=decision.pk)
    post = decision.post
    if not may_take_down(actor, post):
        raise PermissionDenied("Only those who may take this post down decide whether it stays.")
    if decision.decision:
        raise ValidationError("This post has already been decided on.")
    if take_down:
        if post.status == PostStatus.PUBLISHED:
            post_take_down(actor=actor, post=post, reason=TakeDownReason.CONSENT_WITHDRAWN)
        choice, because = WithdrawalChoice.TAKE_DOWN, ""
    else:
        because = because.strip()
        if not because:
            raise ValidationError("Say why the post stays up.")
        choice = WithdrawalChoice.KEEP
    decision.decision, decision.because = choice, because
    decision.decided_by, decision.decided_at = actor, timezone.now()
    decision.save(update_fields=["decision", "because", "decided_by", "decided_at"])
    audit_post(
        actor=actor,
        action="post.withdrawal_decision",
        post=post,
        changes={"decision": choice, "because": fingerprint(because), "withdrawal": decision.consent_id},
    )
    return decision


# --- Channels published by hand -------------------------------------------------------------------------------------


def _clean_link(url: str) -> str:
    url = url.strip()
    if not is_http_url(url):
        raise ValidationError(
            {"url": "Paste the post's whole address as your browser shows it, starting https:// (or http://)."}
        )
    if len(url) > (Delivery._meta.get_field("external_url").max_length or 200):
        raise ValidationError({"url": "That address is too long: copy the post's own link, without extras."})
    return url


@transaction.atomic
def delivery_record_by_hand(*, actor: User, delivery: Delivery, url: str, published_at: dt.datetime | None = None):
    """Policy: what goes out on an official channel is what a colleague read and agreed. For a channel published by
    hand (a closed group) a poster publishes the approved post there, then records where and when: the post is then
    published like any other (withdrawals, take-down) and SafeSocial stops reminding them."""
    from .delivery import _settle  # here, not at the top: delivery imports this module

    delivery = Delivery.objects.select_for_update().select_related("channel", "post").get(pk=delivery.pk)
    channel, post = delivery.channel, delivery.post
    if not (can_post(actor, channel) or owns_or_administers(actor, [channel.pk])):
        raise PermissionDenied("Only the channel's posters and administrators record where a post was published.")
    if delivery.status == DeliveryStatus.PUBLISHED:
        raise ValidationError("Its link is already recorded.")
    if delivery.status != DeliveryStatus.MANUAL:
        raise ValidationError(
            "This post is not waiting to be published by hand: a post goes out only once a colleague has approved it."
        )
    url = _clean_link(url)
    now = timezone.now()
    when = published_at or now
    if when > now + dt.timedelta(minutes=5):
        raise ValidationError({"published_at": "That time has not come yet: give the time it was published."})
    approved = post.approved_at.replace(second=0, microsecond=0) if post.approved_at else None
    if approved and when < approved:
        at = f"{timezone.localtime(approved):%d/%m/%Y %H:%M}"
        raise ValidationError(
            {"published_at": f"That is before the post was approved ({at}): give the time it went out, after that."}
        )
    delivery.status, delivery.external_url, delivery.published_at = DeliveryStatus.PUBLISHED, url, when
    delivery.recorded_by, delivery.last_error = actor, ""
    delivery.save(update_fields=["status", "external_url", "published_at", "recorded_by", "last_error"])
    audit_post(
        actor=actor,
        action="post.published_by_hand",
        post=post,
        changes={"channel": channel.pk, "url": url, "published_at": when},
    )
    _settle(post.pk)
    post.refresh_from_db(fields=["status"])
    if post.status == PostStatus.PUBLISHED:  # out when it first reached a channel, not when someone said so
        post.published_at = post.deliveries.aggregate(first=Min("published_at"))["first"]
        post.save(update_fields=["published_at"])
    return delivery


# --- Suggestions ------------------------------------------------------------------------------------------------------


def _audit_suggestion(*, actor, action: str, suggestion: Suggestion, changes: dict[str, object]) -> None:
    """Labelled by number: a suggestion's words may name a child, and the audit trail names none."""
    audit_record(
        actor=actor,
        action=action,
        obj=suggestion,
        label=f"Suggestion {suggestion.pk}",
        school_id=suggestion.school_id,
        changes=changes,
    )


def _move_suggestion(suggestion: Suggestion, to: str) -> None:
    move(suggestion, to, transitions=SUGGESTION_TRANSITIONS, refusal="A suggestion that is {now} cannot become {to}.")


def may_suggest(actor: User, channel: Channel) -> bool:
    """Any member of staff of the channel's school (for a trust's own channel, of any of its schools)."""
    if actor.trust_id != channel.trust_id:
        return False
    if channel.school_id is None:
        return may(actor, Action.WRITE_POST) or schools_where(actor, Action.WRITE_POST).exists()
    return may(actor, Action.WRITE_POST, channel.school)


@transaction.atomic
def suggestion_create(
    *, actor: User, channel: Channel, text: str, category: str, images: Iterable[ImageUpload] = ()
) -> Suggestion:
    """Policy 001: a colleague who cannot post suggests a post to the person the policy names (posts.suggestions_to),
    else to the channel's posters. The same checks as a post's run first: a suggestion that names a pupil without
    consent, or breaks another of the policy's rules, is refused with the reasons, and nothing of it is kept."""
    if not may_suggest(actor, channel):
        raise PermissionDenied("Only the staff of the channel's school can suggest a post for it.")
    if channel.status != ChannelStatus.ACTIVE or not takes_posts(channel):
        raise ValidationError(f"{channel} takes no posts now: suggest one for another channel.")
    policy = channel.trust.policy
    _check_category(policy, category)
    text = _clean_text(text)
    findings = text_findings(text, channel.school)
    blocking = [f.reason for f in findings if f.blocks]
    if blocking:
        raise ValidationError(["Fix these before suggesting it:", *blocking])
    # The role the policy names, if anyone holds it for this channel; else the channel's posters decide.
    role = policy.posts.suggestions_to
    to_role = role.value if role and role_holders(channel.trust, channel.school, role).exists() else ""
    suggestion = Suggestion.objects.create(
        trust=channel.trust,
        school=channel.school,
        channel=channel,
        suggested_by=actor,
        text=text,
        category=category,
        findings=[f.as_dict() for f in findings],
        to_role=to_role,
    )
    count = 0
    for position, upload in enumerate(images):
        clean = _read_image(upload)
        stem = (upload.file.name or "image").rsplit(".", 1)[0][:60] or "image"
        image = SuggestionImage(
            suggestion=suggestion,
            content_type=clean.content_type,
            alt_text=upload.alt_text.strip(),
            position=position,
        )
        extension = "png" if clean.content_type == "image/png" else "jpg"
        image.file.save(f"{stem}.{extension}", ContentFile(clean.data), save=False)
        image.save()
        count += 1
    _audit_suggestion(
        actor=actor,
        action="suggestion.create",
        suggestion=suggestion,
        changes={
            "channel": channel.pk,
            "category": category,
            "text": fingerprint(text),
            "images": count,
            "findings": [[f.check, f.severity] for f in findings],
            "to": to_role or "posters",
        },
    )
    transaction.on_commit(lambda: notifications.suggestion_arrived(suggestion, list(suggestion_deciders(suggestion))))
    return suggestion


def _lock_suggestion(actor: User, suggestion: Suggestion) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().select_related("channel", "trust").get(pk=suggestion.pk)
    if suggestion.status in (SuggestionStatus.DRAFTED, SuggestionStatus.DECLINED):
        raise ValidationError(f"This suggestion has been answered already: {suggestion.get_status_display().lower()}.")
    if not may_decide_suggestion(actor, suggestion):
        raise PermissionDenied("This suggestion is not yours to decide on.")
    return suggestion


@transaction.atomic
def suggestion_agree(*, actor: User, suggestion: Suggestion) -> Suggestion:
    """The person the policy names agrees a suggestion should go ahead; the channel's posters turn it into a post."""
    suggestion = _lock_suggestion(actor, suggestion)
    if suggestion.status != SuggestionStatus.OPEN or not suggestion.to_role:
        raise ValidationError("This suggestion is not waiting for your agreement.")
    _move_suggestion(suggestion, SuggestionStatus.AGREED)
    suggestion.agreed_by = actor
    suggestion.save(update_fields=["status", "agreed_by"])
    _audit_suggestion(actor=actor, action="suggestion.agree", suggestion=suggestion, changes={"status": "agreed"})
    transaction.on_commit(lambda: notifications.suggestion_arrived(suggestion, list(suggestion_deciders(suggestion))))
    return suggestion


@transaction.atomic
def suggestion_draft(*, actor: User, suggestion: Suggestion) -> Post:
    """A poster turns a suggestion into a draft of their own: they are its author, and the colleague who suggested
    it is credited in its history. The draft is checked, reviewed and published as any post is."""
    suggestion = _lock_suggestion(actor, suggestion)
    if not can_post(actor, suggestion.channel):
        raise PermissionDenied(
            f"Only {suggestion.channel}'s authorised posters can write the post: agree it, and they will be asked."
        )
    uploads = []
    for image in suggestion.images.all():
        with image.file.open("rb") as f:
            data = f.read()
        name = image.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
        uploads.append(ImageUpload(SimpleUploadedFile(name, data, content_type=image.content_type), image.alt_text))
    post = post_create(
        actor=actor, channels=[suggestion.channel], text=suggestion.text, category=suggestion.category, images=uploads
    )
    _move_suggestion(suggestion, SuggestionStatus.DRAFTED)
    suggestion.post, suggestion.decided_by, suggestion.decided_at = post, actor, timezone.now()
    suggestion.save(update_fields=["status", "post", "decided_by", "decided_at"])
    _audit_suggestion(actor=actor, action="suggestion.draft", suggestion=suggestion, changes={"post": post.pk})
    audit_post(actor=actor, action="post.from_suggestion", post=post, changes={"suggestion": suggestion.pk})
    transaction.on_commit(lambda: notifications.suggestion_answered(suggestion))
    return post


@transaction.atomic
def suggestion_decline(*, actor: User, suggestion: Suggestion, note: str) -> Suggestion:
    """Whoever decides declines with a note for the colleague who suggested it."""
    suggestion = _lock_suggestion(actor, suggestion)
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Tell your colleague why, in a sentence."})
    _move_suggestion(suggestion, SuggestionStatus.DECLINED)
    suggestion.note, suggestion.decided_by, suggestion.decided_at = note, actor, timezone.now()
    suggestion.save(update_fields=["status", "note", "decided_by", "decided_at"])
    _audit_suggestion(
        actor=actor, action="suggestion.decline", suggestion=suggestion, changes={"note": fingerprint(note)}
    )
    transaction.on_commit(lambda: notifications.suggestion_answered(suggestion))
    return suggestion
