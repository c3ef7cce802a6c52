"""The text checks: what each finds, where, and in what words; and every labelled case in text_cases.yaml.

Pure functions over strings: no database."""

from __future__ import annotations

from pathlib import Path

import phonenumbers
import pytest
import yaml

from safesocial.text.findings import Finding
from safesocial.text.rules import (
    BEHAVIOUR,
    CHECK_NAMES,
    OFFENSIVE,
    PERSONAL_INFO,
    PERSONAL_VIEW,
    POLITICAL,
    PUPIL_NAME,
    Hit,
    RegisterIndex,
    RegisterPupil,
    check_text,
    decision,
    merge,
)

CASES_FILE = Path(__file__).with_name("text_cases.yaml")

REGISTER = [
    RegisterPupil(1, "Ava", "Patel"),
    RegisterPupil(2, "Kai", "Jones", name_consent=True),
    RegisterPupil(3, "Grace", "Smith"),
    RegisterPupil(4, "May", "Brown"),
    RegisterPupil(5, "William", "Green", preferred_name="Will", first_name_only_consent=True),
    RegisterPupil(6, "Rose", "Evans"),
]


def only(text: str, check: str, **kwargs) -> Finding:
    """The one finding of `check` in `text`."""
    findings = [f for f in check_text(text, **kwargs) if f.check == check]
    assert len(findings) == 1, findings
    return findings[0]


def span(text: str, finding: Finding) -> str:
    return text[finding.start : finding.end]


def checks_in(text: str, **kwargs) -> set[str]:
    return {f.check for f in check_text(text, **kwargs)}


# ---- the whole -------------------------------------------------------------------------------------------------------


def test_a_plain_school_news_post_has_no_findings_and_is_ok():
    text = (
        "What a week! Year 4 visited the Roman fort at Vindolanda and Reception planted sunflowers. Thank you to "
        "everyone who came to our summer fair on Saturday 14 June: we raised £1,420. School closes at 1:30pm on Friday."
    )
    findings = check_text(text, register=REGISTER)
    assert findings == []
    assert decision(findings) == "ok"


def test_check_text_returns_the_findings_the_workflow_shows():
    findings = check_text("Text me on 07700 900123.")
    assert all(isinstance(f, Finding) for f in findings)
    assert findings[0].blocks


def test_findings_are_ordered_by_where_they_start():
    text = "I think Ava Patel was excluded. Call 07700 900123. What a load of shit."
    findings = check_text(text, register=REGISTER)
    starts = [f.start for f in findings]
    assert starts == sorted(starts)
    assert [f.check for f in findings] == [PERSONAL_VIEW, PUPIL_NAME, BEHAVIOUR, PERSONAL_INFO, OFFENSIVE]


def test_overlapping_findings_of_one_check_become_one_covering_both_and_as_serious_as_the_worse():
    merged = merge(
        [
            Hit(PERSONAL_INFO, "warn", "an organisation's number", 5, 17),
            Hit(PERSONAL_INFO, "block", "a mobile", 10, 20),
            Hit(OFFENSIVE, "block", "a swear word", 12, 14),
        ]
    )
    assert [(h.check, h.severity, h.start, h.end) for h in merged] == [
        (PERSONAL_INFO, "block", 5, 20),
        (OFFENSIVE, "block", 12, 14),
    ]


def test_a_number_found_by_both_the_matcher_and_the_fallback_is_reported_once():
    assert len(check_text("Call 07700 900123 now")) == 1


def test_decision_is_the_most_serious_finding():
    assert decision([]) == "ok"
    assert decision([Finding("x", "warn", "")]) == "warn"
    assert decision([Finding("x", "warn", ""), Finding("y", "block", "")]) == "block"


# ---- 1. offensive language ---------------------------------------------------------------------------------------


