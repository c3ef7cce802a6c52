"""A subject access request in the browser (issue 17, item 3): the head records a father's request about his
daughter, picking her from the school's records; on the review page she blacks out another child's name; she downloads
the response, and the name is in neither the PDF (read with pdftotext) nor the JSON, while the daughter's record is.

The concern is set up through the services; everything the head does happens in Chromium."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile

import pytest
from playwright.sync_api import expect

from safesocial.concerns import services
from safesocial.concerns.exports import verify_export
from safesocial.concerns.services import People
from safesocial.people.roles import Role
from safesocial.people.services import pupil_create

from .screens import problems_at


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils) to read the PDF")
def test_the_head_answers_a_subject_access_request_with_a_third_party_redacted(
    page, sign_in, make_staff, seabright, head, screenshot
):
    nia = pupil_create(
        actor=None,
        school=seabright,
        first_name="Nia",
        last_name="Harbour",
        date_of_birth=dt.date(2016, 3, 4),
        year_group="4",
        class_name="Otters",
    )
    assistant = make_staff(Role.SUPPORT_STAFF, seabright, "Tara Assistant")
    services.concern_report(
        actor=assistant,
        school=seabright,
        kind="friend_request",
        summary="Nia was sent a friend request by an adult; Jamie Quarry saw it too.",
        files=[],
        people=People(pupils=[nia]),
    )
    sign_in(head)
    page.goto("/concerns/")
    page.get_by_role("link", name="Subject access requests").click()
    expect(page.get_by_role("main")).to_contain_text("No requests yet.")
    assert problems_at(page, page.viewport_size["width"]) == []
    page.get_by_role("link", name="Record a request").click()
    assert problems_at(page, page.viewport_size["width"]) == []
    page.get_by_label("Who asked").fill("Rowan Harbour")
    page.get_by_label("Their relationship to the person").fill("Father of the pupil")
    page.get_by_label("Whom it is about").select_option(label="Nia Harbour (Seabright Primary School, year 4)")
    page.get_by_role("button", name="Record the request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Subject access request: Nia Harbour")
    expect(page.get_by_role("main")).to_contain_text("days left")
    expect(page.get_by_role("main")).to_contain_text("Jamie Quarry saw it too")
    page.get_by_label("Name of a third party to black out").fill("Jamie Quarry")
    page.get_by_role("button", name="Black out this name").click()
    expect(page.get_by_role("main")).to_contain_text("Marked for redaction.")
    screenshot(page, "subject-access-review")
    assert problems_at(page, page.viewport_size["width"]) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the response (zip: PDF, JSON and manifest)").click()
    data = download.value.path().read_bytes()
    assert verify_export(data) == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    record = json.loads(archive.read("subject-access.json"))
    pdf_text = subprocess.run(
        ["pdftotext", "-", "-"], input=archive.read("subject-access.pdf"), capture_output=True, check=True
    ).stdout.decode()
    for text in (json.dumps(record, ensure_ascii=False), pdf_text):
        assert "Jamie Quarry" not in text and "[redacted: third party]" in text
        assert "Nia was sent a friend request" in text
