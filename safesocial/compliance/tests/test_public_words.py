"""The public school page speaks to families: real links to the official channels, nothing internal (an overdue
review date), and a footer that names the school's designated safeguarding lead rather than staff shorthand."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

pytestmark = [pytest.mark.django_db]


def test_an_overdue_review_date_is_not_shown_to_the_public(client, seabright):
    due = seabright.trust.policy.review.next_review
    with freeze_time(due.replace(year=due.year + 1)):
        text = client.get(reverse("compliance_public:school", args=[seabright.pk])).content.decode()
    assert f"{due:%-d %B %Y}" not in text
    assert "Next review by" not in text


def test_the_footer_names_the_schools_safeguarding_lead_for_families(client, seabright):
    text = client.get(reverse("compliance_public:school", args=[seabright.pk])).content.decode()
    footer = text[text.index("<footer") :]
    assert "the school's designated safeguarding lead" in footer
    assert "your designated safeguarding lead" not in footer
    dsl = next(c for c in seabright.trust.policy.contacts if "dsl" in c.roles and c.school in (None, "seabright"))
    assert dsl.email in footer