def test_a_swear_word_blocks_and_points_at_the_word():
    text = "What a load of shit this weather is."
    finding = only(text, OFFENSIVE)
    assert finding.severity == "block"
    assert span(text, finding) == "shit"
    assert finding.reason == (
        "This looks like a swear word (“shit”). The policy asks for appropriate, school-friendly language that no "
        "one could find offensive."
    )


@pytest.mark.parametrize("word", ["f*ck", "f**k", "sh1t", "$hit", "sh!t", "fuuuuck", "F.U.C.K", "c*nt", "a**hole"])
def test_disguised_swear_words_are_caught(word):
    text = f"Well {word} me, it's cold."
    finding = only(text, OFFENSIVE)
    assert finding.severity == "block"
    assert span(text, finding) == word


def test_a_slur_is_named_as_a_slur():
    assert "slur" in only("Stop acting like a retard.", OFFENSIVE).reason


@pytest.mark.parametrize(
    "text",
    [
        "Well done to everyone who ran the Scunthorpe 10k.",
        "Year 3's trip to Penistone is on Friday.",
        "Fruit cocktails at the summer fair.",
        "We will assess reading next week.",
        "Year 9 are reading Dickens.",
        "Teams from Sussex, Essex and Middlesex took part.",
        "Spotted dick and custard on Thursday.",
        "Year 2 saw a blue tit and two great tits.",
        "Tickets for Dick Whittington are on sale.",
        "An ox and an ass stood by the manger.",
        "Kai smashed it at sports day.",
        "Bits and bobs for the craft table.",
        "A visit to the Arsenal stadium.",
        "Art inspired by Pissarro.",
        "A walk along Offa's Dyke.",
    ],
)
def test_words_that_contain_or_resemble_swear_words_are_not_offensive(text):
    assert OFFENSIVE not in checks_in(text)


def test_mild_words_only_warn():
    finding = only("That was bloody brilliant, Year 4!", OFFENSIVE)
    assert finding.severity == "warn"
    assert "rude" in finding.reason


# ---- 2. politics -------------------------------------------------------------------------------------------------


def test_asking_people_to_vote_for_a_party_blocks():
    text = "Vote Labour on Thursday!"
    finding = only(text, POLITICAL)
    assert finding.severity == "block"
    assert span(text, finding) == "Vote Labour"
    assert "must not take a side in any political debate" in finding.reason


def test_a_party_with_a_judgement_about_it_blocks():
    text = "The Tories have failed our schools."
    finding = only(text, POLITICAL)
    assert finding.severity == "block"
    assert span(text, finding) == "Tories have failed"


def test_a_visit_from_the_local_councillor_is_neutral():
    assert check_text("The local councillor visited Year 4 to talk about recycling.") == []


def test_naming_a_party_or_politician_neutrally_only_warns():
    finding = only("Plaid Cymru visited our Year 9 Welsh class.", POLITICAL)
    assert finding.severity == "warn"
    assert "neutral mention is fine" in finding.reason
    assert only("Keir Starmer visited the school.", POLITICAL).severity == "warn"


def test_the_labour_ward_is_not_a_party():
    assert check_text("The Labour ward at the hospital sent Year 2 a card.") == []


def test_a_polling_station_closure_is_neutral():
    assert check_text("School is closed on Thursday as it is a polling station for the general election.") == []


def test_a_strike_closure_notice_is_neutral_but_taking_the_strikers_side_blocks():
    assert check_text("Due to NEU strike action, the school will be closed to Years 7 to 9 on Wednesday.") == []
    finding = only("We support our teachers in the strike: the pay offer is an insult.", POLITICAL)
    assert finding.severity == "block"
    assert "industrial action" in finding.reason


def test_petitions_and_government_cuts_block():
    assert only("Please sign our petition to save the library.", POLITICAL).severity == "block"
    assert only("Government cuts mean no more free swimming.", POLITICAL).severity == "block"


def test_a_school_council_vote_is_not_politics():
    assert check_text("Vote for your school council reps by Friday!") == []


