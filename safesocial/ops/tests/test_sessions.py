"""Idle sessions still expire after SESSION_IDLE_MINUTES, but an active one is written at most once a minute."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from freezegun import freeze_time

pytestmark = pytest.mark.django_db


def _expiry(client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.mark.slow
def test_an_idle_session_expires_after_thirty_minutes(signed_in, teacher):
    with freeze_time("2026-06-01 09:00:00") as clock:
        client = signed_in(teacher)
        assert client.get(reverse("dashboard")).status_code == 200

        clock.tick(dt.timedelta(minutes=30, seconds=1))

        response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.slow
def test_an_active_session_stays_and_is_written_at_most_once_a_minute(signed_in, teacher):
    with freeze_time("2026-06-01 09:00:00") as clock:
        client = signed_in(teacher)
        client.get(reverse("dashboard"))
        first = _expiry(client)

        clock.tick(dt.timedelta(seconds=30))
        client.get(reverse("dashboard"))
        assert _expiry(client) == first  # no write within the minute

        for _ in range(50):  # a click every 50 seconds for 40 minutes
            clock.tick(dt.timedelta(seconds=50))
            assert client.get(reverse("dashboard")).status_code == 200
        assert _expiry(client) > first + dt.timedelta(minutes=39)
