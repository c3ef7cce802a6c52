"""A code typed twice (a second sign-in within the same 30 seconds, or a double-click) is refused, as it must be, but
told apart from a wrong code: the person waits for the next one instead of doubting their authenticator."""

import time

from django.test import Client
from django.urls import reverse

from safesocial.testing.people import PASSWORD


def _sign_in(client, user, code: str):
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    return client.post(reverse("mfa_authenticate"), {"code": code})


def test_a_code_used_twice_says_to_wait_for_the_next_one(dsl, two_factor):
    authenticator = two_factor(dsl)
    if time.time() % 30 > 25:  # both sign-ins must fall in the same 30-second window
        time.sleep(30 - time.time() % 30 + 0.2)
    code = authenticator()
    assert _sign_in(Client(), dsl, code).status_code == 302
    response = _sign_in(Client(), dsl, code)
    body = response.content.decode()
    assert response.status_code == 200
    assert "That code has just been used: wait for the next one." in body
    assert "Incorrect code" not in body


def test_a_wrong_code_still_says_it_is_incorrect(dsl, two_factor):
    two_factor(dsl)
    body = _sign_in(Client(), dsl, "000000").content.decode()
    assert "Incorrect code" in body and "just been used" not in body