# ---- 3. personal views -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("I think this is the best school in the county.", "I think"),
        ("In my opinion, homework is pointless.", "In my opinion"),
        ("Personally, I loved the show.", "Personally"),
        ("IMO the new library is amazing.", "IMO"),
        ("I believe every child deserves a holiday.", "I believe"),
    ],
)
def test_a_personal_view_warns_and_quotes_the_words(text, phrase):
    finding = only(text, PERSONAL_VIEW)
    assert finding.severity == "warn"
    assert span(text, finding) == phrase
    assert finding.reason.startswith(f"“{phrase}” reads as a personal view.")


def test_a_quoted_pupil_may_give_their_own_view():
    assert check_text('"I think it was the best day ever," said one Year 3 pupil.') == []


def test_the_school_speaking_as_we_is_not_a_personal_view():
    assert check_text("We think the show was a triumph.") == []


# ---- 4. personal information -------------------------------------------------------------------------------------

UK_PHONE_FORMATS = [
    "07700 900123",
    "07700900123",
    "07700 900 123",
    "07700-900-123",
    "+44 7700 900123",
    "+447700900123",
    "+44 (0)7700 900123",
    "(01632) 960123",
    "01632 960123",
    "01632 960 123",
    "020 7946 0123",
    "0114 496 0999",
    "0161 496 0000",
    "0044 20 7946 0123",
]


@pytest.mark.parametrize("number", UK_PHONE_FORMATS)
def test_a_uk_phone_number_in_any_common_format_blocks(number):
    text = f"For lifts, ring {number} after six."
    finding = only(text, PERSONAL_INFO)
    assert finding.severity == "block"
    assert span(text, finding) == number
    assert (
        finding.reason == f"This looks like a phone number ({number}). Posts must not share personal contact details."
    )


def test_a_number_in_the_ofcom_drama_range_is_caught_though_it_is_not_a_valid_number():
    # phonenumbers calls 07700 900123 "possible" but not "valid": the check must not rely on validity.
    assert not phonenumbers.is_valid_number(phonenumbers.parse("07700 900123", "GB"))
    text = "Text me on 07700 900123."
    assert span(text, only(text, PERSONAL_INFO)) == "07700 900123"


@pytest.mark.parametrize(
    "text",
    [
        "The office is open 8:30am to 4:30pm.",
        "Open 08:45-15:15 daily.",
        "Our 2024-2025 prospectus is online.",
        "Class sizes: 30 28 29 31 27.",
        "SATs start on 12/05/2025.",
        "Trip costs £12.50; pay by 12.07.2025.",
        "Our URN is 123456.",
        "We won 12-4.",
    ],
)
def test_times_years_dates_and_scores_are_not_phone_numbers(text):
    assert PERSONAL_INFO not in checks_in(text)


def test_freephone_and_organisation_numbers_only_warn():
    assert only("For the helpline ring 0800 123 4567.", PERSONAL_INFO).severity == "warn"
    finding = only("Please call the absence line on 01632 960555 before 9am.", PERSONAL_INFO)
    assert finding.severity == "warn"
    assert "organisation" in finding.reason


def test_a_mobile_number_blocks_even_when_called_the_school_office():
    assert only("Call the school office on 07700 900123.", PERSONAL_INFO).severity == "block"


def test_contact_details_the_trust_publishes_are_not_personal_information():
    text = "Call the office on 01632 960000 or email office@seabright.example.com."
    assert check_text(text, public=["01632 960000", "office@seabright.example.com"]) == []


def test_a_personal_email_address_blocks_and_an_office_mailbox_warns():
    text = "Email jo.bloggs@gmail.com with your order."
    finding = only(text, PERSONAL_INFO)
    assert (finding.severity, span(text, finding)) == ("block", "jo.bloggs@gmail.com")
    assert only("Send photos to office@seabright.example.com.", PERSONAL_INFO).severity == "warn"


