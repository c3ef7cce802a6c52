"""A pupil's social-media safeguarding records go with them to another school (issue 17, item 3; KCSIE: within five
school days of the move). Inside the trust the concerns move, with an audit entry, and the receiving school's DSL
sees them; outside it, an export package of every concern and a record of when and to whom it was sent."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safesocial.audit.models import AuditEntry
from safesocial.concerns import exports, selectors, services
from safesocial.concerns.models import EntryKind
from safesocial.concerns.services import People

FRIDAY = dt.date(2026, 3, 6)


@pytest.fixture
def concerns_of(assistant, seabright, pupil, screenshot_file):
    first = services.concern_report(
        actor=assistant,
        school=seabright,
        kind="friend_request",
        summary="A friend request from an adult.",
        people=People(pupils=[pupil]),
        files=[screenshot_file],
    ).concern
    second = services.concern_report(
        actor=assistant, school=seabright, kind="friend_request", summary="Another.", people=People(pupils=[pupil])
    ).concern
    return [first, second]


def test_a_move_inside_the_trust_moves_the_records_and_the_receiving_dsl_sees_them(
    head, dsl, pupil, millbrook, concerns_of
):
    assert not selectors.concerns_for(dsl).filter(pk__in=[c.pk for c in concerns_of]).exists()
    transfer = services.records_transfer(actor=head, pupil=pupil, moved_on=FRIDAY, to_school=millbrook)
    assert set(selectors.concerns_for(dsl).values_list("pk", flat=True)) >= {c.pk for c in concerns_of}
    assert not selectors.concerns_for(head).filter(pk__in=[c.pk for c in concerns_of]).exists()
    assert transfer.sent_on is not None and set(transfer.concerns.all()) == set(concerns_of)
    for concern in concerns_of:
        assert concern.chronology.filter(kind=EntryKind.TRANSFER, text__contains="Millbrook").exists()
        entry = AuditEntry.objects.get(action="concern.transfer", object_id=str(concern.pk))
        assert entry.changes == {"from_school": pupil.school_id, "to_school": millbrook.pk, "transfer": transfer.pk}


def test_a_move_outside_the_trust_is_due_five_school_days_after_the_move_skipping_the_weekend(head, pupil, concerns_of):
    transfer = services.records_transfer(
        actor=head,
        pupil=pupil,
        moved_on=FRIDAY,
        destination="Northgate Academy, Leeds",
        recipient="Pat Lee, DSL, dsl@northgate.example.org",
    )
    assert transfer.due_on == dt.date(2026, 3, 13)  # Friday + 5 school days: the next Friday
    assert transfer.sent_on is None
    # Nothing moves: the school keeps the records until it has sent them.
    assert all(c.school_id == pupil.school_id for c in selectors.concerns_for(head).filter(transfers=transfer))


def test_a_transfer_outside_the_trust_without_a_recipient_is_refused_with_a_message(head, pupil, concerns_of):
    with pytest.raises(ValidationError) as refused:
        services.records_transfer(actor=head, pupil=pupil, moved_on=FRIDAY, destination="Northgate Academy")
    assert "recipient" in refused.value.message_dict
    assert "who" in refused.value.message_dict["recipient"][0]
    assert not AuditEntry.objects.filter(action__startswith="concern.transfer").exists()


def test_the_package_holds_a_verifying_export_of_each_of_the_pupils_concerns_and_sending_it_is_recorded(
    head, pupil, concerns_of
):
    transfer = services.records_transfer(
        actor=head, pupil=pupil, moved_on=FRIDAY, destination="Northgate Academy", recipient="Pat Lee, DSL"
    )
    package = exports.transfer_package(actor=head, transfer=transfer)
    archive = zipfile.ZipFile(io.BytesIO(package.data))
    assert sorted(archive.namelist()) == sorted(f"{c.reference}.zip" for c in concerns_of)
    for name in archive.namelist():
        assert exports.verify_export(archive.read(name)) == []
    assert AuditEntry.objects.filter(action="concern.transfer.package", object_id=str(transfer.pk)).exists()

    services.transfer_sent(actor=head, transfer=transfer, sent_on=FRIDAY, sent_how="Secure email to Pat Lee")
    transfer.refresh_from_db()
    assert transfer.sent_on == FRIDAY and transfer.sent_by == head
    for concern in concerns_of:
        assert concern.chronology.filter(kind=EntryKind.TRANSFER, text__contains="Pat Lee").count() == 2


def test_only_someone_who_receives_the_pupils_schools_concerns_may_transfer_them(
    dsl, teacher, pupil, millbrook, concerns_of
):
    for who in (dsl, teacher):  # another school's DSL, a teacher at the pupil's school
        with pytest.raises(PermissionDenied):
            services.records_transfer(actor=who, pupil=pupil, moved_on=FRIDAY, to_school=millbrook)
    assert all(c.school_id == pupil.school_id for c in concerns_of)


def test_the_dsl_transfers_a_pupils_records_out_of_the_trust_from_a_page_and_records_them_as_sent(
    signed_in, head, pupil, outsider, concerns_of
):
    from django.urls import reverse

    from safesocial.concerns.models import RecordTransfer

    page = reverse("concerns:transfer", args=[pupil.pk])
    assert signed_in(outsider).get(page).status_code == 404
    client = signed_in(head)
    assert "Transfer their records" in client.get(reverse("concerns:detail", args=[concerns_of[0].pk])).content.decode()
    refused = client.post(page, {"moved_on": "2026-03-06", "destination": "Hilltop Academy"})
    assert refused.status_code == 400 and "designated safeguarding lead" in refused.content.decode()
    assert not RecordTransfer.objects.exists()
    client.post(page, {"moved_on": "2026-03-06", "destination": "Hilltop Academy", "recipient": "J. Doe, DSL"})
    transfer = RecordTransfer.objects.get()
    assert transfer.due_on == dt.date(2026, 3, 13) and transfer.sent_on is None
    package = client.get(reverse("concerns:transfer_package", args=[pupil.pk, transfer.pk]))
    assert len(zipfile.ZipFile(io.BytesIO(package.content)).namelist()) == 2
    sent = reverse("concerns:transfer_sent", args=[pupil.pk, transfer.pk])
    client.post(sent, {"sent_on": "2026-03-10", "sent_how": "Secure email to J. Doe"})
    transfer.refresh_from_db()
    assert transfer.sent_on == dt.date(2026, 3, 10) and transfer.sent_by == head
    assert "Secure email to J. Doe" in client.get(page).content.decode()
