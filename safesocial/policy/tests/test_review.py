"""The annual review: reminders on the policy's days, a draft with its differences, approval only by the role the
policy names, a new version with its history entry, and the governing body noting it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.concerns.services import concern_close, concern_report
from safesocial.people.roles import Role
from safesocial.policy import services
from safesocial.policy.diff import field_changes, line_diff
from safesocial.policy.loader import parse_policy
from safesocial.policy.models import PolicyReview, ReviewReminder, ReviewStatus
from safesocial.policy.selectors import dashboard_items
from safesocial.testing.channels import make_channel
from safesocial.testing.trusts import policy_text

DUE = dt.date(2026, 9, 1)  # review.next_review in example policy 000


@pytest.fixture
def governor(make_staff):
    """A trustee: a governor across the trust, who records that the board noted the review."""
    return make_staff(Role.GOVERNOR, None, "Gwen Trustee")


@pytest.fixture
def review(trust, ceo):
    return services.review_start(actor=ceo, trust=trust)


def ceo_approves_channels(text: str) -> str:
    return text.replace("  approver: head\n", "  approver: ceo\n", 1)


def test_reminders_go_once_on_each_of_the_policys_days(trust, ceo, mailoutbox, django_capture_on_commit_callbacks):
    sent_on = []
    day = DUE - dt.timedelta(days=90)
    with django_capture_on_commit_callbacks(execute=True):
        while day <= DUE + dt.timedelta(days=5):
            for _ in range(2):  # the scheduler runs twice on the same day: still one reminder
                if services.review_reminders_send(trust=trust, today=day):
                    sent_on.append(day)
            day += dt.timedelta(days=1)
    assert sent_on == [dt.date(2026, 7, 2), dt.date(2026, 8, 2), dt.date(2026, 8, 25), dt.date(2026, 8, 31)]
    assert len(mailoutbox) == 4
    assert ceo.email in mailoutbox[0].to
    assert "m.ashdown@harbourside.example.com" in mailoutbox[0].to  # the trust's DSL: reminders_to names dsl
    assert "tomorrow" in mailoutbox[-1].subject
    assert reverse("policy:reviews") in mailoutbox[0].body
    assert ReviewReminder.objects.count() == 4


def test_a_missed_day_is_made_up_once_with_the_latest_reminder_only(trust, mailoutbox):
    # The scheduler was down from two months before until a week before: one reminder, the week's.
    reminder = services.review_reminders_send(trust=trust, today=DUE - dt.timedelta(days=5))
    assert reminder.days_before == 7
    assert services.review_reminders_send(trust=trust, today=DUE - dt.timedelta(days=4)) is None


def test_the_remind_command_sends_the_days_reminder(trust, capsys):
    call_command("policy", "remind", "--today", "2026-08-02")
    assert "sent the review reminder (30 days before" in capsys.readouterr().out
    call_command("policy", "remind", "--today", "2026-08-02")
    assert "no review reminder due" in capsys.readouterr().out


def test_a_review_starts_from_the_version_in_force(review, trust, ceo):
    assert review.status == ReviewStatus.DRAFT
    assert review.draft_text == trust.policy_version.text
    assert review.review_due == DUE
    with pytest.raises(ValidationError, match="already in progress"):
        services.review_start(actor=ceo, trust=trust)


def test_a_teacher_cannot_start_a_review(trust, teacher):
    with pytest.raises(PermissionDenied):
        services.review_start(actor=teacher, trust=trust)


def test_a_draft_with_mistakes_is_kept_and_its_mistakes_name_field_and_line(review, ceo):
    bad = review.draft_text.replace("  approver: head\n", "  approver: caretaker\n", 1)
    problems = services.review_save(actor=ceo, review=review, text=bad, change_note="")
    review.refresh_from_db()
    assert review.draft_text == bad  # nothing lost
    (problem,) = problems
    assert problem.field == "channels.approver"
    assert bad.splitlines()[problem.line - 1].strip() == "approver: caretaker"
    with pytest.raises(ValidationError, match=r"channels\.approver"):
        services.review_submit(actor=ceo, review=review)


def test_the_summary_names_each_changed_rule_in_plain_english():
    old = parse_policy(policy_text("000"))
    new = parse_policy(ceo_approves_channels(policy_text("000")).replace("quiz_pass_mark: 80", "quiz_pass_mark: 90"))
    sentences = [c.sentence for c in field_changes(old, new)]
    assert "Who signs off a new channel: the headteacher → the CEO" in sentences


def test_the_line_difference_marks_additions_and_removals():
    (hunk,) = line_diff("a\nb\nc\n", "a\nB\nc\nd\n", context=1)
    kinds = [(line.kind, line.text) for line in hunk.lines]
    assert kinds == [("same", "a"), ("removed", "b"), ("added", "B"), ("same", "c"), ("added", "d")]
    assert [line.word for line in hunk.lines][1:3] == ["Removed", "Added"]


def test_a_review_approved_by_someone_the_policy_does_not_name_is_refused(review, ceo, head, trust):
    services.review_submit(actor=ceo, review=review)
    with pytest.raises(PermissionDenied, match="Only the chief executive officer can approve"):
        services.review_approve(actor=head, review=review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert trust.policy_versions.count() == 1


def test_approval_adopts_a_new_version_with_its_history_entry(review, ceo, trust):
    services.review_save(
        actor=ceo, review=review, text=ceo_approves_channels(review.draft_text), change_note="The CEO approves channels"
    )
    services.review_submit(actor=ceo, review=review)
    today = timezone.localdate()
    version = services.review_approve(actor=ceo, review=review)

    assert version.number == 2
    policy = version.policy
    assert policy.channels.approver == Role.CEO
    last = policy.document.history[-1]
    assert (last.date, last.by) == (today, "Chief executive officer")
    assert last.event == "Reviewed and approved by the chief executive officer: The CEO approves channels"
    assert policy.document.approved_on == today
    assert policy.review.next_review > today and policy.review.next_review.month == 9  # a year on, in September
    assert "# " in version.text  # the trust's comments survive
    sentences = [c.sentence for c in field_changes(review.base_version.policy, policy)]
    assert f"Next review: 2026-09-01 → {policy.review.next_review.isoformat()}" in sentences
    assert any(s.startswith(f"Document history: added ({today.isoformat()}: Reviewed and approved") for s in sentences)
    review.refresh_from_db()
    assert (review.status, review.adopted_version) == (ReviewStatus.APPROVED, version)
    assert AuditEntry.objects.filter(action="policy_review.approve", object_id=str(review.pk)).exists()


def test_approval_keeps_a_next_review_date_the_draft_set(review, ceo):
    text = review.draft_text.replace("next_review: 2026-09-01", "next_review: 2027-03-01")
    services.review_save(actor=ceo, review=review, text=text, change_note="")
    services.review_submit(actor=ceo, review=review)
    assert services.review_approve(actor=ceo, review=review).policy.review.next_review == dt.date(2027, 3, 1)


def test_the_approver_can_send_a_draft_back_with_reasons(review, ceo):
    services.review_submit(actor=ceo, review=review)
    services.review_return(actor=ceo, review=review, note="Add the new AI guidance")
    review.refresh_from_db()
    assert (review.status, review.returned_note) == (ReviewStatus.DRAFT, "Add the new AI guidance")


def test_the_governing_body_notes_the_approved_review(review, ceo, governor, head):
    services.review_submit(actor=ceo, review=review)
    services.review_approve(actor=ceo, review=review)
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.review_note(actor=head, review=review, noted_on=today)
    with pytest.raises(ValidationError, match="future"):
        services.review_note(actor=governor, review=review, noted_on=today + dt.timedelta(days=1))
    services.review_note(actor=governor, review=review, noted_on=today, minute="Minute 7")
    review.refresh_from_db()
    assert (review.status, review.noted_on, review.noted_body) == (ReviewStatus.NOTED, today, "Trust Board")
    with pytest.raises(ValidationError):
        services.review_note(actor=governor, review=review, noted_on=today)


def test_a_review_cannot_be_noted_before_it_is_approved(review, ceo, governor):
    with pytest.raises(ValidationError):
        services.review_note(actor=governor, review=review, noted_on=timezone.localdate())
    assert PolicyReview.objects.get().status == ReviewStatus.DRAFT


def test_dashboard_says_overdue_then_waiting_for_approval_then_waiting_to_be_noted(trust, ceo, governor, teacher):
    (item,) = dashboard_items(ceo)
    assert item.title == "Policy review overdue" and item.tone == "bad"
    assert dashboard_items(teacher) == []
    review = services.review_start(actor=ceo, trust=trust)
    services.review_submit(actor=ceo, review=review)
    assert [i.title for i in dashboard_items(ceo)] == ["Policy review waiting for your approval"]
    services.review_approve(actor=ceo, review=review)
    ceo.trust.__dict__.pop("policy_version", None)
    assert dashboard_items(ceo) == []
    assert [i.title for i in dashboard_items(governor)] == ["Policy review waiting to be noted"]


# Views -----------------------------------------------------------------------------------------------------------


def test_review_pages_need_sign_in(client, review):
    for url in (reverse("policy:reviews"), reverse("policy:review", args=[review.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_teacher_cannot_see_the_review(signed_in, teacher, review):
    assert signed_in(teacher).get(reverse("policy:review", args=[review.pk])).status_code == 404


def test_the_review_page_opens_with_the_year_and_shows_the_draft(signed_in, ceo, review):
    response = signed_in(ceo).get(reverse("policy:review", args=[review.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "What the year brought" in page and "Comments moderated" in page
    assert "Edit the draft" in page and "approver: head" in page


def test_the_review_page_takes_the_same_queries_for_a_quiet_year_and_a_busy_one(
    signed_in, ceo, head, seabright, review, make_staff, same_queries
):
    client = signed_in(ceo)
    url = reverse("policy:review", args=[review.pk])
    client.get(url)

    def a_busy_year():
        admin = make_staff(Role.CHANNEL_ADMIN, seabright, "Ada Admin")
        for n in range(3):
            make_channel(admin, head, seabright, name=f"Seabright channel {n}")
            concern = concern_report(
                actor=head, school=seabright, kind="friend_request", summary=f"Request {n}"
            ).concern
            concern_close(
                actor=head,
                concern=concern,
                outcome="Advice given.",
                lessons=f"Lesson {n}: remind parents about privacy settings.",
                policy_change=True,
                curriculum_change=False,
            )

    page = same_queries(15, lambda: client.get(url), a_busy_year).content.decode()
    assert "What the year brought" in page


def test_saving_a_broken_draft_shows_the_field_and_line_and_keeps_the_text(signed_in, ceo, review):
    bad = review.draft_text.replace("  approver: head\n", "  approver: caretaker\n", 1)
    response = signed_in(ceo).post(
        reverse("policy:review_save", args=[review.pk]), {"text": bad, "change_note": "mine"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "channels.approver" in page and "line " in page
    assert "approver: caretaker" in page  # what they typed is still in the editor
    assert 'href="#id_text"' in page


def test_the_diff_page_shows_the_summary_after_saving(signed_in, ceo, review):
    client = signed_in(ceo)
    response = client.post(
        reverse("policy:review_save", args=[review.pk]),
        {"text": ceo_approves_channels(review.draft_text), "change_note": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "Who signs off a new channel: the headteacher → the CEO" in page
    assert "Removed: " in page and "Added: " in page


def test_someone_else_pressing_approve_gets_a_clear_refusal(signed_in, ceo, make_staff, review):
    services.review_submit(actor=ceo, review=review)
    trust_dsl = make_staff(Role.DSL, None, "Dana Lead")  # reminded of the review, but not its approver
    response = signed_in(trust_dsl).post(reverse("policy:review_approve", args=[review.pk]), follow=True)
    assert "Only the chief executive officer can approve" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED


def test_policy_pages_show_the_review_record(signed_in, ceo, governor, review, trust):
    services.review_submit(actor=ceo, review=review)
    services.review_approve(actor=ceo, review=review)
    services.review_note(actor=governor, review=review, noted_on=timezone.localdate())
    page = signed_in(ceo).get(reverse("policy:document")).content.decode()
    assert "Reviewed and approved by the chief executive officer" in page
    assert "noted by the Trust Board" in page


@pytest.mark.parametrize("history", ["  history: []  # none yet\n", ""])
def test_the_history_entry_is_added_to_an_empty_or_missing_history(history):
    from safesocial.policy.yamledit import append_history, set_value

    text = policy_text("000")
    start = text.index("  history:\n")
    end = text.index("\nreview:") + 1
    text = text[:start] + history + text[end:]
    edited = set_value(
        append_history(text, dt.date(2026, 11, 21), "Reviewed", "Chief executive officer"),
        ("review", "next_review"),
        dt.date(2027, 9, 1),
    )
    policy = parse_policy(edited)
    assert [(h.date, h.event) for h in policy.document.history] == [(dt.date(2026, 11, 21), "Reviewed")]
    assert policy.review.next_review == dt.date(2027, 9, 1)


def test_the_review_opens_with_lessons_from_closed_concerns(signed_in, ceo, review, trust, seabright):
    from safesocial.concerns.models import Concern

    closed = timezone.now()
    Concern.objects.create(
        trust=trust,
        school=seabright,
        kind="comment_threat",
        summary="Something no review should quote",
        source="moderation",
        status="closed",
        closed_at=closed,
        lessons="Moderators need a weekend rota",
        policy_change=True,
    )
    page = signed_in(ceo).get(reverse("policy:review", args=[review.pk])).content.decode()
    assert "Moderators need a weekend rota" in page
    assert "Something no review should quote" not in page
