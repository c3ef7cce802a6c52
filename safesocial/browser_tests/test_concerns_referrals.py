"""Referrals in the browser: the DSL records a police referral, forgets the crime reference and gets it back as a form
error with what she typed still there; then a MASH referral with its reference and a follow-up, and its outcome. On a
concern about a member of staff the head sees the LADO's one-working-day clock, cannot close it without the LADO's
decision, records the referral and the decision, and closes it.

The concerns are set up through the services; everything a person does happens in Chromium."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safesocial.concerns import services
from safesocial.concerns.models import Concern
from safesocial.concerns.services import People
from safesocial.demo.builder import load_demo
from safesocial.people.models import User
from safesocial.people.roles import Role


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def assistant(make_staff, seabright) -> User:
    return make_staff(Role.SUPPORT_STAFF, seabright, "Tara Assistant")


def _report(assistant, seabright, **kw) -> Concern:
    return services.concern_report(actor=assistant, school=seabright, at_risk_now="no", harm_likely="yes", **kw).concern


@pytest.mark.browser
def test_the_dsl_records_referrals_with_their_references_as_steps_of_the_chronology(
    page, sign_in, assistant, seabright, head, screenshot
):
    concern = _report(
        assistant,
        seabright,
        kind="ai_misuse",
        summary="A video on TikTok with a pupil's face edited onto another body.",
        platform="tiktok",
    )
    sign_in(head)
    page.goto(f"/concerns/{concern.pk}/")
    form = page.locator("form[action$='/referrals/']")
    page.get_by_text("Record a referral or advice").click()
    form.get_by_label("Referred to").select_option("police")
    form.get_by_label("Sent or spoken to").fill("PC Dana Shaw, via 101")
    form.get_by_label("What you told them").fill("The account threatens to share the video further.")
    form.get_by_role("button", name="Record the referral").click()
    expect(page.get_by_role("main")).to_contain_text("Give the crime reference number")
    form = page.locator("form[action$='/referrals/']")
    expect(form.get_by_label("Sent or spoken to")).to_have_value("PC Dana Shaw, via 101")
    expect(form.get_by_label("What you told them")).to_have_value("The account threatens to share the video further.")
    form.get_by_label("Reference number").fill("CR/2026/118833")
    form.get_by_role("button", name="Record the referral").click()
    expect(page.locator(".messages")).to_contain_text("Referral recorded")

    page.get_by_text("Record a referral or advice").click()
    form = page.locator("form[action$='/referrals/']")
    form.get_by_label("Referred to").select_option("mash")
    form.get_by_label("Sent or spoken to").fill("MASH duty desk")
    form.get_by_label("Reference number").fill("MASH-2026-0042")
    form.get_by_label("Follow up by").fill((timezone.localdate() + timezone.timedelta(days=2)).isoformat())
    form.get_by_role("button", name="Record the referral").click()
    row = page.locator("tr[id^='referral-']", has_text="MASH-2026-0042")
    expect(row).to_contain_text("Awaited")
    expect(page.locator("#chronology ~ ol")).to_contain_text("MASH-2026-0042")
    row.get_by_text("Record the outcome").click()
    row.get_by_label("What came back").fill("Strategy discussion tomorrow; the school to attend.")
    row.get_by_role("button", name="Record it").click()
    expect(page.locator("tr[id^='referral-']", has_text="MASH-2026-0042")).to_contain_text(
        "Strategy discussion tomorrow"
    )
    screenshot(page, "concerns-referrals")


@pytest.mark.browser
def test_a_concern_about_staff_shows_the_lado_clock_and_closes_only_with_the_lado_decision(
    page, sign_in, assistant, seabright, teacher, head
):
    concern = _report(
        assistant,
        seabright,
        kind="staff_online_conduct",
        summary="A colleague's public post shows pupils in uniform on the trip.",
        people=People(staff_subjects=[teacher]),
    )
    sign_in(head)
    page.goto(f"/concerns/{concern.pk}/")
    expect(page.locator("#lado-clock")).to_contain_text("Refer to the LADO by the end of")
    close = page.locator("form[action$='/close/']")
    close.get_by_label("Outcome").fill("Post removed.")
    close.get_by_label("Debrief: lessons learnt").fill("Remind staff of the policy.")
    close.get_by_role("button", name="Close the concern").click()
    expect(page.get_by_role("main")).to_contain_text("record the LADO's decision")

    form = page.locator("form[action$='/referrals/']")  # open already: the LADO has not been told
    form.get_by_label("Referred to").select_option("lado")
    form.get_by_label("Sent or spoken to").fill("LADO, Jo Price")
    form.get_by_role("button", name="Record the referral").click()
    expect(page.locator("#lado-clock")).to_contain_text("within one working day")
    row = page.locator("tr[id^='referral-']", has_text="LADO")
    row.get_by_text("Record the LADO's decision").click()
    row.get_by_label("What came back").fill("Below the harm threshold: manage as a low-level concern.")
    row.get_by_role("button", name="Record it").click()
    expect(page.locator("#lado-clock")).to_contain_text("LADO decision recorded")

    close = page.locator("form[action$='/close/']")
    close.get_by_label("Outcome").fill("Post removed; low-level concern recorded.")
    close.get_by_label("Debrief: lessons learnt").fill("Remind staff of the policy.")
    close.get_by_role("button", name="Close the concern").click()
    expect(page.locator(".messages")).to_contain_text("Concern closed")


@pytest.mark.browser
def test_in_the_demo_the_millbrook_dsl_sees_the_mash_referral_and_the_head_the_lado_clock(
    page, context, sign_in, settings, screenshot
):

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    load_demo(pupils_per_school=30)
    deepfake = Concern.objects.get(kind="ai_misuse")
    sign_in(deepfake.referrals.get().made_by)  # Millbrook's DSL
    page.goto(f"/concerns/{deepfake.pk}/")
    row = page.locator("tr[id^='referral-']", has_text="Children's social care (MASH)")
    expect(row).to_contain_text("MASH-2026-04417")
    expect(row).to_contain_text("Awaited")
    screenshot(page, "concerns-referrals-demo-mash")

    context.clear_cookies()
    staff = Concern.objects.get(kind="staff_online_conduct", school__key="seabright")
    sign_in(User.objects.filter(role_assignments__school__key="seabright", role_assignments__role=Role.HEAD).first())
    page.goto(f"/concerns/{staff.pk}/")
    expect(page.locator("#lado-clock")).to_contain_text("Refer to the LADO by the end of")
    screenshot(page, "concerns-referrals-demo-lado")
