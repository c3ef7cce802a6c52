"""The response to a subject access request, as it leaves SafeSocial: everything held about the person (collect.py),
with what the DSL marked redacted, as `subject-access.json` (shape `FORMAT`, version `VERSION`), the same as a PDF to
read and print, or a zip of both with `manifest.sha256` (safesocial/bundles.py), as a case export is packed. The zip
also carries the evidence files of the person's concerns as received (`evidence/<id>-<name>`), each listed in the JSON
with its SHA-256 and in the manifest, except those withheld (the file's item, or its concern's, marked): a file
that no longer matches the SHA-256 taken on upload is listed with the problem and not sent.

Redaction happens here and only here: an item withheld is replaced whole, a marked name is replaced wherever it
appears (any case), each by `REDACTED`; the response lists what was redacted and why, without the names. Every
export is audited with the SHA-256 of what left; anyone who does not handle the request gets a 404, audited."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from safesocial.audit.services import audit_record
from safesocial.bundles import zip_with_manifest
from safesocial.people.models import User

from . import selectors
from .collect import Item, Section, holdings
from .models import Redaction, RedactionKind, SubjectAccessRequest

FORMAT = "safesocial.subject-access-export"
VERSION = 1
REDACTED = "[redacted: third party]"
FORMATS = ("pdf", "json", "zip")
CONTENT_TYPES = {"pdf": "application/pdf", "json": "application/json", "zip": "application/zip"}


@dataclass(frozen=True)
class Export:
    filename: str
    content_type: str
    data: bytes


def _pattern(names: list[str]) -> re.Pattern[str] | None:
    names = sorted({n for n in names if n}, key=len, reverse=True)  # "Jo Bloggs" before "Jo"
    return re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE) if names else None


@dataclass(frozen=True)
class _File:
    path: str
    data: bytes


def _attachment(item: Item) -> tuple[dict[str, Any], _File | None]:
    """What the record says about an item's evidence file, and the file itself if it is still what was received."""
    e = item.attachment
    assert e is not None
    try:
        with e.file.open("rb") as f:
            data: bytes | None = f.read()
    except OSError:
        data = None
    if data is None:
        return {"file": None, "sha256": e.sha256, "problem": "The stored file is missing; it was not included."}, None
    if hashlib.sha256(data).hexdigest() != e.sha256:
        problem = "The stored file no longer matches its SHA-256; it was not included."
        return {"file": None, "sha256": e.sha256, "problem": problem}, None
    path = f"evidence/{e.pk}-{e.original_name}"
    return {"file": path, "sha256": e.sha256}, _File(path, data)


def redacted(
    sections: list[Section], marks: list[Redaction]
) -> tuple[list[dict[str, Any]], dict[str, Any], list[_File]]:
    """The sections as plain data with the marks applied, the list of redactions the response carries, and the
    evidence files that go with it (none of a withheld item, or of a withheld concern)."""
    withheld = {m.item: m for m in marks if m.kind == RedactionKind.WITHHOLD}
    files: list[_File] = []
    names = [m for m in marks if m.kind == RedactionKind.NAME]
    pattern = _pattern([m.text for m in names])
    counts = {m.text.lower(): 0 for m in names}

    def clean(text: str) -> str:
        if pattern is None:
            return text

        def sub(match: re.Match[str]) -> str:
            counts[match.group(0).lower()] = counts.get(match.group(0).lower(), 0) + 1
            return REDACTED

        return pattern.sub(sub, text)

    out: list[dict[str, Any]] = []
    for section in sections:
        items: list[dict[str, Any]] = []
        for item in section.items:
            when = item.when.isoformat() if item.when else None
            if item.key in withheld:
                items.append({"key": item.key, "when": when, "withheld": True, "text": REDACTED})
                continue
            row: dict[str, Any] = {
                "key": item.key,
                "title": clean(item.title),
                "when": when,
                "fields": {label: clean(value) for label, value in item.fields.items()},
            }
            if item.attachment is not None:
                if item.part_of in withheld:
                    row["attachment"] = {"file": None, "problem": "Withheld with the record it belongs to."}
                else:
                    row["attachment"], attached = _attachment(item)
                    files += [attached] if attached else []
            items.append(row)
        out.append({"key": section.key, "title": section.title, "items": items})
    shown = {i["key"] for s in out for i in s["items"]}
    summary = {
        "withheld": [{"item": k, "reason": m.reason} for k, m in withheld.items() if k in shown],
        "names": [
            {"name": f"Third party {n}", "reason": m.reason, "occurrences": counts.get(m.text.lower(), 0)}
            for n, m in enumerate(names, start=1)
        ],
    }
    return out, summary, files


def response_record(sar: SubjectAccessRequest, *, actor: User) -> tuple[dict[str, Any], list[_File]]:
    """The response as plain data (the JSON), and the evidence files the zip carries with it."""
    sections, redactions, files = redacted(holdings(actor, sar), list(sar.redactions.all()))
    record = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.localtime().isoformat(),
        "exported_by": {"name": actor.full_name, "job_title": actor.job_title},
        "trust": sar.trust.name,
        "school": sar.school.name,
        "request": {
            "id": sar.pk,
            "requester": sar.requester_name,
            "relationship": sar.requester_relationship,
            "received_on": sar.received_on.isoformat(),
            "due_on": sar.due_on.isoformat(),
        },
        "subject": {"kind": sar.subject_kind, "kind_label": sar.get_subject_kind_display(), "name": sar.subject_name},
        "sections": sections,
        "redactions": redactions,
    }
    return record, files


def _json(record: dict[str, Any]) -> bytes:
    return json.dumps(record, indent=2, ensure_ascii=False).encode()


def _pdf(record: dict[str, Any]) -> bytes:
    import weasyprint  # loaded on the first export, not with every page of the site

    return weasyprint.HTML(string=render_to_string("subject_access/response_print.html", {"r": record})).write_pdf()


def build(sar: SubjectAccessRequest, fmt: str, *, actor: User) -> Export:
    record, files = response_record(sar, actor=actor)
    name = f"subject-access-{sar.pk}"
    if fmt == "pdf":
        data = _pdf(record)
    elif fmt == "json":
        data = _json(record)
    else:
        parts = [("subject-access.pdf", _pdf(record)), ("subject-access.json", _json(record))]
        data = zip_with_manifest(parts + [(f.path, f.data) for f in files])
    return Export(f"{name}.{fmt}", CONTENT_TYPES[fmt], data)


def sar_export(*, actor: User, pk: int, fmt: str) -> Export:
    """The response as PDF, JSON or a zip of both, for someone who handles the request; a 404 for anyone else."""
    if fmt not in FORMATS:
        raise Http404("No such format")
    sar = selectors.request_for(actor, pk, audit_as=None)
    export = build(sar, fmt, actor=actor)
    audit_record(
        actor=actor,
        action="subject_access.export",
        obj=sar,
        school_id=sar.school_id,
        changes={"format": fmt, "sha256": hashlib.sha256(export.data).hexdigest()},
    )
    return export
