"""A subject access response carries the evidence files of the person's concerns (issue 17, item 3): each file as
received in the zip, its SHA-256 in the JSON and the manifest; a withheld file, or the files of a withheld concern,
stay out."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from PIL import Image

from safesocial.bundles import MANIFEST
from safesocial.concerns import services as concern_services
from safesocial.concerns.exports import verify_export
from safesocial.concerns.services import Upload
from safesocial.subject_access import response, services


def _png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def _upload(name: str, data: bytes) -> Upload:
    return Upload(name=name, size=len(data), chunks=[data])


def _zip(sar, head) -> tuple[zipfile.ZipFile, dict, dict[str, str]]:
    data = response.sar_export(actor=head, pk=sar.pk, fmt="zip").data
    assert verify_export(data) == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = {
        path: digest
        for digest, _, path in (line.partition("  ") for line in archive.read(MANIFEST).decode().splitlines())
    }
    return archive, json.loads(archive.read("subject-access.json")), manifest


def _item(record: dict, key: str) -> dict:
    return next(i for s in record["sections"] for i in s["items"] if i["key"] == key)


def test_the_zip_carries_the_evidence_files_with_their_hashes_and_leaves_out_a_withheld_one(sar, head, case):
    kept_bytes, withheld_bytes = _png("red"), _png("blue")
    (kept, withheld), refused = concern_services.evidence_add(
        actor=head,
        concern=case,
        files=[_upload("friend-request.png", kept_bytes), _upload("jamie-chat.png", withheld_bytes)],
    )
    assert not refused
    services.redaction_mark(actor=head, sar=sar, item=f"evidence:{withheld.pk}", reason="Shows another child")

    archive, record, manifest = _zip(sar, head)

    path = f"evidence/{kept.pk}-friend-request.png"
    assert archive.read(path) == kept_bytes
    assert manifest[path] == hashlib.sha256(kept_bytes).hexdigest() == kept.sha256
    assert _item(record, f"evidence:{kept.pk}")["attachment"] == {"file": path, "sha256": kept.sha256}
    assert _item(record, f"evidence:{withheld.pk}").get("withheld") is True
    assert not any(name.startswith(f"evidence/{withheld.pk}-") for name in archive.namelist())
    assert withheld_bytes not in [archive.read(name) for name in archive.namelist()]


def test_withholding_a_concern_keeps_its_evidence_files_out_of_the_zip(sar, head, case):
    (file,), _ = concern_services.evidence_add(actor=head, concern=case, files=[_upload("shot.png", _png("green"))])
    services.redaction_mark(actor=head, sar=sar, item=f"concern:{case.pk}", reason="Mostly about a third party")

    archive, record, _ = _zip(sar, head)

    assert not [name for name in archive.namelist() if name.startswith("evidence/")]
    assert _item(record, f"evidence:{file.pk}")["attachment"]["file"] is None


def test_a_file_changed_in_storage_is_listed_with_the_problem_and_not_sent(sar, head, case):
    (file,), _ = concern_services.evidence_add(actor=head, concern=case, files=[_upload("shot.png", _png("green"))])
    with file.file.open("wb") as f:  # damage in storage, behind SafeSocial's back
        f.write(b"not what was received")

    archive, record, _ = _zip(sar, head)

    assert not [name for name in archive.namelist() if name.startswith("evidence/")]
    attachment = _item(record, f"evidence:{file.pk}")["attachment"]
    assert attachment["file"] is None and "no longer matches" in attachment["problem"]
