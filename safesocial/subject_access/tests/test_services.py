"""Subject access requests (issue 17, item 3): the one-month clock, gathering what is held about the person,
redaction of third parties, and the response as PDF, JSON and a zip whose manifest verifies."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from safesocial.audit.models import AuditEntry
from safesocial.concerns.exports import verify_export
from safesocial.consent.models import Purpose
from safesocial.consent.services import consent_record
from safesocial.subject_access import response, services
from safesocial.subject_access.collect import holdings
from safesocial.subject_access.models import RequestStatus, SubjectKind, due_date
from safesocial.subject_access.response import REDACTED


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2026, 3, 15), dt.date(2026, 4, 15)),  # a Wednesday
        (dt.date(2025, 1, 31), dt.date(2025, 2, 28)),  # no 31 February: the month's last day (a Friday)
        (dt.date(2026, 1, 31), dt.date(2026, 3, 2)),  # 28 February 2026 is a Saturday: the Monday after
        (dt.date(2026, 12, 10), dt.date(2027, 1, 11)),  # 10 January 2027 is a Sunday
    ],
)
def test_the_answer_is_due_one_calendar_month_after_receipt(received, due):
    assert due_date(received) == due


def test_a_request_starts_its_clock_and_is_audited(sar, pupil):
    assert sar.subject_kind == SubjectKind.PUPIL and sar.subject_name == "Nia Harbour"
    assert sar.due_on == due_date(sar.received_on)
    assert sar.left == (sar.due_on - dt.date.today()).days
    assert AuditEntry.objects.filter(action="subject_access.create", object_id=str(sar.pk)).exists()


def test_only_those_who_receive_concerns_at_the_school_may_record_a_request(teacher, dsl, seabright, pupil):
    for who in (teacher, dsl):  # a teacher at Seabright; Millbrook's DSL
        with pytest.raises(PermissionDenied):
            services.sar_create(
                actor=who,
                school=seabright,
                requester_name="Rowan Harbour",
                requester_relationship="Father",
                received_on=dt.date.today(),
                pupil=pupil,
            )


def test_a_request_names_exactly_one_person_or_handle(head, seabright, pupil, parent):
    with pytest.raises(ValidationError):
        services.sar_create(
            actor=head,
            school=seabright,
            requester_name="Rowan Harbour",
            requester_relationship="Father",
            received_on=dt.date.today(),
            pupil=pupil,
            parent=parent,
        )


def test_what_is_held_about_a_pupil_includes_their_concerns_chronology_consents_and_audit(
    sar, head, case, pupil, parent
):
    consent_record(
        actor=head,
        pupil=pupil,
        purpose=Purpose.SOCIAL_MEDIA,
        given=True,
        parent=parent,
        method="paper",
        given_on=dt.date.today(),
    )
    sections = {s.key: s for s in holdings(head, sar)}
    keys = [i.key for i in sections["records"].items]
    assert f"concern:{case.pk}" in keys
    assert any(i.fields.get("Entry") == "Spoke to Nia and to Jamie Quarry's mother." for i in sections["records"].items)
    assert [i.title for i in sections["consents"].items] == ["Consent: " + Purpose.SOCIAL_MEDIA.label]
    assert sections["audit"].items, "the audit entries about Nia's record and her concern"


def test_a_commenter_is_found_by_handle(head, seabright, case):
    found = services.sar_create(
        actor=head,
        school=seabright,
        requester_name="Sam Stranger",
        requester_relationship="The person themselves",
        received_on=dt.date.today(),
        handle="@nobody.here",
    )
    assert found.subject_kind == SubjectKind.COMMENTER
    assert all(not s.items for s in holdings(head, found) if s.key != "audit")


def _json(sar, actor):
    return json.loads(response.sar_export(actor=actor, pk=sar.pk, fmt="json").data)


def test_a_marked_name_is_replaced_everywhere_and_the_redaction_listed_without_the_name(sar, head):
    services.redaction_mark(actor=head, sar=sar, name="Jamie Quarry", reason="Another child: no consent")
    text = response.sar_export(actor=head, pk=sar.pk, fmt="json").data.decode()
    assert "jamie quarry" not in text.lower()
    assert REDACTED in text
    record = json.loads(text)
    [name] = record["redactions"]["names"]
    assert name == {"name": "Third party 1", "reason": "Another child: no consent", "occurrences": 2}
    assert "Nia" in text, "the subject's own information stays"


def test_a_withheld_item_leaves_only_the_redaction_marker(sar, head, case):
    services.redaction_mark(actor=head, sar=sar, item=f"concern:{case.pk}", reason="Mostly about a third party")
    record = _json(sar, head)
    [item] = [i for s in record["sections"] for i in s["items"] if i["key"] == f"concern:{case.pk}"]
    assert item == {"key": f"concern:{case.pk}", "when": item["when"], "withheld": True, "text": REDACTED}
    assert record["redactions"]["withheld"] == [{"item": f"concern:{case.pk}", "reason": "Mostly about a third party"}]


def test_the_same_mark_twice_is_refused(sar, head):
    services.redaction_mark(actor=head, sar=sar, name="Jamie Quarry", reason="Third party")
    with pytest.raises(ValidationError):
        services.redaction_mark(actor=head, sar=sar, name="Jamie Quarry", reason="Third party")


def test_the_zip_holds_the_pdf_and_json_and_its_manifest_verifies(sar, head):
    data = response.sar_export(actor=head, pk=sar.pk, fmt="zip").data
    assert set(zipfile.ZipFile(io.BytesIO(data)).namelist()) == {
        "subject-access.pdf",
        "subject-access.json",
        "manifest.sha256",
    }
    assert verify_export(data) == []
    entry = AuditEntry.objects.filter(action="subject_access.export", object_id=str(sar.pk)).last()
    assert entry.changes["format"] == "zip" and len(entry.changes["sha256"]) == 64


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils) to read the PDF")
def test_the_pdf_carries_the_redactions_too(sar, head):
    services.redaction_mark(actor=head, sar=sar, name="Jamie Quarry", reason="Another child")
    pdf = response.sar_export(actor=head, pk=sar.pk, fmt="pdf").data
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Jamie" not in text and "[redacted: third party]" in text
    assert "Nia was sent a friend request" in text


def test_someone_else_cannot_export_a_request_and_the_attempt_is_audited(sar, dsl, teacher):
    for who in (dsl, teacher):
        with pytest.raises(Http404):
            response.sar_export(actor=who, pk=sar.pk, fmt="zip")
    assert AuditEntry.objects.filter(action="subject_access.refused", object_id=str(sar.pk)).count() == 2


def test_a_response_is_sent_then_closed_and_a_closed_request_takes_no_more_marks(sar, head):
    services.sar_mark_sent(actor=head, sar=sar, sent_on=dt.date.today(), sent_how="Secure email to the father")
    assert sar.status == RequestStatus.SENT
    services.sar_close(actor=head, sar=sar)
    with pytest.raises(ValidationError):
        services.redaction_mark(actor=head, sar=sar, name="Jamie Quarry", reason="Third party")


def test_an_unanswered_request_is_closed_only_with_a_note(sar, head):
    with pytest.raises(ValidationError):
        services.sar_close(actor=head, sar=sar)
    services.sar_close(actor=head, sar=sar, note="Withdrawn by the father")
    assert sar.status == RequestStatus.CLOSED


def test_a_member_of_staff_never_handles_a_request_about_themselves(head, seabright, trust):
    from safesocial.people.models import User

    deputy = User.objects.get(email="a.rendell@harbourside.example.com")
    made = services.sar_create(
        actor=deputy,
        school=seabright,
        requester_name="Hana Head",
        requester_relationship="The person themselves",
        received_on=dt.date.today(),
        staff=head,
    )
    with pytest.raises(Http404):
        response.sar_export(actor=head, pk=made.pk, fmt="json")
