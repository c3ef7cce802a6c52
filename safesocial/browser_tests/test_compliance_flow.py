"""The policy as families and heads meet it in the browser: the head prints a class's letters, a parent with one of
those letters finds the school's public page on a phone, types the code and acknowledges the policy; and a head
sees one class at 100% of families.

Until safesocial/urls.py lists the public includes before people's `schools/<slug:key>/`, a school's public page
is reached here through the compliance tests' URL configuration (the same URLs with the public pages first)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from safesocial.compliance import services
from safesocial.compliance.models import Acknowledgement, AcknowledgementCode
from safesocial.testing.browser import PHONE
from safesocial.testing.people import make_family


@pytest.fixture
def owls(live_server, seabright):
    return [
        make_family(seabright, "Nia", "Fairweather", "4O Owls", ["Dana", "Rory"]),
        make_family(seabright, "Omar", "Pennant", "4O Owls", ["Sami"]),
        make_family(seabright, "Ivo", "Marchbank", "1W Wrens", ["Lena"]),
    ]


@pytest.mark.browser
def test_a_parent_acknowledges_the_policy_with_the_code_from_a_letter(
    browser, live_server, page, sign_in, head, seabright, owls, screenshot
):
    # The head prints the letters for 4O Owls.
    sign_in(head)
    page.goto("/training/completion/seabright/")
    with page.expect_download() as info:
        page.get_by_role("button", name="Print letters for 4O Owls").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    assert download.path().read_bytes().startswith(b"%PDF-")
    dana = owls[0].parents[0]
    code = services.letter_code(AcknowledgementCode.objects.get(parent=dana))

    # Dana, on her phone and without an account, starts from the school's public page.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    parent = phone.new_page()
    parent.goto(f"/schools/{seabright.pk}/")
    expect(parent.get_by_role("heading", level=1)).to_have_text("Seabright Primary School and social media")
    screenshot(parent, "phone-compliance-public-school")
    parent.get_by_role("link", name="Tell us you have read the policy").click()

    # A mistyped code first: told which field and why, with what she typed kept.
    parent.get_by_label("Your code").fill("ABCD-EFGH")
    parent.get_by_role("button", name="Continue").click()
    expect(parent.get_by_role("alert")).to_contain_text("Your code: We could not find that code")
    expect(parent.get_by_label("Your code")).to_have_value("ABCD-EFGH")
    screenshot(parent, "phone-compliance-code-wrong")

    parent.get_by_label("Your code").fill(code.lower().replace("-", " "))
    parent.get_by_role("button", name="Continue").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text("Our social media policy")
    expect(parent.locator("main")).to_contain_text(f"Hello {dana.full_name}")
    assert not Acknowledgement.objects.exists()
    parent.get_by_role("button", name="I have read and understood the policy").click()
    expect(parent.locator(".messages")).to_contain_text("Thank you. Your acknowledgement is recorded.")
    expect(parent.locator("main")).to_contain_text("You told us on")
    screenshot(parent, "phone-compliance-acknowledged")
    phone.close()

    ack = Acknowledgement.objects.get()
    assert ack.parent == dana and ack.method == "code" and ack.version == seabright.trust.policy_version


@pytest.mark.browser
def test_a_head_sees_acknowledgement_at_100_percent_for_one_class(page, sign_in, head, trust, owls, screenshot):
    version = trust.policy_version
    for family in owls[:2]:
        for person in [family.pupil, *family.parents]:
            services.acknowledgement_family(token=services.link_token(person, version))
    sign_in(head)
    page.goto("/")
    card = page.locator(".card", has=page.get_by_role("heading", name="Policy acknowledged"))
    card.get_by_role("link", name="Completion by school, class and group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has acknowledged the policy")
    screenshot(page, "desktop-compliance-completion")
    page.get_by_role("link", name="Seabright Primary School").click()

    owls_row = page.get_by_role("row", name=re.compile("^4O Owls"))
    expect(owls_row.get_by_role("cell").nth(0)).to_have_text("Complete: 3 of 3 (100%)")
    expect(owls_row.get_by_role("cell").nth(1)).to_have_text("2 of 2 (100%)")
    wrens_row = page.get_by_role("row", name=re.compile("^1W Wrens"))
    expect(wrens_row.get_by_role("cell").nth(0)).to_have_text("0 of 1 (0%)")
    screenshot(page, "desktop-compliance-school")
