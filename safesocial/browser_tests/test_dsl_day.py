"""A DSL's working day on the demo trust (issue 17, "Done means"), walked in Chromium with a screenshot at 1280px of
each step: Seabright's DSL finds the disclosure from a comment at the top of her list as an immediate risk, records a
police referral (the crime reference forgotten first: a form error, nothing lost) and a MASH referral with its
reference, exports the case as PDF and JSON (a colleague who may not see it gets a 404, audited), and transfers a
pupil's records to a school outside the trust (refused without a recipient, then a package to download and a record
of when it went). Kestrel Bank's DSL reviews the records past their retention date: one is destroyed and leaves a
tombstone; another, put under legal hold by a colleague while the page was open, is refused.

The demo is loaded as `safesocial demo` loads it. It holds no record past its retention date (the oldest is weeks
old), so two of Kestrel Bank's closed concerns are given a date in the past here, as if years had gone by."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safesocial.audit.models import AuditEntry
from safesocial.concerns.exports import verify_export
from safesocial.concerns.models import Concern, ConcernStatus, LinkKind
from safesocial.demo.builder import load_demo
from safesocial.people.models import RoleAssignment, School, User
from safesocial.people.roles import Role


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"


@pytest.fixture
def demo(live_server) -> None:
    load_demo(pupils_per_school=30)


def _dsl(key: str) -> User:
    found = RoleAssignment.objects.filter(school__key=key, role=Role.DSL).select_related("user").order_by("pk")
    return found.first().user


def _download(page: Page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as f:
        return f.read()


@pytest.mark.browser
def test_the_seabright_dsl_triages_refers_and_exports_the_disclosure(demo, page, sign_in, open_as, screenshot):
    dsl = sign_in(_dsl("seabright"))
    # The demo's comments arrive in order; the first disclosure is the child scared to go home.
    disclosure = Concern.objects.filter(kind="comment_disclosure").order_by("created_at", "pk").first()

    page.goto("/concerns/")
    top = page.get_by_role("table").locator("tbody tr").first
    expect(top).to_contain_text(f"Concern {disclosure.pk}")
    expect(top).to_contain_text("Immediate risk of harm")
    expect(top).to_contain_text("SafeSocial moderation")
    expect(top).to_contain_text("Account: A Parent")  # three disclosures from comments: which one is which
    screenshot(page, "dsl-day-1-list")

    top.get_by_role("link", name=f"Concern {disclosure.pk}").click()
    expect(page.get_by_role("main")).to_contain_text("scared to go home")
    page.get_by_role("button", name="I am dealing with it").click()
    expect(page.locator(".messages")).to_contain_text("Acknowledged")
    screenshot(page, "dsl-day-2-concern")

    # A referral without its mandatory reference: a form error, and what she wrote is still there.
    page.get_by_text("Record a referral or advice").click()
    form = page.locator("form[action$='/referrals/']")
    form.get_by_label("Referred to").select_option("police")
    form.get_by_label("Sent or spoken to").fill("Police, via 101")
    form.get_by_label("What you told them").fill("A child says her stepdad hits her; she is scared to go home.")
    form.get_by_role("button", name="Record the referral").click()
    expect(page.get_by_role("main")).to_contain_text("Give the crime reference number")
    expect(page.locator(".error-summary")).to_be_in_viewport()  # not at the top of a long page, out of sight
    form = page.locator("form[action$='/referrals/']")
    expect(form.get_by_label("What you told them")).to_have_value(
        "A child says her stepdad hits her; she is scared to go home."
    )
    screenshot(page, "dsl-day-3-referral-error")
    form.get_by_label("Reference number").fill("CR/2026/220417")
    form.get_by_role("button", name="Record the referral").click()
    expect(page.locator(".messages")).to_contain_text("Referral recorded")

    page.get_by_text("Record a referral or advice").click()
    form = page.locator("form[action$='/referrals/']")
    form.get_by_label("Referred to").select_option("mash")
    form.get_by_label("Sent or spoken to").fill("Harbourside MASH duty desk")
    form.get_by_label("Reference number").fill("MASH-2026-05120")
    form.get_by_label("Follow up by").fill((timezone.localdate() + dt.timedelta(days=1)).isoformat())
    form.get_by_role("button", name="Record the referral").click()
    expect(page.locator("tr[id^='referral-']", has_text="MASH-2026-05120")).to_contain_text("Awaited")
    expect(page.locator("#chronology ~ ol")).to_contain_text("MASH-2026-05120")
    screenshot(page, "dsl-day-4-referrals")

    pdf = _download(page, page.locator("#export").get_by_role("link", name="chronology (PDF)"))
    assert pdf.startswith(b"%PDF")
    case = json.loads(_download(page, page.locator("#export").get_by_role("link", name="JSON, for another system")))
    assert case["concern"]["id"] == disclosure.pk and case["concern"]["triage_level"] == "immediate"
    assert {r["reference"] for r in case["referrals"]} == {"CR/2026/220417", "MASH-2026-05120"}
    archive = _download(page, page.locator("#export").get_by_role("link", name="everything, as a zip"))
    assert verify_export(archive) == []
    assert (
        AuditEntry.objects.filter(action="concern.export", object_id=str(disclosure.pk), actor_id=dsl.pk).count() == 3
    )

    # A colleague at the same school who may not see the case: the export is not there, and the attempt is audited.
    teacher = User.objects.get(role_assignments__school__key="seabright", job_title="Year 4 Teacher")
    theirs = open_as(teacher)
    response = theirs.goto(f"/concerns/{disclosure.pk}/export/json/")
    assert response is not None and response.status == 404
    refused = AuditEntry.objects.filter(action="concern.export.refused", object_id=str(disclosure.pk))
    assert refused.filter(actor_id=teacher.pk).exists()


@pytest.mark.browser
def test_a_pupil_moves_to_a_school_outside_the_trust_and_the_dsl_sends_the_package(demo, page, sign_in, screenshot):
    sign_in(_dsl("seabright"))
    friend_request = Concern.objects.get(kind="friend_request")
    pupil = friend_request.links.get(kind=LinkKind.PUPIL).pupil

    page.goto(f"/concerns/{friend_request.pk}/")
    page.get_by_role("link", name="Transfer their records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Transfer {pupil}'s records")
    expect(page.get_by_label("Date the pupil moved")).to_have_value(f"{timezone.localdate():%d/%m/%Y}")  # today
    page.get_by_label("Or: the school outside the trust").fill("Northgate Primary, Exampleton")
    page.get_by_role("button", name="Transfer the records").click()
    expect(page.get_by_role("main")).to_contain_text("Say who the records go to at a school outside the trust")
    expect(page.get_by_label("Or: the school outside the trust")).to_have_value("Northgate Primary, Exampleton")
    screenshot(page, "dsl-day-5-transfer-refused")

    page.get_by_label("Its designated safeguarding lead, and how to reach them").fill(
        "Sam Okoro, DSL, dsl@northgate.example.com"
    )
    page.get_by_role("button", name="Transfer the records").click()
    expect(page.locator(".messages")).to_contain_text("Transfer recorded: download the package and send it by")
    row = page.locator("tr[id^='transfer-']", has_text="Northgate Primary")
    expect(row).to_contain_text("Due by")
    package = zipfile.ZipFile(io.BytesIO(_download(page, row.get_by_role("link", name="Download the package"))))
    inner = [name for name in package.namelist() if name.endswith(".zip")]
    assert inner and all(verify_export(package.read(name)) == [] for name in inner)
    screenshot(page, "dsl-day-6-transfer-package")

    row.get_by_label("How, and to whom").fill("Secure email to Sam Okoro")
    row.get_by_role("button", name="Record as sent").click()
    expect(page.locator(".messages")).to_contain_text("Recorded as sent to Northgate Primary")
    expect(page.locator("tr[id^='transfer-']", has_text="Northgate Primary")).to_contain_text(
        "Secure email to Sam Okoro"
    )
    screenshot(page, "dsl-day-7-transfer-sent")


def _past_retention(concern: Concern) -> None:
    """As if the years had gone by: the record's retention date is last month."""
    Concern.objects.filter(pk=concern.pk).update(retain_until=timezone.localdate() - dt.timedelta(days=30))