@pytest.mark.parametrize(
    "postcode", ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "GIR 0AA", "sw1a 1aa", "EC1A 1BB", "W1A 0AX"]
)
def test_uk_postcodes_block(postcode):
    text = f"Drop-off is at {postcode} on Saturday."
    finding = only(text, PERSONAL_INFO)
    assert finding.severity == "block"
    assert span(text, finding) == postcode
    assert "postcode" in finding.reason


@pytest.mark.parametrize(
    "text", ["Y6 at 2pm, Y5 at 3pm.", "Our KS2 1st place team.", "Year 3 came 2nd.", "In 2025 we had 30 pupils."]
)
def test_times_year_groups_and_ordinals_are_not_postcodes(text):
    assert PERSONAL_INFO not in checks_in(text)


def test_a_home_address_blocks():
    text = "Please return the book to 12 Acacia Avenue."
    finding = only(text, PERSONAL_INFO)
    assert (finding.severity, span(text, finding)) == ("block", "12 Acacia Avenue")
    assert "address" in finding.reason


def test_a_venue_address_only_warns_and_downing_street_is_famous():
    finding = only("The service is at St John's Church, 14 Church Road, at 10am.", PERSONAL_INFO)
    assert finding.severity == "warn"
    assert check_text("Year 6 visited 10 Downing Street.") == []


@pytest.mark.parametrize(
    "text, date",
    [
        ("She was born on 3 March 2017.", "born on 3 March 2017"),
        ("DOB 03/03/2017", "DOB 03/03/2017"),
        ("Date of birth: 14th June 2016", "Date of birth: 14th June 2016"),
        ("Her birthday is 3rd March 2017.", "Her birthday is 3rd March 2017"),
    ],
)
def test_a_date_of_birth_blocks(text, date):
    finding = only(text, PERSONAL_INFO)
    assert (finding.severity, span(text, finding)) == ("block", date)
    assert "date of birth" in finding.reason


def test_event_dates_and_opening_times_are_not_dates_of_birth():
    assert check_text("Sports day is on 5 June at 2pm. The office opens at 8:30am on 2 September 2025.") == []
    assert check_text("Celebrating the school's 50th birthday on 12 May 2025!") == []


# ---- 5. pupils' names ---------------------------------------------------------------------------------------------


def test_a_pupil_named_in_full_without_consent_blocks():
    text = "Ava Patel won the 100m."
    finding = only(text, PUPIL_NAME, register=REGISTER)
    assert finding.severity == "block"
    assert span(text, finding) == "Ava Patel"
    assert "names a pupil in full (Ava Patel)" in finding.reason
    assert "no consent for their name" in finding.reason


def test_a_possessive_full_name_is_caught_without_its_apostrophe_s():
    text = "Well done to Ava Patel's team."
    assert span(text, only(text, PUPIL_NAME, register=REGISTER)) == "Ava Patel"


def test_full_names_match_whatever_their_case():
    assert only("congratulations to ava patel", PUPIL_NAME, register=REGISTER).severity == "block"


def test_a_pupil_with_name_consent_named_in_full_only_warns():
    finding = only("Kai Jones scored the winner.", PUPIL_NAME, register=REGISTER)
    assert finding.severity == "warn"
    assert "consented" in finding.reason


def test_a_full_name_blocks_when_the_family_agreed_to_the_first_name_only():
    finding = only("Will Green ran the relay.", PUPIL_NAME, register=REGISTER)
    assert finding.severity == "block"
    assert "first name only" in finding.reason


def test_a_first_name_alone_without_consent_warns():
    text = "Ava scored a hat-trick!"
    finding = only(text, PUPIL_NAME, register=REGISTER)
    assert finding.severity == "warn"
    assert span(text, finding) == "Ava"
    assert finding.reason.startswith("Ava may be a pupil without consent to be named.")


def test_first_names_with_consent_are_fine():
    assert check_text("Kai and Will led the assembly.", register=REGISTER) == []


