"""The exact post rules added for what independent writers' posts showed the model missing: a discount code with no
word "code", a pupil's date of birth given as a bare date, a street beside a child, a pupil's full name with their
class. Each points at the words, and none fires on the ordinary school news beside it."""

from __future__ import annotations

import datetime as dt

import pytest

from safesocial.text import rules
from safesocial.text.rules import check_text, child_birth_dates


def found(text: str) -> dict[str, str]:
    return {f.check: text[f.start : f.end] for f in check_text(text)}


def test_a_code_in_capitals_for_money_off_is_commercial_even_without_the_word_code():
    text = "Holiday club in the sports hall, run by Mr Oakes's company: book online and use SIBLING10 for a discount."
    assert found(text) == {rules.COMMERCIAL: "use SIBLING10 for a discount"}


def test_a_full_date_from_a_year_when_pupils_were_born_warns_as_a_date_of_birth():
    text = "Year 7 made a huge card for Ibrahim today (25.12.2013)."
    (hit,) = child_birth_dates(text, today=dt.date(2026, 12, 1))
    assert (hit.severity, text[hit.start : hit.end]) == ("warn", "25.12.2013")


@pytest.mark.parametrize(
    "text",
    [
        "School closes for the summer on Friday 17 July 2026.",
        "Our school opened its doors on 4th September 1924.",
    ],
)
def test_this_years_dates_and_a_buildings_history_are_not_dates_of_birth(text):
    assert child_birth_dates(text, today=dt.date(2026, 12, 1)) == []


def test_a_street_beside_a_child_says_where_they_can_be_found():
    text = "Lovely to see Ellie-May and her brother out on their bikes on Fernside Close last night!"
    assert found(text) == {rules.PERSONAL_INFO: "Fernside Close"}


@pytest.mark.parametrize(
    "text",
    [
        "Due to roadworks on Church Lane, traffic will be heavy at pick-up next week.",
        "Thank you to the Co-op on the High Street for their community grant.",
    ],
)
def test_a_street_in_roadworks_or_a_shops_thank_you_is_not_a_childs_whereabouts(text):
    assert check_text(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Lost: a house key on a pink lanyard labelled 'Isabelle Moreton 8H', please hand in!", "Isabelle Moreton"),
        ("Congratulations to Amara Okafor in 5B for her stunning poem!", "Amara Okafor"),
        ("Good luck to Niamh O'Sullivan, representing the county in gymnastics this weekend!", "Niamh O'Sullivan"),
    ],
)
def test_a_pupils_full_name_with_their_class_or_praise_warns_to_check_consent(text, name):
    (finding,) = check_text(text)
    assert (finding.check, finding.severity, text[finding.start : finding.end]) == (rules.PUPIL_NAME, "warn", name)


def test_a_named_reading_challenge_is_not_a_pupil():
    assert check_text("Well done to the children who completed the Summer Reading Challenge.") == []
