"""The warning letter in the browser (issue 17, item 5): Seabright's head fills in the letter form, reads the trust's
template filled in, edits the words, previews them again, makes the PDF and downloads it. The PDF carries the
trust's letterhead and says exactly the edited words; the preview page passes axe-core on a laptop and a phone."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safesocial.demo.letterhead import with_letterhead
from safesocial.escalation import services
from safesocial.escalation.models import WarningLetter
from safesocial.policy.services import policy_adopt
from safesocial.testing.browser import PHONE
from safesocial.testing.trusts import policy_text

from .screens import problems_at

EDITED = "We are sorry to have to write to you again about the post of last week."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.browser
def test_head_previews_edits_and_makes_the_warning_letter(page: Page, sign_in, head, pupils, seabright, screenshot):
    policy_adopt(actor=None, trust=seabright.trust, text=with_letterhead(policy_text("000")), note="letterhead")
    parent = pupils[0].parents.get()
    escalation = services.escalation_start(
        actor=head, school=seabright, parent=parent, summary="A post naming a teacher."
    )
    sign_in(head)
    page.goto(f"/escalation/{escalation.pk}/")
    page.get_by_text("Make a warning letter from the trust's template").click()
    page.get_by_label("What the letter is about").fill("a public post about a member of staff")
    page.get_by_label("Remove it by").fill(f"{timezone.localdate() + dt.timedelta(days=7):%d/%m/%Y}")
    expect(page.get_by_label("Job title of the person signing")).not_to_have_value("")
    page.get_by_role("button", name="Preview the letter").click()

    # The trust's template, filled in, to edit; nothing is made yet.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the warning letter before it is made")
    letter = page.get_by_label("The letter", exact=True)
    expect(letter).to_have_value(re.compile(r"^Dear Augusta Byron,"))
    expect(page.locator(".letter-preview")).to_contain_text("1 Quay Street, Harbourside, ZZ1 2AB")
    assert not WarningLetter.objects.exists()
    problems = problems_at(page, page.viewport_size["width"])
    screenshot(page, "desktop-warning-letter-preview")

    text = letter.input_value().replace("Dear Augusta Byron,\n\n", f"Dear Augusta Byron,\n\n{EDITED}\n\n", 1)
    letter.fill(text)
    page.get_by_role("button", name="Preview the edited letter").click()
    expect(page.locator(".letter-preview")).to_contain_text(EDITED)
    expect(page.get_by_label("The letter", exact=True)).to_have_value(re.compile(re.escape(EDITED)))
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    problems += problems_at(page, PHONE["width"])
    screenshot(page, "phone-warning-letter-preview")
    page.set_viewport_size(desktop)
    assert not problems, "\n".join(problems)

    page.get_by_role("button", name="Make the letter (PDF)").click()
    expect(page.locator(".messages")).to_contain_text("Warning letter made and kept with this escalation")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^Download the warning letter")).click()
    with open(info.value.path(), "rb") as f:
        pdf = f.read()
    kept = WarningLetter.objects.get()
    assert kept.text == text.replace("\r\n", "\n").strip()
    assert pdf == kept.pdf.open("rb").read()
    if shutil.which("pdftotext"):
        words = " ".join(
            subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode().split()
        )
        assert EDITED in words
        assert "Harbourside Learning Trust" in words and "1 Quay Street, Harbourside, ZZ1 2AB" in words