@pytest.mark.parametrize(
    "text",
    [
        "Year 3 danced with grace and joy.",
        "Parents' evening is in May.",
        "Sports day is on 5 May.",
        "May we remind you that PE kit is needed.",
        "Will you join us for the carol concert?",
        "Grace Darling was our history topic.",
        "Mrs May's class planted a rose.",
    ],
)
def test_names_that_are_also_words_months_or_other_people_are_not_flagged(text):
    assert PUPIL_NAME not in checks_in(text, register=REGISTER)


def test_without_a_register_no_one_is_named():
    assert check_text("Ava Patel won the 100m.") == []


def test_a_prebuilt_register_index_gives_the_same_findings():
    text = "Ava Patel and Grace won."
    assert check_text(text, register=RegisterIndex(REGISTER)) == check_text(text, register=REGISTER)


# ---- 6. behaviour incidents -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, words",
    [
        ("Two boys were excluded after the trip.", "were excluded"),
        ("A pupil was suspended for three days.", "was suspended"),
        ("A fight broke out by the gates.", "A fight broke out"),
        ("Police were called on Friday.", "Police were called"),
        ("A Year 8 girl was sent home for her behaviour.", "was sent home"),
        ("Several pupils misbehaved on the trip.", "misbehaved"),
        ("There was a bullying incident in Year 5.", "bullying incident"),
        ("Jake got a detention for being rude.", "got a detention"),
    ],
)
def test_a_behaviour_incident_blocks(text, words):
    finding = only(text, BEHAVIOUR)
    assert finding.severity == "block"
    assert span(text, finding) == words
    assert "draw attention to, or discuss, behaviour incidents" in finding.reason


@pytest.mark.parametrize(
    "text",
    [
        "Anti-Bullying Week starts on Monday.",
        "Swimming lessons are suspended this week.",
        "Pupils were sent home early due to the snow.",
        "Fantastic behaviour on the trip to the zoo!",
        "Our behaviour policy has been updated.",
        "Year 7 built suspension bridges in DT.",
        "A PCSO visited to talk about road safety.",
    ],
)
def test_ordinary_school_news_is_not_a_behaviour_incident(text):
    assert BEHAVIOUR not in checks_in(text)


# ---- the labelled cases ----------------------------------------------------------------------------------------------


def load_cases() -> tuple[list[dict], dict[str, list[RegisterPupil]]]:
    data = yaml.safe_load(CASES_FILE.read_text())
    registers = {name: [RegisterPupil(**p) for p in pupils] for name, pupils in data["registers"].items()}
    return data["cases"], registers


def test_the_labelled_cases_cover_every_check_both_ways():
    cases, _ = load_cases()
    assert len(cases) >= 120
    for check in CHECK_NAMES:
        assert any(check in c["expect"] for c in cases), f"no case where {check} fires"
    assert sum(not c["expect"] for c in cases) >= 60, "too few cases where nothing should fire"
    unknown = {name for c in cases for name in c["expect"]} - set(CHECK_NAMES)
    assert not unknown


def test_every_labelled_case_gets_exactly_the_checks_it_expects():
    cases, registers = load_cases()
    failures = []
    for number, case in enumerate(cases, 1):
        findings = check_text(case["text"], register=registers.get(case.get("register")), public=case.get("public", ()))
        got = sorted({f.check for f in findings})
        want = sorted(case["expect"])
        wrong_decision = "decision" in case and decision(findings) != case["decision"]
        if got != want or wrong_decision:
            found = (
                ", ".join(f"{f.check}/{f.severity} “{case['text'][f.start : f.end]}”" for f in findings) or "nothing"
            )
            failures.append(
                f"#{number} {case['text']!r}\n    expected {want or 'nothing'}"
                + (f" ({case['decision']})" if "decision" in case else "")
                + f"; found {found} ({decision(findings)})"
            )
    assert not failures, f"{len(failures)} of {len(cases)} cases wrong:\n" + "\n".join(failures)
