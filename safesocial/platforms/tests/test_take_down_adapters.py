"""Deleting a published post through each platform that allows it, against the stand-ins and their documented errors."""

import pytest

from safesocial.platforms.base import NotFound, TakeDowner, TokenExpired
from safesocial.platforms.facebook import FacebookPageAdapter
from safesocial.platforms.instagram import InstagramAdapter
from safesocial.platforms.x import XAdapter
from safesocial.platforms.youtube import YouTubeAdapter


def test_x_deletes_a_post_and_says_not_found_once_it_is_gone(x_api, x_account):
    x_api.tweets.insert(0, {"id": "777", "text": "Harvest festival", "created": 0})
    XAdapter().take_down(x_account, "777")
    assert x_api.tweets == []
    with pytest.raises(NotFound):
        XAdapter().take_down(x_account, "777")


def test_x_take_down_with_an_expired_token_asks_for_a_reconnection(x_api, x_account):
    x_api.tweets.insert(0, {"id": "778", "text": "Harvest festival", "created": 0})
    x_api.fail("expired_token")
    with pytest.raises(TokenExpired):
        XAdapter().take_down(x_account, "778")


def test_facebook_deletes_a_page_post_and_says_not_found_once_it_is_gone(graph, facebook_page):
    post_id = graph.add_post()
    FacebookPageAdapter().take_down(facebook_page, post_id)
    assert graph.posts == []
    with pytest.raises(NotFound):
        FacebookPageAdapter().take_down(facebook_page, post_id)


def test_instagram_and_youtube_posts_come_down_by_hand():
    assert not isinstance(InstagramAdapter(), TakeDowner)
    assert not isinstance(YouTubeAdapter(), TakeDowner)
