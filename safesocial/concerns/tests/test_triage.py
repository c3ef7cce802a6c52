"""Triage: every concern has a level from the trust's own scale, set from the reporter's answers and confirmed (or
changed) by the DSL; immediate risk reaches every receiver at once and is chased until someone acknowledges it."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.concerns import selectors, services
from safesocial.concerns.models import Concern, EntryKind
from safesocial.concerns.selectors import Filters
from safesocial.concerns.services import People
from safesocial.policy.services import trust_create_from_policy
from safesocial.testing.trusts import POLICY_FILES, policy_text

WHEN = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def reported(actor, school, *, at_risk_now="", harm_likely="", kind="friend_request", **kw):
    kw.setdefault("summary", "Lily said her stepdad hits her")
    return services.concern_report(
        actor=actor, school=school, kind=kind, at_risk_now=at_risk_now, harm_likely=harm_likely, **kw
    ).concern


def aged(concern, minutes):
    """As though the concern had been raised (and triaged) `minutes` ago."""
    moment = timezone.now() - dt.timedelta(minutes=minutes)
    Concern.objects.filter(pk=concern.pk).update(created_at=moment, triaged_at=moment)
    concern.refresh_from_db()
    return concern


# The level, from the reporter's answers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at_risk_now", "harm_likely", "level"),
    [
        ("yes", "", "immediate"),
        ("not_sure", "no", "significant"),
        ("no", "yes", "significant"),
        ("no", "not_sure", "significant"),
        ("no", "no", "low"),
        ("", "", "significant"),  # nobody answered (the public form left blank): a DSL looks today
    ],
)
def test_the_reporters_answers_set_the_level_on_the_default_scale(
    assistant, seabright, at_risk_now, harm_likely, level
):
    concern = reported(assistant, seabright, at_risk_now=at_risk_now, harm_likely=harm_likely)
    assert concern.triage_level == level
    assert concern.triage_confirmed_at is None
    entry = concern.chronology.get(kind=EntryKind.REPORTED)
    assert selectors.level_label(concern) in entry.text


def test_the_trusts_own_scale_is_used_when_its_policy_names_one(db):
    text = policy_text("000").replace(
        "  retention_years:\n",
        "  triage_levels:\n"
        "    - {key: red, label: Red - act now, means: immediate}\n"
        "    - {key: amber, label: Amber - today, means: significant}\n"
        "    - {key: green, label: Green - this week, means: low}\n"
        "  chase_unacknowledged_minutes: 5\n"
        "  retention_years:\n",
        1,
    )
    trust = trust_create_from_policy(actor=None, text=text, source=POLICY_FILES["000"].name)
    school = trust.schools.get(key="seabright")
    from safesocial.people.models import User

    reporter = User.objects.filter(role_assignments__school=school).first()
    assert reported(reporter, school, at_risk_now="yes").triage_level == "red"
    low = reported(reporter, school, at_risk_now="no", harm_likely="no")
    assert low.triage_level == "green" and selectors.level_label(low) == "Green - this week"
    assert trust.policy.concerns.chase_unacknowledged_minutes == 5


def test_a_scale_without_a_level_for_immediate_risk_is_refused(db):
    from safesocial.policy.loader import PolicyInvalid, parse_policy

    text = policy_text("000").replace(
        "  retention_years:\n",
        "  triage_levels:\n    - {key: amber, label: Amber, means: significant}\n  retention_years:\n",
        1,
    )
    with pytest.raises(PolicyInvalid, match="immediate"):
        parse_policy(text)


def test_a_disclosure_raised_by_moderation_is_immediate_risk_and_tops_the_dsls_list(
    trust, seabright, assistant, head, django_capture_on_commit_callbacks
):
    reported(assistant, seabright, at_risk_now="yes", summary="An older immediate concern")
    with django_capture_on_commit_callbacks(execute=True):
        disclosure = services.concern_raise_from_comment(
            trust=trust,
            school=seabright,
            kind="comment_disclosure",
            summary="A comment may disclose a risk to a child.",
        )
    reported(assistant, seabright, at_risk_now="no", harm_likely="no")
    assert disclosure.triage_level == "immediate"
    top = list(selectors.concern_list(head, Filters()))
    assert [c.triage_level for c in top] == ["immediate", "immediate", "low"]
    assert any("urgent" in m.subject.lower() for m in mail.outbox)


# Immediate risk reaches everyone at once ---------------------------------------------------------------------------


def test_immediate_risk_emails_every_receiver_that_it_is_urgent_and_nothing_else(
    assistant, seabright, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = reported(assistant, seabright, at_risk_now="yes", summary="Lily Fenwick said her stepdad hits her")
    receivers = {u.email for u in selectors.receivers(concern)}
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == receivers and len(receivers) >= 2
    for message in sent.values():
        assert "urgent" in message.subject.lower()
        assert f"/concerns/{concern.pk}/" in message.body
        for secret in ("Lily", "Fenwick", "stepdad", "hits", "Facebook", "friend"):
            assert secret not in message.body and secret not in message.subject


def test_a_low_concern_sends_the_ordinary_email_not_an_urgent_one(
    assistant, seabright, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reported(assistant, seabright, at_risk_now="no", harm_likely="no")
    assert mail.outbox and not any("urgent" in m.subject.lower() for m in mail.outbox)


def test_the_dashboard_shows_receivers_a_banner_until_someone_acknowledges(
    signed_in, assistant, seabright, head, trust_lead, outsider
):
    concern = reported(assistant, seabright, at_risk_now="yes")
    banner = "An urgent safeguarding concern has not been acknowledged"
    assert banner in signed_in(head).get(reverse("dashboard")).content.decode()
    assert banner in signed_in(trust_lead).get(reverse("dashboard")).content.decode()
    assert banner not in signed_in(outsider).get(reverse("dashboard")).content.decode()
    assert banner not in signed_in(assistant).get(reverse("dashboard")).content.decode()
    services.concern_acknowledge(actor=trust_lead, concern=concern)
    assert banner not in signed_in(head).get(reverse("dashboard")).content.decode()


def test_the_banner_never_shows_a_concern_about_the_viewer(make_staff, seabright, assistant, head, ceo):
    """Policy 000: a concern about the head goes to the CEO; the head must not learn of it from a banner."""
    reported(assistant, seabright, at_risk_now="yes", kind="staff_online_conduct", people=People(staff_subjects=[head]))
    assert not selectors.urgent_unacknowledged(head).exists()
    assert selectors.urgent_unacknowledged(ceo).exists()


# Confirming or changing the level ----------------------------------------------------------------------------------


def test_the_dsl_confirms_the_level_and_that_acknowledges_it(assistant, seabright, head):
    concern = reported(assistant, seabright, at_risk_now="yes")
    services.concern_triage(actor=head, concern=concern, level="immediate", reason="")
    concern.refresh_from_db()
    assert concern.triage_confirmed_by == head and concern.acknowledged_by == head
    assert AuditEntry.objects.filter(action="concern.triage", object_id=str(concern.pk)).exists()
    assert "Level confirmed: Immediate risk of harm" in concern.chronology.filter(kind=EntryKind.TRIAGE).get().text


def test_the_dsl_changes_the_level_with_a_reason_and_a_change_without_one_is_refused(assistant, seabright, head):
    concern = reported(assistant, seabright, at_risk_now="no", harm_likely="yes")
    with pytest.raises(ValidationError) as no_reason:
        services.concern_triage(actor=head, concern=concern, level="low", reason="  ")
    assert "reason" in no_reason.value.error_dict
    with pytest.raises(ValidationError) as unknown:
        services.concern_triage(actor=head, concern=concern, level="purple", reason="x")
    assert "level" in unknown.value.error_dict
    services.concern_triage(actor=head, concern=concern, level="low", reason="Spoke to the TA: no child involved.")
    concern.refresh_from_db()
    assert concern.triage_level == "low"
    entry = concern.chronology.get(kind=EntryKind.TRIAGE)
    assert "Significant" in entry.text and "Low" in entry.text and "no child involved" in entry.text
    audit = AuditEntry.objects.get(action="concern.triage", object_id=str(concern.pk))
    assert audit.changes["triage_level"] == ["significant", "low"]


def test_raising_a_concern_to_immediate_risk_tells_the_other_receivers_at_once(
    assistant, seabright, head, django_capture_on_commit_callbacks
):
    concern = reported(assistant, seabright, at_risk_now="no", harm_likely="yes")
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_triage(actor=head, concern=concern, level="immediate", reason="The child was seen today.")
    urgent = [m.to[0] for m in mail.outbox if "urgent" in m.subject.lower()]
    assert urgent and head.email not in urgent


def test_someone_the_policy_does_not_name_cannot_triage_or_acknowledge(assistant, seabright, outsider):
    concern = reported(assistant, seabright, at_risk_now="yes")
    with pytest.raises(PermissionDenied):
        services.concern_triage(actor=outsider, concern=concern, level="low", reason="no")
    with pytest.raises(PermissionDenied):
        services.concern_acknowledge(actor=assistant, concern=concern)


# The chase ---------------------------------------------------------------------------------------------------------


def test_an_unacknowledged_immediate_concern_is_chased_once_after_the_policys_minutes(
    assistant, seabright, django_capture_on_commit_callbacks
):
    concern = aged(reported(assistant, seabright, at_risk_now="yes"), 14)
    assert services.concerns_chase() == []
    aged(concern, 16)
    with django_capture_on_commit_callbacks(execute=True):
        chased = services.concerns_chase()
    assert chased == [concern]
    assert {m.to[0] for m in mail.outbox} == {u.email for u in selectors.receivers(concern)}
    assert all("not been acknowledged" in m.body and "Lily" not in m.body for m in mail.outbox)
    assert AuditEntry.objects.filter(action="concern.chase", object_id=str(concern.pk)).count() == 1
    assert concern.chronology.filter(kind=EntryKind.CHASED).count() == 1
    assert services.concerns_chase() == []  # once only


def test_acknowledged_closed_or_less_urgent_concerns_are_not_chased(assistant, seabright, head):
    acknowledged = aged(reported(assistant, seabright, at_risk_now="yes"), 30)
    services.concern_acknowledge(actor=head, concern=acknowledged)
    aged(reported(assistant, seabright, at_risk_now="no", harm_likely="yes"), 30)
    assert services.concerns_chase() == []


def test_the_chase_runs_from_the_command_line(assistant, seabright, capsys):
    aged(reported(assistant, seabright, at_risk_now="yes"), 20)
    call_command("concerns", "chase")
    assert "chased 1 urgent concern" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="concern.chase").count() == 1


# The list ----------------------------------------------------------------------------------------------------------


def test_the_list_sorts_by_level_then_age_and_shows_reporter_and_next_action(
    signed_in, assistant, seabright, head, deputy_dsl
):
    low_old = aged(reported(assistant, seabright, at_risk_now="no", harm_likely="no"), 60 * 24 * 3)
    significant = reported(assistant, seabright, at_risk_now="not_sure")
    urgent_new = reported(assistant, seabright, at_risk_now="yes")
    urgent_old = aged(reported(assistant, seabright, at_risk_now="yes"), 90)
    services.action_add(
        actor=head,
        concern=significant,
        description="Call the parent back",
        assigned_to=deputy_dsl,
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    assert [c.pk for c in selectors.concern_list(head, Filters())] == [
        urgent_old.pk,
        urgent_new.pk,
        significant.pk,
        low_old.pk,
    ]
    body = signed_in(head).get(reverse("concerns:list")).content.decode()
    assert body.index(f"Concern {urgent_old.pk}<") < body.index(f"Concern {low_old.pk}<")
    assert "Tara Assistant" in body and "Immediate risk of harm" in body
    assert "Call the parent back" in body and "1 overdue" in body


def test_the_list_marks_what_is_new_since_the_receivers_last_visit(signed_in, assistant, seabright, head):
    seen = aged(reported(assistant, seabright), 120)
    client = signed_in(head)
    client.get(reverse("concerns:list"))
    # The visit was more than half an hour ago: the next look is a new visit.
    from safesocial.concerns.models import ListVisit

    ListVisit.objects.filter(user=head).update(last_at=timezone.now() - dt.timedelta(hours=1))
    fresh = reported(assistant, seabright)
    body = client.get(reverse("concerns:list")).content.decode()
    assert f'id="new-{fresh.pk}"' in body and f'id="new-{seen.pk}"' not in body
    # Filtering a moment later is the same visit: what was new stays marked.
    again = client.get(reverse("concerns:list") + "?status=open").content.decode()
    assert f'id="new-{fresh.pk}"' in again


def test_the_list_takes_the_same_queries_for_one_concern_with_an_action_and_eleven(
    signed_in, assistant, seabright, head, deputy_dsl, same_queries
):
    def add(n):
        for _ in range(n):
            c = reported(assistant, seabright, at_risk_now="not_sure")
            services.action_add(
                actor=head, concern=c, description="Check", assigned_to=deputy_dsl, due_on=timezone.localdate()
            )

    client = signed_in(head)
    add(1)
    client.get(reverse("concerns:list"))
    page = same_queries(18, lambda: client.get(reverse("concerns:list")), lambda: add(10)).content.decode()
    assert page.count("Check") >= 11


def test_the_filters_fold_away_in_a_details_element_and_open_when_one_is_used(signed_in, assistant, seabright, head):
    reported(assistant, seabright)
    client = signed_in(head)
    body = client.get(reverse("concerns:list")).content.decode()
    assert '<details class="filters">' in body and 'name="q"' in body
    assert '<details class="filters" open>' in client.get(reverse("concerns:list") + "?status=open").content.decode()


# The views ---------------------------------------------------------------------------------------------------------


def test_the_report_form_asks_whether_a_child_is_at_risk_now(signed_in, assistant, seabright):
    client = signed_in(assistant)
    assert "Is a child at risk of harm right now?" in client.get(reverse("concerns:report")).content.decode()
    data = {
        "kind": "cyberbullying_of_pupil",
        "school": seabright.pk,
        "summary": "A pupil showed me threats.",
        "occurred_at": WHEN,
        "at_risk_now": "yes",
        "harm_likely": "yes",
    }
    client.post(reverse("concerns:report"), data)
    assert Concern.objects.get().triage_level == "immediate"


def test_the_triage_form_works_for_the_dsl(signed_in, assistant, seabright, head):
    concern = reported(assistant, seabright, at_risk_now="yes")
    client = signed_in(head)
    page = client.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert "Not yet confirmed" in page and 'action="' + reverse("concerns:triage", args=[concern.pk]) in page
    response = client.post(reverse("concerns:triage", args=[concern.pk]), {"level": "significant", "reason": ""})
    assert response.status_code == 400 and "Say why the level changes" in response.content.decode()
    response = client.post(
        reverse("concerns:triage", args=[concern.pk]), {"level": "significant", "reason": "Child is safe at school."}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.triage_level == "significant" and concern.triage_confirmed_by == head


def test_the_triage_form_needs_sign_in(client, assistant, seabright):
    concern = reported(assistant, seabright)
    response = client.post(reverse("concerns:triage", args=[concern.pk]), {"level": "low", "reason": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_triage_form_is_hidden_from_an_outsider_and_the_reporter(signed_in, outsider, assistant, seabright):
    concern = reported(assistant, seabright)
    for person in (outsider, assistant):
        response = signed_in(person).post(
            reverse("concerns:triage", args=[concern.pk]), {"level": "low", "reason": "x"}
        )
        assert response.status_code == 404
    concern.refresh_from_db()
    assert concern.triage_level == "significant"


def test_acknowledging_works_for_a_receiver(signed_in, assistant, seabright, head):
    concern = reported(assistant, seabright, at_risk_now="yes")
    client = signed_in(head)
    assert "I am dealing with it" in client.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert client.post(reverse("concerns:acknowledge", args=[concern.pk])).status_code == 302
    concern.refresh_from_db()
    assert concern.acknowledged_by == head
    assert AuditEntry.objects.filter(action="concern.acknowledge", object_id=str(concern.pk)).exists()


def test_acknowledging_needs_sign_in(client, assistant, seabright):
    concern = reported(assistant, seabright, at_risk_now="yes")
    response = client.post(reverse("concerns:acknowledge", args=[concern.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_acknowledging_is_hidden_from_an_outsider(signed_in, outsider, assistant, seabright):
    concern = reported(assistant, seabright, at_risk_now="yes")
    assert signed_in(outsider).post(reverse("concerns:acknowledge", args=[concern.pk])).status_code == 404
    concern.refresh_from_db()
    assert concern.acknowledged_at is None
