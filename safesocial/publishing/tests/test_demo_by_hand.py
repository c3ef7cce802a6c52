"""The demo's closed group: a reviewed post out with its link recorded, one approved and waiting to be published by
hand, and a colleague's suggestion waiting for a decision."""

import pytest

from safesocial.channels.models import Channel
from safesocial.demo.builder import load_demo
from safesocial.publishing.models import DeliveryStatus, PostStatus, Suggestion, SuggestionStatus
from safesocial.publishing.selectors import suggestion_deciders


@pytest.mark.django_db
def test_the_demo_has_a_closed_group_published_by_hand_and_a_suggestion_waiting(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    load_demo(pupils_per_school=30)
    group = Channel.objects.get(platform="facebook_group")
    assert group.is_manual and "Groups API" in group.manual_reason and group.status == "active"
    out, waiting = group.deliveries.order_by("pk")
    assert out.status == DeliveryStatus.PUBLISHED and out.external_url.startswith("https://")
    assert out.post.status == PostStatus.PUBLISHED and out.post.reviews.filter(decision="approve").exists()
    assert waiting.status == DeliveryStatus.MANUAL and waiting.post.status == PostStatus.SCHEDULED
    suggestion = Suggestion.objects.get()
    assert suggestion.status == SuggestionStatus.OPEN and suggestion.channel == group
    assert "f.gallagher@harbourside.example.com" in {u.email for u in suggestion_deciders(suggestion)}
