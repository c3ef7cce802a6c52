"""Creating a trust from its policy file and adopting new versions of that policy."""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.services import audit_record
from safesocial.dates import add_months
from safesocial.people.models import School, Trust, User
from safesocial.people.roles import ExtraRole, Role
from safesocial.people.services import RoleSpec, staff_create
from safesocial.permissions import Action, may, require
from safesocial.workflow import move

from .approvals import approval_sign
from .approvers import FULL_LABELS
from .loader import PolicyError, PolicyInvalid, parse_policy
from .models import (
    OPEN_REVIEW,
    REVIEW_TRANSITIONS,
    ApprovalSignature,
    PolicyReview,
    PolicyVersion,
    ReviewReminder,
    ReviewStatus,
)
from .schema import Policy
from .yamledit import append_history, set_value


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def trust_create_from_policy(*, actor: User | None, text: str, source: str = "policy file") -> Trust:
    """Create the trust, its schools and its key contacts (as staff with their roles) from a policy
    file, and adopt that file as version 1. Everything is created or nothing is."""
    policy = parse_policy(text, source)
    if actor is not None and not actor.is_superuser:
        raise ValidationError("only the installation's administrator can create a trust")
    if Trust.objects.exists():
        raise ValidationError(
            f"SafeSocial already runs {Trust.objects.first()}: adopt a new version of its policy instead"
        )
    taken = sorted(User.objects.filter(email__in=[c.email for c in policy.contacts]).values_list("email", flat=True))
    if taken:
        raise ValidationError(f"these emails already belong to someone: {', '.join(taken)}")
    trust = Trust.objects.create(
        name=policy.trust.name, short_name=policy.trust.short_name or "", website=policy.trust.website or ""
    )
    audit_record(actor=actor, action="trust.create", obj=trust, changes={"name": trust.name, "source": source})
    schools = {}
    for spec in policy.trust.schools:
        school = School.objects.create(trust=trust, key=spec.key, name=spec.name, urn=spec.urn or "", phase=spec.phase)
        audit_record(actor=actor, action="school.create", obj=school, school_id=school.pk, changes={"name": spec.name})
        schools[spec.key] = school
    version = _adopt(actor=actor, trust=trust, policy=policy, text=text, note=f"created from {source}")
    for contact in policy.contacts:
        home = schools[contact.school] if contact.school else None
        staff_create(
            actor=None,  # the trust's leaders do not exist yet: the administrator creating the trust acts
            trust=trust,
            email=contact.email,
            full_name=contact.name,
            job_title=contact.job_title,
            roles=[RoleSpec(role, home) for role in contact.roles],
        )
    if actor is not None and actor.trust_id is None:
        actor.trust = trust
        actor.save(update_fields=["trust"])
    trust.__dict__["policy_version"] = version
    return trust


def _adopt(*, actor: User | None, trust: Trust, policy: Policy, text: str, note: str) -> PolicyVersion:
    last = trust.policy_versions.order_by("-number").first()
    digest = _digest(text)
    if last is not None and last.sha256 == digest:
        raise ValidationError("this file is the version already in force: nothing has changed")
    version = PolicyVersion.objects.create(
        trust=trust,
        number=(last.number + 1) if last else 1,
        text=text,
        sha256=digest,
        document_version=policy.document.version,
        adopted_by=actor,
        note=note[:300],
    )
    audit_record(
        actor=actor,
        action="policy.adopt",
        obj=version,
        changes={
            "number": version.number,
            "document_version": version.document_version,
            "sha256": digest,
            "previous": last.number if last else None,
        },
    )
    return version


