"""Raising and managing safeguarding concerns. Every write is here, audited, and a chronology entry on the case.

Notifications say that there is a concern (or a pattern) and link to it; never its content."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.services import audit_record
from safesocial.dates import add_working_days
from safesocial.moderation.models import Comment
from safesocial.people.models import ParentCarer, Pupil, RoleAssignment, School, Trust, User
from safesocial.permissions import Action, allowed_roles, may, require, schools_where
from safesocial.workflow import move

from . import referrals, selectors, triage
from .models import (
    TRANSITIONS,
    ActionStatus,
    CaseAction,
    ChronologyEntry,
    Concern,
    ConcernKind,
    ConcernLink,
    ConcernStatus,
    EntryKind,
    Evidence,
    LinkKind,
    LinkRole,
    ListVisit,
    ParentsInformed,
    PatternAlert,
    RecordTransfer,
    Referral,
    Route,
    Source,
)
from .types import BY_KEY, PLATFORM_LABELS, account_key, platform_of_channel, retention_years_for

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
MAX_FILES = 10


# Evidence checks ---------------------------------------------------------------------------------------------------

# What each accepted extension claims to be, and how to recognise it by its first bytes.
ACCEPTED = {
    "png": ("image/png", "a PNG image"),
    "jpg": ("image/jpeg", "a JPEG image"),
    "jpeg": ("image/jpeg", "a JPEG image"),
    "gif": ("image/gif", "a GIF image"),
    "webp": ("image/webp", "a WebP image"),
    "pdf": ("application/pdf", "a PDF document"),
    "txt": ("text/plain", "a plain text file"),
    "mp4": ("video/mp4", "an MP4 video"),
}
ACCEPTED_TEXT = "PNG, JPEG, GIF or WebP images, PDF documents, plain text (.txt) or MP4 videos"


def _looks_like(ext: str, head: bytes, data: bytes) -> bool:
    if ext == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if ext == "gif":
        return head[:6] in (b"GIF87a", b"GIF89a")
    if ext == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if ext == "pdf":
        return head.startswith(b"%PDF-")
    if ext == "mp4":
        return head[4:8] == b"ftyp"
    if ext == "txt":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return False


@dataclass(frozen=True)
class RefusedFile:
    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


def evidence_problem(name: str, size: int, data: bytes | None) -> str | None:
    """Why a file cannot be kept as evidence, in words for the person who sent it; None when it can."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if size > MAX_EVIDENCE_BYTES:
        return (
            f"it is {size / 1024 / 1024:.1f} MB; files can be up to {MAX_EVIDENCE_BYTES // 1024 // 1024} MB. "
            "Take a screenshot, or a shorter clip, and add that."
        )
    if ext not in ACCEPTED:
        return f"files of this type (.{ext or 'no extension'}) are not accepted. Send {ACCEPTED_TEXT}."
    if size == 0 or not data:
        return "the file is empty."
    if not _looks_like(ext, data[:16], data):
        return (
            f"its name says it is {ACCEPTED[ext][1]}, but its content is not. "
            "Save it again in that format (or give it its real extension) and add it again."
        )
    return None


@dataclass
class Upload:
    """A file as it arrived: from a form (an UploadedFile) or made by the demo."""

    name: str
    size: int
    chunks: Iterable[bytes]

    @classmethod
    def of(cls, uploaded) -> Upload:
        return cls(name=uploaded.name or "file", size=uploaded.size or 0, chunks=uploaded.chunks())


def _store_evidence(
    actor: User | None, concern: Concern, uploads: Sequence
) -> tuple[list[Evidence], list[RefusedFile]]:
    kept: list[Evidence] = []
    refused: list[RefusedFile] = []
    for uploaded in uploads:
        upload = uploaded if isinstance(uploaded, Upload) else Upload.of(uploaded)
        name = (upload.name or "file").replace("/", "_").replace("\\", "_")[:200]
        data = None if upload.size > MAX_EVIDENCE_BYTES else b"".join(upload.chunks)
        problem = evidence_problem(name, upload.size if data is None else len(data), data)
        if problem is None:
            assert data is not None
            digest = hashlib.sha256(data).hexdigest()
            evidence = Evidence(
                concern=concern,
                original_name=name,
                content_type=ACCEPTED[name.rsplit(".", 1)[-1].lower()][0],
                size=len(data),
                sha256=digest,
                uploaded_by=actor,
            )
            try:
                # The file is written as received: no resizing, no re-encoding, no stripping of metadata.
                evidence.file.save(name, ContentFile(data), save=False)
                with transaction.atomic():
                    evidence.save()
            except Exception:  # a full disk or a storage error: keep the concern, say which file did not go in
                problem = "it could not be stored just now. Add it again from the concern's page."
            else:
                kept.append(evidence)
                audit_record(
                    actor=actor or "Public report form",
                    action="concern.evidence.add",
                    obj=evidence,
                    label=f"Evidence {evidence.pk} of concern {concern.pk}",
                    school_id=concern.school_id,
                    changes={"sha256": digest, "size": len(data), "content_type": evidence.content_type},
                )
                _entry(concern, actor, EntryKind.EVIDENCE, f"Added {name} ({len(data):,} bytes, SHA-256 {digest}).")
        if problem is not None:
            refused.append(RefusedFile(name, problem))
            _entry(concern, actor, EntryKind.EVIDENCE_REFUSED, f"{name} was refused: {problem}")
            audit_record(
                actor=actor or "Public report form",
                action="concern.evidence.refuse",
                obj=concern,
                school_id=concern.school_id,
                changes={"reason": problem},
            )
    return kept, refused


# Helpers ----------------------------------------------------------------------------------------------------------


def _label(actor: User | str | None) -> str:
    if isinstance(actor, str):
        return actor
    if actor is None:
        return "A parent, pupil or member of the public (public form)"
    return actor.full_name or actor.email


def _entry(
    concern: Concern, actor: User | str | None, kind: str, text: str, corrects: ChronologyEntry | None = None
) -> ChronologyEntry:
    return ChronologyEntry.objects.create(
        concern=concern,
        actor=actor if isinstance(actor, User) else None,
        actor_label=_label(actor),
        kind=kind,
        text=text,
        corrects=corrects,
    )


def _require_manage(actor: User, concern: Concern) -> None:
    if not selectors.can_manage(actor, concern):
        raise PermissionDenied("Only the people the policy names for this concern can change it.")


def _require_open(concern: Concern) -> None:
    if concern.status != ConcernStatus.OPEN:
        raise ValidationError("This concern is closed. Reopen it first, saying why.")


def _new_reference(trust: Trust) -> str:
    prefix = (trust.short_name or "SS")[:4].upper()
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        ref = f"{prefix}-{''.join(secrets.choice(alphabet) for _ in range(6))}"
        if not Concern.objects.filter(reference=ref).exists():
            return ref


