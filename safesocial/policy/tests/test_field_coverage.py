"""Issue 18: every field of the policy either acts, with a test that shows it, or is documented as text-only."""

from __future__ import annotations

import ast
import datetime as dt
import re
from functools import cache
from pathlib import Path

import pytest

from safesocial.policy.coverage import FIELDS, SENTENCES, Acts, TextOnly, schema_fields
from safesocial.policy.explain import explain
from safesocial.policy.loader import load_policy_file
from safesocial.policy.schema import Complaints, EarlyReview, EsafetyMeeting, GuidanceUpdate, Policy, Whistleblowing

ROOT = Path(__file__).resolve().parents[3]


@cache
def _test_names(path: str) -> frozenset[str]:
    file = ROOT / path
    if not file.is_file():
        return frozenset()
    tree = ast.parse(file.read_text())
    return frozenset(node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef))


def _missing_test(entry: Acts) -> str | None:
    for test in entry.tests:
        path, sep, name = test.partition("::")
        if not sep or not name:
            return f"'{test}' is not '<test file>::<test name>'"
        if not (ROOT / path).is_file():
            return f"{path} does not exist"
        if not name.startswith("test_") or name not in _test_names(path):
            return f"{path} has no test called {name}"
    return None


def test_every_field_of_the_schema_acts_with_a_test_or_is_text_only():
    missing = [path for path, leaf in schema_fields(Policy) if leaf and path not in FIELDS]
    assert not missing, (
        "these policy fields have no entry in safesocial/policy/coverage.py (name the test that shows each one acts, "
        f"or mark it TEXT_ONLY with a reason): {missing}"
    )


def test_every_registry_entry_names_a_field_of_the_schema():
    paths = {path for path, _ in schema_fields(Policy)}
    unknown = sorted(set(FIELDS) - paths)
    assert not unknown, f"coverage.py names fields the schema does not have: {unknown}"


def test_every_acting_field_names_a_test_that_exists():
    broken = {
        path: problem
        for path, entry in FIELDS.items()
        if isinstance(entry, Acts) and (problem := _missing_test(entry)) is not None
    }
    assert not broken, broken


def test_every_text_only_field_says_why():
    unexplained = [path for path, e in FIELDS.items() if isinstance(e, TextOnly) and not e.reason.strip()]
    assert not unexplained, unexplained


def test_the_walk_reaches_fields_inside_lists_and_dicts_of_models():
    """A field missed by the walk would never be checked at all."""
    leaves = {path for path, leaf in schema_fields(Policy) if leaf}
    assert {"trust.schools.key", "moderation.categories.threshold", "training.quiz.answer"} <= leaves
    assert "trust.schools" not in leaves


# ---- Item 2: what `safesocial policy show` says SafeSocial does is what its tests show it doing ----------------------

EXAMPLES = sorted((ROOT / "examples" / "policies").glob("*.yaml"))


def _variants(policy: Policy) -> list[Policy]:
    """The example as written, and with the switches the examples happen not to flip (and the optional sections they
    leave out), so every branch of explain.py writes its sentence here."""
    c, m, k, f, r = policy.channels, policy.moderation, policy.concerns, policy.parents, policy.review
    soon = dt.date.today() + dt.timedelta(days=30)
    return [
        policy,
        policy.model_copy(
            update={
                "channels": c.model_copy(
                    update={
                        "school_devices_only": not c.school_devices_only,
                        "follow_commercial_pages": not c.follow_commercial_pages,
                        "aup_signature_required": not c.aup_signature_required,
                    }
                ),
                "moderation": m.model_copy(update={"remove_within_hours": None if m.remove_within_hours else 24}),
                "concerns": k.model_copy(update={"friendship_disclosure": not k.friendship_disclosure}),
                "parents": f.model_copy(update={"esafety_meetings": [EsafetyMeeting(date=soon)]}),
                "review": r.model_copy(
                    update={
                        "early": EarlyReview(
                            after_debrief=not r.early.after_debrief,
                            guidance=[GuidanceUpdate(title="Keeping Children Safe in Education", published=soon)],
                        )
                    }
                ),
                "complaints": Complaints(contact="the school office, 07700 900123"),
                "whistleblowing": Whistleblowing(url="https://trust.example.com/whistleblowing"),
            }
        ),
    ]


def _sentences() -> list[tuple[str, str]]:
    out = []
    for path in EXAMPLES:
        policy, _ = load_policy_file(path)
        for variant in _variants(policy):
            out.extend((path.name[:3], line) for _, lines in explain(variant) for line in lines)
    return out


def _keys_for(sentence: str) -> list[str]:
    return [key for key, (pattern, _) in SENTENCES.items() if re.match(pattern, sentence)]


def test_every_sentence_explain_writes_is_in_the_register_once():
    unmatched = sorted({f"{code}: {line}" for code, line in _sentences() if len(_keys_for(line)) != 1})
    assert not unmatched, (
        "give each sentence of explain.py exactly one entry in coverage.SENTENCES, tied to the tests of what it says "
        f"SafeSocial does, or TEXT_ONLY if it only describes the policy: {unmatched[:10]}"
    )


@pytest.mark.parametrize("key", sorted(SENTENCES))
def test_a_sentence_that_names_behaviour_names_tests_that_exist(key):
    _, claim = SENTENCES[key]
    if isinstance(claim, Acts):
        assert _missing_test(claim) is None, _missing_test(claim)
    else:
        assert claim.reason.strip()


def test_a_sentence_that_only_describes_claims_nothing_safesocial_does():
    """'SafeSocial' may appear in a describing sentence only to say what it does not or cannot do."""
    claims = sorted(
        {
            line
            for _, line in _sentences()
            if len(keys := _keys_for(line)) == 1
            and isinstance(SENTENCES[keys[0]][1], TextOnly)
            and re.search(r"SafeSocial (?!does not|cannot)", line)
        }
    )
    assert not claims, claims


def test_every_register_entry_is_written_by_some_example():
    written = {key for _, line in _sentences() for key in _keys_for(line)}
    assert sorted(set(SENTENCES) - written) == []