@transaction.atomic
def policy_adopt(
    *, actor: User | None, trust: Trust, text: str, note: str = "", source: str = "policy file"
) -> PolicyVersion:
    """Adopt a new version of the trust's policy. It governs SafeSocial from this moment; earlier
    versions are kept with their dates. Schools new to the file are added; a school cannot be
    dropped while it holds records."""
    if actor is not None:
        require(actor, Action.ADOPT_POLICY)
    policy = parse_policy(text, source)
    existing = {s.key: s for s in trust.schools.all()}
    missing = sorted(set(existing) - set(policy.school_keys()))
    if missing:
        raise PolicyInvalid(
            [
                PolicyError(
                    "trust.schools",
                    None,
                    f"school(s) {', '.join(missing)} are missing: a school cannot be removed from the policy",
                )
            ],
            source,
        )
    if policy.trust.name != trust.name:
        trust.name = policy.trust.name
        trust.save(update_fields=["name"])
    for spec in policy.trust.schools:
        if spec.key not in existing:
            school = School.objects.create(
                trust=trust, key=spec.key, name=spec.name, urn=spec.urn or "", phase=spec.phase
            )
            audit_record(
                actor=actor,
                action="school.create",
                obj=school,
                school_id=school.pk,
                changes={"name": spec.name},
            )
    version = _adopt(actor=actor, trust=trust, policy=policy, text=text, note=note or f"adopted from {source}")
    trust.__dict__.pop("policy_version", None)
    return version


# The annual review --------------------------------------------------------------------------------------------


_move = partial(move, transitions=REVIEW_TRANSITIONS, refusal="A review that is {now} cannot become {to}.")


def draft_problems(trust: Trust, text: str) -> list[PolicyError]:
    """Everything that would stop the draft being adopted: each problem names its field and line."""
    try:
        policy = parse_policy(text, "draft")
    except PolicyInvalid as exc:
        return exc.errors
    missing = sorted({s.key for s in trust.schools.all()} - set(policy.school_keys()))
    if missing:
        return [
            PolicyError(
                "trust.schools",
                None,
                f"school(s) {', '.join(missing)} are missing: a school cannot be removed from the policy",
            )
        ]
    return []


@transaction.atomic
def review_start(*, actor: User, trust: Trust) -> PolicyReview:
    """Policy: the policy is reviewed at least annually (and after incidents or new guidance) by the people it names
    in review.reminders_to and its approver. The draft begins as the version in force."""
    require(actor, Action.DRAFT_POLICY_REVIEW)
    if PolicyReview.objects.filter(trust=trust, status__in=OPEN_REVIEW).exists():
        raise ValidationError("A review is already in progress: carry on with it rather than starting another.")
    version = trust.policy_version
    review = PolicyReview.objects.create(
        trust=trust,
        base_version=version,
        review_due=version.policy.review.next_review,
        draft_text=version.text,
        started_by=actor,
    )
    audit_record(
        actor=actor,
        action="policy_review.start",
        obj=review,
        changes={"base_version": version.number, "review_due": review.review_due},
    )
    return review


@transaction.atomic
def review_save(*, actor: User, review: PolicyReview, text: str, change_note: str) -> list[PolicyError]:
    """Keep the draft as typed, even with mistakes (nothing is lost), and say what is wrong with it."""
    require(actor, Action.DRAFT_POLICY_REVIEW)
    if review.status != ReviewStatus.DRAFT:
        raise ValidationError("Only a draft can be changed: this review has been submitted.")
    problems = draft_problems(review.trust, text)
    changed = text != review.draft_text
    review.draft_text = text
    review.change_note = change_note.strip()[:300]
    review.updated_at = timezone.now()
    review.save(update_fields=["draft_text", "change_note", "updated_at"])
    audit_record(
        actor=actor,
        action="policy_review.save",
        obj=review,
        changes={"sha256": _digest(text), "text_changed": changed, "valid": not problems},
    )
    return problems


@transaction.atomic
def review_submit(*, actor: User, review: PolicyReview) -> PolicyReview:
    require(actor, Action.DRAFT_POLICY_REVIEW)
    problems = draft_problems(review.trust, review.draft_text)
    if problems:
        raise ValidationError([f"The draft cannot be submitted: {p}" for p in problems])
    _move(review, ReviewStatus.SUBMITTED)
    review.submitted_by, review.submitted_at = actor, timezone.now()
    review.save(update_fields=["status", "submitted_by", "submitted_at"])
    audit_record(actor=actor, action="policy_review.submit", obj=review, changes={"sha256": _digest(review.draft_text)})
    _tell(
        review,
        roles=list(review.trust.policy.review.approver.roles),
        subject="The social media policy review is waiting for your approval",
        body="A draft of the trust's reviewed social media policy has been submitted for your approval.",
    )
    return review


