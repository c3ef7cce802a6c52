"""Acknowledging the policy: staff in SafeSocial, families by signed link or code, once per person per version."""

from __future__ import annotations

import time

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from safesocial.compliance import selectors, services
from safesocial.compliance.models import Acknowledgement, AcknowledgementCode, Group, Method, Reminder
from safesocial.people.roles import Role
from safesocial.people.services import role_grant, school_create
from safesocial.testing.compliance import train
from safesocial.testing.people import make_family
from safesocial.testing.trusts import policy_text

pytestmark = pytest.mark.django_db


def codes_for(seabright, class_name="4O Owls"):
    services.codes_ensure(actor=None, school=seabright, class_name=class_name)
    return {
        ("parent", c.parent_id) if c.parent_id else ("pupil", c.pupil_id): services.letter_code(c)
        for c in AcknowledgementCode.objects.all()
    }


def test_a_member_of_staff_acknowledges_once_per_version(teacher):
    first, created = services.acknowledgement_staff(actor=teacher)
    again, created_again = services.acknowledgement_staff(actor=teacher)
    assert created and not created_again and first.pk == again.pk
    assert Acknowledgement.objects.filter(user=teacher).count() == 1
    assert selectors.has_acknowledged(teacher)


def test_the_database_refuses_a_second_acknowledgement_of_the_same_version(teacher):
    ack, _ = services.acknowledgement_staff(actor=teacher)
    with pytest.raises(IntegrityError):
        Acknowledgement.objects.create(version=ack.version, group=Group.STAFF, user=teacher, method=Method.IN_APP)


def test_a_new_version_asks_everyone_again(teacher, new_version):
    services.acknowledgement_staff(actor=teacher)
    new_version()
    teacher.refresh_from_db()
    assert not selectors.has_acknowledged(teacher)
    _, created = services.acknowledgement_staff(actor=teacher)
    assert created and Acknowledgement.objects.filter(user=teacher).count() == 2


def test_a_governor_is_not_asked_as_staff(make_staff, seabright):
    governor = make_staff(Role.GOVERNOR, seabright, "Gwen Governor")
    with pytest.raises(PermissionDenied):
        services.acknowledgement_staff(actor=governor)


def test_a_parent_acknowledges_from_a_signed_link(trust, owls):
    parent = owls[0].parents[0]
    token = services.link_token(parent, trust.policy_version)
    ack, created = services.acknowledgement_family(token=token)
    assert created and ack.parent == parent and ack.method == Method.LINK
    _, again = services.acknowledgement_family(token=token)
    assert not again and Acknowledgement.objects.filter(parent=parent).count() == 1


def test_an_expired_link_is_refused_and_records_nothing(trust, owls, monkeypatch):
    parent = owls[0].parents[0]
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - (services.LINK_DAYS + 1) * 86400)
    token = services.link_token(parent, trust.policy_version)
    monkeypatch.setattr(signing.time, "time", lambda: now)
    with pytest.raises(PermissionDenied, match="expired"):
        services.acknowledgement_family(token=token)
    assert not Acknowledgement.objects.exists()


def test_a_forged_link_is_refused_and_records_nothing(trust, owls):
    token = services.link_token(owls[0].parents[0], trust.policy_version)
    forged = signing.dumps({"k": "parent", "i": owls[1].parents[0].pk, "v": 1, "m": "link"}, salt="another salt")
    for bad in (forged, token[:-2] + "xx", "nonsense"):
        with pytest.raises(PermissionDenied, match="not valid"):
            services.acknowledgement_family(token=bad)
    assert not Acknowledgement.objects.exists()


def test_a_link_for_an_earlier_version_is_refused(trust, owls, new_version):
    token = services.link_token(owls[0].parents[0], trust.policy_version)
    new_version()
    with pytest.raises(PermissionDenied, match="policy has changed"):
        services.acknowledgement_family(token=token)


def test_every_family_and_pupil_of_a_class_gets_one_unambiguous_code(seabright, owls):
    codes = codes_for(seabright)
    assert len(codes) == 5  # two pupils, three parents
    raw = [c.replace("-", "") for c in codes.values()]
    assert len(set(raw)) == 5
    assert all(len(c) == services.CODE_LENGTH and set(c) <= set(services.ALPHABET) for c in raw)
    assert not set("01OILSZUV") & set(services.ALPHABET)
    # Printing the letters again keeps the same codes, and the codes themselves are not stored.
    assert codes_for(seabright) == codes
    stored = AcknowledgementCode.objects.values_list("nonce", "digest")
    assert not any(c.replace("-", "") in (n + d) for c in codes.values() for n, d in stored)


def test_a_code_from_a_letter_opens_the_acknowledgement_for_that_person(seabright, owls):
    parent = owls[0].parents[1]
    code = codes_for(seabright)[("parent", parent.pk)]
    token = services.code_check(code=code.lower().replace("-", " "), client="10.0.0.1")
    link = services.link_open(token)
    assert link.person == parent and link.method == Method.CODE
    ack, _ = services.acknowledgement_family(token=token)
    assert ack.method == Method.CODE


def test_a_wrong_code_is_refused_and_too_many_wrong_codes_stop_even_a_right_one(seabright, owls):
    right = codes_for(seabright)[("parent", owls[0].parents[0].pk)]
    for _ in range(services.CODE_TRIES):
        with pytest.raises(ValidationError, match="could not find that code"):
            services.code_check(code="ABCD-EFGH", client="10.0.0.2")
    with pytest.raises(services.TooManyTries):
        services.code_check(code=right, client="10.0.0.2")
    # Another device is not held up.
    assert services.code_check(code=right, client="10.0.0.3")


