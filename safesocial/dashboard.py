"""Cards that each part of the policy adds to a person's dashboard.

Each app's selectors.py defines `dashboard_items(user) -> list[DashboardItem]`; the dashboard shows every card
returned, in the order of PROVIDERS. A card says how many things wait and links to them; it never carries the
content of a safeguarding record."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any, Literal

PROVIDERS = [
    "safesocial.concerns.selectors",
    "safesocial.escalation.selectors",
    "safesocial.registers.selectors",
    "safesocial.publishing.selectors",
    "safesocial.compliance.selectors",
    "safesocial.governors.selectors",
    "safesocial.policy.selectors",
]


@dataclass(frozen=True)
class DashboardItem:
    title: str
    text: str  # one sentence, e.g. "3 declarations wait for your decision."
    url: str
    link_text: str
    tone: Literal["ok", "warn", "bad", ""] = ""
    count: int | None = None
    banner: bool = False  # across the top of the dashboard, for what cannot wait (an unacknowledged urgent concern)


def dashboard_items(user: Any) -> list[DashboardItem]:
    items: list[DashboardItem] = []
    for name in PROVIDERS:
        provider = getattr(import_module(name), "dashboard_items", None)
        if provider is not None:
            items.extend(provider(user))
    return items
