from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safesocial.audit.models import AuditEntry
from safesocial.consent.importer import ImportFailed, import_pupils
from safesocial.consent.models import Consent, Purpose
from safesocial.consent.selectors import has_consent
from safesocial.people.models import ParentCarer, Pupil

SAMPLE = Path(__file__).resolve().parents[3] / "examples" / "mis" / "pupils-sample.csv"
HEADER = "UPN,Forename,Surname,DOB,Year,Contact 1 Name,Contact 1 Email,Consent: Social Media\n"


def test_the_sample_file_imports_pupils_parents_and_consents(seabright, head):
    result = import_pupils(actor=head, school=seabright, data=SAMPLE.read_bytes())
    assert (result.created, result.parents_created) == (4, 5)
    theo = Pupil.objects.get(mis_id="A123456789013")
    assert (theo.preferred_name, theo.year_group, theo.class_name) == ("Theo", "3", "3K Kestrels")
    assert has_consent(theo, Purpose.SOCIAL_MEDIA) and has_consent(theo, Purpose.NAME_WITH_PHOTO)
    maryam = Pupil.objects.get(mis_id="A123456789014")
    assert maryam.year_group == "R" and not has_consent(maryam, Purpose.SOCIAL_MEDIA)
    assert AuditEntry.objects.filter(action="pupils.import").exists()


def test_reimporting_updates_and_never_duplicates(seabright, head):
    import_pupils(actor=head, school=seabright, data=SAMPLE.read_bytes())
    consents = Consent.objects.count()
    changed = SAMPLE.read_text().replace("3K Kestrels", "4K Kestrels").replace("30/11/2017,3,", "30/11/2017,4,")
    result = import_pupils(actor=head, school=seabright, data=changed.encode())
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert Pupil.objects.filter(school=seabright).count() == 4
    assert ParentCarer.objects.count() == 5
    assert Consent.objects.count() == consents  # nothing changed, nothing recorded again
    assert Pupil.objects.get(mis_id="A123456789013").year_group == "4"


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_saved(seabright, head):
    data = (
        HEADER
        + "A1,Ava,Lowe,01/02/2018,2,Kim Lowe,kim@example.com,Y\n"
        + "A2,,Shah,01/02/2018,2,,,\n"
        + "A3,Leo,Quinn,31/02/2018,2,,,\n"
        + "A4,Mia,Rowe,01/02/2018,Year 15,,,\n"
        + "A1,Zac,Parry,01/02/2018,2,,,\n"
        + "A5,Noah,Yates,01/02/2018,2,,,maybe\n"
        + "A6,Evie,Cole,01/02/2018,2,,,Y\n"
    ).encode()
    with pytest.raises(ImportFailed) as info:
        import_pupils(actor=head, school=seabright, data=data)
    errors = info.value.errors
    assert [e.split(":")[0] for e in errors] == ["line 3", "line 4", "line 5", "line 6", "line 7", "line 8"]
    assert "no legal forename" in errors[0].lower() or "no forename" in errors[0].lower()
    assert "not a date" in errors[1]
    assert "year group" in errors[2]
    assert "also on line 2" in errors[3]
    assert "'maybe' is not Y or N" in errors[4]
    assert "no parent or carer is named" in errors[5]
    assert not Pupil.objects.exists() and not Consent.objects.exists()


def test_a_file_in_the_wrong_encoding_gets_a_clear_message(seabright, head):
    data = (HEADER + "A1,Zoë,Brontë,01/02/2018,2,,,\n").encode("cp1252")
    with pytest.raises(ImportFailed, match="not UTF-8"):
        import_pupils(actor=head, school=seabright, data=data)


def test_excel_utf8_with_a_byte_order_mark_is_fine(seabright, head):
    data = "\ufeff".encode() + (HEADER + "A1,Zoë,Brontë,01/02/2018,2,,,\n").encode()
    assert import_pupils(actor=head, school=seabright, data=data).created == 1
    assert Pupil.objects.get().first_name == "Zoë"


def test_missing_columns_are_named(seabright, head):
    with pytest.raises(ImportFailed, match=r"missing column.*Date of Birth"):
        import_pupils(actor=head, school=seabright, data=b"UPN,Forename,Surname,Year\nA1,Ava,Lowe,2\n")


def test_a_teacher_cannot_import(seabright, teacher):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_pupils(actor=teacher, school=seabright, data=SAMPLE.read_bytes())


def test_the_command_line_import_reports_problems_and_fails(seabright, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "A1,Ava,Lowe,not-a-date,2,,,\n")
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import-pupils", str(bad), "--school", "seabright")
    call_command("import-pupils", str(SAMPLE), "--school", "seabright")
    assert Pupil.objects.filter(school=seabright).count() == 4


def test_a_family_a_colleague_declared_is_flagged_when_the_import_brings_it_to_the_school(seabright, head, teacher):
    from safesocial.registers.services import friendship_declare

    declared = friendship_declare(
        actor=teacher,
        school=seabright,
        nature="Family friends since university.",
        platforms=["facebook"],
        family_names="Kim Lowe",
    )
    data = (HEADER + "A1,Ava,Lowe,01/02/2018,2,Kim Lowe,kim@example.com,Y\n").encode()
    import_pupils(actor=head, school=seabright, data=data)
    declared.refresh_from_db()
    assert declared.needs_update_at is not None
