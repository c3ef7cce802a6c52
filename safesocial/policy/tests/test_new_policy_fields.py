"""Issue 18's new fields: each changes what a family or a member of staff sees, or when the review opens.

Every test adopts example policy 000 with one field added (or not) and looks at the page or the item that field drives.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from safesocial.concerns.services import concern_close, concern_report
from safesocial.moderation.models import Comment
from safesocial.people.models import Trust
from safesocial.people.roles import Role
from safesocial.policy.selectors import dashboard_items, early_review_reasons
from safesocial.policy.services import policy_adopt
from safesocial.testing.people import holder
from safesocial.testing.trusts import policy_text

COMPLAINTS_URL = "https://harbourside.example.com/complaints"
WHISTLEBLOWING_URL = "https://harbourside.example.com/whistleblowing"


def adopt(trust: Trust, change: dict[str, Any]) -> Trust:
    """Adopt policy 000 with `change` merged in, one section deep (`{"review": {"early": ...}}` keeps the rest of
    the review section); None leaves a field out."""
    data = yaml.safe_load(policy_text("000"))
    for section, value in change.items():
        if isinstance(value, dict) and isinstance(data.get(section), dict):
            data[section].update(value)
            data[section] = {k: v for k, v in data[section].items() if v is not None}
        elif value is None:
            data.pop(section, None)
        else:
            data[section] = value
    policy_adopt(actor=None, trust=trust, text=yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return Trust.objects.get(pk=trust.pk)


def public_page(client, school) -> str:
    return client.get(reverse("compliance_public:school", args=[school.pk])).content.decode()


# Related policies ---------------------------------------------------------------------------------------------------


def test_related_policies_are_listed_with_their_links_on_the_staff_policy_page(trust, signed_in, teacher):
    adopt(trust, {"related_policies": None})
    page = signed_in(teacher).get(reverse("policy:document")).content.decode()
    assert "Links with other policies" not in page
    adopt(
        trust,
        {
            "related_policies": [
                {"title": "Anti-bullying policy", "url": "https://harbourside.example.com/anti-bullying"},
                {"title": "Staff code of conduct"},
            ]
        },
    )
    page = signed_in(teacher).get(reverse("policy:document")).content.decode()
    assert "Links with other policies" in page
    assert '<a href="https://harbourside.example.com/anti-bullying">Anti-bullying policy</a>' in page
    assert "<li>Staff code of conduct</li>" in page


def test_related_policies_are_listed_in_the_published_document(client, trust, seabright):
    adopt(trust, {"related_policies": [{"title": "Mobile and smart technology policy"}]})
    page = client.get(reverse("compliance_public:policy", args=[seabright.pk])).content.decode()
    assert "Mobile and smart technology policy" in page


# The complaints procedure -------------------------------------------------------------------------------------------


def test_the_public_school_page_links_the_complaints_procedure_the_policy_names(client, trust, seabright):
    assert COMPLAINTS_URL not in public_page(client, seabright)
    adopt(trust, {"complaints": {"url": COMPLAINTS_URL, "contact": "the school office, 07700 900123"}})
    page = public_page(client, seabright)
    assert f'<a href="{COMPLAINTS_URL}">read the complaints procedure</a>' in page
    assert "or contact the school office, 07700 900123" in page
    assert "ask the school office for the school's complaints procedure" not in page


def _complaint(channel) -> Comment:
    """A complaint as the classifier left it, redirected to the complaints procedure."""
    fired = [{"name": "complaint", "score": 0.9, "spans": [], "reason": "This reads as a complaint.", "fired": True}]
    return Comment.objects.create(
        channel=channel,
        external_id="stored-complaint",
        author_id="visitor-1",
        author_name="Jo Parkes",
        text="Nobody at this school answers my emails",
        created_at=timezone.now(),
        classification={"categories": fired},
        suggested_action="redirect",
        needs_review=True,
    )


def test_the_reply_suggested_to_a_complaint_points_to_the_trusts_complaints_procedure(
    trust, sandbox, signed_in, make_staff, seabright
):
    moderator = make_staff(Role.CHANNEL_ADMIN, seabright, "Mo Moderator")
    comment = _complaint(sandbox)
    url = reverse("moderation:comment", args=[comment.pk])
    assert COMPLAINTS_URL not in signed_in(moderator).get(url).content.decode()
    adopt(trust, {"complaints": {"url": COMPLAINTS_URL}})
    page = signed_in(moderator).get(url).content.decode()
    assert f"Our complaints procedure: {COMPLAINTS_URL}</textarea>" in page


# Whistleblowing, and staff's own content ----------------------------------------------------------------------------


def _guidance(client, kind: str) -> str:
    return client.get(reverse("concerns:guidance"), {"kind": kind}, headers={"HX-Request": "true"}).content.decode()


def test_staff_reporting_a_colleague_are_shown_the_whistleblowing_procedure(trust, signed_in, teacher):
    assert "whistleblowing" not in _guidance(signed_in(teacher), "staff_online_conduct")
    adopt(trust, {"whistleblowing": {"url": WHISTLEBLOWING_URL, "contact": "the chair of trustees"}})
    about_colleague = _guidance(signed_in(teacher), "staff_online_conduct")
    assert f'<a href="{WHISTLEBLOWING_URL}">read the whistleblowing procedure</a>' in about_colleague
    assert "contact the chair of trustees" in about_colleague
    # A concern about a pupil is no whistleblowing matter.
    assert "whistleblowing" not in _guidance(signed_in(teacher), "cyberbullying_of_pupil")


def test_staff_are_told_whom_to_tell_when_their_own_content_conflicts_with_their_role(trust, signed_in, teacher):
    adopt(trust, {"personal_use": {"own_content_conflict_to": None}})
    assert "conflicts with your role" not in _guidance(signed_in(teacher), "staff_online_conduct")
    adopt(trust, {"personal_use": {"own_content_conflict_to": "the leadership team"}})
    page = _guidance(signed_in(teacher), "staff_online_conduct")
    assert "If something you shared yourself conflicts with your role, tell the leadership team at once" in page
    every_kind = signed_in(teacher).get(reverse("concerns:guidance")).content.decode()
    assert "tell the leadership team at once" in every_kind


# Families ------------------------------------------------------------------------------------------------------------


def test_upcoming_esafety_meetings_are_on_the_public_page_and_past_ones_are_not(client, trust, seabright, millbrook):
    today = timezone.localdate()
    adopt(
        trust,
        {
            "parents": {
                "esafety_meetings": [
                    {"date": today + dt.timedelta(days=20), "title": "Keeping safe on games consoles"},
                    {"date": today - dt.timedelta(days=1), "title": "Last term's meeting"},
                    {"date": today + dt.timedelta(days=40), "title": "Millbrook's own evening", "school": "millbrook"},
                ]
            }
        },
    )
    page = public_page(client, seabright)
    assert "Online safety meetings for parents and carers" in page
    assert "Keeping safe on games consoles" in page
    assert "Last term&#x27;s meeting" not in page and "Last term's meeting" not in page
    assert "Millbrook's own evening" not in page and "Millbrook&#x27;s own evening" not in page
    assert "Millbrook&#x27;s own evening" in public_page(client, millbrook)


def test_without_meetings_the_public_page_has_no_meetings_section(client, seabright):
    assert "Online safety meetings" not in public_page(client, seabright)


def test_the_statement_for_families_without_social_media_is_on_the_public_page(client, trust, seabright):
    statement = "Everything we post is also sent home by letter and email, so nobody misses out."
    assert statement not in public_page(client, seabright)
    adopt(trust, {"parents": {"without_social_media": statement}})
    assert statement in public_page(client, seabright)


# The review brought forward -----------------------------------------------------------------------------------------


def _ceo_items(trust: Trust) -> list:
    return [item for item in dashboard_items(holder(trust, Role.CEO, None)) if item.title.startswith("Policy review")]


def test_new_guidance_named_in_the_policy_brings_the_review_forward_on_its_date(trust):
    today = timezone.localdate()
    published = today + dt.timedelta(days=10)
    trust = adopt(
        trust,
        {
            "review": {
                "next_review": today + dt.timedelta(days=300),
                "early": {"guidance": [{"title": "Keeping Children Safe in Education 2027", "published": published}]},
            }
        },
    )
    assert _ceo_items(trust) == []
    with freeze_time(published + dt.timedelta(days=1)):
        [item] = _ceo_items(trust)
    assert item.title == "Policy review brought forward"
    assert "Keeping Children Safe in Education 2027" in item.text
    assert item.url == reverse("policy:reviews")


def _closed_with_debrief(trust: Trust, *, policy_change: bool) -> None:
    seabright = trust.schools.get(key="seabright")
    head = holder(trust, Role.HEAD, "seabright")
    concern = concern_report(
        actor=head,
        school=seabright,
        kind="friend_request",
        summary="A friend request from a parent's account.",
        occurred_at=timezone.now() - dt.timedelta(hours=1),
    ).concern
    concern_close(
        actor=head,
        concern=concern,
        outcome="Declined.",
        lessons="Staff profiles should be private.",
        policy_change=policy_change,
        curriculum_change=False,
    )


@pytest.mark.parametrize(
    ("after_debrief", "policy_change", "brought_forward"),
    [(True, True, True), (False, True, False), (True, False, False)],
)
def test_a_debrief_saying_the_policy_should_change_brings_the_review_forward_when_the_policy_says_so(
    trust, after_debrief, policy_change, brought_forward
):
    far = timezone.localdate() + dt.timedelta(days=300)
    trust = adopt(trust, {"review": {"next_review": far, "early": {"after_debrief": after_debrief}}})
    _closed_with_debrief(trust, policy_change=policy_change)
    items = _ceo_items(trust)
    assert bool(items) is brought_forward
    assert bool(early_review_reasons(trust)) is brought_forward
    if brought_forward:
        assert "closed with a debrief saying the policy should change" in items[0].text
