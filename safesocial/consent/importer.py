"""Importing pupils, parents and consents from a school MIS export (SIMS, Arbor, Bromcom).

Every row is checked first; if any row is bad, every problem is reported with its line number and nothing
is saved. Re-importing the same pupils updates them (matched by UPN or admission number), never duplicates.
The accepted columns are documented in docs/mis-import.md."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.db import transaction

from safesocial import hooks
from safesocial.audit.services import audit_record
from safesocial.people.models import ParentCarer, Pupil, PupilParent, School, User
from safesocial.people.services import parent_create, pupil_create, pupil_update
from safesocial.permissions import Action, require

from .models import Method, Purpose
from .selectors import current_consent
from .services import consent_record

MAX_BYTES = 5_000_000
MAX_ROWS = 5000
SOURCE = "MIS import"  # on each pupil's and parent's audit entry

# Each field and the column headings the three big MIS products use for it (compared case-insensitively).
COLUMNS: dict[str, tuple[str, ...]] = {
    "mis_id": ("UPN", "Admission Number", "Adno", "MIS ID", "Pupil ID"),
    "first_name": ("Legal Forename", "Forename", "First Name", "Legal First Name"),
    "last_name": ("Legal Surname", "Surname", "Last Name", "Legal Last Name"),
    "preferred_name": ("Preferred Forename", "Preferred First Name", "Known As"),
    "date_of_birth": ("Date of Birth", "DOB", "Birth Date"),
    "year_group": ("Year", "Year Group", "NC Year", "Year Taught In"),
    "class_name": ("Reg Group", "Registration Group", "Class", "Form", "Tutor Group"),
}
CONTACT_FIELDS = ("name", "relationship", "email", "phone")
CONTACT_HEADINGS = {
    "name": ("Contact {n} Name", "Primary Contact {n} Name", "Parent {n} Name"),
    "relationship": ("Contact {n} Relationship", "Parent {n} Relationship"),
    "email": ("Contact {n} Email", "Parent {n} Email"),
    "phone": ("Contact {n} Phone", "Contact {n} Mobile", "Parent {n} Phone"),
}
CONSENT_HEADINGS = {
    Purpose.SOCIAL_MEDIA: ("Consent: Social Media", "Social Media Consent", "Photo Consent Social Media"),
    Purpose.WEBSITE: ("Consent: Website", "Website Consent"),
    Purpose.PRESS: ("Consent: Press", "Press Consent", "Media Consent"),
    Purpose.NAME_WITH_PHOTO: ("Consent: Name With Photo", "Name With Photo Consent", "Full Name Consent"),
    Purpose.FIRST_NAME_ONLY: ("Consent: First Name Only", "First Name Only Consent"),
    Purpose.BIOMETRIC: ("Consent: Biometric", "Biometric Consent"),
}
CONSENT_DATE = ("Consent Date", "Consent Given On", "Consent Collected")
YES = {"y", "yes", "given", "true", "1", "consent given"}
NO = {"n", "no", "refused", "false", "0", "not given", "withdrawn"}
YEAR = re.compile(r"^(?:year\s*|y)?(\d{1,2})$", re.I)


class ImportFailed(Exception):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class Row:
    line: int
    mis_id: str
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: dt.date
    year_group: str
    class_name: str
    contacts: list[dict[str, str]] = field(default_factory=list)
    consents: dict[str, bool] = field(default_factory=dict)
    consent_date: dt.date | None = None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    parents_created: int = 0
    consents_recorded: int = 0
    unchanged: int = 0


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportFailed([f"The file is {len(data) / 1_000_000:.1f} MB; the limit is 5 MB (about 5,000 pupils)."])
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            [
                f"line {line}: the file is not UTF-8 text. In Excel use 'Save as' → 'CSV UTF-8 (comma delimited)'; "
                "in SIMS, Arbor or Bromcom export as CSV with UTF-8 encoding."
            ]
        ) from None


def _date(value: str) -> dt.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{value}' is not a date (use DD/MM/YYYY)")


def _year(value: str) -> str:
    v = value.strip()
    low = v.lower()
    if low in {"r", "rec", "reception", "yr r", "year r"}:
        return "R"
    if low in {"n", "n1", "n2", "nursery"}:
        return "N"
    match = YEAR.match(v)
    if match and 1 <= int(match.group(1)) <= 14:
        return str(int(match.group(1)))
    raise ValueError(f"'{value}' is not a year group (use R, N or 1 to 13)")


def _header_map(headers: list[str]) -> dict[str, int]:
    lowered = [h.strip().lower() for h in headers]
    found: dict[str, int] = {}

    def find(key: str, names: tuple[str, ...]) -> None:
        for name in names:
            if name.lower() in lowered:
                found[key] = lowered.index(name.lower())
                return

    for key, names in COLUMNS.items():
        find(key, names)
    for n in (1, 2):
        for fld, patterns in CONTACT_HEADINGS.items():
            find(f"contact{n}_{fld}", tuple(p.format(n=n) for p in patterns))
    for purpose, names in CONSENT_HEADINGS.items():
        find(f"consent_{purpose}", names)
    find("consent_date", CONSENT_DATE)
    return found


def parse(data: bytes) -> list[Row]:
    """Check the whole file. Raises ImportFailed listing every problem with its line number."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = next(reader)
    except StopIteration:
        raise ImportFailed(["The file is empty."]) from None
    cols = _header_map(headers)
    missing = [
        COLUMNS[k][0] for k in ("mis_id", "first_name", "last_name", "date_of_birth", "year_group") if k not in cols
    ]
    if missing:
        raise ImportFailed(
            [f"line 1: missing column(s) {', '.join(missing)}. Columns found: {', '.join(h for h in headers if h)}."]
        )
    rows: list[Row] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(f"line {line}: more than {MAX_ROWS} pupils; split the file by year group.")
            break

        def get(key: str, rec: list[str] = record) -> str:
            i = cols.get(key)
            return rec[i].strip() if i is not None and i < len(rec) else ""

        problems = []
        mis_id = get("mis_id")
        if not mis_id:
            problems.append(f"no {COLUMNS['mis_id'][0]}")
        elif mis_id in seen:
            problems.append(f"{mis_id} is also on line {seen[mis_id]}")
        for key in ("first_name", "last_name"):
            if not get(key):
                problems.append(f"no {COLUMNS[key][0].lower()}")
        dob = year = None
        try:
            dob = _date(get("date_of_birth"))
            if not dt.date(1990, 1, 1) < dob < dt.date.today():
                problems.append(f"date of birth {get('date_of_birth')} is not a pupil's")
        except ValueError as exc:
            problems.append(f"date of birth: {exc}")
        try:
            year = _year(get("year_group"))
        except ValueError as exc:
            problems.append(f"year group: {exc}")
        consents: dict[str, bool] = {}
        for purpose in Purpose.values:
            raw = get(f"consent_{purpose}").lower()
            if raw in YES:
                consents[purpose] = True
            elif raw in NO:
                consents[purpose] = False
            elif raw:
                problems.append(f"{CONSENT_HEADINGS[purpose][0]}: '{raw}' is not Y or N")
        consent_date = None
        if get("consent_date"):
            try:
                consent_date = _date(get("consent_date"))
                if consent_date > dt.date.today():
                    problems.append("consent date is in the future")
            except ValueError as exc:
                problems.append(f"consent date: {exc}")
        contacts = []
        for n in (1, 2):
            contact = {fld: get(f"contact{n}_{fld}") for fld in CONTACT_FIELDS}
            if any(contact.values()):
                if not contact["name"]:
                    problems.append(f"contact {n} has details but no name")
                if contact["email"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", contact["email"]):
                    problems.append(f"contact {n} email '{contact['email']}' is not an email address")
                contacts.append(contact)
        if consents and not contacts:
            problems.append("consents are given but no parent or carer is named")
        if problems:
            errors.append(f"line {line}: " + "; ".join(problems))
            continue
        seen[mis_id] = line
        rows.append(
            Row(
                line=line,
                mis_id=mis_id,
                first_name=get("first_name"),
                last_name=get("last_name"),
                preferred_name=get("preferred_name"),
                date_of_birth=dob,
                year_group=year,  # type: ignore[arg-type]
                class_name=get("class_name"),
                contacts=contacts,
                consents=consents,
                consent_date=consent_date,
            )
        )
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed(["The file has a header but no pupils."])
    return rows


@transaction.atomic
def import_pupils(*, actor: User | None, school: School, data: bytes) -> ImportResult:
    """Import the file into one school, all or nothing."""
    if actor is not None:
        require(actor, Action.MANAGE_PUPILS, school)
    rows = parse(data)
    result = ImportResult()
    errors: list[str] = []
    existing = {p.mis_id: p for p in Pupil.objects.filter(school=school, mis_id__in=[r.mis_id for r in rows])}
    for row in rows:
        fields = {
            "first_name": row.first_name,
            "last_name": row.last_name,
            "preferred_name": row.preferred_name,
            "date_of_birth": row.date_of_birth,
            "year_group": row.year_group,
            "class_name": row.class_name,
        }
        pupil = existing.get(row.mis_id)
        if pupil is None:
            pupil = pupil_create(actor=actor, school=school, mis_id=row.mis_id, **fields, source=SOURCE)
            result.created += 1
        elif pupil_update(actor=actor, pupil=pupil, on_roll=True, **fields, source=SOURCE):
            result.updated += 1
        else:
            result.unchanged += 1
        try:
            parents = [_parent(actor, school, pupil, contact, result) for contact in row.contacts]
        except _OtherSchoolsParent:
            errors.append(
                f"line {row.line}: this parent is linked to another school; SafeSocial does not change their details "
                "or link them to a pupil from another school's file. Check the contact's email address, or ask the "
                "trust office to link them."
            )
            continue
        for purpose, given in row.consents.items():
            current = current_consent(pupil, purpose)
            if current is not None and current.given == given:
                continue
            consent_record(
                actor=None,
                pupil=pupil,
                purpose=purpose,
                given=given,
                method=Method.MIS,
                parent=parents[0],
                given_on=row.consent_date,
                note=f"import line {row.line}",
            )
            result.consents_recorded += 1
    if errors:
        raise ImportFailed(errors)  # inside the transaction: everything done so far is undone
    audit_record(
        actor=actor,
        action="pupils.import",
        object_type="people.school",
        object_id=str(school.pk),
        label=school.name,
        school_id=school.pk,
        changes={"rows": len(rows), **result.__dict__},
    )
    return result


class _OtherSchoolsParent(Exception):
    pass


def _parent(
    actor: User | None, school: School, pupil: Pupil, contact: dict[str, str], result: ImportResult
) -> ParentCarer:
    """The parent or carer a contact names, created or brought up to date. Parents are one record across the trust,
    so one linked to a pupil at another school is never changed, nor linked to a pupil here, by this school's file:
    raises _OtherSchoolsParent instead. Each change is audited by field name: the values are personal data."""
    linked = list(pupil.parents.all())
    parent = None
    if contact["email"]:
        parent = ParentCarer.objects.filter(trust=school.trust, email__iexact=contact["email"]).first()
    if parent is None:
        parent = next((p for p in linked if p.full_name.lower() == contact["name"].lower()), None)
    if parent is None:
        result.parents_created += 1
        return parent_create(
            actor=actor,
            trust=school.trust,
            full_name=contact["name"],
            pupils=[(pupil, contact["relationship"] or "Parent/carer")],
            email=contact["email"],
            phone=contact["phone"],
        )
    changed = [k for k in ("email", "phone") if contact[k] and getattr(parent, k) != contact[k]]
    link = parent not in linked
    if not changed and not link:
        return parent
    if parent.pupils.exclude(school=school).exists():
        raise _OtherSchoolsParent
    for k in changed:
        setattr(parent, k, contact[k])
    if changed:
        parent.save(update_fields=changed)
    if link:
        PupilParent.objects.create(pupil=pupil, parent=parent, relationship=contact["relationship"] or "Parent/carer")
        hooks.PARENT_LINKED.call(parent=parent)
    audit_record(
        actor=actor,
        action="parent.update",
        obj=parent,
        label=f"parent/carer {parent.pk}",
        school_id=school.pk,
        changes={"fields": changed, "linked_to_pupil": pupil.pk if link else None, "source": SOURCE},
    )
    return parent