def _link_of(concern: Concern) -> str:
    return settings.SITE_ROOT + reverse("concerns:detail", args=[concern.pk])


def _notify(emails: list[str], subject: str, body: str) -> None:
    if emails:
        transaction.on_commit(lambda: send_mass_mail([(subject, body, None, [e]) for e in emails], fail_silently=True))


def _notify_receivers(concern: Concern, *, only: set[int] | None = None) -> list[str]:
    """Email the people who receive this concern: that there is one, and where. Nothing of what it says."""
    people = selectors.receivers(concern)
    if only is not None:
        people = people.filter(pk__in=only)
    emails = [e for e in people.values_list("email", flat=True) if e]
    body = (
        "A safeguarding concern has been recorded and needs your attention.\n\n"
        f"Open it in SafeSocial (you will be asked to sign in): {_link_of(concern)}\n"
    )
    _notify(emails, "A safeguarding concern needs your attention", body)
    return emails


def _notify_urgent(concern: Concern, *, exclude: User | None = None) -> list[str]:
    """Immediate risk: every receiver at once, in words that say only that it is urgent and where it is."""
    people = selectors.receivers(concern)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    emails = [e for e in people.values_list("email", flat=True) if e]
    body = (
        "An urgent safeguarding concern has been recorded: someone believes a child may be at risk of harm now.\n\n"
        f"Open it in SafeSocial now (you will be asked to sign in): {_link_of(concern)}\n\n"
        "When you are dealing with it, say so on the concern's page so that your colleagues know.\n"
    )
    _notify(emails, "URGENT: a safeguarding concern needs attention now", body)
    return emails


def _route_of(concern: Concern) -> str:
    """A concern about a member of staff goes to the role the policy names for that; about the head, higher."""
    policy = concern.trust.policy
    subjects = list(concern.links.filter(kind=LinkKind.STAFF, role=LinkRole.SUBJECT).values_list("staff_id", flat=True))
    kind = BY_KEY.get(concern.kind)
    if not subjects and not (kind and kind.about_staff):
        return Route.SAFEGUARDING
    leaders = RoleAssignment.objects.filter(
        user_id__in=subjects, school__isnull=True, role=policy.concerns.about_head_to
    ).exists()
    if leaders:
        # About the person the heads answer to (the CEO): to the role above them, e.g. the chair of trustees.
        return Route.LEADER
    # Exactly as the policy says: about the holder of `about_staff_to` (or of `about_head_to`), to `about_head_to`.
    head_roles = {policy.concerns.about_staff_to, policy.concerns.about_head_to}
    at = {None, concern.school_id}
    heads = RoleAssignment.objects.filter(user_id__in=subjects, role__in=head_roles).values_list("school_id", flat=True)
    if any(school_id in at for school_id in heads) or concern.school_id is None:
        # About the head, or about a colleague with no one school: the role above the heads (e.g. the CEO).
        return Route.HEAD
    return Route.STAFF


def _years_after(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


IRMS_CHILD_AGE = 25  # IRMS toolkit for schools: child protection records are kept until the child is 25


def _retention(concern: Concern) -> tuple[dt.date, str]:
    """Until when a record is kept, and under which rule: the policy's period for its kind (or its `default`); where
    the policy names none, the IRMS toolkit's: a record naming a pupil until the youngest is 25, any other record
    SafeSocial's default period from when it was reported."""
    policy = concern.trust.policy
    years = retention_years_for(concern.kind, policy)
    start = timezone.localtime(concern.created_at).date()
    if policy.concerns.retention_years:
        return _years_after(start, years), f"The policy's retention period for this kind: {years} years"
    births = concern.links.filter(kind=LinkKind.PUPIL).values_list("pupil__date_of_birth", flat=True)
    if births:
        return (
            _years_after(max(births), IRMS_CHILD_AGE),
            f"IRMS toolkit: child protection records are kept until the child is {IRMS_CHILD_AGE}",
        )
    return _years_after(start, years), f"SafeSocial's default retention period: {years} years"


def _set_retention(concern: Concern) -> None:
    concern.retain_until, concern.retention_rule = _retention(concern)
    concern.save(update_fields=["retain_until", "retention_rule"])


# Raising a concern --------------------------------------------------------------------------------------------------


@dataclass
class People:
    """Who a report names: records from the school, colleagues, and accounts as typed."""

    pupils: list[Pupil] = field(default_factory=list)
    parents: list[ParentCarer] = field(default_factory=list)
    staff_subjects: list[User] = field(default_factory=list)  # the concern is about them
    staff_involved: list[User] = field(default_factory=list)
    accounts: list[tuple[str, str]] = field(default_factory=list)  # (platform, handle)


@dataclass(frozen=True)
class ReportResult:
    concern: Concern
    kept: list[Evidence]
    refused: list[RefusedFile]


def _create(
    *,
    trust: Trust,
    school: School | None,
    kind: str,
    summary: str,
    actor: User | None,
    source: str,
    occurred_at: dt.datetime | None = None,
    platform: str = "",
    url: str = "",
    account_handle: str = "",
    at_risk_now: str = "",
    harm_likely: str = "",
    **reporter: str,
) -> Concern:
    answers = {value for value, _ in triage.ANSWERS} | {""}
    if at_risk_now not in answers or harm_likely not in answers:
        raise ValidationError({"at_risk_now": "Answer yes, no or not sure."})
    if kind not in BY_KEY:
        raise ValidationError({"kind": "Choose what kind of concern this is."})
    if not summary.strip():
        raise ValidationError({"summary": "Say what happened."})
    if occurred_at and occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"occurred_at": "The date and time it happened cannot be in the future."})
    if school is not None and school.trust_id != trust.pk:
        raise ValidationError({"school": "Choose one of the trust's schools."})
    concern = Concern.objects.create(
        trust=trust,
        school=school,
        reference=_new_reference(trust),
        kind=kind,
        summary=summary.strip(),
        source=source,
        reported_by=actor,
        occurred_at=occurred_at,
        platform=platform,
        url=url,
        account_handle=account_handle.strip(),
        at_risk_now=at_risk_now,
        harm_likely=harm_likely,
        triage_level=triage.level_for(trust.policy, triage.meaning_from_answers(at_risk_now, harm_likely, kind)),
        **reporter,
    )
    concern.triaged_at = concern.created_at
    concern.save(update_fields=["triaged_at"])
    return concern


