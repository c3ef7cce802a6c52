"""The trust's CEO reads the governors' report for the autumn term and downloads it as a PDF with its charts; a
head of school gets their own school's report. The report pages pass axe on a laptop and a phone."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from safesocial.testing.browser import PHONE, SCREENSHOTS
from safesocial.testing.governors import SECRET, autumn_term

from .screens import problems_at


@pytest.fixture
def report_world(trust, seabright, millbrook, head, make_staff):
    return autumn_term(trust, seabright, millbrook, head, make_staff)


@pytest.mark.browser
def test_the_ceo_downloads_the_governors_report_as_a_pdf_with_its_charts(page, sign_in, ceo, report_world, screenshot):
    sign_in(ceo)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Governors' report")
    page.get_by_label("Period", exact=True).select_option(label="Autumn term 2026 (2026 to 2027)")
    page.get_by_label("For", exact=True).select_option(label="The whole trust")
    page.get_by_role("button", name="Show the report").click()
    expect(page).to_have_url(re.compile(r"period=2026-27-autumn"))
    expect(page.get_by_role("heading", name="Autumn term 2026 (2026 to 2027): Harbourside")).to_be_visible()

    charts = page.locator("svg.chart[role=img]")
    assert charts.count() >= 6
    expect(page.get_by_role("img", name=re.compile("^Posts published by category"))).to_be_visible()
    expect(page.get_by_role("table", name="Figures: Concerns by type")).to_contain_text("3")
    assert SECRET not in page.content()
    screenshot(page, "governors-report-trust")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Download as PDF")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = download.path().read_bytes()
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    assert len(pdf) > 10 * 1024
    saved = SCREENSHOTS / "governors-report.pdf"
    saved.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(download.path(), saved)

    # The same request the link makes, to check what the server says it is.
    response = page.request.get(page.get_by_role("link", name=re.compile("^Download as PDF")).get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    _text_of_pdf_if_a_reader_is_installed(saved)


def _text_of_pdf_if_a_reader_is_installed(path: Path) -> None:
    """With poppler's pdftotext, read the PDF back: its headings and chart labels are real text."""
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Governors' report" in text and "Posts published by category" in text


@pytest.mark.browser
def test_a_head_sees_their_schools_report(page, sign_in, head, report_world):
    sign_in(head)
    page.goto("/reports/")
    expect(page.get_by_label("For", exact=True)).to_have_value("seabright")
    expect(page.get_by_label("For", exact=True).locator("option")).to_have_count(1)
    expect(page.get_by_role("heading", name=re.compile("Seabright Primary School$"))).to_be_visible()


@pytest.mark.browser
def test_a_term_with_no_data_says_so_in_the_browser(page, sign_in, ceo, report_world, screenshot):
    sign_in(ceo)
    page.goto("/reports/?period=2025-26-spring&school=")
    expect(page.get_by_text("No data for this period").first).to_be_visible()
    screenshot(page, "governors-report-no-data")


@pytest.mark.browser
def test_the_report_pages_are_accessible_on_a_laptop_and_a_phone(page, sign_in, ceo, report_world, screenshot):
    sign_in(ceo)
    problems = []
    for path in ("/reports/?period=2026-27-autumn&school=", "/reports/?period=nonsense"):
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(path)
        problems += problems_at(page, 1280)
        page.set_viewport_size(PHONE)
        problems += problems_at(page, PHONE["width"])
    screenshot(page, "phone-governors-report-error")
    assert not problems, "\n".join(problems)
