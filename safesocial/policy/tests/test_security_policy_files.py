"""Hostile policy files: an alias bomb, a Python tag, nesting thousands deep and an oversized file are each refused
at once, with one line naming the problem and its line, by `safesocial policy check` and by every web page that takes
a policy text; none of them costs seconds of CPU, gigabytes of memory or a 500."""

from __future__ import annotations

import sys
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safesocial import cli
from safesocial.policy import services
from safesocial.policy.loader import MAX_POLICY_BYTES, PolicyInvalid, parse_policy
from safesocial.testing.trusts import policy_text

# The billion laughs: 340 bytes that expand to 10^9 strings for anything that follows the aliases.
ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join(['*' + prev] * 10)}]\n" for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)
PYTHON_TAG = policy_text("000") + "\nexploit: !!python/object/apply:os.system ['touch /tmp/pwned']\n"
DEEP_NESTING = "trust: " + "[" * 5000 + "]" * 5000 + "\n"
OVERSIZED = policy_text("000") + ("# " + "x" * 98 + "\n") * (MAX_POLICY_BYTES // 100 + 1)

# A hostile file is refused before it is expanded or walked, in well under a second; what these tests guard against is
# a hang (a billion laughs takes minutes). The bound is loose because the machine running the suite may be busy;
# speed itself is measured in benchmarks, not here.
HANG_SECONDS = 20

HOSTILE = {
    "alias bomb": (ALIAS_BOMB, "anchor", 1),
    "python tag": (PYTHON_TAG, "tag", PYTHON_TAG.count("\n")),
    "deep nesting": (DEEP_NESTING, "nested", 1),
}


def policy_check(path, monkeypatch, capsys) -> tuple[int, str, float]:
    """Run `safesocial policy check PATH` through the command's own entry point."""
    monkeypatch.setattr(sys, "argv", ["safesocial", "policy", "check", str(path)])
    start = time.monotonic()
    with pytest.raises(SystemExit) as exited:
        cli.main()
    return exited.value.code, capsys.readouterr().err, time.monotonic() - start


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_policy_check_refuses_a_hostile_file_quickly_naming_the_line(name, tmp_path, monkeypatch, capsys):
    text, reason, line = HOSTILE[name]
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    code, err, seconds = policy_check(path, monkeypatch, capsys)
    assert code == 1
    assert seconds < HANG_SECONDS
    assert "Traceback" not in err
    first = err.splitlines()[0]
    assert first.startswith(f"{path}: line {line}: ") and reason in first


def test_policy_check_refuses_an_oversized_file_without_reading_it_all(tmp_path, monkeypatch, capsys):
    path = tmp_path / "huge.yaml"
    path.write_text(OVERSIZED, encoding="utf-8")
    code, err, seconds = policy_check(path, monkeypatch, capsys)
    assert code == 1 and seconds < HANG_SECONDS
    assert "Traceback" not in err
    assert "larger than" in err.splitlines()[0]


def test_policy_check_refuses_a_file_that_is_not_utf8_text(tmp_path, monkeypatch, capsys):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(policy_text("000").replace("Harbourside", "Harbourside Café").encode("latin-1"))
    code, err, _ = policy_check(path, monkeypatch, capsys)
    assert code == 1
    assert "Traceback" not in err and "UTF-8" in err


@pytest.mark.parametrize(
    "text, words",
    [
        ("trust: *nowhere\n", "alias"),
        ("trust: &t {name: x}\n", "anchor"),
        ("trust: !custom {name: x}\n", "tag"),
        ("trust: !!str x\n", "tag"),
        ("trust:\n  name: \ud800\n", "not valid YAML"),  # a lone surrogate: not text at all
        ("review:\n  next_review: 2026-13-45\n", "line 2"),  # looks like a date, is not one
        ("document:\n  version: " + "9" * 5000 + "\n", "line 2"),  # more digits than Python will read as a number
        ("? [a, b]\n: c\n", "a key must be a single word"),
        ("trust:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 60)), "nested"),
    ],
)
def test_odd_yaml_is_a_policy_error_naming_the_line_never_a_crash(text, words):
    with pytest.raises(PolicyInvalid) as info:
        parse_policy(text)
    assert words in str(info.value)
    assert all(e.line is not None for e in info.value.errors)


def test_merge_keys_and_comments_in_a_real_policy_still_load():
    policy = parse_policy("# a comment\n" + policy_text("001"))
    assert policy.trust.schools


# --- On the web ------------------------------------------------------------------------------------------------------

WEB_HOSTILE = {**{k: v[0] for k, v in HOSTILE.items()}, "oversized": OVERSIZED}


@pytest.mark.parametrize("name", sorted(WEB_HOSTILE))
def test_adopting_a_hostile_file_is_a_form_error_not_a_500(name, signed_in, trust, ceo):
    upload = SimpleUploadedFile("policy.yaml", WEB_HOSTILE[name].encode())
    start = time.monotonic()
    response = signed_in(ceo).post(reverse("policy:adopt"), {"file": upload, "note": ""})
    assert time.monotonic() - start < HANG_SECONDS
    assert response.status_code == 200  # the form again, with its error
    assert 'class="errorlist' in response.content.decode()
    assert trust.policy_versions.count() == 1


@pytest.mark.parametrize("name", sorted(WEB_HOSTILE))
def test_setting_up_from_a_hostile_file_is_a_form_error_not_a_500(name, client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin@example.com", "pw-123456789", full_name="Installer")
    client.force_login(admin)
    upload = SimpleUploadedFile("policy.yaml", WEB_HOSTILE[name].encode())
    response = client.post(reverse("setup:trust"), {"file": upload})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_review_draft_is_a_form_error_and_the_review_stays_quick(name, signed_in, trust, ceo):
    review = services.review_start(actor=ceo, trust=trust)
    client = signed_in(ceo)
    start = time.monotonic()
    saved = client.post(reverse("policy:review_save", args=[review.pk]), {"text": HOSTILE[name][0]})
    later = client.get(reverse("policy:review", args=[review.pk]))
    assert time.monotonic() - start < HANG_SECONDS
    assert saved.status_code == 400 and HOSTILE[name][1] in saved.content.decode()
    assert later.status_code == 200
    review.refresh_from_db()
    assert review.draft_text == HOSTILE[name][0]  # kept as typed, as any draft with mistakes is


def test_an_oversized_review_draft_is_a_form_error(signed_in, trust, ceo):
    review = services.review_start(actor=ceo, trust=trust)
    response = signed_in(ceo).post(reverse("policy:review_save", args=[review.pk]), {"text": OVERSIZED})
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.draft_text == review.base_version.text
