import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from safesocial.audit.models import AuditEntry
from safesocial.people.models import School, Trust, User
from safesocial.people.roles import Role
from safesocial.permissions import Action, may
from safesocial.policy.loader import PolicyInvalid
from safesocial.policy.models import PolicyVersion
from safesocial.policy.services import policy_adopt, trust_create_from_policy
from safesocial.testing.trusts import POLICY_FILES, policy_text


def test_creating_a_trust_makes_its_schools_key_contacts_and_first_version(trust):
    assert list(trust.schools.values_list("key", flat=True)) == ["kestrel-bank", "millbrook", "seabright"]
    head = User.objects.get(email="h.quarry@harbourside.example.com")
    assert set(head.role_assignments.values_list("role", "school__key")) == {
        ("head", "seabright"),
        ("dsl", "seabright"),
    }
    assert trust.policy_versions.get().number == 1
    assert AuditEntry.objects.filter(action="trust.create").count() == 1
    assert AuditEntry.objects.filter(action="role.grant").count() == sum(len(c.roles) for c in trust.policy.contacts)


def test_creating_a_trust_from_the_command_line(db, capsys):
    call_command("policy", "create-trust", str(POLICY_FILES["004"]))
    assert Trust.objects.get().schools.count() == 4
    assert "created Pennywort Federation" in capsys.readouterr().out


def test_a_second_trust_is_refused_and_nothing_is_saved(trust):
    before = (User.objects.count(), School.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError, match="already runs"):
        trust_create_from_policy(actor=None, text=policy_text("003"))
    assert (User.objects.count(), School.objects.count(), AuditEntry.objects.count()) == before


def test_an_email_already_in_use_stops_the_whole_trust_being_created(db):
    User.objects.create_user("h.quarry@harbourside.example.com", "x", full_name="Someone Else")
    with pytest.raises(ValidationError, match=r"h\.quarry@harbourside\.example\.com"):
        trust_create_from_policy(actor=None, text=policy_text("000"))
    assert not Trust.objects.exists()
    assert not School.objects.exists()
    assert User.objects.count() == 1


def test_an_invalid_policy_creates_nothing(db):
    with pytest.raises(PolicyInvalid):
        trust_create_from_policy(actor=None, text=policy_text("000").replace("approver: head", "approver: x", 1))
    assert not Trust.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_new_version_changes_behaviour_from_then_on_and_the_old_one_is_kept(trust, head, ceo, seabright):
    assert may(head, Action.APPROVE_CHANNEL, seabright)
    ceo_approves = policy_text("000").replace(
        "  approver: head\n  poster_authoriser: head", "  approver: ceo\n  poster_authoriser: ceo"
    )
    version = policy_adopt(actor=ceo, trust=trust, text=ceo_approves, note="CEO now approves channels")
    assert version.number == 2
    head = User.objects.get(pk=head.pk)  # a new request: roles and policy are read afresh
    trust = Trust.objects.get(pk=trust.pk)
    assert trust.policy.channels.approver == Role.CEO
    assert not may(head, Action.APPROVE_CHANNEL, seabright)
    assert may(User.objects.get(pk=ceo.pk), Action.APPROVE_CHANNEL, School.objects.get(pk=seabright.pk))
    first, second = PolicyVersion.objects.order_by("number")
    assert first.policy.channels.approver == Role.HEAD
    assert first.effective_from <= second.effective_from
    assert AuditEntry.objects.filter(action="policy.adopt", object_id=str(second.pk)).exists()


def test_only_the_policy_approver_may_adopt_a_version(trust, head):
    with pytest.raises(Exception, match="Adopt a new version"):
        policy_adopt(actor=head, trust=trust, text=policy_text("000") + "\n# changed\n")
    assert trust.policy_versions.count() == 1


def test_adopting_the_same_file_again_is_refused(trust, ceo):
    with pytest.raises(ValidationError, match="already in force"):
        policy_adopt(actor=ceo, trust=trust, text=policy_text("000"))


def test_a_school_cannot_be_dropped_from_the_policy(trust, ceo):
    text = policy_text("000")
    text = text.replace("    - key: kestrel-bank\n      name: Kestrel Bank Primary School\n      phase: primary\n", "")
    text = "\n".join(line for line in text.splitlines() if "kestrel-bank" not in line)
    with pytest.raises(PolicyInvalid, match="kestrel-bank"):
        policy_adopt(actor=ceo, trust=trust, text=text)
    assert trust.policy_versions.count() == 1


def test_adopt_page_takes_a_new_version(signed_in, trust, ceo):
    client = signed_in(ceo)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("policy.yaml", (policy_text("000") + "\n# reviewed\n").encode())
    response = client.post(reverse("policy:adopt"), {"file": upload, "note": "Annual review"}, follow=True)
    assert response.status_code == 200
    assert "Version 2 is now in force" in response.content.decode()


def test_adopt_page_shows_each_error_with_its_line(signed_in, trust, ceo):
    client = signed_in(ceo)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "policy.yaml", policy_text("000").replace("cadence_months: 12", "cadence_months: 99").encode()
    )
    response = client.post(reverse("policy:adopt"), {"file": upload})
    body = response.content.decode()
    assert "review.cadence_months" in body and "line " in body
    assert trust.policy_versions.count() == 1


def test_adopt_page_is_forbidden_to_a_teacher(signed_in, teacher):
    assert signed_in(teacher).get(reverse("policy:adopt")).status_code == 403


def test_setup_page_creates_the_trust_for_the_administrator(client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = User.objects.create_superuser("admin@example.com", "pw-123456789", full_name="Installer")
    client.force_login(admin)
    upload = SimpleUploadedFile("policy.yaml", policy_text("002").encode())
    response = client.post(reverse("setup:trust"), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert Trust.objects.get().name == "Brindlemoor Learning Trust"


def test_setup_page_is_refused_to_non_administrators(signed_in, teacher):
    assert signed_in(teacher).get(reverse("setup:trust")).status_code == 403


def test_policy_document_page_shows_the_policy_in_sections(signed_in, teacher):
    body = signed_in(teacher).get(reverse("policy:document")).content.decode()
    for heading in (
        "Important contacts",
        "Official use of social media",
        "Parents and carers",
        "Document history",
    ):
        assert heading in body
    assert "Take legal advice or action" in body  # the escalation steps


def test_policy_pdf_downloads(signed_in, teacher):
    response = signed_in(teacher).get(reverse("policy:pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def test_policy_pages_need_sign_in(client, trust):
    for name in ("policy:document", "policy:pdf", "policy:versions", "policy:explained"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_command_line_adopt_reports_errors_clearly(trust, tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text(policy_text("000"))
    with pytest.raises(CommandError, match="already in force"):
        call_command("policy", "adopt", str(bad))
