"""`safesocial policy check` warns about what a trust left undecided, and still passes the file."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from safesocial.policy.undecided import RULES
from safesocial.testing.trusts import policy_text

pytestmark = pytest.mark.django_db  # `check` also reads the trust already in the database, if there is one

DECIDED = {
    "complaints": {"url": "https://harbourside.example.com/complaints"},
    "related_policies": [{"title": "Anti-bullying policy"}],
    "whistleblowing": {"contact": "the chair of trustees"},
}


def _check(tmp_path: Path, data: dict) -> str:
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    out = StringIO()
    call_command("policy", "check", str(path), stdout=out)  # raises CommandError (exit 1) only for an invalid file
    return out.getvalue()


def _bare() -> dict:
    """Policy 000 with every field the warnings ask about left out."""
    data = yaml.safe_load(policy_text("000"))
    for section in ("complaints", "related_policies", "whistleblowing"):
        data.pop(section, None)
    data["review"].pop("early", None)
    data["personal_use"].pop("own_content_conflict_to", None)
    data["parents"].pop("without_social_media", None)
    data.setdefault("moderation", {})["categories"] = {"spam": {"action": "hide"}}
    return data


def test_a_file_that_leaves_the_usual_fields_at_their_defaults_is_valid_and_warned_about_each(tmp_path):
    out = _check(tmp_path, _bare())
    assert "valid policy for Harbourside Learning Trust" in out
    warnings = [line for line in out.splitlines() if line.startswith("warning: ")]
    named = {line.removeprefix("warning: ").split(":")[0] for line in warnings}
    assert named == {rule.field for rule in RULES} - {"moderation.categories"}  # rules are written
    assert "warning: complaints: no complaints procedure" in out


def test_deciding_a_field_silences_its_warning_and_only_its_own(tmp_path):
    data = _bare() | DECIDED
    out = _check(tmp_path, data)
    for field in DECIDED:
        assert f"warning: {field}:" not in out
    assert "warning: review.early:" in out
    data["review"]["early"] = {"after_debrief": False}  # written down, even as "no": decided
    assert "warning: review.early:" not in _check(tmp_path, data)


def test_a_policy_with_no_moderation_rules_is_warned_that_nothing_moderates_comments(tmp_path):
    data = _bare()
    assert "warning: moderation.categories:" not in _check(tmp_path, data)
    data["moderation"]["categories"] = {}
    out = _check(tmp_path, data)
    assert "warning: moderation.categories: no moderation rules" in out
    assert "valid policy" in out
