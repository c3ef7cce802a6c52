"""A review's summary names who approves in words, whether one role or several."""

from __future__ import annotations

from safesocial.policy.diff import field_changes
from safesocial.policy.loader import parse_policy
from safesocial.testing.trusts import policy_text

CHANNEL_APPROVER_003 = '  approver: ceo\n  # "The CEO will be responsible'


def _003_with_channel_approver(approver: str) -> str:
    text = policy_text("003")
    assert CHANNEL_APPROVER_003 in text
    return text.replace(CHANNEL_APPROVER_003, f'  approver: {approver}\n  # "The CEO will be responsible', 1)


def test_a_single_approver_becoming_all_of_reads_as_one_sentence():
    old = parse_policy(policy_text("003"))
    new = parse_policy(_003_with_channel_approver("{all_of: [ceo, head]}"))
    sentences = [c.sentence for c in field_changes(old, new)]
    assert sentences == ["Who signs off a new channel: the CEO → the CEO and the headteacher"]


def test_any_of_reads_as_or_and_a_register_approver_has_its_own_words():
    old = parse_policy(policy_text("003"))
    new = parse_policy(
        _003_with_channel_approver("{any_of: [ceo, head]}").replace(
            "remote_learning_approver: {all_of: [ceo, head]}", "remote_learning_approver: dsl"
        )
    )
    sentences = [c.sentence for c in field_changes(old, new)]
    assert "Who signs off a new channel: the CEO → the CEO or the headteacher" in sentences
    assert "Who approves a remote learning platform: the CEO and the headteacher → the DSL" in sentences
    assert not [s for s in sentences if "All of" in s or "Any of" in s]


def test_co_approvers_written_as_all_of_change_nothing():
    old = parse_policy(_003_with_channel_approver("ceo\n  co_approvers: [head]"))
    new = parse_policy(_003_with_channel_approver("{all_of: [ceo, head]}"))
    assert field_changes(old, new) == []


def test_the_trusts_own_role_is_named_by_its_label():
    old = parse_policy(policy_text("004"))
    new = parse_policy(policy_text("004").replace("  approver: executive_head\n", "  approver: ceo\n", 1))
    (change,) = [c for c in field_changes(old, new) if c.path.endswith("approver")]
    assert change.before and change.before.startswith("the ") and "executive" in change.before.lower()
    assert change.after == "the CEO"
