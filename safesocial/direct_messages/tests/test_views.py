"""The direct messages page for the people the policy names to moderate the channels and keep children safe, and the
sandbox page's private messages, through which the demo's visitors message the school's account."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safesocial.direct_messages.models import DirectMessage, ReplyStatus, SandboxMessage
from safesocial.direct_messages.services import reply_text, sandbox_message_send

pytestmark = pytest.mark.django_db

KIND = "What time does the school fair start on Saturday?"
DISCLOSURE = "please dont tell anyone but my stepdad hurts me when mum is at work"


@pytest.fixture
def receive(django_capture_on_commit_callbacks):
    """A visitor's message to the sandbox account, read at once, as the immediate task backend does."""

    def arrive(channel, text: str, sender: str = "visitor-a", name: str = "Pat Pupil") -> DirectMessage:
        with django_capture_on_commit_callbacks(execute=True):
            message = sandbox_message_send(channel=channel, visitor_id=sender, visitor_name=name, text=text)
        message.refresh_from_db()
        return message

    return arrive


def test_the_moderator_sees_each_message_how_it_was_read_and_the_reply_but_not_a_disclosures_words(
    receive, sandbox, channel_admin, signed_in
):
    receive(sandbox, KIND, sender="visitor-a", name="Kim Parent")
    receive(sandbox, DISCLOSURE, sender="visitor-b", name="Pat Pupil")
    receive(sandbox, "are you there?", sender="visitor-b", name="Pat Pupil")
    page = signed_in(channel_admin).get(reverse("direct_messages:list")).content.decode()
    assert "<caption>3 messages, newest first</caption>" in page
    assert KIND in page and "Kim Parent" in page
    # Neither the disclosure nor the rest of its conversation, nor who sent it.
    assert "stepdad" not in page and "are you there" not in page and "Pat Pupil" not in page
    assert "A possible safeguarding concern, passed to the DSL" in page
    assert "Part of a conversation passed to the DSL" in page
    assert page.count("Standard reply sent") == 2 and "Already answered today" in page
    assert "Please contact the {school} office" in page  # the policy's words, shown as the policy has them
    # Nothing to write with: the account sends only the policy's text.
    content = page[page.index("<h1>Direct messages</h1>") : page.index("<footer")]
    assert "<textarea" not in content and "<form" not in content and "<input" not in content


def test_the_dsl_reads_a_disclosures_words_and_finds_its_concern(receive, sandbox, head, signed_in):
    message = receive(sandbox, DISCLOSURE)
    page = signed_in(head).get(reverse("direct_messages:list")).content.decode()
    assert DISCLOSURE in page and "Pat Pupil" in page
    assert reverse("concerns:detail", args=[message.concern_id]) in page


def test_the_page_needs_sign_in(client, sandbox, receive):
    receive(sandbox, KIND)
    response = client.get(reverse("direct_messages:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_messages_are_hidden_from_staff_the_policy_does_not_name_and_from_other_schools(
    receive, sandbox, teacher, outsider, dsl, signed_in
):
    receive(sandbox, KIND, name="Kim Parent")
    receive(sandbox, DISCLOSURE, sender="visitor-b")
    for person in (teacher, outsider, dsl):  # a Seabright teacher, a Millbrook teacher, Millbrook's DSL
        page = signed_in(person).get(reverse("direct_messages:list")).content.decode()
        assert "Kim Parent" not in page and "school fair" not in page and "stepdad" not in page, person
    assert "You do not read the messages" in signed_in(teacher).get(reverse("direct_messages:list")).content.decode()


def test_the_list_takes_the_same_queries_for_one_message_as_for_many(
    receive, sandbox, channel_admin, signed_in, same_queries
):
    receive(sandbox, KIND)
    client = signed_in(channel_admin)
    client.get(reverse("direct_messages:list"))

    def more() -> None:
        for n in range(4):
            receive(sandbox, DISCLOSURE if n % 2 else KIND, sender=f"visitor-{n}")

    response = same_queries(9, lambda: client.get(reverse("direct_messages:list")), more)
    assert "<caption>5 messages, newest first</caption>" in response.content.decode()


def test_the_dashboard_counts_the_weeks_messages_without_a_word_of_them(receive, sandbox, channel_admin, signed_in):
    receive(sandbox, KIND)
    receive(sandbox, DISCLOSURE, sender="visitor-b")
    page = signed_in(channel_admin).get(reverse("dashboard")).content.decode()
    assert "Direct messages" in page and "1 raised with the DSL" in page
    assert "stepdad" not in page and "school fair" not in page


# The sandbox account's private messages --------------------------------------------------------------------------


def test_a_visitor_messages_the_sandbox_account_and_gets_only_the_standard_reply(
    client, sandbox, django_capture_on_commit_callbacks
):
    page = client.get(reverse("sandbox", args=[sandbox.pk])).content.decode()
    assert reverse("direct_messages:sandbox", args=[sandbox.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("direct_messages:sandbox_send", args=[sandbox.pk]), {"name": "Pat Pupil", "text": KIND}
        )
    assert response["Location"] == reverse("direct_messages:sandbox", args=[sandbox.pk]) + "#conversation"
    message = DirectMessage.objects.get()
    assert message.sender_name == "Pat Pupil" and message.reply_status == ReplyStatus.SENT
    conversation = client.get(response["Location"]).content.decode()
    assert KIND in conversation
    assert "We can&#x27;t discuss anything by private message" in conversation
    assert list(SandboxMessage.objects.values_list("by_account", "text")) == [
        (False, KIND),
        (True, reply_text(sandbox)),
    ]


def test_a_visitor_sees_only_their_own_conversation(client, sandbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("direct_messages:sandbox_send", args=[sandbox.pk]), {"name": "Pat", "text": DISCLOSURE})
    client.cookies.clear()  # someone else, in another browser
    page = client.get(reverse("direct_messages:sandbox", args=[sandbox.pk])).content.decode()
    assert "stepdad" not in page and "You have not messaged this page yet." in page


@pytest.mark.parametrize(("name", "text"), [("", "Hello"), ("Pat", "  "), ("Pat", "x" * 2001)])
def test_a_message_without_a_name_or_words_or_too_long_is_refused(client, sandbox, name, text):
    response = client.post(
        reverse("direct_messages:sandbox_send", args=[sandbox.pk]), {"name": name, "text": text}, follow=True
    )
    assert not DirectMessage.objects.exists() and not SandboxMessage.objects.exists()
    assert "Give your name and write a message." in response.content.decode() or "too long" in response.content.decode()


def test_only_a_sandbox_channel_takes_messages_from_the_sandbox_page(client, sandbox):
    sandbox.delivery = "live"
    sandbox.save(update_fields=["delivery"])
    assert client.get(reverse("direct_messages:sandbox", args=[sandbox.pk])).status_code == 404
    response = client.post(reverse("direct_messages:sandbox_send", args=[sandbox.pk]), {"name": "P", "text": "Hi"})
    assert response.status_code == 404
