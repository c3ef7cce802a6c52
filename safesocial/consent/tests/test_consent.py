import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.consent import services
from safesocial.consent.models import Method, Purpose
from safesocial.consent.selectors import has_consent
from safesocial.people.services import parent_create


def test_a_consent_lasts_until_the_end_of_the_school_year(pupil, parent, head):
    consent, _ = services.consent_record(
        actor=head,
        pupil=pupil,
        purpose=Purpose.SOCIAL_MEDIA,
        given=True,
        method=Method.PAPER,
        parent=parent,
        given_on=dt.date(2026, 9, 10),
    )
    assert consent.expires_on == dt.date(2027, 8, 31)
    assert has_consent(pupil, Purpose.SOCIAL_MEDIA, on=dt.date(2027, 8, 31))
    assert not has_consent(pupil, Purpose.SOCIAL_MEDIA, on=dt.date(2027, 9, 1))


def test_withdrawal_takes_effect_at_once_and_is_audited(pupil, parent, head):
    services.consent_record(
        actor=head, pupil=pupil, purpose=Purpose.SOCIAL_MEDIA, given=True, method=Method.PAPER, parent=parent
    )
    services.consent_record(
        actor=head, pupil=pupil, purpose=Purpose.SOCIAL_MEDIA, given=False, method=Method.EMAIL, parent=parent
    )
    assert not has_consent(pupil, Purpose.SOCIAL_MEDIA)
    entry = AuditEntry.objects.filter(action="consent.withdraw").get()
    assert entry.actor_id == head.pk and "Ava" not in str(entry.changes) and entry.object_label == f"pupil {pupil.pk}"


def test_consent_from_someone_not_recorded_as_a_parent_is_refused(pupil, head, seabright):
    stranger = parent_create(actor=None, trust=seabright.trust, full_name="Not A Parent", pupils=[])
    with pytest.raises(ValidationError, match="not recorded as a parent"):
        services.consent_record(
            actor=head, pupil=pupil, purpose=Purpose.SOCIAL_MEDIA, given=True, method=Method.PAPER, parent=stranger
        )


def test_a_consent_cannot_be_dated_in_the_future(pupil, parent, head):
    with pytest.raises(ValidationError, match="future"):
        services.consent_record(
            actor=head,
            pupil=pupil,
            purpose=Purpose.SOCIAL_MEDIA,
            given=True,
            method=Method.PAPER,
            parent=parent,
            given_on=timezone.localdate() + dt.timedelta(days=3),
        )


def test_a_teacher_cannot_record_consent(pupil, parent, teacher):
    with pytest.raises(PermissionDenied):
        services.consent_record(
            actor=teacher, pupil=pupil, purpose=Purpose.SOCIAL_MEDIA, given=True, method=Method.PAPER, parent=parent
        )


def test_a_parent_changes_their_childs_consent_through_their_own_link(client, pupil, parent):
    url = reverse("consent:parent", args=[services.parent_link_token(parent)])
    body = client.get(url).content.decode()
    assert "Ava" in body and "Photos and video on the school" in body
    prefix = f"c{pupil.pk}"
    client.post(url, {f"{prefix}-social_media": "yes", f"{prefix}-press": "no"})
    assert has_consent(pupil, Purpose.SOCIAL_MEDIA)
    assert not has_consent(pupil, Purpose.PRESS)
    entry = AuditEntry.objects.filter(action="consent.record").last()
    assert entry.actor_label == f"parent/carer {parent.pk}"


def test_a_tampered_parent_link_is_refused(client, parent):
    token = services.parent_link_token(parent)
    response = client.get(reverse("consent:parent", args=[token[:-2] + "xx"]))
    assert response.status_code == 403 and "not valid" in response.content.decode()


def test_a_parent_link_cannot_change_another_childs_consent(pupil, seabright):
    other = parent_create(actor=None, trust=seabright.trust, full_name="Other Parent", pupils=[])
    with pytest.raises(PermissionDenied):
        services.consent_record(
            actor=None, pupil=pupil, purpose=Purpose.SOCIAL_MEDIA, given=True, method=Method.ONLINE, parent_acting=other
        )


def test_the_pupil_page_shows_consent_and_the_office_records_it(signed_in, head, pupil, parent):
    client = signed_in(head)
    body = client.get(reverse("people:pupil", args=[pupil.pk])).content.decode()
    assert "Not recorded" in body and "Links for parents" in body
    client.post(
        reverse("consent:record", args=[pupil.pk]),
        {
            "purpose": "social_media",
            "given": "yes",
            "parent": parent.pk,
            "method": "paper",
            "given_on": timezone.localdate().isoformat(),
        },
    )
    assert has_consent(pupil, Purpose.SOCIAL_MEDIA)


def test_consent_overview_shows_coverage_by_year(signed_in, head, pupil, parent, seabright):
    services.consent_record(
        actor=head, pupil=pupil, purpose=Purpose.SOCIAL_MEDIA, given=True, method=Method.PAPER, parent=parent
    )
    body = signed_in(head).get(reverse("consent:overview", args=[seabright.key])).content.decode()
    assert "Coverage by year group" in body and "Lowe, Ava" in body


def test_biometric_enrolment_needs_the_trust_to_allow_matching(pupil, parent, head):
    services.consent_record(
        actor=head, pupil=pupil, purpose=Purpose.BIOMETRIC, given=True, method=Method.PAPER, parent=parent
    )
    with pytest.raises(PermissionDenied, match="switched face matching off"):
        services.reference_enrol(actor=head, pupil=pupil, embedding=[0.1] * 128)
