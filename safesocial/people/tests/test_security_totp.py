"""Finding 11: two-factor secrets are stored encrypted with the credentials keys, so a copy of the database does not
let anyone make a leader's sign-in codes; signing in with a right code works as before, the demo's included."""

from __future__ import annotations

import importlib
import json
import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from safesocial.demo.builder import DEMO_TOTP_SECRET
from safesocial.testing.people import PASSWORD


def _code(secret: str) -> str:
    """The current code, waiting out the last seconds of its 30-second window: a code read at :29 on a busy machine
    could be stale by the time the server checks it."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _signs_in_with(client, user, code: str) -> bool:
    client.logout()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    return client.get(reverse("dashboard")).status_code == 200


def test_a_totp_secret_is_stored_encrypted_and_a_right_code_still_signs_in(client, dsl):
    secret = generate_totp_secret()
    TOTP.activate(dsl, secret)
    stored = Authenticator.objects.get(user=dsl, type=Authenticator.Type.TOTP).data
    assert secret not in json.dumps(stored)
    assert not _signs_in_with(client, dsl, "000000")
    assert _signs_in_with(client, dsl, _code(secret))


def test_recovery_codes_are_kept_encrypted_and_still_work(dsl):
    TOTP.activate(dsl, generate_totp_secret())
    codes = RecoveryCodes.activate(dsl)
    assert not re.fullmatch(r"[0-9a-f]{80}", codes.instance.data["seed"])  # allauth's seed in clear is token_hex(40)
    assert RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk)).validate_code(codes.get_unused_codes()[0])


def test_the_migration_encrypts_secrets_stored_in_clear_and_its_reverse_restores_them(client, dsl, head):
    # The migration's module name starts with a digit, so it is imported by name.
    migration = importlib.import_module("safesocial.people.migrations.0002_encrypt_two_factor_secrets")
    secret = generate_totp_secret()
    clear_totp = Authenticator.objects.create(user=dsl, type=Authenticator.Type.TOTP, data={"secret": secret})
    clear_codes = Authenticator.objects.create(
        user=dsl,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": "ab" * 40, "used_mask": 0, "migrated_codes": ["12345678"]},
    )
    TOTP.activate(head, DEMO_TOTP_SECRET)  # already encrypted: left as it is
    head_before = Authenticator.objects.get(user=head).data

    migration.encrypt_secrets(apps, None)
    migration.encrypt_secrets(apps, None)  # running it twice changes nothing more
    clear_totp.refresh_from_db()
    clear_codes.refresh_from_db()
    assert secret not in json.dumps(clear_totp.data)
    assert "ab" * 40 not in json.dumps(clear_codes.data) and "12345678" not in json.dumps(clear_codes.data)
    assert Authenticator.objects.get(user=head).data == head_before
    assert _signs_in_with(client, dsl, _code(secret))
    assert RecoveryCodes(clear_codes).validate_code("12345678")

    migration.decrypt_secrets(apps, None)
    clear_totp.refresh_from_db()
    assert clear_totp.data == {"secret": secret}


def test_the_demo_command_prints_a_code_that_signs_a_demo_leader_in(client, head, capsys):
    TOTP.activate(head, DEMO_TOTP_SECRET)  # as the demo sets its leaders up
    call_command("demo", "code", head.email)
    assert _signs_in_with(client, head, capsys.readouterr().out.strip())


@pytest.fixture(autouse=True)
def _no_throttled_logins():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
