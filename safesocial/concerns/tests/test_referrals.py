"""Referrals as steps of the chronology (issue 17, item 2): MASH, the LADO, the police with a crime reference, Prevent,
early help, platform reports with the platform's reference and the local authority's advice; each with who, when,
reference, outcome and a follow-up. A concern about a member of staff shows the LADO's one-working-day clock and
cannot be closed without the LADO's decision."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.concerns import selectors, services
from safesocial.concerns.models import ActionStatus, Concern, ConcernStatus, EntryKind, Referral
from safesocial.concerns.referrals import lado_due
from safesocial.concerns.services import People
from safesocial.dates import add_working_days

TODAY = timezone.localdate()


def report(actor, school, **kw):
    kw.setdefault("summary", "A pupil's face edited onto another body in a video on TikTok.")
    return services.concern_report(actor=actor, school=school, kind=kw.pop("kind", "ai_misuse"), **kw).concern


def about_staff(assistant, seabright, teacher) -> Concern:
    return report(
        assistant,
        seabright,
        kind="staff_online_conduct",
        summary="A colleague's public post shows pupils in uniform.",
        people=People(staff_subjects=[teacher]),
    )


def close(actor, concern):
    return services.concern_close(
        actor=actor,
        concern=concern,
        outcome="Dealt with.",
        lessons="None beyond the usual.",
        policy_change=False,
        curriculum_change=False,
    )


def test_a_mash_referral_is_a_step_of_the_chronology_with_who_when_reference_and_a_follow_up(
    assistant, seabright, head
):
    concern = report(assistant, seabright)
    referral = services.referral_record(
        actor=head,
        concern=concern,
        kind="mash",
        made_on=TODAY,
        contact="MASH duty desk, Sam Okafor",
        reference="MASH-2026-0042",
        details="Told them about the video.",
        follow_up_on=TODAY + dt.timedelta(days=2),
    )
    entry = concern.chronology.get(kind=EntryKind.REFERRAL)
    assert "Children's social care (MASH)" in entry.text
    assert "MASH-2026-0042" in entry.text and "Sam Okafor" in entry.text and entry.actor == head
    follow_up = referral.follow_up
    assert follow_up.assigned_to == head and follow_up.due_on == TODAY + dt.timedelta(days=2)
    assert "MASH-2026-0042" in follow_up.description
    assert AuditEntry.objects.filter(action="concern.referral", object_id=str(concern.pk)).exists()


@pytest.mark.parametrize(("kind", "field"), [("police", "police_referred_on"), ("platform", "platform_reported_on")])
def test_a_police_or_platform_referral_without_its_reference_is_refused_and_nothing_is_kept(
    assistant, seabright, head, kind, field
):
    concern = report(assistant, seabright, platform="tiktok")
    entries = concern.chronology.count()
    with pytest.raises(ValidationError) as refused:
        services.referral_record(actor=head, concern=concern, kind=kind, made_on=TODAY, contact="101", reference=" ")
    assert list(refused.value.error_dict) == ["reference"]
    assert not Referral.objects.exists() and concern.chronology.count() == entries
    services.referral_record(actor=head, concern=concern, kind=kind, made_on=TODAY, contact="101", reference="CR/1")
    concern.refresh_from_db()
    assert getattr(concern, field) == TODAY  # the governors' report counts these


def test_the_database_refuses_a_crime_referral_without_a_reference(assistant, seabright, head):
    concern = report(assistant, seabright)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(concern=concern, kind="police", made_on=TODAY, made_by=head, contact="101")


def test_a_referral_says_who_it_went_to_and_is_never_in_the_future(assistant, seabright, head):
    concern = report(assistant, seabright)
    with pytest.raises(ValidationError) as refused:
        services.referral_record(
            actor=head, concern=concern, kind="prevent", made_on=TODAY + dt.timedelta(days=1), contact=""
        )
    assert set(refused.value.error_dict) == {"contact", "made_on"}


def test_the_outcome_finishes_the_follow_up_and_is_in_the_chronology(assistant, seabright, head):
    concern = report(assistant, seabright)
    referral = services.referral_record(
        actor=head,
        concern=concern,
        kind="early_help",
        made_on=TODAY,
        contact="Early help hub",
        follow_up_on=TODAY + dt.timedelta(days=5),
    )
    services.referral_outcome(
        actor=head,
        referral=referral,
        outcome="Family support worker allocated.",
        on=TODAY,
        reference="EH-77",
        follow_up_on=None,
    )
    referral.refresh_from_db()
    assert referral.outcome == "Family support worker allocated." and referral.reference == "EH-77"
    assert referral.follow_up.status == ActionStatus.DONE
    entry = concern.chronology.get(kind=EntryKind.REFERRAL_OUTCOME)
    assert "Family support worker allocated." in entry.text and "EH-77" in entry.text


def test_someone_the_policy_does_not_name_cannot_record_a_referral(assistant, seabright, outsider, teacher, head):
    concern = report(assistant, seabright)
    with pytest.raises(PermissionDenied):
        services.referral_record(actor=outsider, concern=concern, kind="mash", made_on=TODAY, contact="MASH")
    staff = about_staff(assistant, seabright, teacher)
    with pytest.raises(PermissionDenied):  # the colleague it is about
        services.referral_record(actor=teacher, concern=staff, kind="lado", made_on=TODAY, contact="LADO")
    referral = services.referral_record(actor=head, concern=concern, kind="mash", made_on=TODAY, contact="MASH")
    with pytest.raises(PermissionDenied):
        services.referral_outcome(actor=outsider, referral=referral, outcome="x", on=TODAY, follow_up_on=None)


def test_a_concern_about_staff_cannot_be_closed_until_the_lado_decision_is_recorded(
    assistant, seabright, teacher, head
):
    concern = about_staff(assistant, seabright, teacher)
    with pytest.raises(ValidationError, match="LADO"):
        close(head, concern)
    referral = services.referral_record(
        actor=head, concern=concern, kind="lado", made_on=TODAY, contact="LADO, Jo Price"
    )
    with pytest.raises(ValidationError, match="LADO"):
        close(head, concern)
    services.referral_outcome(
        actor=head,
        referral=referral,
        outcome="Does not meet the harm threshold: a low-level concern for the school to manage.",
        on=TODAY,
        follow_up_on=None,
    )
    assert close(head, concern).status == ConcernStatus.CLOSED


def test_an_ordinary_concern_has_no_lado_clock_and_closes_without_one(assistant, seabright, head):
    concern = report(assistant, seabright)
    assert selectors.lado_clock(concern) is None
    assert close(head, concern).status == ConcernStatus.CLOSED


def test_working_days_skip_the_weekend():
    friday, saturday = dt.date(2026, 12, 4), dt.date(2026, 12, 5)
    assert add_working_days(friday, 1) == dt.date(2026, 12, 7)  # Monday
    assert lado_due(saturday) == dt.date(2026, 12, 7)
    assert lado_due(dt.date(2026, 12, 7)) == dt.date(2026, 12, 8)
    assert add_working_days(friday, 5) == dt.date(2026, 12, 11)


def test_the_lado_clock_runs_one_working_day_from_the_report_and_goes_overdue(assistant, seabright, teacher, head):
    concern = about_staff(assistant, seabright, teacher)
    friday = TODAY - dt.timedelta(days=(TODAY.weekday() - 4) % 7 + 7)  # a Friday at least a week ago
    Concern.objects.filter(pk=concern.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(friday, dt.time(15)))
    )
    concern.refresh_from_db()
    clock = selectors.lado_clock(concern)
    assert clock.due_on == friday + dt.timedelta(days=3) and clock.overdue and not clock.late
    services.referral_record(
        actor=head, concern=concern, kind="lado", made_on=friday + dt.timedelta(days=4), contact="LADO"
    )
    clock = selectors.lado_clock(concern)
    assert not clock.overdue and clock.late and clock.decision is None


# The pages ---------------------------------------------------------------------------------------------------------


def test_recording_a_referral_works_and_shows_on_the_concern(signed_in, assistant, seabright, head):
    concern = report(assistant, seabright)
    client = signed_in(head)
    response = client.post(
        reverse("concerns:referral", args=[concern.pk]),
        {
            "kind": "mash",
            "made_on": TODAY.isoformat(),
            "contact": "MASH duty desk",
            "reference": "MASH-99",
            "follow_up_on": (TODAY + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert "MASH-99" in page and "Children&#x27;s social care (MASH)" in page and "Awaited" in page
    referral = concern.referrals.get()
    response = client.post(
        reverse("concerns:referral_outcome", args=[concern.pk, referral.pk]),
        {"outcome": "Strategy discussion held; section 47 enquiry.", "on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert "section 47 enquiry" in client.get(reverse("concerns:detail", args=[concern.pk])).content.decode()


def test_a_crime_referral_without_its_reference_is_a_form_error_with_nothing_lost(
    signed_in, assistant, seabright, head
):
    concern = report(assistant, seabright)
    response = signed_in(head).post(
        reverse("concerns:referral", args=[concern.pk]),
        {
            "kind": "police",
            "made_on": TODAY.isoformat(),
            "contact": "PC Dana Shaw, 101",
            "details": "Threats to share the video",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the crime reference number" in page
    assert 'value="PC Dana Shaw, 101"' in page and "Threats to share the video" in page
    assert not Referral.objects.exists()


def test_recording_a_referral_needs_sign_in(client, assistant, seabright):
    concern = report(assistant, seabright)
    response = client.post(reverse("concerns:referral", args=[concern.pk]), {"kind": "mash"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_referrals_are_hidden_from_an_outsider_and_the_reporter(signed_in, assistant, seabright, head, outsider):
    concern = report(assistant, seabright)
    referral = services.referral_record(actor=head, concern=concern, kind="mash", made_on=TODAY, contact="MASH")
    data = {"kind": "mash", "made_on": TODAY.isoformat(), "contact": "MASH"}
    for person in (outsider, assistant):
        client = signed_in(person)
        assert client.post(reverse("concerns:referral", args=[concern.pk]), data).status_code == 404
        outcome = reverse("concerns:referral_outcome", args=[concern.pk, referral.pk])
        assert client.post(outcome, {"outcome": "x", "on": TODAY.isoformat()}).status_code == 404
    assert "MASH" not in signed_in(assistant).get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert Referral.objects.count() == 1 and not Referral.objects.exclude(outcome="").exists()


def test_the_lado_clock_shows_on_a_concern_about_staff_and_closing_says_why_not(
    signed_in, assistant, seabright, teacher, head
):
    concern = about_staff(assistant, seabright, teacher)
    client = signed_in(head)
    page = client.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    due = lado_due(timezone.localdate(concern.created_at))
    assert "Refer to the LADO by the end of" in page and due.strftime("%A") in page
    response = client.post(
        reverse("concerns:close", args=[concern.pk]), {"outcome": "Spoken to.", "lessons": "Remind staff."}
    )
    assert response.status_code == 400 and "record the LADO&#x27;s decision" in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.OPEN
