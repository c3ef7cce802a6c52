"""/healthz: what a load balancer and monitoring rely on."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import task

from safesocial.ops.logging import JsonFormatter, RequestIdFilter
from safesocial.ops.models import JobRun

pytestmark = pytest.mark.django_db

JOBS = {
    "publish_due",
    "poll_comments",
    "poll_direct_messages",
    "concerns_chase",
    "chase_take_downs",
    "chase_by_hand",
    "policy_remind",
    "compliance_remind",
    "consent_remind",
    "audit_checkpoint",
}


@task()
def nothing() -> None:
    """A background task for the queue-depth test to leave waiting."""


def test_health_reports_each_part_as_json_without_signing_in(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "storage": "ok"}
    assert body["queue"] == {"backend": "ImmediateBackend", "waiting": None}
    assert body["jobs_seconds_since_last_run"] == dict.fromkeys(JOBS)
    assert "no-cache" in response["Cache-Control"]


def test_health_answers_a_plain_http_probe_behind_an_https_redirect(client, settings):
    # A load balancer or the container's health check asks over HTTP on the inside; every page else goes to HTTPS.
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


def test_health_answers_503_when_the_cache_is_unreachable(client):
    # A real Redis client pointed at a port where nothing listens.
    unreachable = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    with override_settings(CACHES={"default": unreachable}):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["cache"] == "error"
    assert b"127.0.0.1" not in response.content  # the reason goes to the log, not to whoever asks


def test_health_answers_a_leader_who_has_not_set_up_two_factor(client, dsl):
    client.force_login(dsl)

    response = client.get("/healthz")

    assert response.status_code == 200


def test_health_counts_tasks_waiting_in_the_database_queue(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    nothing.enqueue()
    nothing.enqueue()

    assert client.get("/healthz").json()["queue"] == {"backend": "DatabaseBackend", "waiting": 2}


def test_health_says_how_long_ago_each_scheduled_job_last_ran(client, trust, settings, tmp_path):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    out = io.StringIO()
    call_command("publish_due", stdout=out)
    call_command("poll_comments", stdout=out)
    call_command("poll_direct_messages", stdout=out)
    call_command("policy", "remind", stdout=out)
    call_command("compliance", "remind", stdout=out)
    call_command("consent", "remind", stdout=out)
    call_command("concerns", "chase", stdout=out)
    call_command("chase_take_downs", stdout=out)
    call_command("chase_by_hand", stdout=out)
    call_command("audit", "checkpoint", stdout=out)
    JobRun.objects.filter(name="publish_due").update(last_ran_at=timezone.now() - dt.timedelta(hours=2))

    jobs = client.get("/healthz").json()["jobs_seconds_since_last_run"]

    assert set(jobs) == JOBS
    assert 7200 <= jobs["publish_due"] < 7260
    assert all(0 <= jobs[name] < 60 for name in JOBS - {"publish_due"})


def test_every_response_carries_a_new_request_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_request_id_is_taken_from_a_trusted_proxy_only(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    from_proxy = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234", REMOTE_ADDR="10.0.0.5")
    from_anyone = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234", REMOTE_ADDR="203.0.113.9")
    forged_line = client.get("/healthz", HTTP_X_REQUEST_ID='x"\n{"level": "ERROR"}', REMOTE_ADDR="10.0.0.5")

    assert from_proxy["X-Request-ID"] == "lb-1234"
    assert from_anyone["X-Request-ID"] != "lb-1234"
    assert "\n" not in forged_line["X-Request-ID"]


def test_json_logs_carry_the_request_id_and_never_a_parents_link(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    access, django_request = logging.getLogger("safesocial.access"), logging.getLogger("django.request")
    old_level = access.level
    access.addHandler(handler)
    django_request.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        response = client.get("/consent/a-parents-signed-token-0123456789/")
    finally:
        access.removeHandler(handler)
        django_request.removeHandler(handler)
        access.setLevel(old_level)

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]}
    (access_line,) = [line for line in lines if line["logger"] == "safesocial.access"]
    assert access_line["route"] == "consent/<str:token>/"
    assert access_line["status"] == response.status_code
    assert "signed-token" not in stream.getvalue()
