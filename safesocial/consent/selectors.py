"""Reads of consent. A consent counts only while it is in force: given, and not past its end date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Case, CharField, Count, OuterRef, QuerySet, Subquery, Value, When
from django.utils import timezone

from safesocial.people.models import Pupil, School, Trust
from safesocial.text.rules import RegisterPupil

from .models import Consent, Purpose


def current_consent(pupil: Pupil, purpose: str) -> Consent | None:
    return Consent.objects.filter(pupil=pupil, purpose=purpose).order_by("-recorded_at", "-pk").first()


def consents_for(pupils: QuerySet[Pupil] | list[Pupil], on: dt.date | None = None) -> dict[int, dict[str, Consent]]:
    """The newest record per pupil and purpose, for many pupils in one query."""
    ids = [p.pk for p in pupils]
    latest: dict[int, dict[str, Consent]] = defaultdict(dict)
    for consent in Consent.objects.filter(pupil_id__in=ids).order_by("recorded_at", "pk"):
        latest[consent.pupil_id][consent.purpose] = consent
    return latest


def has_consent(pupil: Pupil, purpose: str, on: dt.date | None = None) -> bool:
    consent = current_consent(pupil, purpose)
    return bool(consent and consent.in_force(on or timezone.localdate()))


def in_force(records: dict[str, Consent], purpose: str, on: dt.date | None = None) -> bool:
    consent = records.get(purpose)
    return bool(consent and consent.in_force(on or timezone.localdate()))


def coverage(pupils: QuerySet[Pupil], purpose: str = Purpose.SOCIAL_MEDIA) -> list[dict]:
    """Consent coverage by year group: given, refused, not recorded."""
    records = consents_for(pupils)
    today = timezone.localdate()
    rows: dict[str, dict] = {}
    for pupil in pupils:
        row = rows.setdefault(pupil.year_group, {"year": pupil.year_group, "given": 0, "refused": 0, "missing": 0})
        consent = records.get(pupil.pk, {}).get(purpose)
        if consent is None or (consent.given and not consent.in_force(today)):
            row["missing"] += 1
        elif consent.given:
            row["given"] += 1
        else:
            row["refused"] += 1
    return sorted(rows.values(), key=lambda r: (len(r["year"]), r["year"]))


def register_for(school) -> list:
    """The school's pupils on roll, with the consents that decide whether they may be named."""
    if school is None:
        return []
    pupils = list(Pupil.objects.filter(school=school, on_roll=True).only("first_name", "last_name", "preferred_name"))
    records = consents_for(pupils)
    return [
        RegisterPupil(
            pupil_id=p.pk,
            first_name=p.first_name,
            last_name=p.last_name,
            preferred_name=p.preferred_name,
            name_consent=in_force(records.get(p.pk, {}), Purpose.NAME_WITH_PHOTO),
            first_name_only_consent=in_force(records.get(p.pk, {}), Purpose.FIRST_NAME_ONLY),
        )
        for p in pupils
    ]


def social_media_consent_counts(trust: Trust, school: School | None, before: dt.datetime, as_of: dt.date):
    """Pupils on roll (at one school, or all), counted by school, year group and the state of their newest consent
    to photos on the school's social media recorded before `before`: rows of (school_id, year_group, state, n), the
    state "given", "refused", "lapsed" (past its end date on `as_of`) or None (never asked)."""
    latest = (
        Consent.objects.filter(pupil=OuterRef("pk"), purpose=Purpose.SOCIAL_MEDIA, recorded_at__lt=before)
        .order_by("-recorded_at", "-pk")
        .annotate(
            state=Case(
                When(given=False, then=Value("refused")),
                When(expires_on__lt=as_of, then=Value("lapsed")),
                default=Value("given"),
                output_field=CharField(),
            )
        )
        .values("state")[:1]
    )
    pupils = Pupil.objects.filter(school__trust=trust, on_roll=True)
    if school is not None:
        pupils = pupils.filter(school=school)
    return (
        pupils.annotate(state=Subquery(latest, output_field=CharField()))
        .values("school_id", "year_group", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
