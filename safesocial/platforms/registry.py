"""Which adapter publishes to, and moderates comments on, which platform."""

from __future__ import annotations

from safesocial.policy.schema import PLATFORM_LABELS, Platform

from .base import Adapter, Moderator, Registry, Unsupported
from .facebook import FacebookGroupAdapter, FacebookPageAdapter
from .instagram import InstagramAdapter
from .x import XAdapter
from .youtube import YouTubeAdapter

# Adapters hold no state, so one of each serves every channel. Other adapters (the sandbox) register here too.
registry = Registry()
for _adapter in (FacebookPageAdapter(), FacebookGroupAdapter(), InstagramAdapter(), XAdapter(), YouTubeAdapter()):
    registry.register(str(_adapter.platform), _adapter)


def adapter_for(platform: str) -> Adapter:
    """The live adapter for a Platform value, or Unsupported saying plainly that SafeSocial cannot post there."""
    try:
        return registry.get(str(platform))
    except Unsupported:
        pass
    try:
        known = Platform(platform)
    except ValueError:
        raise Unsupported(f"{platform!r} is not a platform SafeSocial knows.", code="unknown_platform") from None
    name = "this platform" if known == Platform.OTHER else PLATFORM_LABELS[known]
    raise Unsupported(
        f"SafeSocial cannot publish to {name}: it has no connection to its API. "
        "Post there yourself, then record the post here.",
        code="no_adapter",
    )


def moderator_for(platform: str) -> Moderator:
    """The adapter that moderates comments on a Platform value, or Unsupported saying plainly that SafeSocial cannot."""
    try:
        adapter = registry.get(str(platform))
    except Unsupported:
        adapter = None
    if isinstance(adapter, Moderator):
        return adapter
    try:
        known = Platform(platform)
    except ValueError:
        raise Unsupported(f"{platform!r} is not a platform SafeSocial knows.", code="unknown_platform") from None
    name = "this platform" if known == Platform.OTHER else PLATFORM_LABELS[known]
    raise Unsupported(
        f"SafeSocial cannot moderate comments on {name}: it has no connection to its API. "
        "Moderate them there yourself.",
        code="no_moderation",
    )
