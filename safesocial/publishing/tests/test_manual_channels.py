"""Channels published by hand (closed Facebook groups, platforms without a usable API): registered as such with the
reason, their posts checked and reviewed like any other, then published by a poster who records the link and time,
with a daily reminder until they do; taken down by hand.

Before: a closed group could not go live without an access token, so its authorised posters posted in the group on
Facebook, unread by anyone; one given a stored password went live, and every approved post then failed with "post it
yourself", with nowhere to record that anyone did."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.channels import services as channels
from safesocial.channels.models import AccessLevel, Channel, ChannelStatus, Delivery
from safesocial.channels.selectors import postable_channels
from safesocial.consent import services as consent
from safesocial.consent.models import Method, Purpose
from safesocial.ops.models import JobRun
from safesocial.people.models import User
from safesocial.publishing import services
from safesocial.publishing.delivery import chase_publishing_by_hand, deliver_due
from safesocial.publishing.models import DeliveryStatus, PostStatus, TakeDownStatus
from safesocial.publishing.selectors import dashboard_items
from safesocial.testing.channels import make_channel
from safesocial.testing.standins.graph import FB_TOKEN

pytestmark = pytest.mark.django_db

GROUP_LINK = "https://www.facebook.com/groups/seabright-parents-example/posts/1001"
REASON = "A closed Facebook group: no app can post to one."


def make_group(actor: User, head: User, school, *, posters=(), platform="facebook_group", name="Seabright parents"):
    """A channel published by hand, proposed by `actor`, signed off by `head`, active, with `posters` authorised."""
    channel = channels.channel_propose(
        actor=actor,
        trust=school.trust,
        school=school,
        platform=platform,
        delivery=Delivery.MANUAL,
        manual_reason=REASON,
        name=name,
        address="https://www.facebook.com/groups/seabright-parents-example",
        official_email="office@seabright.example.com",
        purpose="News for families in the group",
        audience="Parents",
        contributors=["parents"],
        time_commitment="1 hour a week",
        success_measures="Parents feel informed",
        risks=[channels.RiskSpec("A post nobody read", "medium", "Reviewed in SafeSocial first", actor)],
    )
    channels.channel_sign_off(actor=head, channel=channel)
    channel = channels.channel_set_status(actor=actor, channel=channel, status=ChannelStatus.ACTIVE)
    for poster in posters:
        channels.aup_sign(actor=poster, signed_name=poster.full_name)
        channels.access_grant(
            actor=head,
            channel=channel,
            user=poster,
            level=AccessLevel.POSTER,
            expires_on=timezone.localdate() + dt.timedelta(days=90),
        )
    return channel


@pytest.fixture
def group(channel_admin, head, seabright, teacher) -> Channel:
    return make_group(channel_admin, head, seabright, posters=[teacher])


def approved(author, reviewer, channel, text="Harvest festival is on Thursday at 2pm."):
    post = services.post_create(actor=author, channels=[channel], text=text, category="events")
    post, _ = services.post_submit(actor=author, post=post)
    assert post.status == PostStatus.IN_REVIEW, post.findings
    services.post_approve(actor=reviewer, post=post)
    post.refresh_from_db()
    return post


def _propose(actor, school, **overrides):
    fields = {
        "actor": actor,
        "trust": school.trust,
        "school": school,
        "platform": "facebook_group",
        "name": "Seabright parents",
        "official_email": "office@seabright.example.com",
        "purpose": "News",
        "audience": "Parents",
        "contributors": [],
        "time_commitment": "1 hour",
        "success_measures": "Parents informed",
    }
    return channels.channel_propose(**(fields | overrides))


# The register -------------------------------------------------------------------------------------------------------


def test_a_closed_group_cannot_be_registered_as_live_and_is_told_to_choose_by_hand(channel_admin, seabright):
    with pytest.raises(ValidationError) as refused:
        _propose(channel_admin, seabright, delivery=Delivery.LIVE)
    assert "Groups API" in str(refused.value) and "By hand" in str(refused.value)
    assert not Channel.objects.exists()


def test_a_channel_published_by_hand_says_why_in_the_register(channel_admin, seabright):
    with pytest.raises(ValidationError) as refused:
        _propose(channel_admin, seabright, delivery=Delivery.MANUAL, manual_reason="  ")
    assert "manual_reason" in refused.value.error_dict
    channel = _propose(channel_admin, seabright, delivery=Delivery.MANUAL, manual_reason=REASON)
    assert channel.is_manual and channel.manual_reason == REASON
    entry = AuditEntry.objects.get(action="channel.propose")
    assert entry.changes["delivery"] == "manual" and entry.changes["manual_reason"] == REASON


def test_a_channel_published_by_hand_goes_live_without_any_token(group):
    assert group.status == ChannelStatus.ACTIVE
    assert not hasattr(group, "credential") or group.credential is None


# The path that skipped review, closed -------------------------------------------------------------------------------


def test_a_post_for_a_closed_group_is_checked_and_reviewed_before_anyone_may_publish_it(
    teacher, colleague, group, make_ava, graph
):
    make_ava()  # Ava Quill, whose parents have given no consent
    named = services.post_create(
        actor=teacher, channels=[group], text="Ava Quill won the poetry prize!", category="achievements"
    )
    named, findings = services.post_submit(actor=teacher, post=named)
    assert named.status == PostStatus.DRAFT and any(f.blocks for f in findings)
    with pytest.raises(ValidationError, match="only once a colleague has approved it"):
        services.delivery_record_by_hand(actor=teacher, delivery=named.deliveries.get(), url=GROUP_LINK)

    post = services.post_create(
        actor=teacher, channels=[group], text="Harvest festival is on Thursday.", category="events"
    )
    post, _ = services.post_submit(actor=teacher, post=post)
    with pytest.raises(ValidationError, match="only once a colleague has approved it"):
        services.delivery_record_by_hand(actor=teacher, delivery=post.deliveries.get(), url=GROUP_LINK)
    services.post_approve(actor=colleague, post=post)
    post.refresh_from_db()
    delivery = post.deliveries.get()
    assert post.status == PostStatus.SCHEDULED and delivery.status == DeliveryStatus.MANUAL

    assert deliver_due()["sent"] == 0 and graph.calls("POST") == []  # no worker touches it, no API is called
    when = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    services.delivery_record_by_hand(actor=teacher, delivery=delivery, url=GROUP_LINK, published_at=when)
    post.refresh_from_db()
    delivery.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.published_at == when
    assert delivery.external_url == GROUP_LINK and delivery.recorded_by == teacher
    entry = AuditEntry.objects.get(action="post.published_by_hand")
    assert entry.changes["url"] == GROUP_LINK and "Harvest" not in str(entry.changes)


def test_a_live_channel_whose_api_takes_no_posts_is_not_offered_and_refuses_one(
    channel_admin, head, seabright, teacher
):
    youtube = make_channel(
        channel_admin, head, seabright, delivery="live", platform="youtube", name="Seabright on YouTube",
        posters=[teacher], token=FB_TOKEN,
    )  # fmt: skip
    assert youtube not in postable_channels(teacher)
    with pytest.raises(ValidationError, match="takes no posts"):
        services.post_create(actor=teacher, channels=[youtube], text="Sports day!", category="events")


def test_a_platform_safesocial_has_no_adapter_for_takes_posts_by_hand(channel_admin, head, seabright, teacher):
    linkedin = make_group(channel_admin, head, seabright, posters=[teacher], platform="linkedin", name="On LinkedIn")
    post = services.post_create(actor=teacher, channels=[linkedin], text="We are hiring!", category="community")
    assert not [f for f in post.findings if f["check"] == "platform"]


def test_a_closed_group_post_still_meets_facebooks_length(teacher, group):
    post = services.post_create(actor=teacher, channels=[group], text="a" * 63_206, category="events")
    assert not [f for f in post.findings if f["check"] == "platform"]


# Recording the link -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "ftp://files.example.com/post", "/posts/1", "https://a b.example.com", "www.facebook.com"],
)
def test_the_link_must_be_a_whole_web_address(teacher, colleague, group, link):
    post = approved(teacher, colleague, group)
    with pytest.raises(ValidationError) as refused:
        services.delivery_record_by_hand(actor=teacher, delivery=post.deliveries.get(), url=link)
    assert "url" in refused.value.error_dict
    assert post.deliveries.get().status == DeliveryStatus.MANUAL


def test_the_time_comes_after_the_approval_and_not_in_the_future(teacher, colleague, group):
    post = approved(teacher, colleague, group)
    delivery = post.deliveries.get()
    for when in (post.approved_at - dt.timedelta(hours=1), timezone.now() + dt.timedelta(hours=1)):
        with pytest.raises(ValidationError) as refused:
            services.delivery_record_by_hand(actor=teacher, delivery=delivery, url=GROUP_LINK, published_at=when)
        assert "published_at" in refused.value.error_dict
    services.delivery_record_by_hand(actor=teacher, delivery=delivery, url="http://example.com/p/1")
    with pytest.raises(ValidationError, match="already recorded"):
        services.delivery_record_by_hand(actor=teacher, delivery=delivery, url=GROUP_LINK)


def test_only_the_channels_posters_and_administrators_record_the_link(
    teacher, colleague, channel_admin, group, make_staff, seabright
):
    post = approved(teacher, colleague, group)
    with pytest.raises(PermissionDenied):
        services.delivery_record_by_hand(actor=colleague, delivery=post.deliveries.get(), url=GROUP_LINK)
    services.delivery_record_by_hand(actor=channel_admin, delivery=post.deliveries.get(), url=GROUP_LINK)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


# Reminders ----------------------------------------------------------------------------------------------------------


def test_the_posters_are_reminded_each_day_until_someone_records_the_link(
    teacher, colleague, channel_admin, group, mailoutbox
):
    post = approved(teacher, colleague, group)
    delivery = post.deliveries.get()
    assert chase_publishing_by_hand() == 0  # approved just now: not late yet
    day_later = delivery.due_at + dt.timedelta(days=1, minutes=1)
    assert chase_publishing_by_hand(now=day_later) == 1
    assert {m.to[0] for m in mailoutbox} == {teacher.email, channel_admin.email}
    assert all("Harvest" not in m.body and GROUP_LINK not in m.body for m in mailoutbox)
    assert chase_publishing_by_hand(now=day_later + dt.timedelta(hours=3)) == 0  # once a day
    assert chase_publishing_by_hand(now=day_later + dt.timedelta(days=1)) == 1
    services.delivery_record_by_hand(actor=teacher, delivery=delivery, url=GROUP_LINK)
    assert chase_publishing_by_hand(now=day_later + dt.timedelta(days=3)) == 0


def test_the_dashboard_asks_the_channels_posters_to_publish_and_record(teacher, colleague, group):
    post = approved(teacher, colleague, group)
    cards = [c for c in dashboard_items(teacher) if c.title == "Posts to publish by hand"]
    assert len(cards) == 1 and cards[0].count == 1 and str(post.pk) in cards[0].url
    assert not [c for c in dashboard_items(colleague) if c.title == "Posts to publish by hand"]
    services.delivery_record_by_hand(actor=teacher, delivery=post.deliveries.get(), url=GROUP_LINK)
    assert not [c for c in dashboard_items(teacher) if c.title == "Posts to publish by hand"]


def test_the_reminder_job_runs_from_the_scheduler(teacher, colleague, group):
    approved(teacher, colleague, group)
    call_command("chase_by_hand")
    assert JobRun.objects.filter(name="chase_by_hand").exists()


# Take-down ----------------------------------------------------------------------------------------------------------


def test_a_post_published_by_hand_is_taken_down_by_hand_with_its_link(teacher, colleague, group, graph):
    post = approved(teacher, colleague, group)
    services.delivery_record_by_hand(actor=teacher, delivery=post.deliveries.get(), url=GROUP_LINK)
    post.refresh_from_db()
    services.post_take_down(actor=teacher, post=post, reason="complaint")
    take_down = post.deliveries.get().take_down
    assert take_down.status == TakeDownStatus.MANUAL and graph.calls("DELETE") == []
    services.take_down_confirm(actor=teacher, take_down=take_down)
    post.refresh_from_db()
    assert post.status == PostStatus.TAKEN_DOWN


# The pages ----------------------------------------------------------------------------------------------------------


def _record_url(post):
    return reverse("publishing:record_by_hand", args=[post.pk, post.deliveries.get().pk])


def _data(post, url=GROUP_LINK):
    prefix = f"by-hand-{post.deliveries.get().pk}"
    now = timezone.localtime()
    return {
        f"{prefix}-url": url,
        f"{prefix}-published_on": f"{now:%d/%m/%Y}",
        f"{prefix}-published_time": f"{now:%H:%M}",
    }


def test_a_poster_records_the_link_on_the_posts_page(signed_in, teacher, colleague, group):
    post = approved(teacher, colleague, group)
    client = signed_in(teacher)
    page = client.get(reverse("publishing:detail", args=[post.pk])).content.decode()
    assert "Publish it by hand" in page and REASON in page and 'id="by-hand"' in page
    response = client.post(_record_url(post), _data(post))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    page = client.get(reverse("publishing:detail", args=[post.pk])).content.decode()
    assert GROUP_LINK in page and "recorded by Tess Teacher" in page


def test_a_link_that_is_no_web_address_comes_back_with_the_error_summary(signed_in, teacher, colleague, group):
    post = approved(teacher, colleague, group)
    response = signed_in(teacher).post(_record_url(post), _data(post, url="javascript:alert(1)"))
    body = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in body and "starting https://" in body
    assert post.deliveries.get().status == DeliveryStatus.MANUAL


def test_recording_the_link_needs_sign_in(client, teacher, colleague, group):
    post = approved(teacher, colleague, group)
    response = client.post(_record_url(post), _data(post))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert post.deliveries.get().status == DeliveryStatus.MANUAL


def test_recording_the_link_is_hidden_from_another_schools_staff(signed_in, teacher, colleague, group, outsider):
    post = approved(teacher, colleague, group)
    assert signed_in(outsider).post(_record_url(post), _data(post)).status_code == 404
    assert post.deliveries.get().status == DeliveryStatus.MANUAL


def test_the_channels_page_says_why_it_is_published_by_hand_and_what_waits(signed_in, teacher, colleague, group):
    post = approved(teacher, colleague, group)
    body = signed_in(teacher).get(reverse("channels:detail", args=[group.pk])).content.decode()
    assert "Published by hand" in body and REASON in body
    assert "Approved, waiting to be published by hand" in body and str(post) in body


def test_the_register_marks_the_channels_published_by_hand(signed_in, teacher, group):
    body = signed_in(teacher).get(reverse("channels:register")).content.decode()
    assert "By hand" in body and REASON in body


def test_the_approval_email_tells_the_author_to_publish_it_by_hand(
    teacher, colleague, group, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        approved(teacher, colleague, group)
    (email,) = [m for m in mailoutbox if m.subject == "Your post was approved"]
    assert "published by hand" in email.body and "Harvest" not in email.body


def test_a_consent_withdrawal_reaches_a_post_published_by_hand(teacher, colleague, group, make_ava):
    ava = make_ava(Purpose.SOCIAL_MEDIA, Purpose.NAME_WITH_PHOTO)
    post = approved(teacher, colleague, group, text="Congratulations to Ava Quill on her poetry prize!")
    services.delivery_record_by_hand(actor=teacher, delivery=post.deliveries.get(), url=GROUP_LINK)
    _, affected = consent.consent_record(
        actor=None,
        pupil=ava,
        purpose=Purpose.SOCIAL_MEDIA,
        given=False,
        method=Method.ONLINE,
        parent_acting=ava.parent_for_test,
    )
    assert [p.pk for p in affected] == [post.pk]
