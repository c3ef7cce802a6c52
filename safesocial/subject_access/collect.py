"""Everything SafeSocial holds about one person, gathered for a subject access request, in sections the DSL reviews
item by item before anything leaves.

Each section is read through the owning app's selectors, as the person handling the request sees them (so a DSL at
one school gathers that school's records, and nobody gathers a concern about themselves). Where an app has no
selector for "everything about this person" (consent history, comments by an author, acknowledgements) the rows are
read here, filtered to the requester's trust. This app sits on the top floor, beside governors, so every read goes
down the stairs and no hook is needed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from safesocial.audit.selectors import entries_for
from safesocial.compliance.models import Acknowledgement
from safesocial.compliance.selectors import records_for
from safesocial.concerns import selectors as concern_selectors
from safesocial.concerns.models import Concern, Evidence, LinkKind
from safesocial.concerns.types import normalise_handle, platform_of_channel
from safesocial.consent.models import Consent
from safesocial.escalation.selectors import escalations_for
from safesocial.moderation.models import Comment, Offender
from safesocial.people.models import User
from safesocial.registers.selectors import friendships_for

from .models import SubjectAccessRequest, SubjectKind

AUDIT_LIMIT = 500


@dataclass(frozen=True)
class Item:
    """One thing held: `key` names it for redaction ("concern:12"), `fields` are what the export shows."""

    key: str
    title: str
    when: dt.date | dt.datetime | None
    fields: dict[str, str]
    # A file of evidence goes into the zip as received, unless this item or the one it belongs to (`part_of`, its
    # concern) is withheld: a screenshot cannot have a third party's name blacked out, only be left out whole.
    attachment: Evidence | None = None
    part_of: str = ""


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)


def _when(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%-d %B %Y %H:%M}"
    return f"{value:%-d %B %Y}"


def _clean(fields: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in fields.items() if v not in (None, "")}


def _concerns(actor: User, sar: SubjectAccessRequest) -> list[Concern]:
    mine = concern_selectors.concerns_for(actor)
    if sar.subject_kind == SubjectKind.PUPIL:
        q = Q(links__kind=LinkKind.PUPIL, links__pupil=sar.pupil)
    elif sar.subject_kind == SubjectKind.PARENT:
        q = Q(links__kind=LinkKind.PARENT, links__parent=sar.parent)
    elif sar.subject_kind == SubjectKind.STAFF:
        q = Q(links__kind=LinkKind.STAFF, links__staff=sar.staff) | Q(reported_by=sar.staff)
    else:
        handle = normalise_handle(sar.handle)
        q = Q(links__kind=LinkKind.ACCOUNT, links__account_key__endswith=f":{handle}")
        if sar.platform:
            q &= Q(links__platform=sar.platform)
    return list(mine.filter(q).distinct().order_by("created_at", "pk"))


def _concern_items(concerns: list[Concern], sar: SubjectAccessRequest) -> list[Item]:
    items: list[Item] = []
    for c in concerns:
        roles = sorted({link.get_role_display() for link in concern_selectors.links_of(c) if _names(link, sar)})
        reported = sar.staff_id is not None and c.reported_by_id == sar.staff_id
        items.append(
            Item(
                f"concern:{c.pk}",
                f"Concern {c.reference or c.pk}",
                c.created_at,
                _clean(
                    {
                        "Their part": ", ".join([*roles, *(["Reported it"] if reported else [])]),
                        "Kind": concern_selectors.kind_label(c.kind),
                        "What was reported": c.summary,
                        "Status": c.get_status_display(),
                        "Outcome": c.outcome,
                        "School": c.school.name if c.school else "",
                        "Kept until": _when(c.retain_until),
                    }
                ),
            )
        )
        for e in concern_selectors.chronology_of(c):
            items.append(
                Item(
                    f"chronology:{e.pk}",
                    f"Concern {c.reference or c.pk}: chronology",
                    e.at,
                    _clean({"By": e.actor_label, "Entry": e.text}),
                )
            )
        for r in concern_selectors.referrals_of(c):
            items.append(
                Item(
                    f"referral:{r.pk}",
                    f"Concern {c.reference or c.pk}: {r.get_kind_display()}",
                    r.made_on,
                    _clean({"To": r.contact, "Reference": r.reference, "Details": r.details, "Outcome": r.outcome}),
                )
            )
        for f in c.evidence.order_by("uploaded_at", "pk"):
            items.append(
                Item(
                    f"evidence:{f.pk}",
                    f"Concern {c.reference or c.pk}: evidence file",
                    f.uploaded_at,
                    _clean(
                        {
                            "File": f.original_name,
                            "What it shows": f.description,
                            "Fingerprint (SHA-256)": f.sha256,
                        }
                    ),
                    attachment=f,
                    part_of=f"concern:{c.pk}",
                )
            )
    return items


def _names(link: Any, sar: SubjectAccessRequest) -> bool:
    if sar.subject_kind == SubjectKind.PUPIL:
        return bool(link.pupil_id == sar.pupil_id)
    if sar.subject_kind == SubjectKind.PARENT:
        return bool(link.parent_id == sar.parent_id)
    if sar.subject_kind == SubjectKind.STAFF:
        return bool(link.staff_id == sar.staff_id)
    return bool(link.handle) and normalise_handle(link.handle) == normalise_handle(sar.handle)


def _comments(sar: SubjectAccessRequest) -> list[Item]:
    """Comments the person wrote on the trust's official accounts: by their handle, or (for a parent) through the
    accounts moderation matched to them."""
    base = Comment.objects.filter(channel__trust_id=sar.trust_id).select_related("channel")
    if sar.subject_kind == SubjectKind.COMMENTER:
        handle = sar.handle.strip().lstrip("@")
        q = Q(author_id__iexact=handle) | Q(author_name__iexact=handle)
    elif sar.subject_kind == SubjectKind.PARENT:
        authors = Offender.objects.filter(trust_id=sar.trust_id, parent=sar.parent).values_list("author_id", flat=True)
        q = Q(author_id__in=list(authors))  # the accounts moderation matched to this parent
    else:
        return []
    return [
        Item(
            f"comment:{c.pk}",
            f"Comment on {c.channel.name}",
            c.created_at,
            _clean({"As": c.author_name or c.author_id, "Text": c.text, "Status": c.get_status_display()}),
        )
        for c in base.filter(q).order_by("created_at", "pk")
        if sar.subject_kind != SubjectKind.COMMENTER
        or not sar.platform
        or platform_of_channel(c.channel.platform) == sar.platform
    ]


def _consents(sar: SubjectAccessRequest) -> list[Item]:
    if sar.subject_kind == SubjectKind.PUPIL:
        rows = Consent.objects.filter(pupil=sar.pupil)
    elif sar.subject_kind == SubjectKind.PARENT:
        rows = Consent.objects.filter(parent=sar.parent, pupil__school__trust_id=sar.trust_id)
    else:
        return []
    return [
        Item(
            f"consent:{c.pk}",
            f"Consent: {c.get_purpose_display()}",
            c.recorded_at,
            _clean(
                {
                    "For": str(c.pupil),
                    "Answer": "Given" if c.given else "Refused or withdrawn",
                    "How": c.get_method_display(),
                    "On": _when(c.given_on),
                    "Expires": _when(c.expires_on),
                    "Note": c.note,
                }
            ),
        )
        for c in rows.select_related("pupil").order_by("recorded_at", "pk")
    ]


def _escalations(actor: User, sar: SubjectAccessRequest, concerns: list[Concern]) -> list[Item]:
    mine = escalations_for(actor)
    if sar.subject_kind == SubjectKind.PARENT:
        found = mine.filter(parent=sar.parent)
    elif sar.subject_kind == SubjectKind.COMMENTER:
        found = mine.filter(account_handle__iexact=sar.handle.strip())
    elif concerns:
        found = mine.filter(concern__in=concerns)
    else:
        return []
    items: list[Item] = []
    for e in found.prefetch_related("records", "letters").order_by("started_at", "pk"):
        items.append(
            Item(
                f"escalation:{e.pk}",
                f"Escalation {e.pk}",
                e.started_at,
                _clean({"What was posted": e.summary, "Status": e.get_status_display(), "Closed": e.close_reason}),
            )
        )
        items += [
            Item(f"step:{s.pk}", f"Escalation {e.pk}: {s.step_title}", s.taken_on, _clean({"What happened": s.outcome}))
            for s in e.records.all()
        ]
        items += [
            Item(f"letter:{w.pk}", f"Escalation {e.pk}: warning letter", w.generated_at, _clean({"Letter": w.text}))
            for w in e.letters.all()
        ]
    return items


def _registers(actor: User, sar: SubjectAccessRequest) -> list[Item]:
    mine = friendships_for(actor)
    if sar.subject_kind == SubjectKind.PUPIL:
        found = mine.filter(pupils=sar.pupil)
    elif sar.subject_kind == SubjectKind.PARENT:
        found = mine.filter(parents=sar.parent)
    elif sar.subject_kind == SubjectKind.STAFF:
        found = mine.filter(declarer=sar.staff)
    else:
        return []
    return [
        Item(
            f"friendship:{d.pk}",
            "Friendship declaration",
            d.declared_at,
            _clean(
                {
                    "Declared by": d.declarer.full_name,
                    "Family": d.family_names,
                    "The relationship": d.nature,
                    "Status": d.get_status_display(),
                    "Advice": d.advice,
                }
            ),
        )
        for d in found.distinct().order_by("declared_at", "pk")
    ]


def _compliance(actor: User, sar: SubjectAccessRequest) -> list[Item]:
    if sar.subject_kind == SubjectKind.STAFF:
        assert sar.staff is not None
        acks = Acknowledgement.objects.filter(user=sar.staff)
        training = [
            Item(
                f"training:{t.pk}",
                f"Training: {t.topic}",
                t.completed_on,
                _clean({"Kind": t.get_kind_display(), "Provider": t.provider, "Status": t.get_status_display()}),
            )
            for t in records_for(actor, sar.staff).order_by("completed_on", "pk")
        ]
    elif sar.subject_kind == SubjectKind.PARENT:
        acks, training = Acknowledgement.objects.filter(parent=sar.parent), []
    elif sar.subject_kind == SubjectKind.PUPIL:
        acks, training = Acknowledgement.objects.filter(pupil=sar.pupil), []
    else:
        return []
    return [
        Item(
            f"acknowledgement:{a.pk}",
            "Acknowledged the social media policy",
            a.at,
            _clean({"Version": str(a.version), "How": a.get_method_display()}),
        )
        for a in acks.select_related("version").order_by("at", "pk")
    ] + training


def _audit(actor: User, sar: SubjectAccessRequest, concerns: list[Concern]) -> list[Item]:
    """Audit entries about the person's own record, and about the concerns gathered above."""
    subject = {
        SubjectKind.PUPIL: ("people.pupil", sar.pupil_id),
        SubjectKind.PARENT: ("people.parentcarer", sar.parent_id),
        SubjectKind.STAFF: ("people.user", sar.staff_id),
    }.get(SubjectKind(sar.subject_kind))
    q = Q(object_type="concerns.concern", object_id__in=[str(c.pk) for c in concerns])
    if subject is not None:
        q |= Q(object_type=subject[0], object_id=str(subject[1]))
    rows = entries_for(actor).filter(q).order_by("seq")[:AUDIT_LIMIT]
    return [
        Item(
            f"audit:{e.seq}",
            f"Audit entry {e.seq}: {e.action}",
            e.at,
            _clean({"By": e.actor_label, "About": e.object_label}),
        )
        for e in rows
    ]


def holdings(actor: User, sar: SubjectAccessRequest) -> list[Section]:
    """Every section, in the order the response lists them (empty sections included: the requester is told that
    nothing is held of that kind)."""
    concerns = _concerns(actor, sar)
    return [
        Section("records", "Safeguarding records", _concern_items(concerns, sar)),
        Section("comments", "Comments on the trust's official accounts", _comments(sar)),
        Section("consents", "Consents", _consents(sar)),
        Section("escalations", "Escalation steps and letters", _escalations(actor, sar, concerns)),
        Section("registers", "Register entries", _registers(actor, sar)),
        Section("compliance", "Policy acknowledgements and training", _compliance(actor, sar)),
        Section("audit", "Audit entries about them", _audit(actor, sar, concerns)),
    ]
