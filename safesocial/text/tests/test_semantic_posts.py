"""The post checks as publishing runs them: the exact rules and the post categories read for meaning.

These assert decisions on clear examples and the contract (every post gets a decision; every finding has a check,
a reason and a span inside the post). How well the model does on posts by other writers is measured by
benchmarks/text_checks.py and written up in docs/post-checks.md, not here."""

from __future__ import annotations

import pytest

from safesocial.text import rules
from safesocial.text.rules import RegisterPupil, decision
from safesocial.text.semantic_posts import LABEL_CHECK, check_post, check_posts, sentences

KNOWN_CHECKS = set(rules.CHECK_NAMES) | set(LABEL_CHECK.values())


def checks(text: str, **kwargs) -> dict[str, str]:
    return {f.check: f.severity for f in check_post(text, **kwargs)}


def test_meaning_alone_never_sends_a_good_post_back_to_its_author():
    findings = check_post("Well done Zeb Marlowe-Finch, fastest in Year 4!")
    assert decision(findings) != "block"


@pytest.mark.parametrize(
    "text",
    [
        "Thank you to everyone who came to the summer fair on Saturday. We raised £1,200 for the library.",
        "Year 3 had a wonderful trip to the aquarium today and saw sharks, rays and a giant octopus.",
        "Reminder: school closes at 1:30pm on Friday for the end of term.",
    ],
)
def test_ordinary_school_news_goes_through_with_no_findings(text):
    assert check_post(text) == []


def test_a_discount_code_for_a_teachers_business_is_flagged_with_the_reason():
    text = (
        "Brilliant sports day, everyone! If you fancy keeping fit over the summer, Mr Dawson's bootcamp at the rec is "
        "taking bookings: use code SCHOOLFIT for 20% off your first month."
    )
    finding = next(f for f in check_post(text) if f.check == rules.COMMERCIAL)
    assert text[finding.start : finding.end] == "use code SCHOOLFIT"
    assert "promote businesses or offers" in finding.reason


def test_a_pupils_medical_condition_is_flagged_as_personal_information_for_the_reviewer():
    text = "Please welcome back Mia in Year 2, who has been in hospital for her asthma and is now on a new inhaler."
    assert checks(text) == {rules.PERSONAL_INFO: "warn"}


def test_a_colleagues_sick_leave_and_disciplinary_is_confidential():
    text = (
        "Mrs Clarke is off on long-term sick leave with stress and is going through a disciplinary, so Year 4 will "
        "have supply cover."
    )
    assert checks(text).get("confidential") == "warn"


def test_a_job_advert_that_prefers_a_sex_and_an_age_is_discrimination():
    text = "Job vacancy: lunchtime supervisor. We would prefer a woman under 35 for this role."
    assert "discrimination" in checks(text)


def test_mocking_another_school_and_its_inspector_is_flagged_and_points_at_the_sentence():
    text = (
        "Great match against Oakfield today. Honestly, their teachers couldn't coach a fish to swim, and the Ofsted "
        "inspector who rated them good must have been asleep."
    )
    finding = next(f for f in check_post(text) if f.check == "disrepute")
    assert finding.severity == "warn"
    assert text[finding.start : finding.end].startswith("Honestly, their teachers")


def test_a_hint_about_how_to_vote_blocks_without_naming_a_party():
    text = "Remember who closed our children's centre when you go to the polls on Thursday."
    assert checks(text)[rules.POLITICAL] == "block"


def test_without_a_register_a_full_name_after_congratulations_asks_to_check_consent():
    text = "Congratulations to Tyler Kane of 6B, who won the county spelling bee!"
    finding = next(f for f in check_post(text) if f.check == rules.PUPIL_NAME)
    assert finding.severity == "warn"
    assert text[finding.start : finding.end] == "Tyler Kane"
    assert "consent" in finding.reason


def test_with_a_register_the_register_decides_who_is_named():
    register = [RegisterPupil(1, "Tyler", "Kane", name_consent=True), RegisterPupil(2, "Ava", "Patel")]
    consented = check_post("Congratulations to Tyler Kane of 6B, who won the county spelling bee!", register=register)
    assert [f.severity for f in consented if f.check == rules.PUPIL_NAME] == ["warn"]
    assert "consented" in next(f.reason for f in consented if f.check == rules.PUPIL_NAME)
    unconsented = check_post("Congratulations to Ava Patel of 6B, who won the county spelling bee!", register=register)
    assert decision(unconsented) == "block"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "🎉🎉🏆⚽",
        "Bonjour à toutes les familles ! La sortie scolaire aura lieu vendredi.",
        "What a week! " * 600,
        "Congratulations to Year 6 on their SATs. " + "We are proud of every one of you. " * 300 + "Call 07700 900123.",
    ],
)
def test_every_post_gets_a_decision_and_every_finding_a_check_reason_and_span(text):
    findings = check_post(text)
    assert decision(findings) in {"ok", "warn", "block"}
    for finding in findings:
        assert finding.check in KNOWN_CHECKS
        assert finding.reason
        assert 0 <= finding.start < finding.end <= len(text)


def test_a_long_post_still_shows_what_its_last_sentence_says():
    text = "Congratulations to Year 6 on their SATs. " + "We are proud of every one of you. " * 300
    text += "Call 07700 900123."
    phone = next(f for f in check_post(text) if f.check == rules.PERSONAL_INFO)
    assert text[phone.start : phone.end] == "07700 900123"


def test_checking_posts_in_a_batch_gives_what_checking_each_gives():
    texts = [
        "Please welcome back Mia in Year 2, who has been in hospital for her asthma.",
        "Reminder: school closes at 1:30pm on Friday for the end of term.",
        "Use code SCHOOLFIT for 20% off at my bootcamp.",
    ]
    assert check_posts(texts) == [check_post(t) for t in texts]


def test_sentences_are_the_spans_a_finding_can_point_at():
    text = "Great day.  Year 4 went to the zoo! Lunch was on the lawn\nHome by three."
    assert [text[a:b] for a, b in sentences(text)] == [
        "Year 4 went to the zoo!",
        "Lunch was on the lawn",
        "Home by three.",
    ]
