import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safesocial.audit.models import AuditEntry
from safesocial.people.models import RoleAssignment, User
from safesocial.people.roles import Role
from safesocial.people.services import RoleSpec, role_grant, role_revoke, staff_create


def test_one_person_may_hold_several_roles_at_several_schools(head, seabright, millbrook, ceo):
    role_grant(actor=ceo, user=head, role="deputy_dsl", school=millbrook)
    assert set(head.role_assignments.values_list("role", "school__key")) == {
        ("head", "seabright"),
        ("dsl", "seabright"),
        ("deputy_dsl", "millbrook"),
    }


def test_duplicate_email_is_refused_whatever_its_case_and_nothing_is_saved(trust, head, seabright):
    before = (User.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError, match="already belongs"):
        staff_create(
            actor=head,
            trust=trust,
            email="H.QUARRY@harbourside.example.com",
            full_name="Twin",
            roles=[RoleSpec(Role.TEACHER, seabright)],
        )
    assert (User.objects.count(), AuditEntry.objects.count()) == before


def test_unknown_role_is_refused_with_the_roles_we_know(head, teacher, seabright):
    with pytest.raises(ValidationError, match="'caretaker' is not a role"):
        role_grant(actor=head, user=teacher, role="caretaker", school=seabright)


def test_the_last_dsl_of_a_school_cannot_be_removed(dsl, ceo, millbrook):
    assignment = RoleAssignment.objects.get(user=dsl, role=Role.DSL, school=millbrook)
    with pytest.raises(ValidationError, match="no designated safeguarding lead"):
        role_revoke(actor=ceo, assignment=assignment)
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_a_dsl_can_be_replaced_once_another_is_appointed(dsl, ceo, millbrook, make_staff):
    make_staff(Role.DSL, millbrook, "New Dsl")
    role_revoke(actor=ceo, assignment=RoleAssignment.objects.get(user=dsl, role=Role.DSL, school=millbrook))
    assert not dsl.role_assignments.filter(role=Role.DSL).exists()
    assert AuditEntry.objects.filter(action="role.revoke").count() == 1


def test_the_ceo_role_is_trust_wide_only(ceo, teacher, seabright):
    with pytest.raises(ValidationError, match="trust-wide role"):
        role_grant(actor=ceo, user=teacher, role=Role.CEO, school=seabright)


def test_a_teacher_cannot_grant_roles(teacher, seabright, outsider):
    with pytest.raises(PermissionDenied):
        role_grant(actor=teacher, user=teacher, role="head", school=seabright)


def test_every_write_is_audited_with_who_and_what(head, seabright, trust):
    user = staff_create(
        actor=head,
        trust=trust,
        email="a@example.com",
        full_name="A Person",
        roles=[RoleSpec(Role.TEACHER, seabright)],
    )
    entries = AuditEntry.objects.filter(object_id__in=[str(user.pk)], action="staff.create")
    assert entries.get().actor_id == head.pk
    grant = AuditEntry.objects.filter(action="role.grant").last()
    assert grant.changes == {"user": "a@example.com", "role": "teacher", "school": "seabright"}
    assert grant.school_id == seabright.pk
