"""Signing in: a password, then a code from the authenticator app for the roles that hold safeguarding keys."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from safesocial.testing.browser import TOTP_ACTIVATE, arrive_at_totp_activation, code_from, sign_in_with_password

MFA_AUTHENTICATE = re.compile(r"/accounts/2fa/authenticate/$")


def see_dashboard_of(page, user) -> None:
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(user.get_short_name())
    main = page.get_by_role("main")
    for assignment in user.role_assignments.select_related("school"):
        expect(main).to_contain_text(assignment.role_label)
        if assignment.school:
            expect(main).to_contain_text(assignment.school.name)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


@pytest.mark.browser
def test_dsl_signs_in_with_password_and_totp_code_and_sees_dashboard(page, dsl, two_factor):
    authenticator = two_factor(dsl)

    sign_in_with_password(page, dsl)
    expect(page).to_have_url(MFA_AUTHENTICATE)
    code = page.get_by_label(re.compile("code", re.I))
    code.fill(code_from(authenticator))
    code.press("Enter")

    see_dashboard_of(page, dsl)


@pytest.mark.browser
def test_dsl_with_a_wrong_code_stays_signed_out(page, dsl, two_factor):
    authenticator = two_factor(dsl)
    wrong = f"{(int(authenticator()) + 1) % 1_000_000:06d}"

    sign_in_with_password(page, dsl)
    code = page.get_by_label(re.compile("code", re.I))
    code.fill(wrong)
    code.press("Enter")

    expect(page).to_have_url(MFA_AUTHENTICATE)
    expect(page.get_by_text(re.compile("incorrect code", re.I))).to_be_visible()
    # The password alone opens nothing: the dashboard sends them back for the code.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/(login|2fa/authenticate)/"))
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)


@pytest.mark.browser
def test_leader_without_authenticator_is_sent_to_set_one_up(page, head):
    sign_in_with_password(page, head)
    arrive_at_totp_activation(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("authenticator", re.I))

    page.goto("/")
    expect(page).to_have_url(TOTP_ACTIVATE)
    page.goto("/people/")
    expect(page).to_have_url(TOTP_ACTIVATE)


@pytest.mark.browser
def test_leader_who_activates_an_authenticator_can_then_open_the_dashboard(page, head):
    sign_in_with_password(page, head)
    arrive_at_totp_activation(page)

    # The secret a person types into their app when they cannot scan the QR code.
    secret = page.get_by_label(re.compile("secret", re.I)).input_value()
    code = page.get_by_label(re.compile("code", re.I))
    code.fill(code_from(lambda: format_hotp_value(hotp_value(secret, int(time.time()) // 30))))
    code.press("Enter")
    expect(page).not_to_have_url(TOTP_ACTIVATE)

    page.goto("/")
    see_dashboard_of(page, head)


@pytest.mark.browser
def test_sign_in_page_does_not_send_staff_to_a_closed_sign_up(page):
    """Accounts are made by the trust, so a 'sign up' link would only lead to a 'Sign Up Closed' dead end."""
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("sign in", re.I))
    expect(page.get_by_role("link", name=re.compile("sign up", re.I))).to_have_count(0)
