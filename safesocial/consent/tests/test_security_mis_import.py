"""Finding 6: a school's MIS import never changes a parent or carer linked to another school of the trust, and each
parent it creates or changes has its own audit entry, naming what changed but never the personal data itself."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from safesocial.audit.models import AuditEntry
from safesocial.consent.importer import ImportFailed, import_pupils
from safesocial.consent.models import Consent
from safesocial.people.models import ParentCarer, Pupil, PupilParent
from safesocial.people.services import parent_create, pupil_create

HEADER = "UPN,Forename,Surname,DOB,Year,Contact 1 Name,Contact 1 Email,Contact 1 Phone,Consent: Social Media\n"


@pytest.fixture
def millbrook_parent(millbrook):
    """Kim, whose son is at Millbrook, the other school of the trust."""
    son = pupil_create(
        actor=None,
        school=millbrook,
        first_name="Leo",
        last_name="Hart",
        date_of_birth=dt.date(2016, 1, 9),
        year_group="5",
    )
    return parent_create(
        actor=None,
        trust=millbrook.trust,
        full_name="Kim Hart",
        pupils=[(son, "Mother")],
        email="kim.hart@example.com",
        phone="07700 900111",
    )


def test_an_import_never_changes_a_parent_linked_to_another_school_and_imports_nothing(
    seabright, head, millbrook_parent
):
    data = (
        HEADER
        + "S1,Ava,Lowe,01/02/2018,2,Jo Lowe,jo.lowe@example.com,07700 900222,Y\n"
        + "S2,Max,Stone,01/02/2018,2,Someone Else,KIM.HART@example.com,07700 900999,Y\n"
    ).encode()
    with pytest.raises(ImportFailed) as info:
        import_pupils(actor=head, school=seabright, data=data)
    assert len(info.value.errors) == 1
    assert info.value.errors[0].startswith("line 3: this parent is linked to another school;")
    millbrook_parent.refresh_from_db()
    assert (millbrook_parent.phone, millbrook_parent.full_name) == ("07700 900111", "Kim Hart")
    assert list(millbrook_parent.pupils.values_list("school__key", flat=True)) == ["millbrook"]
    # Nothing is half imported: not even the good first row.
    assert not Pupil.objects.filter(school=seabright).exists()
    assert not Consent.objects.exists() and ParentCarer.objects.count() == 1
    assert not AuditEntry.objects.filter(action="pupils.import").exists()


def test_an_import_links_a_parent_of_another_school_only_if_the_trust_already_did(seabright, head, millbrook_parent):
    """A parent with children at both schools, linked to both by the trust, is matched and left as they are."""
    ava = pupil_create(
        actor=None,
        school=seabright,
        first_name="Ava",
        last_name="Hart",
        date_of_birth=dt.date(2018, 2, 1),
        year_group="2",
        mis_id="S1",
    )
    PupilParent.objects.create(pupil=ava, parent=millbrook_parent, relationship="Mother")
    data = (HEADER + "S1,Ava,Hart,01/02/2018,2,Kim Hart,kim.hart@example.com,07700 900111,Y\n").encode()
    result = import_pupils(actor=head, school=seabright, data=data)
    assert result.parents_created == 0 and Consent.objects.get().parent == millbrook_parent
    changed = (HEADER + "S1,Ava,Hart,01/02/2018,2,Kim Hart,kim.hart@example.com,07700 900000,N\n").encode()
    with pytest.raises(ImportFailed, match="line 2: this parent is linked to another school"):
        import_pupils(actor=head, school=seabright, data=changed)
    millbrook_parent.refresh_from_db()
    assert millbrook_parent.phone == "07700 900111"


def test_each_parent_the_import_creates_or_changes_is_audited_by_field_name_not_value(seabright, head):
    first = (HEADER + "S1,Ava,Lowe,01/02/2018,2,Jo Lowe,jo.lowe@example.com,07700 900222,Y\n").encode()
    import_pupils(actor=head, school=seabright, data=first)
    parent = ParentCarer.objects.get()
    created = AuditEntry.objects.get(action="parent.create", object_id=str(parent.pk))
    assert created.actor_id == head.pk and created.object_label == f"parent/carer {parent.pk}"

    moved = (HEADER + "S1,Ava,Lowe,01/02/2018,2,Jo Lowe,jo@new-home.example.com,07700 900333,Y\n").encode()
    import_pupils(actor=head, school=seabright, data=moved)
    updated = AuditEntry.objects.get(action="parent.update", object_id=str(parent.pk))
    assert updated.actor_id == head.pk and sorted(updated.changes["fields"]) == ["email", "phone"]
    everything = json.dumps([[e.object_label, e.changes] for e in AuditEntry.objects.all()])
    for personal in ("Jo Lowe", "jo.lowe@example.com", "jo@new-home", "900222", "900333", "Ava", "Lowe"):
        assert personal not in everything

    import_pupils(actor=head, school=seabright, data=moved)  # nothing changes: nothing more to audit
    assert AuditEntry.objects.filter(action="parent.update").count() == 1
