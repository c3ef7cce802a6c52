"""What an author sees while writing and sending a post: a category they choose (never one chosen for them), whom
it went to, and reviewers they can tell apart."""

import pytest
from django.urls import reverse

from safesocial.people.roles import Role
from safesocial.publishing import services
from safesocial.publishing.models import Post

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_category_starts_empty_and_must_be_chosen(signed_in, teacher, sandbox):
    client = signed_in(teacher)
    body = client.get(reverse("publishing:create")).content.decode()
    assert '<option value="" selected>Choose a category</option>' in body
    data = {"channels": [sandbox.pk], "category": "", "text": "Harvest festival on Thursday."}
    body = client.post(reverse("publishing:create"), data).content.decode()
    assert "This field is required" in body and "Harvest festival on Thursday." in body
    assert not Post.objects.exists()


def test_sent_for_review_says_to_whom(signed_in, teacher, colleague, sandbox):
    post = services.post_create(actor=teacher, channels=[sandbox], text="Harvest festival.", category="events")
    client = signed_in(teacher)
    response = client.post(reverse("publishing:submit", args=[post.pk]), {"reviewer": colleague.pk}, follow=True)
    body = response.content.decode()
    assert "Sent for review to Cora Colleague." in body
    assert "Sent for review to Cora Colleague on " in body  # the post's history says so too, after the message


def test_reviewers_are_listed_with_role_and_school(signed_in, make_staff, teacher, sandbox, seabright):
    make_staff(Role.TEACHER, seabright, "Sam Smith")
    make_staff(Role.HEAD, seabright, "Sam Jones")
    post = services.post_create(actor=teacher, channels=[sandbox], text="Harvest festival.", category="events")
    body = signed_in(teacher).get(reverse("publishing:detail", args=[post.pk])).content.decode()
    assert "Sam Smith — Teacher, Seabright Primary School</option>" in body
    assert "Sam Jones — Headteacher / head of school, Seabright Primary School</option>" in body
