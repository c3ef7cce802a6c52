"""Whoever takes parents through the escalation steps reads the comments behind moderation's proposal on the
escalation's page, without being a moderator (issue 19); a comment kept for a safeguarding concern stays with it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safesocial.escalation import services
from safesocial.moderation.models import Comment, Offender
from safesocial.moderation.services import Incoming, comment_receive
from safesocial.people.services import parent_create, pupil_create
from safesocial.testing.channels import make_channel


def test_the_head_reads_the_comments_behind_a_proposed_escalation(
    trust, seabright, head, channel_admin, teacher, signed_in
):
    pupil = pupil_create(
        actor=None,
        school=seabright,
        first_name="Milo",
        last_name="Ferro",
        date_of_birth=dt.date(2017, 1, 1),
        year_group="4",
        class_name="Otters",
    )
    parent = parent_create(actor=None, trust=trust, full_name="Kit Ferro", pupils=[(pupil, "Father")])
    channel = make_channel(channel_admin, head, seabright)
    comment_receive(
        channel=channel, incoming=Incoming("c-1", "fb-1", "Kit Ferro", "The head is useless", timezone.now())
    )
    comment_receive(channel=channel, incoming=Incoming("c-2", "fb-1", "Kit Ferro", "Something to keep", timezone.now()))
    Comment.objects.filter(external_id="c-2").update(kept_for_concern=True)
    offender = Offender.objects.create(
        trust=trust, platform="facebook_page", author_id="fb-1", author_name="Kit Ferro", parent=parent
    )
    escalation = services.escalation_propose_from_offender(offender=offender)
    assert escalation is not None

    page = signed_in(head).get(reverse("escalation:detail", args=[escalation.pk]))

    assert page.status_code == 200
    assert "The comments behind it" in page.content.decode()
    assert "The head is useless" in page.content.decode()
    assert "Something to keep" not in page.content.decode()
