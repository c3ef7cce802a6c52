"""Every member of staff can read the trust's policy in the browser and take it away as a PDF."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from safesocial.testing.browser import sign_in_with_password


@pytest.mark.browser
def test_staff_member_reads_the_policy_and_downloads_its_pdf(page, teacher, trust):
    sign_in_with_password(page, teacher)
    expect(page.get_by_role("heading", level=1)).to_contain_text(teacher.get_short_name())

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Policy").click()
    expect(page).to_have_url(re.compile(r"/policy/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(trust.policy.document.title)
    for heading in (
        "Important contacts",
        "Official use of social media",
        "Staff use of social media",
        "Document history",
    ):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    # The people a worried colleague looks for first, with a way to reach them.
    contacts = page.get_by_role("table", name="Key contacts by school and role")
    for contact in trust.policy.contacts[:3]:
        expect(contacts).to_contain_text(contact.name)
        if contact.email:
            expect(contacts).to_contain_text(contact.email)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = download.path().read_bytes()
    assert pdf.startswith(b"%PDF"), pdf[:40]
    assert len(pdf) > 5 * 1024, f"the PDF is only {len(pdf)} bytes"
