"""A case as it leaves SafeSocial: for the school's safeguarding system, a strategy meeting or a new school.

Three forms, all built from one record so they never disagree:
- `case.json`: the whole case, for import into another system. Its shape is `FORMAT`, version `VERSION`
  (docs/concern-exports.md); a change that removes or renames a field is a new version.
- `chronology.pdf`: the same record to read and print, every file of evidence listed with its SHA-256.
- a zip of both, the evidence files as received (`evidence/<id>-<name>`) and `manifest.sha256`: one line per file,
  `<sha256>  <path>`, the format of `sha256sum -c`, so the receiving school can check it without SafeSocial
  (or with `safesocial concerns verify-export FILE`).

Only the people who manage a concern may export it (selectors.concerns_for): anyone else, its reporter included, gets
a 404. Every export and every refused attempt is in the audit trail by ids only."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from safesocial.audit.services import audit_record
from safesocial.bundles import MANIFEST, zip_with_manifest
from safesocial.people.models import User
from safesocial.permissions import Action, require
from safesocial.policy.pdf import letterhead, render_pdf

from . import selectors
from .models import Concern, ConcernLink, LinkKind, RecordTransfer

FORMAT = "safesocial.concern-export"
VERSION = 1
FORMATS = ("pdf", "json", "zip")
CONTENT_TYPES = {"pdf": "application/pdf", "json": "application/json", "zip": "application/zip"}


@dataclass(frozen=True)
class Export:
    filename: str
    content_type: str
    data: bytes


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).isoformat() if isinstance(value, dt.datetime) else value.isoformat()


def _person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": user.full_name, "email": user.email}


def _link(link: ConcernLink) -> dict[str, Any]:
    row: dict[str, Any] = {"kind": link.kind, "role": link.role, "name": str(link)}
    if link.kind == LinkKind.PUPIL:
        p = link.pupil
        row["pupil"] = {
            "id": p.pk,
            "mis_id": p.mis_id,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "date_of_birth": _iso(p.date_of_birth),
            "year_group": p.year_group,
            "school": p.school.name,
        }
    elif link.kind == LinkKind.PARENT:
        row["parent"] = {"id": link.parent.pk, "full_name": link.parent.full_name}
    elif link.kind == LinkKind.STAFF:
        row["staff"] = _person(link.staff)
    else:
        row["account"] = {"platform": link.platform, "handle": link.handle}
    return row


@dataclass(frozen=True)
class _File:
    path: str
    data: bytes


def _evidence(concern: Concern) -> tuple[list[dict[str, Any]], list[_File]]:
    """Each file as listed in the record, and the bytes of those still matching the SHA-256 taken on upload. A file
    that no longer matches (or is missing) is listed with the problem and not sent: an export carries only evidence
    that is what was received."""
    listed: list[dict[str, Any]] = []
    files: list[_File] = []
    for e in concern.evidence.select_related("uploaded_by"):
        try:
            with e.file.open("rb") as f:
                data = f.read()
        except OSError:
            data = None
        path: str | None = f"evidence/{e.pk}-{e.original_name}"
        problem = ""
        if data is None:
            path, problem = None, "The stored file is missing; it was not exported."
        elif hashlib.sha256(data).hexdigest() != e.sha256:
            path, problem = None, "The stored file no longer matches its SHA-256; it was not exported."
        else:
            files.append(_File(str(path), data))
        listed.append(
            {
                "id": e.pk,
                "name": e.original_name,
                "content_type": e.content_type,
                "size": e.size,
                "sha256": e.sha256,
                "description": e.description,
                "uploaded_at": _iso(e.uploaded_at),
                "uploaded_by": _person(e.uploaded_by),
                "file": path,
                "problem": problem,
            }
        )
    return listed, files


def case_record(concern: Concern, *, exported_by: User) -> tuple[dict[str, Any], list[_File]]:
    """The whole case as plain data (the JSON export), and the evidence files that go with it."""
    c = concern
    evidence, files = _evidence(c)
    record = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _iso(timezone.now()),
        "exported_by": _person(exported_by),
        "trust": {"id": c.trust_id, "name": c.trust.name},
        "school": c.school and {"id": c.school.pk, "name": c.school.name, "urn": c.school.urn},
        "concern": {
            "id": c.pk,
            "reference": c.reference,
            "kind": c.kind,
            "kind_label": selectors.kind_label(c.kind),
            "summary": c.summary,
            "source": c.source,
            "reported_by": _person(c.reported_by),
            "reporter": {
                "name": c.reporter_name,
                "contact": c.reporter_contact,
                "relationship": c.reporter_relationship,
            },
            "created_at": _iso(c.created_at),
            "occurred_at": _iso(c.occurred_at),
            "platform": c.platform,
            "url": c.url,
            "account_handle": c.account_handle,
            "route": c.route,
            "status": c.status,
            "triage_level": c.triage_level,
            "triage_level_label": selectors.level_label(c),
            "triage_confirmed_at": _iso(c.triage_confirmed_at),
            "parents_informed": c.parents_informed,
            "outcome": c.outcome,
            "closed_at": _iso(c.closed_at),
            "closed_by": _person(c.closed_by),
            "lessons": c.lessons,
            "policy_change": c.policy_change,
            "curriculum_change": c.curriculum_change,
            "retain_until": _iso(c.retain_until),
        },
        "people": [_link(link) for link in selectors.links_of(c)],
        "chronology": [
            {
                "id": e.pk,
                "at": _iso(e.at),
                "actor": e.actor_label,
                "kind": e.kind,
                "text": e.text,
                "corrects": e.corrects_id,
            }
            for e in c.chronology.all()
        ],
        "actions": [
            {
                "id": a.pk,
                "description": a.description,
                "assigned_to": _person(a.assigned_to),
                "due_on": _iso(a.due_on),
                "status": a.status,
                "done_at": _iso(a.done_at),
                "done_by": _person(a.done_by),
                "done_note": a.done_note,
            }
            for a in selectors.actions_of(c)
        ],
        "referrals": [
            {
                "id": r.pk,
                "kind": r.kind,
                "kind_label": r.get_kind_display(),
                "made_on": _iso(r.made_on),
                "made_by": _person(r.made_by),
                "contact": r.contact,
                "reference": r.reference,
                "details": r.details,
                "outcome": r.outcome,
                "outcome_on": _iso(r.outcome_on),
            }
            for r in selectors.referrals_of(c)
        ],
        "evidence": evidence,
    }
    return record, files


def _json(record: dict[str, Any]) -> bytes:
    return json.dumps(record, indent=2, ensure_ascii=False).encode()


def _pdf(concern: Concern, record: dict[str, Any]) -> bytes:
    html = render_to_string(
        "concerns/export_print.html",
        {
            "concern": concern,
            "record": record,
            "links": selectors.links_of(concern),
            "chronology": selectors.chronology_of(concern),
            "referrals": selectors.referrals_of(concern),
            "actions": selectors.actions_of(concern),
            "level_label": selectors.level_label(concern),
            "evidence": list(zip(record["evidence"], concern.evidence.select_related("uploaded_by"), strict=True)),
        }
        | letterhead(concern.trust.policy, concern.school.name if concern.school else ""),
    )
    return render_pdf(html)


def _zip(concern: Concern, record: dict[str, Any], files: list[_File]) -> bytes:
    parts = [_File("chronology.pdf", _pdf(concern, record)), _File("case.json", _json(record)), *files]
    return zip_with_manifest([(p.path, p.data) for p in parts])


def build(concern: Concern, fmt: str, *, exported_by: User) -> Export:
    """One export of a concern, without checks or audit: callers are `case_export` and the transfer package."""
    record, files = case_record(concern, exported_by=exported_by)
    name = concern.reference or f"concern-{concern.pk}"
    if fmt == "pdf":
        data = _pdf(concern, record)
    elif fmt == "json":
        data = _json(record)
    else:
        data = _zip(concern, record, files)
    return Export(f"{name}.{fmt}", CONTENT_TYPES[fmt], data)


def case_export(*, actor: User, pk: int, fmt: str) -> Export:
    """A concern as a PDF, JSON or a zip of both with its evidence, for someone who manages it; a 404 for anyone else.
    Both are audited: who, which concern, which form, and the SHA-256 of what left."""
    concern = selectors.concerns_for(actor).select_related("trust").filter(pk=pk).first()
    if concern is None or fmt not in FORMATS:
        audit_record(
            actor=actor,
            action="concern.export.refused",
            object_type="concerns.concern",
            object_id=str(pk),
            label=f"Concern {pk}",
            changes={"format": fmt},
        )
        raise Http404("No such concern")
    export = build(concern, fmt, exported_by=actor)
    audit_record(
        actor=actor,
        action="concern.export",
        obj=concern,
        school_id=concern.school_id,
        changes={"format": fmt, "sha256": hashlib.sha256(export.data).hexdigest()},
    )
    return export


def verify_export(data: bytes) -> list[str]:
    """What is wrong with an exported zip: files missing, changed or added since it left SafeSocial, and evidence
    whose hash differs from the one the case record lists. Empty: it is intact."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        lines = archive.read(MANIFEST).decode().splitlines()
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError):
        return [f"This is not a SafeSocial case export: it has no readable {MANIFEST}."]
    expected = {}
    for line in lines:
        digest, _, path = line.partition("  ")
        expected[path] = digest
    present = set(archive.namelist()) - {MANIFEST}
    problems = []
    for path, digest in expected.items():
        if path not in present:
            problems.append(f"{path} is missing.")
        elif hashlib.sha256(archive.read(path)).hexdigest() != digest:
            problems.append(f"{path} does not match its SHA-256 in the manifest: it was changed.")
    problems += [f"{path} is not in the manifest." for path in sorted(present - expected.keys())]
    if "case.json" in expected and "case.json" in present:
        for e in json.loads(archive.read("case.json")).get("evidence", []):
            if e.get("file") and expected.get(e["file"]) != e["sha256"]:
                problems.append(f"{e['file']} is not the file the case record lists (SHA-256 {e['sha256']}).")
    return problems


def transfer_package(*, actor: User, transfer: RecordTransfer) -> Export:
    """For a school outside the trust: one zip holding the case export (zip) of each of the pupil's concerns, each
    with its own manifest. Audited by ids."""
    require(actor, Action.RECEIVE_CONCERNS, transfer.from_school)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:  # the inner zips are compressed already
        for concern in transfer.concerns.select_related("trust", "school"):
            made = build(concern, "zip", exported_by=actor)
            archive.writestr(made.filename, made.data)
    data = out.getvalue()
    audit_record(
        actor=actor,
        action="concern.transfer.package",
        obj=transfer,
        school_id=transfer.from_school_id,
        changes={"sha256": hashlib.sha256(data).hexdigest()},
    )
    return Export(f"safeguarding-transfer-{transfer.pk}.zip", CONTENT_TYPES["zip"], data)
