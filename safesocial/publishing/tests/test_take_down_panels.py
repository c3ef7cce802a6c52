"""Take-downs appear on the pupil's page and on the channel's page (panels through hooks): why, who asked, when, and
how far each has got: done, awaiting confirmation of a removal by hand, or refused by the platform with a retry."""

import pytest
from django.urls import reverse

from safesocial.consent.models import Purpose
from safesocial.people.roles import Role
from safesocial.publishing import services
from safesocial.publishing.models import TakeDownStatus
from safesocial.publishing.tests.test_manual_channels import GROUP_LINK, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def taken_down(teacher, colleague, channel_admin, head, seabright, sandbox, facebook, graph, make_ava,
               django_capture_on_commit_callbacks):  # fmt: skip
    """A post naming Ava on three channels, taken down after a complaint: gone from the sandbox, refused by Facebook
    (an expired token), waiting for someone to remove it from the closed group by hand."""
    ava = make_ava(Purpose.SOCIAL_MEDIA, Purpose.NAME_WITH_PHOTO)
    group = make_group(channel_admin, head, seabright, posters=[teacher])
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_create(
            actor=teacher,
            channels=[sandbox, facebook, group],
            text="Ava Quill won the poetry prize!",
            category="events",
        )
        post, _ = services.post_submit(actor=teacher, post=post)
        services.post_approve(actor=colleague, post=post)
    services.delivery_record_by_hand(actor=teacher, delivery=post.deliveries.get(channel=group), url=GROUP_LINK)
    graph.fail("expired_token")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_take_down(actor=head, post=post, reason="complaint")
    statuses = {d.channel_id: d.take_down.status for d in post.deliveries.select_related("take_down")}
    assert statuses == {
        sandbox.pk: TakeDownStatus.DONE,
        facebook.pk: TakeDownStatus.REFUSED,
        group.pk: TakeDownStatus.MANUAL,
    }
    return {"pupil": ava, "post": post, "group": group}


def test_the_pupils_page_shows_each_take_down_with_reason_who_when_and_status(signed_in, head, taken_down):
    post = taken_down["post"]
    body = signed_in(head).get(reverse("people:pupil", args=[taken_down["pupil"].pk])).content.decode()
    assert "Posts featuring Ava taken down" in body
    assert "A complaint" in body and head.full_name in body
    assert "Done" in body and "Refused by the platform" in body and "reconnect the channel" in body
    assert "Awaiting confirmation that it was removed by hand" in body and GROUP_LINK in body
    assert reverse("publishing:take_down", args=[post.pk]) in body  # the retry
    by_hand = post.deliveries.get(channel=taken_down["group"]).take_down
    assert reverse("publishing:take_down_confirm", args=[post.pk, by_hand.pk]) in body


def test_the_channels_page_shows_its_take_downs_and_offers_the_retry(signed_in, head, facebook, taken_down):
    body = signed_in(head).get(reverse("channels:detail", args=[facebook.pk])).content.decode()
    assert "Posts taken down from this channel" in body and "Refused by the platform" in body
    assert "Try the take-down again" in body
    assert "Awaiting confirmation" not in body  # the closed group's take-down is on the group's page
    group_page = signed_in(head).get(reverse("channels:detail", args=[taken_down["group"].pk])).content.decode()
    assert "Awaiting confirmation that it was removed by hand" in group_page


def test_someone_who_may_not_take_it_down_sees_the_state_but_no_buttons(signed_in, make_staff, seabright, taken_down):
    office = make_staff(Role.ADMIN_TEAM, seabright, "Orla Office")  # may see pupils; no say over the post
    body = signed_in(office).get(reverse("people:pupil", args=[taken_down["pupil"].pk])).content.decode()
    assert "Refused by the platform" in body
    assert "Try the take-down again" not in body and "It is gone: confirm" not in body


def test_the_retry_from_the_pupils_page_takes_it_down(
    signed_in, head, facebook, graph, taken_down, django_capture_on_commit_callbacks
):
    post = taken_down["post"]
    graph.fail("")
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(head).post(reverse("publishing:take_down", args=[post.pk]), {"reason": "complaint"})
    assert response.status_code == 302
    assert post.deliveries.get(channel=facebook).take_down.status == TakeDownStatus.DONE


def test_a_pupil_with_no_take_downs_shows_no_panel(signed_in, head, make_ava):
    ava = make_ava()
    body = signed_in(head).get(reverse("people:pupil", args=[ava.pk])).content.decode()
    assert "taken down" not in body
