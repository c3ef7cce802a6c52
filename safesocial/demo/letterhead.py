"""The demo trust's letterhead. Reference policy 000 gives no address, telephone or logo, so its example file has
none; the demo adds fictional ones when it creates the trust, so its letters and printouts look as a trust's would."""

from __future__ import annotations

# The postcode area ZZ does not exist. A simple mark: a harbour wall and two waves, in the trust's blue.
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
    '<rect width="64" height="64" rx="10" fill="#1d3d5c"/>'
    '<path d="M10 40 q8 -8 16 0 t16 0 t16 0" fill="none" stroke="#fff" stroke-width="4"/>'
    '<path d="M10 50 q8 -8 16 0 t16 0 t16 0" fill="none" stroke="#9fc3e0" stroke-width="4"/>'
    '<rect x="40" y="12" width="8" height="22" fill="#fff"/>'
    "</svg>"
)

LETTERHEAD = f"""  address:
    - 1 Quay Street
    - Harbourside
    - ZZ1 2AB
  phone: 07700 900123
  email: office@harbourside.example.com
  logo: '{LOGO}'
"""


def with_letterhead(text: str) -> str:
    """The policy file's text with the demo letterhead added to its `trust` section (after `website:`)."""
    marker = "\n  website: "
    at = text.index(marker)
    end = text.index("\n", at + 1) + 1
    return text[:end] + LETTERHEAD + text[end:]
