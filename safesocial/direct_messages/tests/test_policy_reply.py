"""The standard reply is the policy's: `direct_messages.reply`, with a default for the policies that say nothing."""

from __future__ import annotations

import pytest

from safesocial.direct_messages.models import SandboxMessage
from safesocial.direct_messages.services import reply_text, sandbox_message_send
from safesocial.policy.loader import PolicyInvalid, parse_policy
from safesocial.policy.schema import DEFAULT_DIRECT_MESSAGE_REPLY
from safesocial.policy.services import policy_adopt
from safesocial.testing.trusts import POLICY_FILES, policy_text

OWN_WORDS = (
    "This account is not watched for messages. Please ring the {school} office, or tell a teacher you trust. "
    "If someone is in danger right now, call 999."
)


@pytest.mark.parametrize("code", sorted(POLICY_FILES))
def test_a_policy_that_says_nothing_of_direct_messages_gets_the_default_reply(code):
    # No seed policy words a reply of its own, so no example sets the field.
    assert parse_policy(policy_text(code)).direct_messages.reply == DEFAULT_DIRECT_MESSAGE_REPLY


def test_the_default_reply_names_the_school_the_office_and_999(sandbox):
    text = reply_text(sandbox)
    assert "Seabright" in text and "office" in text and "call 999" in text and "{" not in text


@pytest.mark.django_db
def test_a_trusts_own_reply_is_the_only_thing_the_account_sends(trust, sandbox, django_capture_on_commit_callbacks):
    policy_adopt(actor=None, trust=trust, text=policy_text("000") + f'\ndirect_messages:\n  reply: "{OWN_WORDS}"\n')
    with django_capture_on_commit_callbacks(execute=True):
        sandbox_message_send(channel=sandbox, visitor_id="visitor-1", visitor_name="Pat", text="hello")
    [reply] = SandboxMessage.objects.filter(by_account=True).values_list("text", flat=True)
    assert reply == OWN_WORDS.replace("{school}", sandbox.school.name)


@pytest.mark.parametrize(
    ("reply", "says"),
    [('"Call {office}"', "may name only {school}"), ('""', "at least 1 character"), ('"a {school"', "only {school}")],
)
def test_a_reply_naming_anything_but_the_school_or_empty_is_refused_with_its_line(reply, says):
    with pytest.raises(PolicyInvalid) as refused:
        parse_policy(policy_text("001") + f"\ndirect_messages:\n  reply: {reply}\n")
    [error] = refused.value.errors
    assert error.field == "direct_messages.reply" and says in error.message and error.line
