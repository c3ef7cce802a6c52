"""Issue 12, finding 9: before sending again, the adapters look for the post on the platform; a post with the same
words from before this one was approved is somebody else's (last week's notice), not this delivery's."""

import datetime as dt
import time

from django.utils import timezone

from safesocial.platforms.base import PublishRequest
from safesocial.platforms.facebook import FacebookPageAdapter
from safesocial.platforms.x import XAdapter

x = XAdapter()
facebook = FacebookPageAdapter()
LAST_WEEK = 7 * 24 * 3600


def _since_approval() -> PublishRequest:
    return PublishRequest("School closes at 1pm today.", not_before=timezone.now() - dt.timedelta(minutes=10))


def test_x_finds_a_post_made_since_approval_and_asks_x_for_its_time(x_api, x_account):
    posted = x.publish(x_account, PublishRequest("School closes at 1pm today."))

    assert x.find_published(x_account, _since_approval()) == posted
    assert x_api.calls("GET", "/tweets")[-1].query["tweet.fields"] == "created_at"


def test_x_ignores_an_older_post_with_the_same_words(x_api, x_account):
    posted = x.publish(x_account, PublishRequest("School closes at 1pm today."))
    x_api.everything[posted.external_id]["created"] -= LAST_WEEK

    assert x.find_published(x_account, _since_approval()) is None


def test_facebook_ignores_an_older_post_with_the_same_words(graph, facebook_page):
    graph.add_post("School closes at 1pm today.", created=time.time() - LAST_WEEK)

    assert facebook.find_published(facebook_page, _since_approval()) is None
    recent = graph.add_post("School closes at 1pm today.")
    found = facebook.find_published(facebook_page, _since_approval())
    assert found is not None and found.external_id == recent
