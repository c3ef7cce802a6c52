"""Exports of a case (issue 17, item 3): a PDF chronology with each file's SHA-256, and a zip with that PDF, the whole
case as versioned JSON and the evidence files, whose manifest of SHA-256 hashes verifies. Only the people who may
see a concern may export it: anyone else gets a 404, and every export and every refused attempt is audited."""

import io
import json
import shutil
import subprocess
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from safesocial.audit.models import AuditEntry
from safesocial.concerns import exports, services
from safesocial.concerns.services import People
from safesocial.testing.files import png_bytes


def reported(actor, school, files=(), **kw):
    kw.setdefault("summary", "Nia was sent a friend request by an adult she does not know.")
    return services.concern_report(
        actor=actor, school=school, kind=kw.pop("kind", "friend_request"), files=list(files), **kw
    ).concern


@pytest.fixture
def case(assistant, seabright, pupil, screenshot_file, head):
    concern = reported(assistant, seabright, files=[screenshot_file], people=People(pupils=[pupil]))
    services.chronology_add(actor=head, concern=concern, text="Spoke to Nia with her class teacher.")
    return concern


def export_zip(client, concern):
    response = client.get(reverse("concerns:export", args=[concern.pk, "zip"]))
    assert response.status_code == 200, response.status_code
    return response


def test_a_case_exports_as_a_zip_of_the_pdf_the_json_and_the_evidence_whose_manifest_verifies(signed_in, head, case):
    response = export_zip(signed_in(head), case)
    assert response["Content-Type"] == "application/zip"
    assert case.reference in response["Content-Disposition"]
    data = response.content
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    evidence = case.evidence.get()
    assert set(names) == {
        "chronology.pdf",
        "case.json",
        f"evidence/{evidence.pk}-friend-request.png",
        "manifest.sha256",
    }
    assert zipfile.ZipFile(io.BytesIO(data)).read(f"evidence/{evidence.pk}-friend-request.png") == png_bytes()
    assert exports.verify_export(data) == []


def test_the_json_export_is_the_whole_case_in_a_documented_versioned_shape(signed_in, head, case, pupil):
    record = json.loads(signed_in(head).get(reverse("concerns:export", args=[case.pk, "json"])).content)
    assert record["format"] == "safesocial.concern-export" and record["version"] == 1
    assert record["concern"]["reference"] == case.reference
    assert record["concern"]["summary"] == case.summary
    assert record["school"]["name"] == "Seabright Primary School"
    assert [p["name"] for p in record["people"]] == ["Nia Harbour"]
    assert record["people"][0]["pupil"]["date_of_birth"] == "2016-03-04"
    assert "Spoke to Nia with her class teacher." in [e["text"] for e in record["chronology"]]
    [evidence] = record["evidence"]
    assert evidence["sha256"] == case.evidence.get().sha256 and evidence["file"].startswith("evidence/")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils) to read the PDF")
def test_the_pdf_chronology_lists_every_entry_and_each_file_with_its_sha256(signed_in, head, case):
    response = signed_in(head).get(reverse("concerns:export", args=[case.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    digest = case.evidence.get().sha256
    assert case.reference in text and "Spoke to Nia with her class teacher." in text
    assert "friend-request.png" in text and digest[:32] in text.replace(" ", "").replace("\n", "")


def test_an_export_whose_evidence_was_altered_after_it_left_does_not_verify(signed_in, head, case):
    data = export_zip(signed_in(head), case).content
    original = zipfile.ZipFile(io.BytesIO(data))
    altered = io.BytesIO()
    with zipfile.ZipFile(altered, "w") as out:
        for name in original.namelist():
            body = original.read(name)
            out.writestr(name, png_bytes((0, 0, 255)) if name.startswith("evidence/") else body)
    problems = exports.verify_export(altered.getvalue())
    assert len(problems) == 1 and "friend-request.png" in problems[0] and "SHA-256" in problems[0]


def test_a_file_slipped_into_an_export_is_found(signed_in, head, case):
    data = export_zip(signed_in(head), case).content
    grown = io.BytesIO(data)
    with zipfile.ZipFile(grown, "a") as out:
        out.writestr("evidence/99-extra.png", b"not from SafeSocial")
    assert exports.verify_export(grown.getvalue()) == ["evidence/99-extra.png is not in the manifest."]


def test_a_stored_file_that_no_longer_matches_its_fingerprint_is_left_out_and_said_so(signed_in, head, case):
    evidence = case.evidence.get()
    with open(evidence.file.path, "wb") as f:
        f.write(b"tampered in storage")
    data = export_zip(signed_in(head), case).content
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert not [n for n in archive.namelist() if n.startswith("evidence/")]
    [listed] = json.loads(archive.read("case.json"))["evidence"]
    assert listed["file"] is None and "no longer matches" in listed["problem"]
    assert exports.verify_export(data) == []


def test_every_export_is_audited_with_who_which_concern_and_when_and_nothing_personal(signed_in, head, case):
    client = signed_in(head)
    for fmt in ("pdf", "json", "zip"):
        client.get(reverse("concerns:export", args=[case.pk, fmt]))
    entries = list(AuditEntry.objects.filter(action="concern.export").order_by("seq"))
    assert [(e.actor_id, e.object_id, e.changes["format"]) for e in entries] == [
        (head.pk, str(case.pk), "pdf"),
        (head.pk, str(case.pk), "json"),
        (head.pk, str(case.pk), "zip"),
    ]
    written = json.dumps([[e.object_label, e.changes] for e in entries])
    assert "Nia" not in written and "Harbour" not in written and "friend" not in written


@pytest.mark.parametrize("who", ["outsider", "assistant", "dsl"])
def test_someone_who_may_not_see_the_concern_gets_a_404_and_the_attempt_is_audited(signed_in, case, who, request):
    user = request.getfixturevalue(who)  # a colleague elsewhere, the reporter (who may only add evidence), another DSL
    response = signed_in(user).get(reverse("concerns:export", args=[case.pk, "zip"]))
    assert response.status_code == 404 and b"PK" not in response.content[:2]
    refused = AuditEntry.objects.get(action="concern.export.refused")
    assert refused.actor_id == user.pk and refused.object_id == str(case.pk) and refused.changes == {"format": "zip"}


def test_the_member_of_staff_a_concern_is_about_cannot_export_it(signed_in, assistant, seabright, head, teacher):
    concern = reported(
        assistant, seabright, kind="staff_online_conduct", people=People(staff_subjects=[teacher]), summary="A post."
    )
    assert signed_in(teacher).get(reverse("concerns:export", args=[concern.pk, "pdf"])).status_code == 404


def test_export_needs_sign_in(client, case):
    response = client.get(reverse("concerns:export", args=[case.pk, "zip"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_concern_page_offers_the_exports_to_those_who_manage_it(signed_in, head, case):
    body = signed_in(head).get(reverse("concerns:detail", args=[case.pk])).content.decode()
    assert reverse("concerns:export", args=[case.pk, "zip"]) in body
    assert reverse("concerns:export", args=[case.pk, "pdf"]) in body


def test_verify_export_command_says_whether_an_export_is_intact(signed_in, head, case, tmp_path):
    path = tmp_path / "case.zip"
    path.write_bytes(export_zip(signed_in(head), case).content)
    out = io.StringIO()
    call_command("concerns", "verify-export", str(path), stdout=out)
    assert "intact" in out.getvalue()
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("notes.txt", b"added later")
    with pytest.raises(CommandError, match=r"notes\.txt is not in the manifest"):
        call_command("concerns", "verify-export", str(path), stdout=io.StringIO())