def _refuse_unless_approver(actor: User, review: PolicyReview) -> None:
    approvers = review.trust.policy.review.approver
    if not may(actor, Action.ADOPT_POLICY):
        raise PermissionDenied(
            f"Only {approvers.describe(FULL_LABELS)} can approve the policy's review: the policy names "
            f"{'that role' if approvers.single else 'those roles'} (review.approver). You can read the draft, but "
            "not approve it."
        )


@transaction.atomic
def review_return(*, actor: User, review: PolicyReview, note: str) -> PolicyReview:
    """The approver sends the draft back with their reasons; it becomes a draft again."""
    _refuse_unless_approver(actor, review)
    if not note.strip():
        raise ValidationError("Say what needs to change, so the people drafting know.")
    # Signatures were given to the draft as it stood; the audit trail keeps them, the changed draft needs new ones.
    ApprovalSignature.objects.filter(
        subject_type=ContentType.objects.get_for_model(review), subject_id=review.pk
    ).delete()
    _move(review, ReviewStatus.DRAFT)
    review.returned_note = note.strip()
    review.save(update_fields=["status", "returned_note"])
    audit_record(actor=actor, action="policy_review.return", obj=review, changes={"note": review.returned_note})
    return review


def approved_text(review: PolicyReview, *, today: dt.date) -> str:
    """The draft as it will be adopted: with its document history entry, the approval date, a document version and,
    if the draft did not move it, the next review date a cadence on (keeping the trust's month, never in the past)."""
    base = review.base_version.policy
    draft = parse_policy(review.draft_text, "draft")
    approvers = draft.review.approver.describe(FULL_LABELS)
    role = approvers.removeprefix("the ")
    role = role[:1].upper() + role[1:]
    event = f"Reviewed and approved by {approvers}"
    if review.change_note:
        event += f": {review.change_note}"
    text = append_history(review.draft_text, today, event, role)
    if draft.document.approved_on == base.document.approved_on:
        text = set_value(text, ("document", "approved_on"), today)
    if draft.document.version == base.document.version:
        text = set_value(text, ("document", "version"), f"{today:%Y-%m}")
    if draft.review.next_review == base.review.next_review:
        next_review = add_months(base.review.next_review, draft.review.cadence_months)
        while next_review <= today:
            next_review = add_months(next_review, draft.review.cadence_months)
        text = set_value(text, ("review", "next_review"), next_review)
    return text


@transaction.atomic
def review_approve(*, actor: User, review: PolicyReview) -> PolicyVersion | None:
    """Policy: review.approver approves the reviewed policy, and only those roles. With all_of each role signs and the
    draft waits (None is returned) until the last has; then, or at the first signature with one role or any_of,
    approval adopts the draft as a new version with a document history entry."""
    _refuse_unless_approver(actor, review)
    review.status = PolicyReview.objects.select_for_update().values_list("status", flat=True).get(pk=review.pk)
    if review.status != ReviewStatus.SUBMITTED:
        _move(review, ReviewStatus.APPROVED)  # refused, with the reason, before anyone signs
    signed = approval_sign(
        actor=actor,
        subject=review,
        approvers=review.trust.policy.review.approver,
        school=None,
        audit_action="policy_review.sign",
    )
    if not signed.complete:
        return None
    _move(review, ReviewStatus.APPROVED)
    today = timezone.localdate()
    text = approved_text(review, today=today)
    version = policy_adopt(
        actor=actor,
        trust=review.trust,
        text=text,
        note=f"Annual review approved{': ' + review.change_note if review.change_note else ''}",
        source="the reviewed draft",
    )
    review.approved_by, review.approved_at, review.adopted_version = actor, timezone.now(), version
    review.save(update_fields=["status", "approved_by", "approved_at", "adopted_version"])
    audit_record(
        actor=actor,
        action="policy_review.approve",
        obj=review,
        changes={"version": version.number, "next_review": version.policy.review.next_review},
    )
    if version.policy.review.noted_by:
        _tell(
            review,
            roles=[Role.GOVERNOR],
            subject=f"The reviewed social media policy is ready for the {version.policy.review.noted_by} to note",
            body=f"The trust's social media policy has been reviewed and approved. The policy asks the "
            f"{version.policy.review.noted_by} to note it; record the meeting that did so in SafeSocial.",
        )
    return version


