"""Training records, who is overdue, the quiz written from the trust's own policy, and channel access."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safesocial.compliance import quiz, selectors, services
from safesocial.compliance.models import QUIZ_TOPIC, QuizAttempt, TrainingKind, TrainingRecord, TrainingStatus
from safesocial.people.roles import Role
from safesocial.policy.services import policy_adopt, trust_create_from_policy
from safesocial.testing.compliance import train
from safesocial.testing.trusts import policy_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def record(actor, member, **changes):
    fields = {
        "topic": member.trust.policy.training.topics[0],
        "kind": TrainingKind.INDUCTION,
        "completed_on": dt.date.today() - dt.timedelta(days=3),
        "provider": "In-house INSET",
        "note": "Sign-in sheet kept by the office.",
    } | changes
    return services.training_record(actor=actor, user=member, **fields)


def test_training_recorded_by_the_head_counts_at_once(head, teacher):
    entry = record(head, teacher)
    assert entry.status == TrainingStatus.CONFIRMED and entry.decided_by == head
    assert selectors.training_current(teacher)


def test_training_a_member_of_staff_records_for_themselves_waits_for_confirmation(head, teacher):
    entry = record(teacher, teacher, evidence=SimpleUploadedFile("certificate.pdf", b"%PDF-1.4 test"), note="")
    assert entry.status == TrainingStatus.PENDING and entry.evidence
    assert not selectors.training_current(teacher)
    assert list(selectors.pending_for(head)) == [entry]
    services.training_decide(actor=head, record=entry, confirm=True)
    assert selectors.training_current(teacher)
    with pytest.raises(ValidationError, match="already confirmed"):
        services.training_decide(actor=head, record=entry, confirm=False)


def test_nobody_confirms_their_own_training(head):
    entry = record(head, head)
    with pytest.raises(PermissionDenied):
        services.training_decide(actor=head, record=entry, confirm=True)


def test_a_teacher_cannot_record_a_colleagues_training(teacher, make_staff, seabright):
    colleague = make_staff(Role.TEACHER, seabright, "Cora Colleague")
    with pytest.raises(PermissionDenied):
        record(teacher, colleague)


def test_another_schools_safeguarding_lead_cannot_confirm_seabright_training(dsl, teacher):
    entry = record(teacher, teacher)
    assert entry not in selectors.pending_for(dsl)
    with pytest.raises(PermissionDenied):
        services.training_decide(actor=dsl, record=entry, confirm=True)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"topic": "Basket weaving"}, "topic"),
        ({"completed_on": dt.date.today() + dt.timedelta(days=2)}, "completed_on"),
        ({"provider": "  "}, "provider"),
        ({"note": ""}, "note"),
    ],
)
def test_bad_training_records_are_refused_naming_the_field(head, teacher, changes, field):
    with pytest.raises(ValidationError) as exc:
        record(head, teacher, **changes)
    assert field in exc.value.message_dict
    assert not TrainingRecord.objects.exists()


def test_who_is_overdue_no_induction_or_an_old_refresher(trust, head, teacher, make_staff, seabright, ceo):
    months = trust.policy.training.refresher_months
    lapsed = make_staff(Role.SUPPORT_STAFF, seabright, "Lapsed Person")
    newcomer = make_staff(Role.SUPPORT_STAFF, seabright, "New Person")
    train(teacher, head, days_ago=400)
    train(teacher, head, days_ago=20, kind=TrainingKind.REFRESHER)
    train(lapsed, head, days_ago=months * 31 + 10)
    overdue = {u.full_name: state.reason for u, state in selectors.overdue_staff(head, seabright)}
    assert "Tess Teacher" not in overdue
    assert overdue["Lapsed Person"].startswith("Refresher due since")
    assert overdue["New Person"] == "No induction training recorded"
    assert not selectors.training_current(newcomer) and not selectors.training_current(lapsed)
    current, late, total = selectors.training_summary(trust, seabright)
    assert (current, late) == (1, total - 1)


def test_a_refresher_without_an_induction_is_not_enough(head, teacher):
    train(teacher, head, days_ago=5, kind=TrainingKind.REFRESHER)
    assert selectors.training_state(teacher).reason == "No induction training recorded"


# ---- The quiz -----------------------------------------------------------------------------------------------------


def answers(policy, right=True):
    return [q.answer if right else (q.answer + 1) % len(q.options) for q in quiz.questions(policy)]


def test_the_quiz_asks_what_this_trusts_policy_says(trust):
    ours = {q.question: q.options[q.answer] for q in quiz.questions(trust.policy)}
    assert ours["Who approves a new official social media channel?"] == "The headteacher / head of school"
    assert ours["A concern about the headteacher goes to…"] == "The chief executive officer"
    assert ours["May staff use personal social media during school hours?"].startswith("Yes, but only outside")


def test_another_trusts_quiz_has_its_own_answers(make_trust):
    other = make_trust("003")
    theirs = {q.question: q.options[q.answer] for q in quiz.questions(other.policy)}
    assert theirs["Who approves a new official social media channel?"] == "The chief executive officer"  # seed 003
    assert theirs["May staff use personal social media during school hours?"].startswith("Only at break")
    for q in quiz.questions(other.policy):
        assert len(set(q.options)) == len(q.options) >= 2


def test_the_trusts_own_questions_are_asked_too():
    text = policy_text("000").replace(
        "  quiz_pass_mark: 80\n",
        "  quiz_pass_mark: 80\n  quiz:\n    - question: Where do we keep the signed AUPs?\n"
        "      options: [In the office, On Facebook]\n      answer: 0\n      explanation: Paper copies.\n",
    )
    trust = trust_create_from_policy(actor=None, text=text, source="test")
    last = quiz.questions(trust.policy)[-1]
    assert last.question == "Where do we keep the signed AUPs?" and last.options[last.answer] == "In the office"


def test_passing_the_quiz_records_training_on_the_policy(trust, teacher):
    attempt, created = services.quiz_submit(
        actor=teacher, token=str(uuid.uuid4()), version_number=1, answers=answers(trust.policy)
    )
    assert created and attempt.passed and attempt.score == attempt.total
    entry = attempt.training_record
    assert entry.topic == QUIZ_TOPIC and entry.status == TrainingStatus.CONFIRMED
    assert entry.kind == TrainingKind.INDUCTION  # nothing before it
    assert selectors.training_current(teacher)


def test_a_quiz_below_the_pass_mark_records_no_training(trust, teacher):
    attempt, _ = services.quiz_submit(
        actor=teacher, token=str(uuid.uuid4()), version_number=1, answers=answers(trust.policy, right=False)
    )
    assert not attempt.passed and attempt.score == 0
    assert not TrainingRecord.objects.exists()


def test_the_same_quiz_submitted_twice_is_recorded_once(trust, teacher):
    token = str(uuid.uuid4())
    first, created = services.quiz_submit(actor=teacher, token=token, version_number=1, answers=answers(trust.policy))
    again, created_again = services.quiz_submit(
        actor=teacher, token=token, version_number=1, answers=answers(trust.policy, right=False)
    )
    assert created and not created_again and first.pk == again.pk and again.passed
    assert QuizAttempt.objects.count() == 1 and TrainingRecord.objects.count() == 1


def test_someone_elses_attempt_token_is_refused(trust, teacher, head):
    token = str(uuid.uuid4())
    services.quiz_submit(actor=teacher, token=token, version_number=1, answers=answers(trust.policy))
    with pytest.raises(ValidationError):
        services.quiz_submit(actor=head, token=token, version_number=1, answers=answers(trust.policy))


def test_a_quiz_with_a_missing_answer_or_for_an_old_version_is_refused(trust, teacher):
    given = answers(trust.policy)
    with pytest.raises(ValidationError, match="Answer every question"):
        services.quiz_submit(actor=teacher, token=str(uuid.uuid4()), version_number=1, answers=[*given[:-1], None])
    with pytest.raises(ValidationError, match="policy changed"):
        services.quiz_submit(actor=teacher, token=str(uuid.uuid4()), version_number=0, answers=given)
    assert not QuizAttempt.objects.exists()


# ---- Channel access -------------------------------------------------------------------------------------------


def _asking_for_signatures(trust) -> None:
    """Policy 000 asks staff only to read and understand the AUP; a policy that asks them to sign it (as 004 does)."""
    data = yaml.safe_load(policy_text("000"))
    data["channels"]["aup_signature_required"] = True
    policy_adopt(actor=None, trust=trust, text=yaml.safe_dump(data, sort_keys=False))


def test_under_policy_000_only_training_stops_channel_access(head, teacher):
    [blocker] = selectors.channel_access_blockers(teacher)  # no signature asked for: training only
    assert blocker.startswith("their training is not current")
    train(teacher, head)
    assert selectors.channel_access_blockers(teacher) == []


def test_what_stops_channel_access_is_untrained_staff_and_an_unsigned_agreement(trust, head, teacher):
    from safesocial.channels.services import aup_sign

    _asking_for_signatures(trust)
    assert len(selectors.channel_access_blockers(teacher)) == 2
    train(teacher, head)
    assert selectors.channel_access_blockers(teacher) == [
        "they have not signed the social media acceptable use agreement"
    ]
    aup_sign(actor=teacher, signed_name=teacher.full_name)
    assert selectors.channel_access_blockers(teacher) == []


def test_nothing_stops_channel_access_where_the_policy_does_not_ask(make_trust):
    from safesocial.people.services import RoleSpec, staff_create

    text = policy_text("000").replace(
        "  quiz_pass_mark: 80\n", "  quiz_pass_mark: 80\n  required_for_channel_access: false\n"
    )
    other = trust_create_from_policy(actor=None, text=text, source="test")
    member = staff_create(
        actor=None, trust=other, email="x@example.com", full_name="X Y", roles=[RoleSpec(Role.TEACHER, None)]
    )
    assert selectors.channel_access_blockers(member) == []


def test_a_channel_administrator_is_not_granted_access_until_trained_and_signed(trust, head, make_staff, seabright):
    from safesocial.channels import services as channels
    from safesocial.channels.models import AccessLevel, ChannelAccess

    _asking_for_signatures(trust)
    proposer = make_staff(Role.CHANNEL_ADMIN, seabright, "Cleo Channel")
    admin = make_staff(Role.CHANNEL_ADMIN, seabright, "Ada Admin")
    channel = channels.channel_propose(
        actor=proposer,
        trust=seabright.trust,
        school=seabright,
        platform="facebook_page",
        name="Seabright news",
        official_email="office@seabright.example.com",
        purpose="News for families",
        audience="Parents",
        contributors=["parents"],
        time_commitment="2 hours a week",
        success_measures="Parents feel informed",
        risks=[channels.RiskSpec("Abusive comments", "medium", "Daily moderation", proposer)],
    )
    channel = channels.channel_sign_off(actor=head, channel=channel)
    until = dt.date.today() + dt.timedelta(days=90)

    def grant():
        return channels.access_grant(actor=head, channel=channel, user=admin, level=AccessLevel.ADMIN, expires_on=until)

    with pytest.raises(ValidationError, match=r"training is not current .*no induction training recorded.* and they"):
        grant()
    train(admin, head)
    with pytest.raises(ValidationError, match="have not signed the social media acceptable use agreement"):
        grant()
    channels.aup_sign(actor=admin, signed_name=admin.full_name)
    assert grant().level == AccessLevel.ADMIN
    assert ChannelAccess.objects.filter(user=admin).count() == 1


def test_the_database_refuses_training_with_neither_evidence_nor_note(head, teacher):
    from django.db import IntegrityError
    from django.utils import timezone

    with pytest.raises(IntegrityError):
        TrainingRecord.objects.create(
            user=teacher,
            topic="Data protection",
            kind=TrainingKind.INDUCTION,
            completed_on=dt.date.today(),
            provider="LA",
            status=TrainingStatus.CONFIRMED,
            decided_at=timezone.now(),
        )


def test_the_pass_mark_is_the_one_the_policy_sets(trust, teacher, head):
    assert trust.policy.training.quiz_pass_mark == 80
    given = answers(trust.policy)
    wrong = answers(trust.policy, right=False)
    four, _ = services.quiz_submit(
        actor=teacher, token=str(uuid.uuid4()), version_number=1, answers=[*given[:4], wrong[4]]
    )
    three, _ = services.quiz_submit(
        actor=head, token=str(uuid.uuid4()), version_number=1, answers=[*given[:3], *wrong[3:]]
    )
    assert (four.score, four.passed) == (4, True)
    assert (three.score, three.passed) == (3, False)
