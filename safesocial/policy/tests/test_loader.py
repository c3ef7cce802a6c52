import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safesocial.policy.loader import PolicyInvalid, load_policy_file, parse_policy
from safesocial.testing.trusts import POLICY_FILES, policy_text


@pytest.mark.parametrize("code", sorted(POLICY_FILES))
def test_every_example_policy_loads_and_validates(code):
    policy, _ = load_policy_file(POLICY_FILES[code])
    assert policy.trust.schools
    assert all(any(c.school == s.key and "dsl" in c.roles for c in policy.contacts) for s in policy.trust.schools)


def _errors(text):
    with pytest.raises(PolicyInvalid) as info:
        parse_policy(text)
    return info.value.errors


def test_unknown_role_is_named_with_its_field_and_line():
    text = policy_text("000")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.strip().startswith("approver: head"))
    errors = _errors(text.replace("  approver: head", "  approver: caretaker", 1))
    assert [(e.field, e.line) for e in errors] == [("channels.approver", line)]
    assert "caretaker" in errors[0].message


def test_misspelt_rule_is_an_error_not_ignored():
    text = policy_text("000").replace("  reviewers_required: 1", "  reviewers_requierd: 1")
    errors = _errors(text)
    assert errors[0].field == "posts.reviewers_requierd"
    assert "not a field" in errors[0].message


def test_missing_section_is_reported_as_required():
    text = policy_text("000")
    start = text.index("\ntraining:")
    end = text.index("\nacknowledgement:")
    errors = _errors(text[:start] + text[end:])
    assert any(e.field == "training" and e.message == "is required" for e in errors)


def test_broken_yaml_gives_the_line():
    errors = _errors("trust:\n  name: [unclosed\n")
    assert errors[0].line is not None
    assert "not valid YAML" in errors[0].message


def test_key_given_twice_is_refused():
    text = policy_text("000").replace("review:\n", "review:\n  cadence_months: 6\n", 1)
    errors = _errors(text)
    assert errors[0].field == "review.cadence_months"
    assert errors[0].message == "key appears twice"


def test_school_without_a_dsl_is_refused():
    text = policy_text("000").replace("roles: [dsl], school: millbrook}", "roles: [deputy_dsl], school: millbrook}")
    errors = _errors(text)
    assert "millbrook" in errors[0].message and "designated safeguarding lead" in errors[0].message


def test_duplicate_contact_email_is_refused():
    text = policy_text("000").replace("o.tarrant@harbourside.example.com", "n.pembury@harbourside.example.com")
    errors = _errors(text)
    assert "n.pembury@harbourside.example.com" in errors[0].message


def test_blank_required_value_is_a_validation_error_not_a_crash():
    text = policy_text("000").replace("  approver: head", "  approver:", 1)
    assert _errors(text)[0].field == "channels.approver"


@pytest.mark.slow
def test_policy_check_command_exits_zero_for_a_valid_file_and_one_for_a_bad_one(tmp_path):
    good = subprocess.run(
        [sys.executable, "-m", "safesocial", "policy", "check", str(POLICY_FILES["003"])],
        capture_output=True,
        text=True,
    )
    assert good.returncode == 0, good.stderr
    assert "valid policy" in good.stdout
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text(policy_text("003").replace("  approver: ceo", "  approver: bursar", 1))
    bad = subprocess.run(
        [sys.executable, "-m", "safesocial", "policy", "check", str(bad_file)], capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert "review.approver" in bad.stderr and "line " in bad.stderr


def test_policy_show_explains_the_rules_in_plain_english(capsys):
    call_command("policy", "show", str(POLICY_FILES["003"]))
    out = capsys.readouterr().out
    assert "sign-off by the CEO" in out
    assert "administration team" in out
    assert "only at break and lunch, in designated staff areas" in out


def test_policy_check_command_raises_for_missing_file():
    with pytest.raises(CommandError):
        call_command("policy", "check", "/nonexistent/policy.yaml")
