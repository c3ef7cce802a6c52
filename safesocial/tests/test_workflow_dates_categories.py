"""The small shared pieces the apps used to copy: a workflow's move, a date some months on, the moderation
categories."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from safesocial.dates import add_months
from safesocial.governors.report import CATEGORY_LABELS
from safesocial.moderation import classifier, thresholds
from safesocial.policy.categories import CATEGORIES, Category
from safesocial.policy.schema import Moderation
from safesocial.publishing.models import POST_TRANSITIONS, Post, PostStatus
from safesocial.registers.models import FRIENDSHIP_TRANSITIONS, FriendshipDeclaration, FriendshipStatus
from safesocial.workflow import move

POST_REFUSAL = "A post that is {now} cannot become {to}."


def test_a_move_the_table_allows_changes_the_status_and_leaves_saving_to_the_service():
    post = Post(status=PostStatus.DRAFT)
    move(post, PostStatus.SUBMITTED, transitions=POST_TRANSITIONS, refusal=POST_REFUSAL)
    assert post.status == PostStatus.SUBMITTED and post.pk is None


def test_a_move_the_table_does_not_allow_is_refused_in_the_apps_own_words_naming_both_states():
    post = Post(status=PostStatus.PUBLISHED)
    with pytest.raises(ValidationError) as refused:
        move(post, PostStatus.DRAFT, transitions=POST_TRANSITIONS, refusal=POST_REFUSAL)
    assert refused.value.messages == ["A post that is published cannot become draft."]
    assert post.status == PostStatus.PUBLISHED


def test_a_register_entry_refuses_a_move_in_the_plain_words_every_register_uses():
    declaration = FriendshipDeclaration(status=FriendshipStatus.WITHDRAWN)
    with pytest.raises(ValidationError) as refused:
        move(declaration, FriendshipStatus.DECIDED, transitions=FRIENDSHIP_TRANSITIONS)
    assert refused.value.messages == ["This is already withdrawn (no longer applies): it cannot change that way now."]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 3, 15), 1, dt.date(2026, 4, 15)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),  # a shorter month: its last day
        (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),  # a leap day, a year on
        (dt.date(2027, 2, 28), 12, dt.date(2028, 2, 28)),  # never pushed on to the 29th
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),  # across the year's end
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),  # backwards, as the review's year looks back
        (dt.date(2026, 1, 10), -13, dt.date(2024, 12, 10)),
        (dt.date(2026, 5, 20), 0, dt.date(2026, 5, 20)),
    ],
)
def test_a_date_some_months_on_is_the_same_day_or_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


def test_the_policy_the_classifier_and_the_governors_report_read_one_list_of_categories():
    assert thresholds.CATEGORIES is CATEGORIES and classifier.CATEGORIES is CATEGORIES
    assert tuple(c.value for c in Category) == CATEGORIES and len(CATEGORIES) == 10
    assert all(CATEGORY_LABELS[c] == Category(c).label for c in CATEGORIES)


def test_a_policy_naming_a_category_outside_the_list_is_refused_with_the_list():
    with pytest.raises(ValueError, match="unknown moderation categories \\['gossip'\\]; choose from") as refused:
        Moderation.model_validate({"categories": {"gossip": {"action": "hide", "threshold": 0.5}}})
    assert all(c in str(refused.value) for c in CATEGORIES)
