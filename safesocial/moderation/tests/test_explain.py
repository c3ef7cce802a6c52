"""Each decision in one sentence, with the words that caused it marked: over what the shipped classifier really says
about comments a school's page gets (abuse of staff, hate, spam, personal information, a disclosure, a complaint)."""

from __future__ import annotations

import pytest

from safesocial.moderation.classifier import classify, decide
from safesocial.moderation.explain import State, explain_classification, marked_text
from safesocial.moderation.services import stored_view

STATES = {
    "hide": State("to_check", "Hidden by SafeSocial — check"),
    "escalate": State("with_dsl", "Hidden · passed to the DSL"),
}


def explained(text: str, *, masked: bool = False):
    result = classify(text)
    action = str(decide(result))
    state = STATES.get(action, State("waiting", "Waiting for a moderator"))
    return explain_classification(text, stored_view(result, None), action, state=state, masked=masked)


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        (
            "The head is a stupid cow and should be sacked",
            "Hidden: calls the head <mark>“a stupid cow”</mark> — abuse of a member of staff.",
        ),
        (
            "Mr Grant is a useless idiot",
            "Hidden: calls Mr Grant <mark>“a useless idiot”</mark> — abuse of a member of staff.",
        ),
        ("You lot are useless idiots, sort the car park out", "Hidden: says <mark>“useless idiots”</mark> — abuse."),
        (
            "Send them all back where they came from, these immigrants are ruining the school",
            "Hidden: says <mark>“Send them all back”</mark> and <mark>“immigrants are ruining”</mark> — hate aimed at "
            "people for who they are.",
        ),
        (
            "WIN a FREE iPhone!!! Click www.prizes-now.xyz to claim your prize today",
            "Hidden: says <mark>“FREE iPhone”</mark>, <mark>“www.prizes-now.xyz”</mark> and "
            "<mark>“claim your prize”</mark> — spam.",
        ),
        (
            "Great photos! Our son loved it. Ring me on 07700 900123 about the lift share",
            "Hidden: says <mark>“07700 900123”</mark> — personal information (a phone number).",
        ),
        (
            "Is the open evening for 2025 starters? Email me at jo.parkes@example.com",
            "Hidden: says <mark>“jo.parkes@example.com”</mark> — personal information (an email address).",
        ),
        (
            "my daughter says she is scared to go home because her stepdad hits her",
            "Hidden and passed to the DSL: says <mark>“scared to go home”</mark> and <mark>“her stepdad hits "
            "her”</mark> — a possible safeguarding concern.",
        ),
        (
            "Mrs Okafor never replies to emails, this school ignores every complaint",
            "Left up for a reply: says <mark>“Mrs Okafor never replies”</mark> and <mark>“complaint”</mark> — a "
            "complaint about a member of staff.",
        ),
        ("Lovely photos, well done everyone", "Left up: nothing in it breaks the policy."),
    ],
)
def test_a_decision_is_one_sentence_with_its_words_marked(text, sentence):
    assert explained(text).sentence == sentence


def test_a_disclosure_read_for_meaning_marks_the_sentence_that_scored_highest():
    """No rule has words for this: the semantic layer read it, and its sentence is what a moderator is shown."""
    text = "honestly whats the point anymore. everyone would be better off if i just wasnt here"
    result = explained(text)
    assert result.sentence == (
        "Hidden and passed to the DSL: <mark>“everyone would be better off if i just wasnt here”</mark> may be a "
        "pupil saying they want to disappear or harm themselves — a possible safeguarding concern."
    )
    assert result.findings[0].by_meaning and "honestly" not in result.sentence


def test_a_label_with_no_words_that_did_not_decide_stays_with_the_scores():
    """'head, stupid, sacked' leans a little towards hate in the model's eyes, with no word to show for it: hate is
    not what hid it, so the page does not call it hate; the score is still there for whoever opens the details."""
    result = explained("The head is a stupid cow and should be sacked")
    assert [f.category for f in result.findings] == ["abuse", "complaint"]
    assert "hate" not in result.sentence and "hate" in {s.category for s in result.scores}
    assert str(result.findings[1].sentence).endswith("— a complaint about a member of staff")


def test_a_masked_disclosure_says_nothing_of_its_words():
    result = explained("my daughter says she is scared to go home because her stepdad hits her", masked=True)
    assert result.findings == [] and result.scores == []
    assert "stepdad" not in result.sentence and "scared" not in result.sentence
    assert "Only the people the policy names for concerns can read it." in result.sentence


def test_no_sentence_carries_a_score():
    for text in ["The head is a stupid cow and should be sacked", "WIN a FREE iPhone!!! Click www.prizes-now.xyz"]:
        result = explained(text)
        assert not any(ch.isdigit() for ch in result.sentence.replace("iPhone", ""))


def test_the_comment_is_shown_with_its_words_marked_and_the_rest_escaped():
    text = "<b>Ring</b> me on 07700 900123"
    assert marked_text(text, [(18, 30)]) == "&lt;b&gt;Ring&lt;/b&gt; me on <mark>07700 900123</mark>"
    assert marked_text("abc", [(0, 2), (1, 3)]) == "<mark>abc</mark>"
