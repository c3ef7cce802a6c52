"""Retention as a process: records past their date are listed for the DSL, each destroyed or kept with a reason;
destruction leaves only an audit tombstone; a legal hold blocks it."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.audit.services import audit_verify
from safesocial.concerns import selectors, services
from safesocial.concerns.models import ChronologyEntry, Concern, ConcernLink, Evidence
from safesocial.concerns.services import People, concern_report
from safesocial.policy.services import policy_adopt
from safesocial.testing.files import png_bytes
from safesocial.testing.trusts import policy_text

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def _due(concern: Concern) -> Concern:
    Concern.objects.filter(pk=concern.pk).update(retain_until=YESTERDAY)
    concern.refresh_from_db()
    return concern


def _closed_case(actor, school, head, pupil, **kw) -> Concern:
    screenshot = SimpleUploadedFile("shot.png", png_bytes(), content_type="image/png")
    concern = concern_report(
        actor=actor,
        school=school,
        kind="friend_request",
        summary="Nia Harbour got a friend request from Rowan's account.",
        people=People(pupils=[pupil]),
        files=[screenshot],
        **kw,
    ).concern
    services.chronology_add(actor=head, concern=concern, text="Spoke to Nia Harbour's father.")
    services.concern_close(
        actor=head,
        concern=concern,
        outcome="Advice given.",
        lessons="None.",
        policy_change=False,
        curriculum_change=False,
    )
    return _due(concern)


def test_destroying_a_due_record_removes_its_personal_data_and_files_and_leaves_a_tombstone(
    assistant, seabright, head, pupil, django_capture_on_commit_callbacks
):
    concern = _closed_case(assistant, seabright, head, pupil)
    stored = concern.evidence.get().file.name
    assert default_storage.exists(stored)
    assert list(selectors.retention_due(head)) == [concern]

    with django_capture_on_commit_callbacks(execute=True):
        services.concern_destroy(actor=head, concern=concern, reason="Past retention; no live case.")

    concern.refresh_from_db()
    assert concern.destroyed_at is not None and concern.destroyed_by == head
    assert "Nia" not in concern.summary and concern.outcome == "" and concern.lessons == ""
    assert not ChronologyEntry.objects.filter(concern=concern).exists()
    assert not Evidence.objects.filter(concern=concern).exists()
    assert not ConcernLink.objects.filter(concern=concern).exists()
    assert not default_storage.exists(stored)
    # Gone from every list, and its page is a 404.
    assert not selectors.concerns_for(head).filter(pk=concern.pk).exists()
    assert not selectors.retention_due(head)
    tombstone = AuditEntry.objects.get(action="concern.destroy", object_id=str(concern.pk))
    assert tombstone.actor_id == head.pk
    assert tombstone.changes["rule"] and tombstone.changes["kind"] == "friend_request"
    assert tombstone.changes["evidence_files"] == 1
    assert "Nia" not in str(tombstone.changes) and "Harbour" not in str(tombstone.changes)
    assert audit_verify()[1] == []


def test_a_legal_hold_blocks_destruction_until_it_is_lifted(assistant, seabright, head, pupil):
    concern = _closed_case(assistant, seabright, head, pupil)
    services.concern_legal_hold(actor=head, concern=concern, hold=True, reason="Police investigation, ref 44/123.")
    with pytest.raises(ValidationError, match="legal hold"):
        services.concern_destroy(actor=head, concern=concern, reason="Past retention.")
    assert ChronologyEntry.objects.filter(concern=concern).exists()
    assert AuditEntry.objects.filter(action="concern.legal_hold", object_id=str(concern.pk)).exists()

    services.concern_legal_hold(actor=head, concern=concern, hold=False, reason="Investigation closed.")
    services.concern_destroy(actor=head, concern=concern, reason="Past retention.")
    assert Concern.objects.get(pk=concern.pk).destroyed_at is not None


def test_a_hold_or_destruction_needs_a_reason_and_an_open_or_undue_record_is_not_destroyed(
    assistant, seabright, head, pupil
):
    concern = _closed_case(assistant, seabright, head, pupil)
    with pytest.raises(ValidationError):
        services.concern_legal_hold(actor=head, concern=concern, hold=True, reason=" ")
    with pytest.raises(ValidationError):
        services.concern_destroy(actor=head, concern=concern, reason="")
    Concern.objects.filter(pk=concern.pk).update(retain_until=timezone.localdate() + dt.timedelta(days=30))
    concern.refresh_from_db()
    with pytest.raises(ValidationError, match="not yet due"):
        services.concern_destroy(actor=head, concern=concern, reason="Tidy up.")
    open_one = _due(concern_report(actor=assistant, school=seabright, kind="friend_request", summary="x").concern)
    with pytest.raises(ValidationError, match="Close"):
        services.concern_destroy(actor=head, concern=open_one, reason="Past retention.")


def test_only_those_who_manage_a_record_may_destroy_or_hold_it(assistant, seabright, head, pupil, dsl):
    concern = _closed_case(assistant, seabright, head, pupil)
    with pytest.raises(PermissionDenied):
        services.concern_destroy(actor=dsl, concern=concern, reason="Past retention.")
    with pytest.raises(PermissionDenied):
        services.concern_legal_hold(actor=dsl, concern=concern, hold=True, reason="Mine now.")
    assert Concern.objects.get(pk=concern.pk).destroyed_at is None


def test_without_a_policy_period_a_pupils_record_is_kept_until_the_child_is_25(assistant, seabright, pupil):
    text = policy_text("000").replace("  retention_years:\n    default: 25\n    staff_conduct: 10\n", "")
    assert "retention_years" not in text
    policy_adopt(actor=None, trust=seabright.trust, text=text)
    seabright.trust.refresh_from_db()
    concern = concern_report(
        actor=assistant, school=seabright, kind="friend_request", summary="x", people=People(pupils=[pupil])
    ).concern
    concern.refresh_from_db()
    assert concern.retain_until == pupil.date_of_birth.replace(year=pupil.date_of_birth.year + 25)
    assert "25" in concern.retention_rule and "IRMS" in concern.retention_rule


def test_the_review_page_lists_due_records_and_destroys_one(signed_in, assistant, seabright, head, pupil, outsider):
    concern = _closed_case(assistant, seabright, head, pupil)
    client = signed_in(outsider)
    assert concern.reference not in client.get(reverse("concerns:retention_list")).content.decode()
    assert client.post(reverse("concerns:destroy", args=[concern.pk]), {"reason": "x"}).status_code == 404
    client = signed_in(head)
    page = client.get(reverse("concerns:retention_list")).content.decode()
    assert concern.reference in page and "Destroy" in page
    response = client.post(reverse("concerns:hold", args=[concern.pk]), {"hold": "on", "reason": "Court order."})
    assert response.status_code == 302
    response = client.post(reverse("concerns:destroy", args=[concern.pk]), {"reason": "Past retention."}, follow=True)
    assert "legal hold" in response.content.decode()
    assert Concern.objects.get(pk=concern.pk).destroyed_at is None
    client.post(reverse("concerns:hold", args=[concern.pk]), {"reason": "Order lifted."})
    client.post(reverse("concerns:destroy", args=[concern.pk]), {"reason": "Past retention."})
    assert Concern.objects.get(pk=concern.pk).destroyed_at is not None


def test_the_review_page_takes_the_same_queries_for_one_due_record_and_four(
    signed_in, assistant, seabright, head, pupil, same_queries
):
    _closed_case(assistant, seabright, head, pupil)
    client = signed_in(head)
    url = reverse("concerns:retention_list")
    client.get(url)
    more: list[Concern] = []

    def three_more():
        more.extend(_closed_case(assistant, seabright, head, pupil) for _ in range(3))

    page = same_queries(10, lambda: client.get(url), three_more).content.decode()
    assert all(concern.reference in page for concern in more)


def test_the_command_lists_what_is_due_for_cron(assistant, seabright, head, pupil):
    concern = _closed_case(assistant, seabright, head, pupil)
    out = io.StringIO()
    call_command("concerns", "retention-due", stdout=out)
    text = out.getvalue()
    assert concern.reference in text and "Nia" not in text