def _add_links(concern: Concern, actor: User | None, people: People) -> list[ConcernLink]:
    made = []
    common = {
        "concern": concern,
        "trust_id": concern.trust_id,
        "created_at": concern.created_at,
        "added_by": actor,
        "school_id": concern.school_id,
        "route": concern.route,
    }
    for pupil in people.pupils:
        if pupil.school.trust_id != concern.trust_id:
            raise ValidationError({"pupils": "That pupil is not on the roll of one of the trust's schools."})
        made.append(
            ConcernLink.objects.get_or_create(kind=LinkKind.PUPIL, pupil=pupil, defaults=common, concern=concern)[0]
        )
    for parent in people.parents:
        if parent.trust_id != concern.trust_id:
            raise ValidationError({"parents": "That parent or carer is not in the trust's records."})
        made.append(
            ConcernLink.objects.get_or_create(kind=LinkKind.PARENT, parent=parent, defaults=common, concern=concern)[0]
        )
    for role, staff in [(LinkRole.SUBJECT, s) for s in people.staff_subjects] + [
        (LinkRole.INVOLVED, s) for s in people.staff_involved
    ]:
        if staff.trust_id != concern.trust_id:
            raise ValidationError({"staff": "That colleague is not on the trust's staff."})
        made.append(
            ConcernLink.objects.get_or_create(
                kind=LinkKind.STAFF, staff=staff, role=role, defaults=common, concern=concern
            )[0]
        )
        staff.__dict__.pop("_safesocial_concerns_about", None)  # selectors._about, read once a request: now stale
    accounts = list(people.accounts)
    if concern.account_handle:
        accounts.insert(0, (concern.platform, concern.account_handle))
    for platform, handle in accounts:
        key = account_key(platform, handle)
        if key:
            made.append(
                ConcernLink.objects.get_or_create(
                    kind=LinkKind.ACCOUNT,
                    account_key=key,
                    concern=concern,
                    defaults={**common, "platform": platform, "handle": handle.strip()[:200]},
                )[0]
            )
    return made


def _describe_links(links: list[ConcernLink]) -> str:
    parts = []
    for link in links:
        what = LinkKind(link.kind).label.lower()
        if link.kind == LinkKind.STAFF and link.role == LinkRole.SUBJECT:
            what = "member of staff the concern is about"
        parts.append(f"{link} ({what})")
    return "; ".join(parts)


def _raise(concern: Concern, actor: User | str | None, people: People, files: Sequence) -> ReportResult:
    links = _add_links(concern, actor if isinstance(actor, User) else None, people)
    _set_retention(concern)
    route = _route_of(concern)
    if route != concern.route:
        concern.route = route
        concern.save(update_fields=["route"])
        concern.links.update(route=route)
    _entry(
        concern,
        actor,
        EntryKind.REPORTED,
        f"Reported: {selectors.kind_label(concern.kind)}."
        + (f" Named: {_describe_links(links)}." if links else "")
        + f" Level from the report: {selectors.level_label(concern)}.",
    )
    audit_record(
        actor=actor or "Public report form",
        action="concern.raise",
        obj=concern,
        school_id=concern.school_id,
        changes={
            "kind": concern.kind,
            "source": concern.source,
            "route": concern.route,
            "triage_level": concern.triage_level,
        },
    )
    kept, refused = _store_evidence(actor if isinstance(actor, User) else None, concern, files)
    if selectors.is_urgent(concern):
        _notify_urgent(concern)
    else:
        _notify_receivers(concern)
    _check_patterns(concern)
    return ReportResult(concern, kept, refused)


@transaction.atomic
def concern_report(
    *,
    actor: User,
    school: School | None,
    kind: str,
    summary: str,
    occurred_at: dt.datetime | None = None,
    platform: str = "",
    url: str = "",
    account_handle: str = "",
    people: People | None = None,
    files: Sequence = (),
    at_risk_now: str = "",
    harm_likely: str = "",
) -> ReportResult:
    """Policy: any member of staff reports a concern, with its evidence, to the people the policy names. The concern
    is saved even when some files are refused; the result says which and why."""
    if school is not None:
        require(actor, Action.REPORT_CONCERN, school)
    elif not (may(actor, Action.REPORT_CONCERN) or schools_where(actor, Action.REPORT_CONCERN).exists()):
        # A concern about the trust as a whole (no one school) may come from anyone who may report at all.
        raise PermissionDenied("Report a concern")
    if BY_KEY.get(kind) and BY_KEY[kind].staff_only:
        raise ValidationError({"kind": "This kind is raised by SafeSocial's moderation, not on the form."})
    if actor.trust is None:
        raise PermissionDenied("Report a concern")
    concern = _create(
        trust=actor.trust,
        school=school,
        kind=kind,
        summary=summary,
        actor=actor,
        source=Source.STAFF,
        occurred_at=occurred_at,
        platform=platform,
        url=url,
        account_handle=account_handle,
        at_risk_now=at_risk_now,
        harm_likely=harm_likely,
    )
    return _raise(concern, actor, people or People(), files)


@transaction.atomic
def concern_report_public(
    *,
    school: School,
    kind: str,
    summary: str,
    occurred_at: dt.datetime | None = None,
    platform: str = "",
    url: str = "",
    account_handle: str = "",
    reporter_name: str = "",
    reporter_contact: str = "",
    reporter_relationship: str = "",
    files: Sequence = (),
    at_risk_now: str = "",
) -> ReportResult:
    """Policy: parents and pupils can report too, with no account. They choose from the kinds open to the public."""
    if not BY_KEY.get(kind) or not BY_KEY[kind].public:
        raise ValidationError({"kind": "Choose what kind of concern this is."})
    concern = _create(
        trust=school.trust,
        school=school,
        kind=kind,
        summary=summary,
        actor=None,
        source=Source.PUBLIC,
        occurred_at=occurred_at,
        platform=platform,
        url=url,
        account_handle=account_handle,
        reporter_name=reporter_name.strip()[:150],
        reporter_contact=reporter_contact.strip()[:200],
        reporter_relationship=reporter_relationship[:40],
        at_risk_now=at_risk_now,
    )
    return _raise(concern, None, People(), files)


@transaction.atomic
def concern_raise_from_comment(
    *,
    trust: Trust,
    school: School | None,
    kind: str,
    summary: str,
    occurred_at: dt.datetime | None = None,
    platform: str = "",
    url: str = "",
    account_handle: str = "",
) -> Concern:
    """Policy: anything suggesting a child may be at risk goes to the DSL of that school (and the trust's lead).
    Moderation passes when the comment was posted, the platform (`types.platform_of_channel`) and the author's
    account, so the DSL's record says when and where, and the account counts in the patterns."""
    concern = _create(
        trust=trust,
        school=school,
        kind=kind,
        summary=summary,
        actor=None,
        source=Source.MODERATION,
        occurred_at=occurred_at,
        platform=platform,
        url=url,
        account_handle=account_handle,
    )
    _raise(concern, "SafeSocial moderation", People(), ())
    return concern


