"""The demo's visitors to Seabright's sandbox page give only fictional numbers and addresses (what the built demo shows
of them: safesocial/demo/tests/test_demo_trust.py)."""

import re

import pytest

from safesocial.moderation.demo import VISITORS

PHONE = re.compile(r"\+?\d[\d ]{8,}\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.mark.parametrize(("name", "text"), VISITORS)
def test_a_demo_visitor_gives_only_numbers_and_addresses_kept_for_fiction(name, text):
    for number in PHONE.findall(text):  # Ofcom's drama range for mobiles: 07700 900000 to 07700 900999
        assert re.fullmatch(r"07700 ?900\d{3}", number.strip()), number
    for address in EMAIL.findall(text):
        assert address.endswith("@example.com"), address
