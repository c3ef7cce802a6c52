"""The dashboard greets people by the hour where the trust is (not the server's clock) and shows those who may post
the way to write one."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from safesocial.testing.channels import make_channel


@pytest.mark.parametrize(
    ("utc", "greeting"),
    [
        ("2026-03-04 20:50", "Good evening"),  # GMT: 20:50 in school
        ("2026-07-01 19:50", "Good evening"),  # BST: 20:50 in school, 19:50 on a UTC server
        ("2026-07-01 11:30", "Good afternoon"),  # BST: 12:30 in school, still morning on a UTC server
        ("2026-07-01 07:15", "Good morning"),
    ],
)
def test_the_greeting_follows_the_hour_in_the_trusts_time_zone(signed_in, teacher, utc, greeting):
    client = signed_in(teacher)
    with freeze_time(utc):
        body = client.get(reverse("dashboard")).content.decode()
    assert f"<h1>{greeting}, Tess</h1>" in body


def test_someone_who_may_post_is_offered_write_a_post(signed_in, make_staff, teacher, head, seabright):
    from safesocial.people.roles import Role

    make_channel(make_staff(Role.CHANNEL_ADMIN, seabright, "Ada Admin"), head, seabright, posters=[teacher])
    body = signed_in(teacher).get(reverse("dashboard")).content.decode()
    assert f'<a class="button" href="{reverse("publishing:create")}">Write a post</a>' in body


def test_someone_who_may_not_post_is_not_offered_it(signed_in, teacher):
    body = signed_in(teacher).get(reverse("dashboard")).content.decode()
    assert "Write a post" not in body