def concern_raise_for_comment(comment: Comment, reasons: str) -> Concern:
    """A comment moderation hid as a possible disclosure or threat (hooks.COMMENT_DISCLOSURE): raised with the DSL
    with when and where it was posted and the author's account. `reasons` names no words of the comment."""
    fired = {c["name"] for c in comment.top_categories}
    threat = "threat" in fired and "safeguarding" not in fired
    channel = comment.channel
    concern = concern_raise_from_comment(
        trust=channel.trust,
        school=channel.school,
        kind=ConcernKind.COMMENT_THREAT if threat else ConcernKind.COMMENT_DISCLOSURE,
        summary=f"A comment on {channel.name} may disclose a risk to a child or threaten someone. "
        f"SafeSocial hid it from the public and kept it. Why it was flagged: {reasons}",
        occurred_at=comment.created_at,
        platform=platform_of_channel(channel.platform),
        account_handle=comment.author_name or comment.author_id,
    )
    concern.comments.add(comment)
    return concern


# The case record -------------------------------------------------------------------------------------------------


@transaction.atomic
def evidence_add(*, actor: User, concern: Concern, files: Sequence) -> tuple[list[Evidence], list[RefusedFile]]:
    """Policy: save the evidence. The reporter, or anyone managing the case, adds files; each is kept as received."""
    if not selectors.can_open(actor, concern):
        raise PermissionDenied("Only the reporter and the people the policy names can add evidence.")
    if not files:
        raise ValidationError({"files": "Choose at least one file to add."})
    return _store_evidence(actor, concern, files)


@transaction.atomic
def concern_link_add(*, actor: User, concern: Concern, people: People) -> list[ConcernLink]:
    """Link more pupils, parents, colleagues or accounts. Naming a colleague as the subject routes the concern away
    from them (and everyone not named for concerns about staff)."""
    _require_manage(actor, concern)
    before = set(selectors.receivers(concern).values_list("pk", flat=True))
    links = _add_links(concern, actor, people)
    if not links:
        raise ValidationError("Choose someone or type an account to link.")
    _entry(concern, actor, EntryKind.LINKED, f"Linked: {_describe_links(links)}.")
    route = _route_of(concern)
    changes = {"links": [f"{link.kind}:{link.pk}" for link in links]}
    if route != concern.route:
        changes["route"] = [concern.route, route]
        concern.route = route
        concern.save(update_fields=["route"])
        concern.links.update(route=route)
        new = set(selectors.receivers(concern).values_list("pk", flat=True)) - before
        _notify_receivers(concern, only=new)
    audit_record(actor=actor, action="concern.link", obj=concern, school_id=concern.school_id, changes=changes)
    _check_patterns(concern)
    return links


@transaction.atomic
def chronology_add(*, actor: User, concern: Concern, text: str) -> ChronologyEntry:
    """Policy: every action on a concern is recorded, who and when."""
    _require_manage(actor, concern)
    if not text.strip():
        raise ValidationError({"text": "Write the note."})
    entry = _entry(concern, actor, EntryKind.NOTE, text.strip())
    audit_record(actor=actor, action="concern.note", obj=concern, school_id=concern.school_id)
    return entry


@transaction.atomic
def chronology_correct(*, actor: User, entry: ChronologyEntry, text: str) -> ChronologyEntry:
    """A correction is a new entry that names the one it corrects; the original stays as it was."""
    _require_manage(actor, entry.concern)
    if not text.strip():
        raise ValidationError({"text": "Write the correction."})
    correction = _entry(entry.concern, actor, EntryKind.CORRECTION, text.strip(), corrects=entry)
    audit_record(
        actor=actor,
        action="concern.correct",
        obj=entry.concern,
        school_id=entry.concern.school_id,
        changes={"corrects": entry.pk},
    )
    return correction


APPEND_ONLY = (
    "Entries in the chronology are never changed or deleted. Add a correction that names this entry instead: "
    "both stay on the record."
)


def chronology_edit(*, actor: User, entry: ChronologyEntry, text: str) -> None:
    """There is no editing: the record must show what was written at the time."""
    _require_manage(actor, entry.concern)
    raise ValidationError(APPEND_ONLY)


def chronology_delete(*, actor: User, entry: ChronologyEntry) -> None:
    _require_manage(actor, entry.concern)
    raise ValidationError(APPEND_ONLY)


@transaction.atomic
def action_add(*, actor: User, concern: Concern, description: str, assigned_to: User, due_on: dt.date) -> CaseAction:
    _require_manage(actor, concern)
    _require_open(concern)
    if not selectors.may_assign_to(concern).filter(pk=assigned_to.pk).exists():
        raise ValidationError({"assigned_to": "Choose a colleague who receives this concern under the policy."})
    if not description.strip():
        raise ValidationError({"description": "Say what needs doing."})
    action = CaseAction.objects.create(
        concern=concern, description=description.strip(), assigned_to=assigned_to, due_on=due_on, created_by=actor
    )
    _entry(concern, actor, EntryKind.ACTION, f"{action.description} — for {assigned_to}, by {due_on:%-d %B %Y}.")
    audit_record(
        actor=actor,
        action="concern.action.add",
        obj=concern,
        school_id=concern.school_id,
        changes={"action": action.pk, "assigned_to": assigned_to.pk, "due_on": due_on},
    )
    if assigned_to != actor and assigned_to.email:
        _notify(
            [assigned_to.email],
            "A safeguarding action is yours",
            f"An action on a safeguarding concern has been given to you.\n\nOpen it: {_link_of(concern)}\n",
        )
    return action


@transaction.atomic
def action_done(*, actor: User, action: CaseAction, note: str = "") -> CaseAction:
    _require_manage(actor, action.concern)
    if action.status != ActionStatus.OPEN:
        raise ValidationError("This action is already done.")
    action.status, action.done_at, action.done_by, action.done_note = ActionStatus.DONE, timezone.now(), actor, note
    action.save(update_fields=["status", "done_at", "done_by", "done_note"])
    _entry(action.concern, actor, EntryKind.ACTION_DONE, f"Done: {action.description}." + (f" {note}" if note else ""))
    audit_record(
        actor=actor,
        action="concern.action.done",
        obj=action.concern,
        school_id=action.concern.school_id,
        changes={"action": action.pk},
    )
    return action


STEPS = {
    "parents": (EntryKind.PARENTS, "Parents informed"),
    "parents_not": (EntryKind.PARENTS, "Parents not informed"),
}


