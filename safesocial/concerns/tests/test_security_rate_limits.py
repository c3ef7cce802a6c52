"""Rate limits (issue 12, finding 7): counted per real client, through the reverse proxies the deployment trusts,
atomically, and shared between workers through Redis when REDIS_URL is set."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from safesocial.concerns.models import Concern
from safesocial.web import limit_reached

from .test_views import public_data

REDIS = "redis://127.0.0.1:6379/7"
REDIS_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS,
    }
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_cache(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at " + REDIS)
    settings.CACHES = REDIS_CACHE
    cache.clear()
    yield cache
    cache.clear()


def _post_from(client, url, address, proxy="10.0.0.2"):
    return client.post(url, public_data(), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=address)


def test_behind_the_proxy_one_sender_cannot_close_the_public_form_for_everyone(client, settings, seabright):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    url = reverse("concerns_public:report", args=[seabright.pk])
    for _ in range(5):
        assert _post_from(client, url, "203.0.113.9").status_code == 200
    assert _post_from(client, url, "203.0.113.9").status_code == 429
    # A parent elsewhere, reaching SafeSocial through the same proxy, can still report.
    assert _post_from(client, url, "198.51.100.4").status_code == 200
    assert Concern.objects.count() == 6


def test_a_sender_cannot_dodge_the_limit_by_writing_its_own_forwarded_for(client, settings, seabright):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    url = reverse("concerns_public:report", args=[seabright.pk])
    for n in range(6):
        response = _post_from(client, url, f"192.0.2.{n}, 203.0.113.9")
    assert response.status_code == 429 and Concern.objects.count() == 5


def test_without_a_trusted_proxy_a_forged_forwarded_for_is_ignored(client, settings, seabright):
    settings.TRUSTED_PROXIES = []
    url = reverse("concerns_public:report", args=[seabright.pk])
    for n in range(6):
        response = _post_from(client, url, f"192.0.2.{n}", proxy="203.0.113.9")
    assert response.status_code == 429 and Concern.objects.count() == 5


def test_a_form_with_mistakes_does_not_use_up_a_parents_reports(client, seabright):
    url = reverse("concerns_public:report", args=[seabright.pk])
    for _ in range(6):
        client.post(url, public_data(summary=""))
    assert client.post(url, public_data()).status_code == 200 and Concern.objects.count() == 1


def test_the_public_form_limit_is_shared_by_every_worker_through_redis(client, redis_cache, seabright):
    url = reverse("concerns_public:report", args=[seabright.pk])
    for _ in range(3):
        assert client.post(url, public_data()).status_code == 200
    # A second worker, a separate process configured as production is (REDIS_URL), takes two more for the client.
    script = (
        "import django; django.setup(); from django.test import RequestFactory;"
        "from safesocial.web import limit_reached;"
        "r = RequestFactory().post('/', REMOTE_ADDR='127.0.0.1');"
        "print([limit_reached(r, 'concerns-public', limit=5, window=3600) for _ in range(2)])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "safesocial.settings", "REDIS_URL": REDIS}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[False, False]"
    assert client.post(url, public_data()).status_code == 429 and Concern.objects.count() == 3


def test_simultaneous_requests_cannot_overrun_a_limit(redis_cache):
    """Counting is one atomic step in Redis: twenty requests at once from one client get exactly five through."""
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    start = threading.Barrier(20)
    allowed = []

    def hit():
        start.wait()
        if not limit_reached(request, "burst", limit=5, window=60):
            allowed.append(1)

    threads = [threading.Thread(target=hit) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(allowed) == 5


def test_an_ipv6_sender_cannot_escape_the_limit_by_changing_address_within_its_network(client, seabright):
    url = reverse("concerns_public:report", args=[seabright.pk])
    for n in range(6):
        response = client.post(url, public_data(), REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}")
    assert response.status_code == 429 and Concern.objects.count() == 5
