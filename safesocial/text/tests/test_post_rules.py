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


# ---- what blind writers' posts showed the rules missing (issue 13, post checks) -----------------------------------


def only_finding(text: str, check: str):
    (finding,) = [f for f in check_text(text) if f.check == check]
    return finding


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Our Year 11 prefect Daniel Osei-Bonsu read at the Remembrance service today.", "Daniel Osei-Bonsu"),
        ("Special mention to Ellie-Mae Robinson for being such a confident narrator!", "Ellie-Mae Robinson"),
        ("This week's award goes to... FINLEY ASHWORTH-BROWN!! For never giving up.", "FINLEY ASHWORTH-BROWN"),
        ("Congratulations to club captain Ibrahim Chaudhry for an unbeaten season!", "Ibrahim Chaudhry"),
        ("Best story of the term goes to 'The Lighthouse' #wellDoneTillyFairbrother", "TillyFairbrother"),
    ],
)
def test_a_full_name_beside_praise_a_class_or_a_pupils_role_warns_to_check_consent(text, name):
    finding = only_finding(text, rules.PUPIL_NAME)
    assert (finding.severity, text[finding.start : finding.end]) == ("warn", name)
    assert "Without the school's register" in finding.reason


@pytest.mark.parametrize(
    "text",
    [
        "Year 2 learnt about Florence Nightingale and Rosa Parks this week.",
        "Year 6 sang at the Royal Albert Hall on Friday. Well done everyone!",
        "Well done to all, and thank you to our governor Sam Rowe and Mrs Grace Hughes for judging.",
        "Congratulations to Year 4, who loved their visit to Holly Tree Farm.",
        "Maddie (Y4) and her grandad do a litter pick on Ivy Walk.",
    ],
)
def test_famous_people_places_and_adults_are_not_pupils_named_in_full(text):
    assert rules.PUPIL_NAME not in {f.check for f in check_text(text)}


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Say happy birthday to Arlo in Y4! He's 9 on the 3rd of December.", "the 3rd of December"),
        ("Isabella in Y2 turns 7 today, 15.11, and brought in cupcakes.", "15.11"),
        ("Reggie says he is going to be seven on the sixth of the seventh!", "the sixth of the seventh"),
        ("Happy sweet sixteen to our netball captain Bella, born on Valentine's Day!", "born on Valentine's Day"),
        ("A very special cake in the Learning Base today #born3rdMay2012", "#born3rdMay2012"),
    ],
)
def test_a_birthday_written_in_words_warns_as_a_date_of_birth(text, date):
    finding = only_finding(text, rules.PERSONAL_INFO)
    assert (finding.severity, text[finding.start : finding.end]) == ("warn", date)


@pytest.mark.parametrize(
    "text",
    [
        "Reception told the story of how baby Jesus was born on Christmas Day.",
        "Happy 100th birthday to our school! We opened our doors on 4th September 1924.",
        "Vacancy: midday supervisor, 1.5 hours a day (11.45-1.15), term time only.",
    ],
)
def test_a_nativity_a_schools_birthday_and_hours_are_not_dates_of_birth(text):
    assert check_text(text) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("So proud of Erin in Year 10, who lives over the Spar in Ashby.", "lives over"),
        ("Well done to Daisy from the Meadowbank flats on her poetry prize!", "from the Meadowbank flats"),
        (
            "Our Y6 swimmer Ruby trains every Tuesday at Kingsway Leisure Centre.",
            "every Tuesday at Kingsway Leisure Centre",
        ),
    ],
)
def test_where_a_child_lives_or_can_be_found_again_and_again_warns(text, words):
    finding = only_finding(text, rules.PERSONAL_INFO)
    assert (finding.severity, text[finding.start : finding.end]) == ("warn", words)
    assert "where a pupil lives or can be found" in finding.reason


@pytest.mark.parametrize(
    "text",
    [
        "Year 4 swim every Tuesday at Kingsway Leisure Centre: kit bags please.",
        "Summer fair this Saturday on the field, entrance via the Mill Lane gate.",
        "Our SENCo drop-in is every Thursday 3.15-4.15 in the library.",
    ],
)
def test_a_class_timetable_or_a_venue_is_not_a_childs_whereabouts(text):
    assert check_text(text) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Lunch was chaos thanks to a certain lad in 5H lobbing yoghurts across the hall.", "lobbing"),
        ("Lovely to have Tia back in class after her suspension. Fresh start!", "suspension"),
        ("To the Year 9 boys who set off the fire alarm: we know who you are.", "set off the fire alarm"),
    ],
)
def test_an_incident_pointed_at_a_pupil_without_naming_it_warns_as_behaviour(text, words):
    finding = only_finding(text, rules.BEHAVIOUR)
    assert (finding.severity, text[finding.start : finding.end]) == ("warn", words)
    assert "families can often tell who it is" in finding.reason


@pytest.mark.parametrize(
    "text",
    [
        "Everyone in Year 3 earned their golden time this week!",
        "Show Racism the Red Card day is on Friday: come to school in something red.",
        "The Year 6 boys were spoken to by the referee, who praised their sportsmanship.",
        "Kai kicked the winning goal in the final minute.",
    ],
)
def test_golden_time_a_campaign_and_a_match_report_are_not_behaviour_incidents(text):
    assert check_text(text) == []


def test_a_nudge_about_how_to_vote_warns_as_political():
    text = "Polls open till 10pm. Think very carefully about which party has funded schools."
    finding = only_finding(text, rules.POLITICAL)
    assert (finding.severity, text[finding.start : finding.end]) == ("warn", "which party has")


def test_a_side_taken_after_a_strike_notice_is_political():
    text = "School is closed on Wednesday due to strike action. Please stand with your teachers."
    finding = only_finding(text, rules.POLITICAL)
    assert text[finding.start : finding.end] == "stand with"


def test_a_school_council_election_is_not_politics():
    text = "School Council results are in after a week of campaign posters. Our new councillors start Monday!"
    assert check_text(text) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("As a school we believe Halloween glorifies the occult.", "As a school we believe"),
        ("We don't think children should have phones before they are 16.", "We don't think"),
        ("Just my two pennies but people should stop eating meat.", "my two pennies"),
    ],
)
def test_the_school_taking_a_view_or_an_aside_of_opinion_is_a_personal_view(text, words):
    finding = only_finding(text, rules.PERSONAL_VIEW)
    assert text[finding.start : finding.end] == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Year 2 are at Hollins Farm Park right now feeding the lambs!", "right now"),
        ("Our residential group is staying at Brackenside Lodge until Thursday, cabins 4 and 5.", "staying at"),
        ("The under 11s will be dropped off at the Kwik Save car park on Dean Road at 6.15pm.", "dropped off at"),
        ("Exmoor expedition: the team are camping tonight at Withy Cross campsite.", "camping tonight"),
    ],
)
def test_where_pupils_are_now_or_within_hours_away_from_school_warns(text, words):
    (finding,) = [f for f in check_text(text) if f.check == rules.PERSONAL_INFO]
    assert (finding.severity, text[finding.start : finding.end]) == ("warn", words)


@pytest.mark.parametrize(
    "text",
    [
        "Year 2 had a brilliant time at Hollins Farm Park yesterday feeding the lambs!",
        "Drop-off is via the Church Lane gate while the car park is resurfaced.",
        "Our nativity is on Tuesday at 2pm in the school hall: tickets from the office.",
        "We are so proud of our Year 6 writers this term.",
    ],
)
def test_a_trip_told_afterwards_or_school_drop_off_is_not_where_pupils_are_now(text):
    assert [f for f in check_text(text) if f.check == rules.PERSONAL_INFO] == []