@transaction.atomic
def concern_record_step(*, actor: User, concern: Concern, step: str, on: dt.date, text: str = "") -> Concern:
    """Policy: record whether the parents were informed, and when; not informing them needs a reason. Referrals and
    advice are recorded by referral_record."""
    _require_manage(actor, concern)
    if step not in STEPS:
        raise ValidationError({"step": "Choose what was done."})
    if on > timezone.localdate():
        raise ValidationError({"on": "The date cannot be in the future."})
    if step == "parents_not" and not text.strip():
        raise ValidationError({"text": "Say why the parents were not informed."})
    kind, label = STEPS[step]
    before = concern.parents_informed
    concern.parents_informed = ParentsInformed.YES if step == "parents" else ParentsInformed.NOT_APPROPRIATE
    concern.save(update_fields=["parents_informed"])
    _entry(concern, actor, kind, f"{label} on {on:%-d %B %Y}." + (f" {text.strip()}" if text.strip() else ""))
    audit_record(
        actor=actor,
        action=f"concern.{step}",
        obj=concern,
        school_id=concern.school_id,
        changes={"parents_informed": [before, concern.parents_informed]},
    )
    return concern


# Referrals ---------------------------------------------------------------------------------------------------------

# The dates the governors' report counts (governors.report.OUTCOME_STEPS): set by the first referral of each kind.
FIRST_DATE = {"police": "police_referred_on", "platform": "platform_reported_on", "la_advice": "advice_sought_on"}


def referral_label(concern: Concern, kind: str) -> str:
    """The kind's name, with the outside body the policy names for advice, and the concern's platform."""
    label = referrals.BY_KEY[kind].label
    if kind == "la_advice":
        return f"Advice from {concern.trust.policy.concerns.external_advice}"
    if kind == "platform" and concern.platform:
        return f"{label} ({PLATFORM_LABELS.get(concern.platform, concern.platform)})"
    return label


VERB = {"platform": "reported", "la_advice": "asked"}


def _follow_up(actor: User, referral: Referral, label: str, due_on: dt.date) -> CaseAction:
    return CaseAction.objects.create(
        concern=referral.concern,
        description=f"Follow up: {label}" + (f", reference {referral.reference}" if referral.reference else ""),
        assigned_to=actor,
        due_on=due_on,
        created_by=actor,
    )


@transaction.atomic
def referral_record(
    *,
    actor: User,
    concern: Concern,
    kind: str,
    made_on: dt.date,
    contact: str = "",
    reference: str = "",
    details: str = "",
    follow_up_on: dt.date | None = None,
) -> Referral:
    """KCSIE: referrals to children's social care (MASH), the LADO, the police, Prevent and early help, reports to a
    platform and advice from the local authority, each a step of the chronology with who it went to, when, and its
    reference — required for a crime (the police's crime reference) and a platform report (the platform's). A
    follow-up date sets an action for the person recording it."""
    _require_manage(actor, concern)
    _require_open(concern)
    errors = {}
    if kind not in referrals.BY_KEY:
        raise ValidationError({"kind": "Choose who it was referred to."})
    if referrals.BY_KEY[kind].reference_required and not reference.strip():
        errors["reference"] = f"Give the {referrals.BY_KEY[kind].reference_label.lower()}: it is needed for this step."
    if kind != "platform" and not contact.strip():
        errors["contact"] = "Say who it went to: the team, and the person you spoke to if you know."
    if made_on > timezone.localdate():
        errors["made_on"] = "The date cannot be in the future."
    if follow_up_on is not None and follow_up_on < made_on:
        errors["follow_up_on"] = "The follow-up cannot be before the referral."
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        concern=concern,
        kind=kind,
        made_on=made_on,
        made_by=actor,
        contact=contact.strip()[:200],
        reference=reference.strip()[:100],
        details=details.strip(),
    )
    label = referral_label(concern, kind)
    if follow_up_on is not None:
        referral.follow_up = _follow_up(actor, referral, label, follow_up_on)
        referral.save(update_fields=["follow_up"])
    date_field = FIRST_DATE.get(kind)
    if date_field and getattr(concern, date_field) is None:
        setattr(concern, date_field, made_on)
        concern.save(update_fields=[date_field])
    _entry(
        concern,
        actor,
        EntryKind.REFERRAL,
        f"{label}: {VERB.get(kind, 'referred')} on {made_on:%-d %B %Y}"
        + (f" to {referral.contact}" if referral.contact else "")
        + (f", reference {referral.reference}" if referral.reference else ", no reference yet")
        + "."
        + (f" Follow up by {follow_up_on:%-d %B %Y}." if follow_up_on else "")
        + (f" {referral.details}" if referral.details else ""),
    )
    audit_record(
        actor=actor,
        action="concern.referral",
        obj=concern,
        school_id=concern.school_id,
        changes={"referral": referral.pk, "kind": kind, "made_on": made_on, "follow_up_on": follow_up_on},
    )
    return referral


@transaction.atomic
def referral_outcome(
    *, actor: User, referral: Referral, outcome: str, on: dt.date, reference: str = "", follow_up_on: dt.date | None
) -> Referral:
    """What came back from a referral (for the LADO: their decision), and the reference if it came with it. It
    finishes the follow-up; a new follow-up date sets another."""
    concern = referral.concern
    _require_manage(actor, concern)
    errors = {}
    if not outcome.strip():
        errors["outcome"] = "Say what came back: the decision, or what they advised."
    if on > timezone.localdate():
        errors["on"] = "The date cannot be in the future."
    elif on < referral.made_on:
        errors["on"] = "The outcome cannot be before the referral."
    if follow_up_on is not None and follow_up_on < on:
        errors["follow_up_on"] = "The follow-up cannot be before the outcome."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    if referral.follow_up and referral.follow_up.status == ActionStatus.OPEN:
        action = referral.follow_up
        action.status, action.done_at, action.done_by, action.done_note = ActionStatus.DONE, now, actor, "Outcome in."
        action.save(update_fields=["status", "done_at", "done_by", "done_note"])
    referral.outcome, referral.outcome_on, referral.outcome_by = outcome.strip(), on, actor
    fields = ["outcome", "outcome_on", "outcome_by"]
    if reference.strip() and not referral.reference:
        referral.reference = reference.strip()[:100]
        fields.append("reference")
    label = referral_label(concern, referral.kind)
    if follow_up_on is not None:
        referral.follow_up = _follow_up(actor, referral, label, follow_up_on)
        fields.append("follow_up")
    referral.save(update_fields=fields)
    _entry(
        concern,
        actor,
        EntryKind.REFERRAL_OUTCOME,
        f"{label}"
        + (f" ({referral.reference})" if referral.reference else "")
        + f", {'decision' if referral.kind == 'lado' else 'outcome'} on {on:%-d %B %Y}: {referral.outcome}"
        + (f" Follow up by {follow_up_on:%-d %B %Y}." if follow_up_on else ""),
    )
    audit_record(
        actor=actor,
        action="concern.referral_outcome",
        obj=concern,
        school_id=concern.school_id,
        changes={"referral": referral.pk, "on": on, "follow_up_on": follow_up_on},
    )
    return referral


_move = partial(move, transitions=TRANSITIONS, refusal="A concern that is {now} cannot become {to}.")


