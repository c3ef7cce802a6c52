"""The classifier's behaviour, category by category, and its results on the school cases."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml

from safesocial.moderation import classifier
from safesocial.moderation.classifier import CATEGORIES, DEFAULT_THRESHOLDS, classify, decide
from safesocial.moderation.thresholds import thresholds_from_policy
from safesocial.text.rules import RegisterPupil

HERE = Path(__file__).parent
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "policies"
REGISTER = [
    RegisterPupil(1, "Amelia", "Hartley"),
    RegisterPupil(2, "Zara", "Whitfield", name_consent=True),
]


def fired(text: str, **kwargs) -> set[str]:
    return {r.name for r in classify(text, **kwargs).fired()}


def covered(text: str, spans) -> str:
    return " ".join(text[a:b] for a, b in spans)


# --- British praise ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The choir were killing it tonight!",
        "Bloody freezing at sports day but what a morning",
        "Year 6 absolutely smashed it at the cross country",
        "That assembly was sick!",
        "Proper chuffed, they killed it on Saturday",
        "Nailed it again, best nativity yet",
    ],
)
def test_british_praise_idioms_are_allowed(text):
    result = classify(text)
    assert decide(result) == "allow", result.scores
    assert result["threat"].score < 0.3
    assert result["abuse"].score < DEFAULT_THRESHOLDS["abuse"][1]


# --- Abuse, hate, threats ---------------------------------------------------------------------------------------------


def test_an_insult_is_abuse_and_its_span_is_the_insult():
    text = "Shut up you stupid cow nobody asked you"
    result = classify(text)
    assert "abuse" in fired(text)
    assert "cow" in covered(text, result["abuse"].spans)
    assert decide(result) == "hide"


def test_strong_swearing_is_abuse_but_a_mild_word_alone_is_not():
    assert "abuse" in fired("what a load of shit")
    assert "abuse" not in fired("Crikey, the traffic was a bit crap this morning but we made it")


def test_a_slur_is_hate_and_points_at_the_slur():
    text = "Too many pakis at this school now"
    result = classify(text)
    assert result["hate"].score >= 0.8
    assert covered(text, result["hate"].spans) == "pakis"
    assert "slur" in result["hate"].reason


def test_telling_someone_to_go_back_to_their_country_is_hate():
    assert "hate" in fired("Go back to your own country")


def test_a_threat_escalates():
    text = "If that teacher touches my son again I'll kill him"
    result = classify(text)
    assert result["threat"].score >= 0.8
    assert "kill him" in covered(text, result["threat"].spans)
    assert decide(result) == "escalate"


def test_killing_it_is_not_a_threat_but_kill_him_is():
    assert classify("The band were killing it")["threat"].score == 0
    assert classify("I will kill him")["threat"].score >= 0.5


def test_the_model_scores_abuse_without_any_listed_word():
    # No word here is on text/rules.py's lists: the linear model has to see it.
    result = classify("you are a worthless pathetic excuse for a parent, everyone hates you")
    assert result["abuse"].score >= 0.5
    assert result["abuse"].spans


# --- Personal information -------------------------------------------------------------------------------------------


def test_a_mobile_number_in_ofcoms_drama_range_is_pii_and_is_hidden():
    text = "Ring me on 07700 900123 if you want a lift"
    result = classify(text)
    assert covered(text, result["pii"].spans) == "07700 900123"
    assert decide(result) == "hide"


def test_an_email_address_and_a_home_address_are_pii():
    assert "pii" in fired("Send it to jenny.lowe1984@gmail.com please")
    assert "pii" in fired("Party is at ours, 27 Marsh Lane, HX3 9QT, from 2pm")


def test_the_schools_own_published_number_is_not_pii():
    text = "Ring the office on 01632 960000 to report an absence"
    assert "pii" not in fired(text, public=["01632 960000"])


def test_a_childs_full_name_is_pii_only_when_the_register_knows_the_child():
    text = "Well done Amelia Hartley on your reading award!"
    assert "pii" not in fired(text)
    result = classify(text, register=REGISTER)
    assert result["pii"].score >= 0.8
    assert covered(text, result["pii"].spans) == "Amelia Hartley"


def test_a_consented_first_name_is_allowed():
    assert decide(classify("Well done Zara, what a star!", register=REGISTER)) == "allow"


# --- Inflammatory ---------------------------------------------------------------------------------------------------


def test_discussing_a_behaviour_incident_is_inflammatory():
    assert "inflammatory" in fired("Two Year 9s got suspended for vaping in the toilets")


def test_naming_a_registered_pupil_in_a_behaviour_incident_is_inflammatory():
    text = "Amelia was sent home again today for hitting"
    result = classify(text, register=REGISTER)
    assert result["inflammatory"].score >= 0.8
    assert "Amelia" in covered(text, result["inflammatory"].spans)


def test_naming_a_child_as_a_bully_is_inflammatory_without_a_register():
    assert "inflammatory" in fired("That boy called Tyler in Year 4 keeps punching other kids")


def test_rumours_and_pile_ons_are_inflammatory():
    assert "inflammatory" in fired("Everyone knows what happened on the residential, the school covered it up")


# --- Spam, commercial, donation ---------------------------------------------------------------------------------------


def test_channel_promotion_is_spam():
    assert "spam" in fired("Check out my channel for the best FIFA tips!! subscribe")


def test_selling_uniform_is_commercial_and_asking_about_the_uniform_shop_is_not():
    assert "commercial" in fired("Selling Year 6 leavers hoodie age 11-12, £10 ono")
    assert decide(classify("Is the uniform shop open on Saturdays?")) == "allow"


def test_asking_for_donations_is_donation_but_thanking_donors_is_not():
    assert "donation" in fired("Please donate to my GoFundMe for my son's operation, any amount helps")
    assert decide(classify("Thank you to everyone who donated raffle prizes for the fair")) == "allow"


# --- Safeguarding -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "my child is scared to go home",
        "he hits her",
        "someone is sending my daughter messages asking to meet",
        "My daughter says she wants to die, she's being bullied every day",
        "The little boy next door is always left home alone till late",
        "Ella hun message me on WhatsApp, I've got something for you, our secret ok",
        "Saw you at the match, text me but don't tell your mum yet",
        "still cutting myself tbh",
        "started harming myself again",
        "lol cant wait to not exist",
    ],
)
def test_a_safeguarding_disclosure_scores_high_and_goes_to_the_dsl(text):
    result = classify(text)
    assert result["safeguarding"].score >= 0.8, result.scores
    assert result["safeguarding"].spans
    assert decide(result) == "escalate"


def test_everyday_worries_are_not_safeguarding():
    for text in (
        "My son is always starving after swimming lol",
        "My daughter's PE kit is missing again",
        "cutting myself a slice of the leftover cake",
        "our little secret: Mr Adeyemi can't actually dance",
        "Don't tell your mum but the cake was shop bought",
    ):
        assert classify(text)["safeguarding"].score < DEFAULT_THRESHOLDS["safeguarding"][1], text


@pytest.mark.parametrize(
    "text",
    [
        "A man in a silver car keeps offering the Year 3s sweets by the park gate",
        "There's a grown man adding Year 7 girls on Snapchat, please check phones",
        "Older lads are paying my nephew in cash and trainers to drop off parcels",
        "The dinner lady grabbed my daughter by the wrist and left marks",
        "Our coach keeps messaging the under 12s late at night, is that normal?",
        "Some lads from out of town are getting Year 9s to carry bags for them",
        "The girl in my son's class wears the same clothes every day and is always filthy",
        "my little sister says mummy hurts her when she cries",
    ],
)
def test_disclosures_phrased_in_other_ways_reach_the_dsl(text):
    assert decide(classify(text)) == "escalate", classify(text).scores


@pytest.mark.parametrize(
    "text",
    [
        "Do that to my kid once more and see what happens to your car",
        "I'd sleep with one eye open if I were you Mr Grant",
        "I know which road that teacher lives on. Just saying",
        "The head is getting a visit from me and my cousins on Monday",
        "Whoever pushed my lad will get dealt with",
    ],
)
def test_veiled_threats_are_threats(text):
    assert "threat" in fired(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Apparently the deputy got walked off site on Friday, ask them why", "inflammatory"),
        ("Everyone leave one star reviews until they listen", "inflammatory"),
        ("DM for prices, all occasions catered for", "commercial"),
        ("Selling two school coats age 9-10, £8 the lot", "commercial"),
        ("Could everyone chip in for Mia's operation? PayPal me", "donation"),
        ("I've raised this with the office four times and nobody's got back to me", "complaint"),
        ("Hello dear, I want to be your friend, please accept my request", "spam"),
    ],
)
def test_wider_phrasings_are_found(text, category):
    assert category in fired(text)


def test_a_question_that_asks_nothing_of_the_reader_is_not_spam():
    result = classify("Is the open evening for September 2025 starters or 2026?")
    assert "spam" not in {r.name for r in result.fired()}
    assert "spam" in fired("Text WIN to 87121 for your £1000 prize now")


def test_a_starred_out_swear_word_reads_as_swearing_not_as_a_slur():
    assert fired("f***ing brilliant result") == {"abuse"}


def test_a_pupil_named_in_full_with_their_class_is_pii_unless_the_register_can_check_consent():
    text = "Well done Zara Whitfield in Year 4 for the poetry prize"
    assert "pii" in fired(text)
    assert "pii" not in fired(text, register=REGISTER)  # Zara's parents consented to her name being used
    assert "pii" not in fired("Mrs Whitfield in Year 4 is brilliant")


# --- Complaints -------------------------------------------------------------------------------------------------------


def test_a_complaint_about_a_named_teacher_is_redirected_to_the_complaints_procedure():
    text = "Mrs Jones is so rude, she shouted at my son in front of the whole class"
    result = classify(text)
    assert "complaint" in fired(text)
    assert "Mrs Jones" in covered(text, result["complaint"].spans)
    assert decide(result) == "redirect"


def test_a_complaint_with_a_threat_escalates():
    assert decide(classify("Mrs Jones is useless and I'll batter her")) == "escalate"


# --- Every result -----------------------------------------------------------------------------------------------------


def test_every_category_has_a_result_and_what_fires_says_why_and_where():
    text = "Ring me on 07700 900123, Mrs Jones is a disgrace and you're an idiot"
    result = classify(text)
    assert list(result.categories) == list(CATEGORIES)
    for item in result.fired():
        assert 0 < item.score <= 1
        assert item.reason
        assert item.spans
        assert all(0 <= a < b <= len(text) for a, b in item.spans)


@pytest.mark.parametrize("text", ["", "   ", "👏👏👏", "🖕", "a" * 100_000, "\x00\ufffd", "ﷺ" * 50])
def test_odd_text_is_classified_without_error(text):
    result = classify(text)
    assert set(result.scores) == set(CATEGORIES)
    assert all(0 <= s <= 1 for s in result.scores.values())


def test_the_middle_finger_is_abuse():
    assert "abuse" in fired("🖕🖕")


# --- Decisions and thresholds ---------------------------------------------------------------------------------------


def test_decide_takes_the_most_protective_action():
    scores = dict.fromkeys(CATEGORIES, 0.0)
    assert decide(scores) == "allow"
    assert decide(scores | {"complaint": 0.9}) == "redirect"
    assert decide(scores | {"complaint": 0.9, "commercial": 0.9}) == "review"
    assert decide(scores | {"complaint": 0.9, "abuse": 0.9}) == "hide"
    assert decide(scores | {"abuse": 0.9, "safeguarding": 0.5}) == "escalate"


def test_a_policys_suggest_reply_becomes_redirect_and_its_thresholds_apply():
    policy = yaml.safe_load((EXAMPLES / "001-facebook-only-trust.yaml").read_text(encoding="utf-8"))
    thresholds = thresholds_from_policy(policy["moderation"])
    assert thresholds["complaint"] == ("redirect", 0.6)
    assert thresholds["commercial"] == ("hide", 0.6)
    scores = dict.fromkeys(CATEGORIES, 0.0) | {"commercial": 0.65}
    assert decide(scores, thresholds) == "hide"
    assert decide(scores) == "allow"  # SafeSocial's usual commercial threshold is 0.7


def test_a_category_left_out_of_a_policy_keeps_the_usual_setting():
    thresholds = thresholds_from_policy({"categories": {"abuse": {"action": "review", "threshold": 0.9}}})
    assert thresholds["abuse"] == ("review", 0.9)
    assert thresholds["safeguarding"] == DEFAULT_THRESHOLDS["safeguarding"]


def test_an_unknown_category_or_action_in_a_policy_is_refused():
    with pytest.raises(ValueError, match="unknown moderation category"):
        thresholds_from_policy({"categories": {"rudeness": {"action": "hide"}}})
    with pytest.raises(ValueError, match="unknown action"):
        thresholds_from_policy({"categories": {"abuse": {"action": "delete"}}})


# --- The artefact -----------------------------------------------------------------------------------------------------


def test_the_models_ship_as_small_non_pickle_artefacts_that_match_their_configs():
    directory = classifier.MODEL_DIR
    files = sorted(p.name for p in directory.iterdir())
    assert files == ["linear.json", "linear.npz", "school.json", "school.npz"]
    assert sum((directory / f).stat().st_size for f in files) < 15_000_000
    heads = {
        "linear": ["abuse", "hate", "spam"],
        "school": ["safeguarding", "threat", "inflammatory", "complaint", "commercial", "donation"],
    }
    for name, expected in heads.items():
        with np.load(directory / f"{name}.npz", allow_pickle=False) as archive:
            assert archive["weights"].dtype == np.float16
        assert json.loads((directory / f"{name}.json").read_text())["heads"] == expected
        classifier.LinearModel(directory, name)  # checks the hash, the feature version and the size


def test_a_damaged_artefact_is_refused(tmp_path):
    for name in ("school.json", "school.npz"):
        (tmp_path / name).write_bytes((classifier.MODEL_DIR / name).read_bytes())
    raw = bytearray((tmp_path / "school.npz").read_bytes())
    raw[-100] ^= 0xFF
    (tmp_path / "school.npz").write_bytes(bytes(raw))
    with pytest.raises(classifier.ModelError, match="damaged"):
        classifier.LinearModel(tmp_path, "school")


def test_the_school_model_finds_a_worry_no_rule_describes():
    text = "She keeps giving her things away and saying goodbye to her friends, I'm frightened for her"
    result = classify(text)
    assert decide(result) == "escalate"
    assert "The wording reads like a possible worry" in result["safeguarding"].reason


@pytest.mark.slow
def test_classifying_needs_no_training_library_nor_django_at_run_time():
    """numpy for the linear models, onnxruntime and tokenizers for the sentence embedder; nothing heavier."""
    code = (
        "import sys; from safesocial.moderation.classifier import classify; classify('you idiot 07700 900123'); "
        "print(sorted(m for m in ('scipy', 'sklearn', 'torch', 'transformers', 'django') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- The school cases -----------------------------------------------------------------------------------------------

# What the shipped classifier reaches on cases_school.yaml, rounded down: a change that loses ground fails here.
MINIMUM_F1 = {
    "abuse": 0.85,
    "hate": 0.8,
    "threat": 0.9,
    "inflammatory": 0.85,
    "spam": 0.9,
    "commercial": 0.9,
    "donation": 0.9,
    "pii": 0.95,
    # Escalations only (the review band below is for a person to read). Recall comes first since issue 13: the
    # semantic layer escalates two near-misses here ("left out of the team photo"), and finds disclosures the
    # independent writers worded as no rule does (docs/moderation-model.md).
    "safeguarding": 0.9,
    "complaint": 0.9,
}


@pytest.fixture(scope="module")
def school_counts() -> dict[str, Counter]:
    data = yaml.safe_load((HERE / "cases_school.yaml").read_text(encoding="utf-8"))
    register = [
        RegisterPupil(i, p["first_name"], p["last_name"], name_consent=p.get("name_consent", False))
        for i, p in enumerate(data["register"])
    ]
    assert len(data["cases"]) >= 150
    counts = {c: Counter() for c in CATEGORIES}
    for case in data["cases"]:
        result = classify(case["text"], register=register if case.get("register") else None)
        got = {r.name for r in result.fired()} - {"safeguarding"}
        if decide(result) == "escalate" and result["safeguarding"].score >= DEFAULT_THRESHOLDS["safeguarding"][1]:
            got.add("safeguarding")
        for c in CATEGORIES:
            expected = c in case["categories"]
            counts[c]["tp" if expected and c in got else "fn" if expected else "fp" if c in got else "tn"] += 1
    return counts


@pytest.mark.slow
@pytest.mark.parametrize("category", CATEGORIES)
def test_school_cases_reach_the_minimum_f1_for(category, school_counts):
    k = school_counts[category]
    f1 = 2 * k["tp"] / (2 * k["tp"] + k["fp"] + k["fn"])
    assert f1 >= MINIMUM_F1[category], dict(k)


@pytest.mark.parametrize(
    "text",
    [
        "DM me for prices",
        "no",
        "Mr Barker is a disgrace",
        "knock knock, good looking equipment",
        "£5 cakes at the gate",
        "Yr 6 were brilliant",
        "",
        "Xx",
        *[case["text"] for case in yaml.safe_load((HERE / "cases_school.yaml").read_text(encoding="utf-8"))["cases"]],
    ],
)
def test_the_trigram_index_tries_exactly_the_rules_whose_triggers_occur(text):
    from safesocial.moderation import patterns

    lowered = text.lower()
    expected = [key for key, rule in enumerate(patterns.RULES) if rule.gated_in(lowered)]
    assert [key for key, _ in patterns.rules_gated_in(lowered)] == expected


def test_rules_run_on_the_lower_cased_comment_find_exactly_what_they_find_ignoring_case():
    from safesocial.moderation import patterns

    cases = yaml.safe_load((HERE / "cases_school.yaml").read_text(encoding="utf-8"))["cases"]
    texts = [case["text"] for case in cases]
    texts += [text.upper() for text in texts] + [text.title() for text in texts]
    fast = [r for r in patterns.RULES if r.lowered is not None]
    assert len(fast) > len(patterns.RULES) / 2  # most rules take the fast path
    for text in texts:
        for r in fast:
            assert [m.span() for m in r.lowered.finditer(text.lower())] == [m.span() for m in r.pattern.finditer(text)]