@pytest.mark.browser
def test_the_kestrel_dsl_destroys_a_record_past_its_date_and_a_held_one_is_refused(
    demo, page, sign_in, open_as, screenshot
):
    kestrel = School.objects.get(key="kestrel-bank")
    dsl = sign_in(_dsl("kestrel-bank"))
    bullying = Concern.objects.get(school=kestrel, status=ConcernStatus.CLOSED, kind="cyberbullying_of_pupil")
    # The demo's own due record: a 2014 concern about a colleague, past the policy's ten years for staff conduct.
    old = Concern.objects.get(school=kestrel, kind="staff_online_conduct")
    _past_retention(bullying)

    page.goto("/concerns/retention/")
    rows = page.locator("tbody tr[id^='record-']")
    expect(rows).to_have_count(2)
    screenshot(page, "dsl-day-8-retention-due")

    # She opens the destroy form for the bullying case; meanwhile a colleague puts it under legal hold.
    held = page.locator(f"#record-{bullying.pk}")
    held.get_by_text("Destroy it").click()
    held.get_by_label("Why it is destroyed").fill("Retention period over; reviewed, nothing to keep.")
    colleague = open_as(dsl)
    colleague.goto("/concerns/retention/")
    theirs = colleague.locator(f"#record-{bullying.pk}")
    theirs.get_by_text("Set a legal hold").click()
    theirs.get_by_label("Why it is held").fill("Civil claim notified by the family's solicitor.")
    theirs.get_by_role("button", name="Set the hold").click()
    expect(colleague.locator(".messages")).to_contain_text("legal hold updated")

    held.get_by_role("button", name="Destroy the record").click()
    expect(page.locator(".messages")).to_contain_text("under a legal hold")
    expect(page.locator(f"#record-{bullying.pk}")).to_contain_text("Legal hold")
    assert Concern.objects.get(pk=bullying.pk).destroyed_at is None
    screenshot(page, "dsl-day-9-hold-refused")

    row = page.locator(f"#record-{old.pk}")
    row.get_by_text("Destroy it").click()
    row.get_by_label("Why it is destroyed").fill("Retention period over; reviewed, nothing to keep.")
    row.get_by_role("button", name="Destroy the record").click()
    expect(page.locator(".messages")).to_contain_text(re.compile(r"destroyed\. Its audit tombstone records"))
    expect(page.locator(f"#record-{old.pk}")).to_have_count(0)
    screenshot(page, "dsl-day-10-destroyed")

    gone = Concern.objects.get(pk=old.pk)
    assert gone.destroyed_at is not None and gone.summary == "" and not gone.links.exists()
    tombstone = AuditEntry.objects.get(action="concern.destroy", object_id=str(old.pk))
    assert tombstone.actor_id == dsl.pk
    assert tombstone.changes["reference"] == old.reference and tombstone.changes["kind"] == "staff_online_conduct"
    assert tombstone.changes["rule"] and "Facebook" not in json.dumps(tombstone.changes)
