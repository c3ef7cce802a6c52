"""Pupils from the MIS file go through the people app's one write path (pupil_create, pupil_update), so an imported
pupil is audited, and asks the registers about declared friendships, exactly as one typed in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from safesocial.audit.models import AuditEntry
from safesocial.consent.importer import import_pupils
from safesocial.people.models import Pupil
from safesocial.people.services import pupil_create, pupil_update

SAMPLE = Path(__file__).resolve().parents[3] / "examples" / "mis" / "pupils-sample.csv"


def test_each_imported_pupil_is_on_the_audit_trail_by_record_not_by_name(seabright, head):
    import_pupils(actor=head, school=seabright, data=SAMPLE.read_bytes())
    created = AuditEntry.objects.filter(action="pupil.create")
    pupils = Pupil.objects.filter(school=seabright)
    assert {e.object_id for e in created} == {str(p.pk) for p in pupils} and created.count() == 4
    for entry in created:
        assert entry.changes["source"] == "MIS import"
        assert entry.object_label.startswith("pupil ")
        assert not any(p.last_name in str(entry.changes) + entry.object_label for p in pupils)


def test_a_reimport_audits_only_the_pupils_that_changed_naming_the_fields_not_the_values(seabright, head):
    import_pupils(actor=head, school=seabright, data=SAMPLE.read_bytes())
    changed = SAMPLE.read_text().replace("3K Kestrels", "4K Kestrels").replace("30/11/2017,3,", "30/11/2017,4,")
    import_pupils(actor=head, school=seabright, data=changed.encode())
    [entry] = AuditEntry.objects.filter(action="pupil.update")
    theo = Pupil.objects.get(mis_id="A123456789013")
    assert entry.object_id == str(theo.pk)
    assert entry.changes == {"fields": ["year_group", "class_name"], "source": "MIS import"}


def test_a_pupil_in_the_file_again_is_back_on_roll(seabright, head):
    import_pupils(actor=head, school=seabright, data=SAMPLE.read_bytes())
    Pupil.objects.filter(mis_id="A123456789013").update(on_roll=False)
    result = import_pupils(actor=head, school=seabright, data=SAMPLE.read_bytes())
    assert (result.updated, result.unchanged) == (1, 3)
    assert Pupil.objects.get(mis_id="A123456789013").on_roll


@pytest.fixture
def ava(seabright, head):
    return pupil_create(
        actor=head,
        school=seabright,
        first_name="Ava",
        last_name="Lowe",
        date_of_birth=dt.date(2018, 2, 1),
        year_group="2",
    )


def test_a_change_that_changes_nothing_writes_and_audits_nothing(ava, head):
    assert pupil_update(actor=head, pupil=ava, year_group="2", first_name="Ava") == []
    assert not AuditEntry.objects.filter(action="pupil.update").exists()


def test_only_the_people_who_manage_pupil_records_change_them(ava, head, teacher, seabright):
    with pytest.raises(PermissionDenied):
        pupil_update(actor=teacher, pupil=ava, class_name="2B")
    with pytest.raises(TypeError, match="school"):
        pupil_update(actor=head, pupil=ava, school=seabright)
    ava.refresh_from_db()
    assert ava.class_name == ""