def test_the_summary_counts_each_group_for_the_version_in_force(
    trust, seabright, millbrook, owls, wrens, teacher, head
):
    services.acknowledgement_staff(actor=teacher)
    for parent in owls[0].parents:
        services.acknowledgement_family(token=services.link_token(parent, trust.policy_version))
    services.acknowledgement_family(token=services.link_token(owls[0].pupil, trust.policy_version))
    summary = selectors.acknowledgement_summary(trust, seabright)
    staff_total = selectors.staff_of(trust, seabright).count()
    assert summary == {"staff": (1, staff_total), "parents": (2, 4), "pupils": (1, 3)}
    assert selectors.acknowledgement_summary(trust, millbrook)["parents"] == (0, 0)
    rows = {row.name: row for row in selectors.class_completion(seabright)}
    assert rows["4O Owls"].parents == (2, 3) and rows["4O Owls"].pupils == (1, 2)
    assert rows["1W Wrens"].parents == (0, 1)


def _more_families_and_trained_staff(school, head, make_staff) -> None:
    """Four more classes of one family each, and four more teachers with their training recorded by the head."""
    for n in range(4):
        make_family(school, f"Pip{n}", f"Wren{n}", f"{n + 1}W Wrens", ["Jo", "Sam"])
        train(make_staff(Role.TEACHER, school, f"Trained Teacher {n}"), head)


def test_the_summaries_take_the_same_queries_for_one_family_and_many(trust, seabright, head, make_staff, same_queries):
    make_family(seabright, "Nia", "Fairweather", "4O Owls", ["Dana"])
    assert trust.policy  # parse once, as a request would
    summary = same_queries(
        3,
        lambda: selectors.acknowledgement_summary(trust),
        lambda: _more_families_and_trained_staff(seabright, head, make_staff),
    )
    assert summary["parents"][1] == 9
    training = same_queries(
        2,
        lambda: selectors.training_summary(trust),
        lambda: _more_families_and_trained_staff(seabright, head, make_staff),
    )
    assert training[0] == 8  # the eight teachers trained across both growths


def test_reminders_go_to_staff_who_have_not_acknowledged_every_few_days(
    trust, teacher, head, owls, outsider, django_capture_on_commit_callbacks
):
    services.acknowledgement_staff(actor=head)
    # A family's acknowledgement (which has no member of staff) must not hide anyone from the reminders.
    services.acknowledgement_family(token=services.link_token(owls[1].parents[0], trust.policy_version))
    with django_capture_on_commit_callbacks(execute=True):
        report = services.acknowledgement_remind(trust=trust)
    assert teacher.email in report.emailed and head.email not in report.emailed
    assert any(m.to == [teacher.email] for m in mail.outbox)
    assert ("Seabright Primary School", "4O Owls", 2) in report.letters
    # Not again until reminder_days have passed.
    assert teacher.email not in services.acknowledgement_remind(trust=trust).emailed
    later = timezone.now() + timezone.timedelta(days=trust.policy.acknowledgement.reminder_days + 1)
    assert teacher.email in services.acknowledgement_remind(trust=trust, now=later).emailed
    assert Reminder.objects.filter(user=teacher).count() == 2


def test_the_reminder_command_a_scheduler_runs(trust, teacher, owls, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("compliance", "remind")
    out = capsys.readouterr().out
    assert "reminded" in out and "4O Owls: 3" in out
    assert any(m.to == [teacher.email] for m in mail.outbox)


def test_families_are_not_asked_when_the_policy_leaves_them_out(make_trust):
    from safesocial.policy.services import trust_create_from_policy

    text = policy_text("000").replace("groups: [staff, parents, pupils]", "groups: [staff]")
    other = trust_create_from_policy(actor=None, text=text, source="test")
    assert set(selectors.acknowledgement_summary(other)) == {"staff"}


def test_the_reminder_task_runs_the_same_service(trust, teacher, django_capture_on_commit_callbacks):
    from safesocial.compliance.tasks import remind_all

    with django_capture_on_commit_callbacks(execute=True):
        result = remind_all.enqueue()
    assert result.return_value == {trust.name: selectors.staff_to_acknowledge(trust).count()}
    assert any(m.to == [teacher.email] for m in mail.outbox)


def test_the_figures_for_every_school_at_once_match_each_schools_own(
    trust, owls, wrens, teacher, head, outsider, make_staff, millbrook, same_queries
):
    make_family(millbrook, "Kit", "Lowther", "3K Kestrels", ["Jo", "Sam"])
    role_grant(actor=None, user=outsider, role=Role.SUPPORT_STAFF, school=trust.schools.get(key="seabright"))
    services.acknowledgement_staff(actor=teacher)
    services.acknowledgement_staff(actor=outsider)
    services.acknowledgement_family(token=services.link_token(owls[0].parents[1], trust.policy_version))
    services.acknowledgement_family(token=services.link_token(wrens[0].pupil, trust.policy_version))
    train(teacher, head)

    def another_school():
        n = trust.schools.count()
        school = school_create(actor=None, trust=trust, key=f"school-{n}", name=f"School {n}")
        _more_families_and_trained_staff(school, make_staff(Role.HEAD, school, f"Hana Head {n}"), make_staff)

    same_queries(5, lambda: selectors.acknowledgement_by_school(trust), another_school)
    same_queries(3, lambda: selectors.training_by_school(trust), another_school)
    ack, training = selectors.acknowledgement_by_school(trust), selectors.training_by_school(trust)
    for school in trust.schools.all():
        assert ack[school.pk] == selectors.acknowledgement_summary(trust, school), school
        assert training[school.pk] == selectors.training_summary(trust, school), school
