"""A class at Seabright with families, and a new version of the policy, for the compliance tests."""

from __future__ import annotations

import pytest

from safesocial.policy.services import policy_adopt
from safesocial.testing.people import Family, make_family
from safesocial.testing.trusts import policy_text


@pytest.fixture
def owls(seabright) -> list[Family]:
    """Seabright's class 4O Owls: two families, one with two parents."""
    return [
        make_family(seabright, "Nia", "Fairweather", "4O Owls", ["Dana", "Rory"]),
        make_family(seabright, "Omar", "Pennant", "4O Owls", ["Sami"]),
    ]


@pytest.fixture
def wrens(seabright) -> list[Family]:
    return [make_family(seabright, "Ivo", "Marchbank", "1W Wrens", ["Lena"])]


@pytest.fixture
def new_version(trust, ceo):
    """Adopt a new version of the policy (the CEO approves in policy 000)."""

    def adopt():
        text = policy_text("000").replace('version: "2025-09"', 'version: "2026-09"')
        version = policy_adopt(actor=ceo, trust=trust, text=text, note="Annual review")
        trust.refresh_from_db()
        trust.__dict__.pop("policy_version", None)
        return version

    return adopt
