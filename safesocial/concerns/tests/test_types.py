from safesocial.concerns.types import (
    BY_KEY,
    DEFAULT_GUIDANCE,
    account_key,
    guidance_for,
    normalise_handle,
    retention_years_for,
)


def test_every_kind_the_issue_names_exists():
    for key in [
        "contact_from_pupil_or_parent",
        "friend_request",
        "cyberbullying_of_pupil",
        "cyberbullying_of_staff",
        "inappropriate_content",
        "pupil_online_behaviour",
        "parent_post",
        "staff_online_conduct",
        "ai_misuse",
        "underage_account",
        "criticism_of_school",
        "comment_disclosure",
        "comment_threat",
    ]:
        assert key in BY_KEY


def test_guidance_falls_back_to_the_broader_kind_the_policy_names(trust):
    policy = trust.policy  # policy 000 writes guidance for "cyberbullying" and "contact_from_pupil_or_parent"
    text, source = guidance_for("cyberbullying_of_pupil", policy)
    assert source == "policy" and text.startswith("Never respond or retaliate")
    text, source = guidance_for("friend_request", policy)
    assert source == "policy" and "personal account" in text


def test_guidance_falls_back_to_safesocial_advice_when_the_policy_says_nothing(trust):
    text, source = guidance_for("pupil_online_behaviour", trust.policy)
    assert source == "SafeSocial" and text == DEFAULT_GUIDANCE


def test_retention_reads_the_policy_by_kind_then_default(trust):
    assert retention_years_for("staff_online_conduct", trust.policy) == 10
    assert retention_years_for("friend_request", trust.policy) == 25


def test_an_account_is_the_same_however_it_was_typed():
    assert normalise_handle("@Jo.Bloggs ") == "jo.bloggs"
    assert normalise_handle("https://www.instagram.com/jo.bloggs/") == "jo.bloggs"
    assert account_key("facebook", "Jo Bloggs") == account_key("facebook", "jo bloggs") == "facebook:jobloggs"
    assert account_key("facebook", "  ") == ""