@transaction.atomic
def review_note(*, actor: User, review: PolicyReview, noted_on: dt.date, minute: str = "") -> PolicyReview:
    """Policy: the governing body the policy names (review.noted_by) notes the approved review; a governor or
    trustee records the date of the meeting."""
    if not may(actor, Action.NOTE_POLICY_REVIEW):
        raise PermissionDenied("Only a governor or trustee can record that the governing body noted the review.")
    if review.approved_at is None or noted_on < timezone.localtime(review.approved_at).date():
        raise ValidationError("The meeting that noted the review cannot be before the review was approved.")
    if noted_on > timezone.localdate():
        raise ValidationError("The meeting date cannot be in the future: record it once the meeting has noted it.")
    _move(review, ReviewStatus.NOTED)
    policy = review.adopted_version.policy if review.adopted_version else review.trust.policy
    review.noted_on, review.noted_by = noted_on, actor
    review.noted_body = policy.review.noted_by or policy.document.approved_by
    review.noted_minute = minute.strip()[:200]
    review.save(update_fields=["status", "noted_on", "noted_by", "noted_body", "noted_minute"])
    audit_record(
        actor=actor,
        action="policy_review.note",
        obj=review,
        changes={"noted_on": noted_on, "body": review.noted_body, "minute": review.noted_minute},
    )
    return review


def _people_with(trust: Trust, roles: list[Role | ExtraRole]) -> list[str]:
    """Holders of these roles across the trust: the review is the trust's, so a school's DSL or governor is not
    asked to act on it (permissions.TRUST_LEVEL)."""
    people = User.objects.filter(
        trust=trust, is_active=True, role_assignments__role__in=roles, role_assignments__school__isnull=True
    )
    return sorted(set(people.values_list("email", flat=True)))


def _tell(review: PolicyReview, *, roles: list[Role | ExtraRole], subject: str, body: str) -> None:
    """An email saying there is something to do and where; the draft itself stays in SafeSocial."""
    emails = _people_with(review.trust, roles)
    link = settings.SITE_ROOT + reverse("policy:review", args=[review.pk])
    if emails:
        transaction.on_commit(lambda: send_mail(subject, f"{body}\n\n{link}", None, emails))


@transaction.atomic
def review_reminders_send(*, trust: Trust, today: dt.date | None = None) -> ReviewReminder | None:
    """Policy: reminders go review.reminder_days_before days before review.next_review (two months, one month, one
    week and the day before by default) to the roles in review.reminders_to and the approver. Each is sent once; a
    day the scheduler missed is made up by the next run, which sends only the latest reminder due."""
    today = today or timezone.localdate()
    rules = trust.policy.review
    due = rules.next_review
    if today > due:
        return None
    days = [d for d in sorted(set(rules.reminder_days_before)) if due - dt.timedelta(days=d) <= today]
    if not days:
        return None
    days_before = days[0]
    reminder, created = ReviewReminder.objects.get_or_create(
        trust=trust, review_due=due, days_before=days_before, defaults={"sent_at": timezone.now()}
    )
    if not created:
        return None
    roles = [*rules.reminders_to, *rules.approver.roles]
    emails = _people_with(trust, roles)
    reminder.recipients = len(emails)
    reminder.save(update_fields=["recipients"])
    audit_record(
        actor="SafeSocial reminders",
        action="policy_review.remind",
        obj=reminder,
        changes={"review_due": due, "days_before": days_before, "recipients": len(emails)},
    )
    in_progress = PolicyReview.objects.filter(trust=trust, status__in=OPEN_REVIEW).first()
    left = (due - today).days
    when = "tomorrow" if left == 1 else "today" if left == 0 else f"in {left} days"
    link = settings.SITE_ROOT + (
        reverse("policy:review", args=[in_progress.pk]) if in_progress else reverse("policy:reviews")
    )
    body = (
        f"The trust's social media policy is due for its review on {due:%-d %B %Y}, {when}. "
        + (
            f"A review is in progress ({in_progress.get_status_display().lower()})."
            if in_progress
            else "Start the review in SafeSocial: it opens with what the year brought."
        )
        + f"\n\n{link}\n\nYou receive this because the policy names your role for its review."
    )
    if emails:
        transaction.on_commit(
            lambda: send_mail(f"Social media policy review due {when} ({due:%-d %B %Y})", body, None, emails)
        )
    return reminder
