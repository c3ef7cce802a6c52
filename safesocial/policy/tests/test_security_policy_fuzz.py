"""A bounded, deterministic fuzz of the policy loader: whatever text it is given, from arbitrary characters to
YAML-shaped fragments and mangled real policies, it answers with a Policy or with PolicyInvalid naming a line or the
file, within two seconds, and never with any other exception."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from safesocial.policy.loader import PolicyInvalid, parse_policy
from safesocial.policy.schema import Policy
from safesocial.testing.trusts import policy_text

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None)

# Pieces of YAML syntax, including the hostile ones, put together in any order.
FRAGMENTS = [
    "\n", "\n  ", "\n    ", "- ", ": ", "? ", "[", "]", "{", "}", ", ", "&a ", "*a", "!!python/object:os.system ",
    "!tag ", "!!str ", "<<: ", "'", '"', "|\n  ", ">-\n  ", "#", "%YAML 1.1\n", "---\n", "...\n", "\t", "\\u0000",
    "\x00", "\ud800", "\ufeff", "trust", "schools", "key", "url: javascript:alert(1)", "url: https://x.example",
    "2026-13-45", "2026-09-01", "9" * 5000, "0x", "1e999", ".nan", "null", "~", "yes", "name", "x",
]  # fmt: skip
yamlish = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)

plain = st.none() | st.booleans() | st.integers() | st.text(max_size=10) | st.dates()
structured = st.recursive(
    plain,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | st.integers(), inner, max_size=4),
    max_leaves=40,
).map(lambda data: yaml.safe_dump(data, allow_unicode=True))

REAL = policy_text("000")
mangled = st.tuples(
    st.integers(min_value=0, max_value=len(REAL)), st.integers(min_value=0, max_value=200), yamlish
).map(lambda cut: REAL[: cut[0]] + cut[2] + REAL[cut[0] + cut[1] :])


def answers_cleanly(text: str) -> None:
    try:
        assert isinstance(parse_policy(text), Policy)
    except PolicyInvalid as exc:
        assert exc.errors and all(str(error) for error in exc.errors)


@FUZZ
@given(text=st.text(max_size=300))
def test_fuzz_any_text_is_a_policy_or_a_policy_error(text):
    answers_cleanly(text)


@FUZZ
@given(text=yamlish)
def test_fuzz_yaml_shaped_text_is_a_policy_or_a_policy_error(text):
    answers_cleanly(text)


@FUZZ
@given(text=structured)
def test_fuzz_any_plain_data_is_a_policy_or_a_policy_error(text):
    answers_cleanly(text)


@settings(FUZZ, max_examples=60)
@given(text=mangled)
def test_fuzz_a_real_policy_with_a_fragment_spliced_in_is_a_policy_or_a_policy_error(text):
    answers_cleanly(text)
