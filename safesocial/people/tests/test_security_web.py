"""The web edge (issue 12, findings 4, 7 and 11): a Content-Security-Policy on every page with nothing inline for it
to refuse, htmx's history cache off, nothing about a child left in a shared computer's browser cache, the client's
address taken only through the reverse proxies the deployment names, and `check --deploy` clean in production."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory
from django.urls import reverse

from safesocial.people.services import pupil_create
from safesocial.web import client_address

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# PDFs are drawn by WeasyPrint from these, never served as pages, so a page's policy does not reach them.
# Rendered to PDF by WeasyPrint, which no browser's CSP governs: *_print.html by convention, and two older names.
PRINT_TEMPLATES = {"letters.html", "certificate.html"}


def _csp(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


@pytest.fixture
def pupil(seabright):
    return pupil_create(
        actor=None,
        school=seabright,
        first_name="Ada",
        last_name="Quill",
        date_of_birth=dt.date(2017, 3, 4),
        year_group="3",
    )


def test_every_page_carries_a_content_security_policy_that_refuses_inline_code(client, signed_in, head, seabright):
    pages = [
        client.get(reverse("account_login")),
        client.get(reverse("concerns_public:report", args=[seabright.pk])),
        client.get("/no-such-page/"),
        signed_in(head).get(reverse("concerns:list")),
    ]
    for response in pages:
        policy = _csp(response)
        assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"], policy
        assert policy["style-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert policy["form-action"] == ["'self'"]
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_a_deployment_can_add_sources_to_the_policy(client, settings):
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "img-src": ["'self'", "https://cdn.example"],
    }
    policy = _csp(client.get(reverse("account_login")))
    assert policy["img-src"] == ["'self'", "https://cdn.example"] and policy["script-src"] == ["'self'"]


def test_the_policy_can_be_extended_from_the_environment():
    env = {**os.environ, "CSP_EXTRA": "img-src https://cdn.example; connect-src https://api.example"}
    env["DJANGO_SETTINGS_MODULE"] = "safesocial.settings"
    code = "from django.conf import settings as s; import json; print(json.dumps(s.CONTENT_SECURITY_POLICY))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    policy = json.loads(out)
    assert "https://cdn.example" in policy["img-src"] and "'self'" in policy["img-src"]
    assert policy["connect-src"] == ["'self'", "https://api.example"] and policy["script-src"] == ["'self'"]


def test_no_page_template_holds_inline_script_style_or_event_handlers():
    """The policy refuses them, so each one would be a part of a page that silently stops working."""
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|hx-on|js:|javascript:",
        re.IGNORECASE,
    )
    found = []
    for path in ROOT.rglob("templates/**/*.html"):
        if path.name in PRINT_TEMPLATES or path.stem.endswith("_print"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if inline.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert found == []


def test_htmx_keeps_no_history_in_the_browser_and_needs_no_eval_or_inline_style(client):
    body = client.get(reverse("account_login")).content.decode()
    match = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", body)
    assert match, "base.html sets htmx's configuration"
    config = json.loads(match.group(1))
    assert config["historyCacheSize"] == 0 and config["refreshOnHistoryMiss"] is True
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False and config["allowScriptTags"] is False


def test_pages_about_pupils_concerns_and_the_audit_trail_are_never_stored(signed_in, head, seabright, pupil):
    client = signed_in(head)
    for url in [
        reverse("concerns:list"),
        reverse("people:pupil", args=[pupil.pk]),
        reverse("people:pupils", args=[seabright.key]),
        reverse("audit:log"),
        reverse("dashboard"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers.get("Cache-Control", ""), url


def test_a_view_that_sets_its_own_cache_rule_keeps_it(client, seabright):
    # The public report form already says never_cache; the edge adds nothing of its own to a rule a view chose.
    response = client.get(reverse("concerns_public:report", args=[seabright.pk]))
    assert "no-store" in response.headers["Cache-Control"] and "max-age=0" in response.headers["Cache-Control"]


# The client's address


def _request(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_forwarded_for_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_saw(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.7"]
    # The sender wrote the first value itself; only what our own proxies appended is believed.
    assert client_address(_request("10.1.2.3", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    assert client_address(_request("10.1.2.3", "1.2.3.4, 203.0.113.9, 192.0.2.7")) == "203.0.113.9"
    assert client_address(_request("10.1.2.3", "2001:db8::1")) == "2001:db8::1"


def test_a_request_that_did_not_come_through_a_trusted_proxy_cannot_name_its_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("203.0.113.9", "10.0.0.1")) == "203.0.113.9"


def test_a_proxy_that_sends_no_forwarded_for_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("10.1.2.3")) == "10.1.2.3"
    assert client_address(_request("10.1.2.3", "10.9.9.9")) == "10.9.9.9"


def test_sign_in_limits_use_the_same_client_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = _request("10.1.2.3", "1.2.3.4, 203.0.113.9")
    assert get_adapter(request).get_client_ip(request) == "203.0.113.9"


def test_failed_sign_ins_from_one_client_behind_the_proxy_do_not_lock_out_another(client, settings, head):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip"}
    url = reverse("account_login")
    wrong = {"login": head.email, "password": "not-the-password"}
    too_many = "Too many failed login attempts"
    for _ in range(2):
        client.post(url, wrong, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    sender = client.post(url, wrong, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert too_many in sender.content.decode()
    other = client.post(url, wrong, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert too_many not in other.content.decode() and "not correct" in other.content.decode()


# HTTPS


def test_the_https_header_of_a_proxy_is_believed_only_from_a_trusted_proxy(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    url = reverse("account_login")
    assert client.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get(url, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https").status_code == 301


def test_hsts_is_sent_over_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("account_login"), secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "safesocial.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://safesocial.example.org",
    "SITE_ROOT": "https://safesocial.example.org",
    "SECURE_COOKIES": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "TRUSTED_PROXIES": "127.0.0.1",
}


@pytest.mark.slow
def test_check_deploy_passes_with_the_readme_production_settings(tmp_path):
    # Production's environment, not the test run's (conftest allows async-unsafe ORM use for Playwright).
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(PRODUCTION, SAFESOCIAL_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "safesocial", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    # The key it ran on was generated for this deployment, never a published one.
    assert (tmp_path / "secrets" / "secret_key").stat().st_mode & 0o777 == 0o600
