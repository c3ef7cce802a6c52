"""The web edge: who the client is behind the trust's reverse proxies, rate limits shared by every worker, and the
headers every response carries (Content-Security-Policy; no-store on anything shown to a signed-in user)."""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Callable
from functools import cache as memoise

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@memoise
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The address of whoever sent the request. REMOTE_ADDR, unless that is one of TRUSTED_PROXIES: then
    X-Forwarded-For read from the right, skipping our own proxies, so the first address no proxy of ours vouches
    for is the client. Anything to the left of it was written by the client and is never believed."""
    address = request.META.get("REMOTE_ADDR", "")
    if not _trusted(address):
        return address
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for address in reversed(hops):
        if not _trusted(address):
            break
    return address


def _client_key(request: HttpRequest) -> str:
    """An IPv6 sender holds a whole /64 and can change address at will within it, so the /64 is one client."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)


def limit_reached(request: HttpRequest, scope: str, *, limit: int, window: int) -> bool:
    """Count one more request from this client for `scope`; true when it is more than `limit` in `window` seconds.

    Counting is one atomic step in the cache (Redis when REDIS_URL is set, so every worker shares the count): the
    first request of a window creates the counter with its expiry, later ones increment it."""
    key = f"limit:{scope}:{hashlib.sha256(_client_key(request).encode()).hexdigest()}"
    if cache.add(key, 1, window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between the two steps: this request opens the next one
            cache.add(key, 1, window)
            count = 1
    return count > limit


def content_security_policy() -> str:
    return "; ".join(
        f"{directive} {' '.join(sources)}" for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
    )


class WebEdgeMiddleware:
    """First in MIDDLEWARE. On the way in, drops the SECURE_PROXY_SSL_HEADER (X-Forwarded-Proto) unless a trusted
    proxy sent it: Django would otherwise believe it from anyone. On the way out, adds the Content-Security-Policy, and
    `Cache-Control: no-store` to every response for a signed-in user whose view set no cache rule of its own:
    their pages show pupils, concerns and the audit trail, often on a shared staff computer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SECURE_PROXY_SSL_HEADER and not _trusted(request.META.get("REMOTE_ADDR", "")):
            request.META.pop(settings.SECURE_PROXY_SSL_HEADER[0], None)
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-store"
        return response
