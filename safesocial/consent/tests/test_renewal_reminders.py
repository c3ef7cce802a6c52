"""Policy `consent.renewal_reminder_days`: the school's consent managers hear that many days before a consent lapses."""

import datetime as dt

import pytest
import yaml
from django.core.management import call_command

from safesocial.consent import services
from safesocial.consent.models import Method, Purpose
from safesocial.ops.models import JobRun
from safesocial.people.models import Trust
from safesocial.policy.services import policy_adopt
from safesocial.testing.trusts import policy_text

TODAY = dt.date(2027, 7, 1)


def with_renewal_days(trust: Trust, days: int) -> Trust:
    data = yaml.safe_load(policy_text("000"))
    data["consent"] = {**(data.get("consent") or {}), "renewal_reminder_days": days}
    policy_adopt(actor=None, trust=trust, text=yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return Trust.objects.get(pk=trust.pk)


def give(pupil, parent, head, *, expires_on: dt.date, purpose: str = Purpose.SOCIAL_MEDIA):
    consent, _ = services.consent_record(
        actor=head,
        pupil=pupil,
        purpose=purpose,
        given=True,
        method=Method.PAPER,
        parent=parent,
        given_on=dt.date(2026, 9, 10),
        expires_on=expires_on,
    )
    return consent


def remind(trust, today, capture):
    with capture(execute=True):
        return services.consent_renewal_remind(trust=trust, today=today)


@pytest.mark.parametrize(("days", "reminded"), [(30, True), (10, False)])
def test_a_consent_lapsing_within_the_policys_days_is_reminded_and_one_further_off_is_not(
    trust, pupil, parent, head, days, reminded, mailoutbox, django_capture_on_commit_callbacks
):
    trust = with_renewal_days(trust, days)
    give(pupil, parent, head, expires_on=TODAY + dt.timedelta(days=20))
    sent = remind(trust, TODAY, django_capture_on_commit_callbacks)
    assert bool(sent) is reminded
    assert bool(mailoutbox) is reminded


def test_the_schools_consent_managers_are_told_once_by_purpose_without_the_childs_name(
    trust, pupil, parent, head, mailoutbox, django_capture_on_commit_callbacks
):
    trust = with_renewal_days(trust, 30)
    give(pupil, parent, head, expires_on=TODAY + dt.timedelta(days=20))
    give(pupil, parent, head, expires_on=TODAY + dt.timedelta(days=25), purpose=Purpose.WEBSITE)
    sent = remind(trust, TODAY, django_capture_on_commit_callbacks)
    assert list(sent) == [pupil.school.name]
    assert head.email in sent[pupil.school.name]
    assert {m.to[0] for m in mailoutbox} == set(sent[pupil.school.name])
    body = mailoutbox[0].body
    assert "2 parental consent(s)" in body and "within the next 30 days" in body and "21 July 2027" in body
    assert "Social media: 1" in body and "Website: 1" in body
    assert pupil.first_name not in body and pupil.last_name not in body
    # The next day's run tells nobody again about the same consents.
    mailoutbox.clear()
    assert remind(trust, TODAY + dt.timedelta(days=1), django_capture_on_commit_callbacks) == {}
    assert mailoutbox == []


def test_a_renewed_or_withdrawn_consent_is_not_reminded(trust, pupil, parent, head, django_capture_on_commit_callbacks):
    trust = with_renewal_days(trust, 30)
    give(pupil, parent, head, expires_on=TODAY + dt.timedelta(days=20))
    give(pupil, parent, head, expires_on=dt.date(2028, 8, 31))  # renewed: the newer record is in force
    services.consent_record(
        actor=head, pupil=pupil, purpose=Purpose.WEBSITE, given=False, method=Method.PAPER, parent=parent
    )
    assert remind(trust, TODAY, django_capture_on_commit_callbacks) == {}


def test_a_lapsed_consent_is_past_reminding(trust, pupil, parent, head, django_capture_on_commit_callbacks):
    trust = with_renewal_days(trust, 30)
    give(pupil, parent, head, expires_on=TODAY - dt.timedelta(days=1))
    assert remind(trust, TODAY, django_capture_on_commit_callbacks) == {}


def test_the_remind_command_records_its_run(trust, capsys):
    call_command("consent", "remind")
    assert JobRun.objects.filter(name="consent_remind").exists()