@transaction.atomic
def concern_close(
    *,
    actor: User,
    concern: Concern,
    outcome: str,
    lessons: str,
    policy_change: bool,
    curriculum_change: bool,
) -> Concern:
    """Policy: a case ends with a debrief — what was learnt, and whether the policy or the curriculum should change.
    The answers feed the policy's annual review (selectors.lessons_for_review)."""
    _require_manage(actor, concern)
    errors = {}
    if not outcome.strip():
        errors["outcome"] = "Say how the concern ended."
    if not lessons.strip():
        errors["lessons"] = "Write the lessons learnt (or that there were none, and why)."
    if errors:
        raise ValidationError(errors)
    if (clock := selectors.lado_clock(concern)) and clock.decision is None:
        raise ValidationError(
            "This concern is about a member of staff: record the LADO's decision (under Referrals) before closing it."
        )
    _move(concern, ConcernStatus.CLOSED)
    open_actions = concern.actions.filter(status=ActionStatus.OPEN).count()
    concern.outcome, concern.lessons = outcome.strip(), lessons.strip()
    concern.policy_change, concern.curriculum_change = policy_change, curriculum_change
    concern.closed_at, concern.closed_by = timezone.now(), actor
    concern.save(
        update_fields=["status", "outcome", "lessons", "policy_change", "curriculum_change", "closed_at", "closed_by"]
    )
    _entry(concern, actor, EntryKind.OUTCOME, f"Outcome: {concern.outcome}")
    changes = [w for w, yes in (("the policy", policy_change), ("the curriculum", curriculum_change)) if yes]
    _entry(
        concern,
        actor,
        EntryKind.CLOSED,
        f"Closed. Lessons learnt: {concern.lessons} "
        + (f"Suggested change to {' and '.join(changes)}." if changes else "No change to the policy or curriculum.")
        + (f" {open_actions} action{' was' if open_actions == 1 else 's were'} still open." if open_actions else ""),
    )
    audit_record(
        actor=actor,
        action="concern.close",
        obj=concern,
        school_id=concern.school_id,
        changes={"policy_change": policy_change, "curriculum_change": curriculum_change},
    )
    return concern


@transaction.atomic
def concern_reopen(*, actor: User, concern: Concern, reason: str) -> Concern:
    _require_manage(actor, concern)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the concern is being reopened."})
    _move(concern, ConcernStatus.OPEN)
    concern.closed_at, concern.closed_by = None, None
    concern.save(update_fields=["status", "closed_at", "closed_by"])
    _entry(concern, actor, EntryKind.REOPENED, f"Reopened: {reason.strip()}")
    audit_record(actor=actor, action="concern.reopen", obj=concern, school_id=concern.school_id)
    return concern


@transaction.atomic
def concern_retention_review(*, actor: User, concern: Concern, keep_years: int, reason: str) -> Concern:
    """Policy: records are kept for the retention period by kind, then reviewed: kept (this, saying why and until
    when) or destroyed (concern_destroy)."""
    _require_manage(actor, concern)
    if not 1 <= keep_years <= 25:
        raise ValidationError({"keep_years": "Keep it for between 1 and 25 more years."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the record is kept."})
    before = concern.retain_until
    concern.retain_until = _years_after(timezone.localdate(), keep_years)
    concern.retention_rule = f"Kept for {keep_years} more years at the review of {timezone.localdate():%d/%m/%Y}"
    concern.save(update_fields=["retain_until", "retention_rule"])
    _entry(
        concern,
        actor,
        EntryKind.RETENTION,
        f"Retention reviewed: kept until {concern.retain_until:%-d %B %Y}. {reason.strip()}",
    )
    audit_record(
        actor=actor,
        action="concern.retention_review",
        obj=concern,
        school_id=concern.school_id,
        changes={"retain_until": [before, concern.retain_until]},
    )
    return concern


@transaction.atomic
def concern_legal_hold(*, actor: User, concern: Concern, hold: bool, reason: str) -> Concern:
    """A legal hold (litigation, a police investigation, an inquiry) keeps a record past its retention date: while
    it is set, concern_destroy refuses. Setting and lifting it both need a reason and are recorded."""
    _require_manage(actor, concern)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the hold is set or lifted."})
    now = timezone.now()
    concern.legal_hold_reason = reason.strip() if hold else ""
    concern.legal_hold_at, concern.legal_hold_by = (now, actor) if hold else (None, None)
    concern.save(update_fields=["legal_hold_reason", "legal_hold_at", "legal_hold_by"])
    _entry(concern, actor, EntryKind.LEGAL_HOLD, f"Legal hold {'set' if hold else 'lifted'}: {reason.strip()}")
    audit_record(
        actor=actor, action="concern.legal_hold", obj=concern, school_id=concern.school_id, changes={"hold": hold}
    )
    return concern


# What a concern row itself says about people: emptied when the record is destroyed.
PERSONAL_FIELDS = (
    "summary",
    "reporter_name",
    "reporter_contact",
    "reporter_relationship",
    "url",
    "account_handle",
    "outcome",
    "lessons",
)


def _delete_rows(queryset) -> int:
    # The models refuse to delete chronology and evidence (AppendOnlyError); destruction is the one exception, so it
    # deletes in SQL, and on PostgreSQL only once the transaction-local flag the trigger reads (migration 0009) is on.
    return queryset._raw_delete(queryset.db)


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


@transaction.atomic
def concern_destroy(*, actor: User, concern: Concern, reason: str) -> Concern:
    """Retention: a closed record past its retention date, not under legal hold, is destroyed by someone who manages
    it. Its personal data (what was reported, who was named, the chronology, referrals, actions and evidence files)
    is removed; what stays is an audit tombstone saying what it was, when, by whom and under which rule, with no
    personal data."""
    _require_manage(actor, concern)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the record is destroyed."})
    if concern.legal_hold_at is not None:
        raise ValidationError("This record is under a legal hold: lift the hold, saying why, before destroying it.")
    if concern.status != ConcernStatus.CLOSED:
        raise ValidationError("Close the concern, with its debrief, before its record can be destroyed.")
    if concern.retain_until is None or concern.retain_until > timezone.localdate():
        raise ValidationError(f"This record is not yet due for destruction: it is kept until {concern.retain_until}.")
    files = list(concern.evidence.values_list("file", flat=True))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('safesocial.retention_destroy', 'on', true)")
        counts = {
            "chronology_entries": _delete_rows(ChronologyEntry.objects.filter(concern=concern)),
            "evidence_files": _delete_rows(Evidence.objects.filter(concern=concern)),
        }
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('safesocial.retention_destroy', 'off', true)")
    Referral.objects.filter(concern=concern).delete()
    CaseAction.objects.filter(concern=concern).delete()
    counts["people_and_accounts_named"] = ConcernLink.objects.filter(concern=concern).delete()[0]
    concern.transfers.clear()
    emptied = [*PERSONAL_FIELDS]
    for name in emptied:
        setattr(concern, name, "")
    concern.destroyed_at, concern.destroyed_by = timezone.now(), actor
    concern.save(update_fields=[*emptied, "destroyed_at", "destroyed_by"])
    storage = Evidence._meta.get_field("file").storage
    transaction.on_commit(lambda: _delete_files(storage, files))
    audit_record(
        actor=actor,
        action="concern.destroy",
        obj=concern,
        label=f"Concern {concern.reference} (destroyed)",
        school_id=concern.school_id,
        changes={
            "reference": concern.reference,
            "kind": concern.kind,
            "reported_on": timezone.localtime(concern.created_at).date(),
            "closed_on": concern.closed_at and timezone.localtime(concern.closed_at).date(),
            "retain_until": concern.retain_until,
            "rule": concern.retention_rule or "The policy's retention period for this kind",
            "reason": reason.strip(),
            **counts,
        },
    )
    return concern


# Triage ------------------------------------------------------------------------------------------------------------


def _acknowledge(actor: User, concern: Concern, now: dt.datetime) -> bool:
    if concern.acknowledged_at is not None:
        return False
    concern.acknowledged_at, concern.acknowledged_by = now, actor
    concern.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return True


@transaction.atomic
def concern_triage(*, actor: User, concern: Concern, level: str, reason: str) -> Concern:
    """Policy (`concerns.triage_levels`): the DSL confirms the level the report gave, or changes it, saying why. Doing
    either shows they have seen it, so it also acknowledges it; raising it to immediate risk tells the other
    receivers at once."""
    _require_manage(actor, concern)
    _require_open(concern)
    policy = concern.trust.policy
    if level not in triage.keys(policy):
        raise ValidationError({"level": "Choose a level from the trust's scale."})
    before = concern.triage_level
    if level != before and not reason.strip():
        raise ValidationError({"reason": "Say why the level changes."})
    was_urgent = selectors.is_urgent(concern)
    now = timezone.now()
    concern.triage_level, concern.triage_confirmed_at, concern.triage_confirmed_by = level, now, actor
    fields = ["triage_level", "triage_confirmed_at", "triage_confirmed_by"]
    if level != before:
        concern.triaged_at = now
        fields.append("triaged_at")
    concern.save(update_fields=fields)
    _acknowledge(actor, concern, now)
    if level == before:
        text = f"Level confirmed: {triage.label(policy, level)}."
    else:
        text = f"Level changed from {triage.label(policy, before)} to {triage.label(policy, level)}."
    _entry(concern, actor, EntryKind.TRIAGE, text + (f" {reason.strip()}" if reason.strip() else ""))
    audit_record(
        actor=actor,
        action="concern.triage",
        obj=concern,
        school_id=concern.school_id,
        changes={"triage_level": [before, level]},
    )
    if selectors.is_urgent(concern) and not was_urgent:
        _notify_urgent(concern, exclude=actor)
    return concern


@transaction.atomic
def concern_acknowledge(*, actor: User, concern: Concern) -> Concern:
    """Someone who receives the concern says they are dealing with it: the urgent banner goes, and it is not chased."""
    _require_manage(actor, concern)
    if _acknowledge(actor, concern, timezone.now()):
        _entry(concern, actor, EntryKind.ACKNOWLEDGED, f"Acknowledged: {_label(actor)} is dealing with it.")
        audit_record(actor=actor, action="concern.acknowledge", obj=concern, school_id=concern.school_id)
    return concern


def concerns_chase(*, now: dt.datetime | None = None) -> list[Concern]:
    """Policy (`concerns.chase_unacknowledged_minutes`): an immediate-risk concern nobody has acknowledged within the
    minutes is sent to every receiver again, once. Run every few minutes by `safesocial concerns chase`; a concern
    is claimed by a conditional update, so two runs at once still chase it once."""
    now = now or timezone.now()
    chased = []
    for trust in Trust.objects.order_by("pk"):
        if trust.policy_version is None:
            continue
        policy = trust.policy
        due = Concern.objects.filter(
            trust=trust,
            status=ConcernStatus.OPEN,
            acknowledged_at__isnull=True,
            chased_at__isnull=True,
            triage_level__in=triage.urgent_keys(policy),
            triaged_at__lte=now - dt.timedelta(minutes=policy.concerns.chase_unacknowledged_minutes),
        )
        for concern in due.order_by("triaged_at", "pk"):
            with transaction.atomic():
                if not Concern.objects.filter(pk=concern.pk, chased_at__isnull=True).update(chased_at=now):
                    continue
                concern.chased_at = now
                minutes = policy.concerns.chase_unacknowledged_minutes
                emails = _chase_email(concern, minutes)
                _entry(
                    concern,
                    "SafeSocial",
                    EntryKind.CHASED,
                    f"Not acknowledged within {minutes} minutes: sent again to {len(emails)} "
                    f"receiver{'s' if len(emails) != 1 else ''}.",
                )
                audit_record(
                    actor="SafeSocial chase",
                    action="concern.chase",
                    obj=concern,
                    school_id=concern.school_id,
                    changes={"minutes": minutes, "emailed": len(emails)},
                )
            chased.append(concern)
    return chased


def _chase_email(concern: Concern, minutes: int) -> list[str]:
    emails = [e for e in selectors.receivers(concern).values_list("email", flat=True) if e]
    body = (
        f"An urgent safeguarding concern has not been acknowledged {minutes} minutes after it was raised.\n\n"
        f"Open it in SafeSocial now: {_link_of(concern)}\n\n"
        "If you are dealing with it, say so on its page so that your colleagues know.\n"
    )
    _notify(emails, "URGENT, still not acknowledged: a safeguarding concern", body)
    return emails


LIST_VISIT_GAP = dt.timedelta(minutes=30)


def concern_list_visit(*, actor: User) -> dt.datetime | None:
    """Record a look at the concern list; return when the previous visit ended (None: never looked). A look within
    LIST_VISIT_GAP of the last is the same visit. Not audited: it is a bookmark of the user's own, not a record."""
    now = timezone.now()
    visit = ListVisit.objects.filter(user=actor).first()
    if visit is None:
        ListVisit.objects.create(user=actor, last_at=now)
        return None
    if now - visit.last_at > LIST_VISIT_GAP:
        visit.before_at = visit.last_at
    visit.last_at = now
    visit.save(update_fields=["before_at", "last_at"])
    return visit.before_at


# Patterns ----------------------------------------------------------------------------------------------------------


def _check_patterns(concern: Concern) -> list[PatternAlert]:
    """Policy: concerns are recorded so that patterns can be tracked. When a person or account named in this
    concern reaches the policy's threshold within its window, alert those who receive concerns (once per window):
    that there is a pattern, and a link. Concerns about staff stay with the people they are routed to."""
    if concern.route != Route.SAFEGUARDING:
        return []
    policy = concern.trust.policy
    keys: list[tuple[str, dict]] = []
    for link in concern.links.all():
        if link.kind == LinkKind.ACCOUNT:
            keys.append((f"account:{link.account_key}", {"kind": LinkKind.ACCOUNT, "account_key": link.account_key}))
        else:
            pk = getattr(link, f"{link.kind}_id")
            keys.append((f"{link.kind}:{pk}", {"kind": link.kind, f"{link.kind}_id": pk}))
    if not keys:
        return []
    counts = selectors.pattern_counts_for(concern, keys)
    since = timezone.now() - dt.timedelta(days=policy.concerns.pattern_window_days)
    raised = []
    for key, n in counts.items():
        if n < policy.concerns.pattern_threshold:
            continue
        if PatternAlert.objects.filter(trust_id=concern.trust_id, key=key, raised_at__gte=since).exists():
            continue
        raised.append(PatternAlert.objects.create(trust_id=concern.trust_id, key=key, count=n))
        audit_record(
            actor="SafeSocial patterns",
            action="concern.pattern_alert",
            obj=raised[-1],
            school_id=concern.school_id,
            changes={"count": n},
        )
    if raised:
        roles = list(allowed_roles(Action.RECEIVE_CONCERNS, policy))
        at = Q(school__isnull=True) | Q(school=concern.school)
        holders = RoleAssignment.objects.filter(at, trust_id=concern.trust_id, role__in=roles)
        emails = sorted(
            set(User.objects.filter(pk__in=holders.values("user_id"), is_active=True).values_list("email", flat=True))
        )
        page = settings.SITE_ROOT + reverse("concerns:patterns")
        _notify(
            emails,
            "A pattern in safeguarding concerns",
            "The same person or account has now been named in several safeguarding concerns, as many as the "
            f"trust's policy asks you to look at.\n\nSee the patterns in SafeSocial: {page}\n",
        )
    return raised


# Records that move with the child --------------------------------------------------------------------------------

TRANSFER_SCHOOL_DAYS = 5  # KCSIE: the child protection file goes to the new school within five school days


def _pupils_concerns(actor: User, pupil: Pupil) -> list[Concern]:
    return list(
        selectors.concerns_for(actor)
        .filter(school_id=pupil.school_id, links__kind=LinkKind.PUPIL, links__pupil=pupil)
        .distinct()
        .order_by("created_at", "pk")
    )


@transaction.atomic
def records_transfer(
    *,
    actor: User,
    pupil: Pupil,
    moved_on: dt.date,
    to_school: School | None = None,
    destination: str = "",
    recipient: str = "",
) -> RecordTransfer:
    """KCSIE: when a child moves school, their safeguarding records go to the new school's DSL within five school
    days. To a school of the trust the concerns move now (its DSL sees them, the old school's no longer does); to a
    school outside it, the package (exports.transfer_package) is due five school days after the move, and
    `transfer_sent` records when and to whom it went. Only someone who receives concerns at the pupil's school."""
    require(actor, Action.RECEIVE_CONCERNS, pupil.school)
    destination, recipient = destination.strip(), recipient.strip()
    if to_school is not None and (to_school.trust_id != pupil.school.trust_id or to_school.pk == pupil.school_id):
        raise ValidationError({"to_school": "Choose another school of the trust, or name a school outside it."})
    if to_school is None and not (destination and recipient):
        errors = {}
        if not destination:
            errors["destination"] = "Name the school the pupil has moved to."
        if not recipient:
            errors["recipient"] = (
                "Say who the records go to at a school outside the trust (their designated safeguarding lead) "
                "and how to reach them, so that the records reach the right person."
            )
        raise ValidationError(errors)
    concerns = _pupils_concerns(actor, pupil)
    today = timezone.localdate()
    transfer = RecordTransfer.objects.create(
        trust_id=pupil.school.trust_id,
        pupil=pupil,
        from_school=pupil.school,
        to_school=to_school,
        destination=destination,
        recipient=recipient,
        moved_on=moved_on,
        due_on=add_working_days(moved_on, TRANSFER_SCHOOL_DAYS),
        created_by=actor,
        sent_on=today if to_school else None,
        sent_by=actor if to_school else None,
        sent_how="Moved within the trust" if to_school else "",
    )
    transfer.concerns.set(concerns)
    for concern in concerns:
        if to_school is not None:
            concern.school = to_school
            concern.save(update_fields=["school"])
            ConcernLink.objects.filter(concern=concern).update(school=to_school)
            text = (
                f"Moved from {pupil.school.name} to {to_school.name} with the pupil, who moved on {moved_on:%d/%m/%Y}."
            )
        else:
            text = (
                f"To be sent to {destination} ({recipient}) by {transfer.due_on:%d/%m/%Y}: the pupil moved on "
                f"{moved_on:%d/%m/%Y}."
            )
        _entry(concern, actor, EntryKind.TRANSFER, text)
        audit_record(
            actor=actor,
            action="concern.transfer",
            obj=concern,
            school_id=pupil.school_id,
            changes={"from_school": pupil.school_id, "to_school": to_school and to_school.pk, "transfer": transfer.pk},
        )
    audit_record(
        actor=actor,
        action="concern.transfer.create",
        obj=transfer,
        school_id=pupil.school_id,
        changes={"pupil": pupil.pk, "concerns": [c.pk for c in concerns], "due_on": transfer.due_on},
    )
    return transfer


@transaction.atomic
def transfer_sent(*, actor: User, transfer: RecordTransfer, sent_on: dt.date, sent_how: str) -> RecordTransfer:
    """When the package went to a school outside the trust, by whom and how: the record KCSIE asks for."""
    require(actor, Action.RECEIVE_CONCERNS, transfer.from_school)
    if transfer.in_trust:
        raise ValidationError("These records moved within the trust: there is nothing to send.")
    transfer.sent_on, transfer.sent_by, transfer.sent_how = sent_on, actor, sent_how.strip()
    transfer.save(update_fields=["sent_on", "sent_by", "sent_how"])
    for concern in transfer.concerns.all():
        _entry(
            concern,
            actor,
            EntryKind.TRANSFER,
            f"Sent to {transfer.destination} ({transfer.recipient}) on {sent_on:%d/%m/%Y}"
            + (f": {transfer.sent_how}." if transfer.sent_how else "."),
        )
    audit_record(
        actor=actor,
        action="concern.transfer.sent",
        obj=transfer,
        school_id=transfer.from_school_id,
        changes={"sent_on": sent_on, "late": sent_on > transfer.due_on},
    )
    return transfer
