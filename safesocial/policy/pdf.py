"""Every PDF SafeSocial prints: one letterhead (the trust's name, logo and address from its policy, `trust`) and one
way of turning HTML into a PDF that never reaches the network.

A print template includes `policy/_letterhead_style.html` inside its `<style>` and `policy/_letterhead.html` where
the header goes, and its view passes `letterhead(policy)` in the context and the HTML to `render_pdf`."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from .schema import Policy


@dataclass(frozen=True)
class Letterhead:
    name: str
    school: str  # the school a letter comes from, under the trust's name; "" for the trust itself
    address: list[str]
    phone: str
    email: str
    website: str
    logo: str  # a data: address, never a web address; "" for none

    @property
    def contact(self) -> list[str]:
        return [
            part
            for part in (
                f"Telephone {self.phone}" if self.phone else "",
                self.email,
                self.website.removeprefix("https://").removeprefix("http://").rstrip("/"),
            )
            if part
        ]


def _data_address(logo: str | None) -> str:
    """The policy's logo as an image address: inline SVG becomes a data: address, so the printout shows the logo as
    an image and nothing in the SVG becomes part of the page's HTML."""
    if not logo:
        return ""
    if logo.startswith("data:"):
        return "".join(logo.split())
    return "data:image/svg+xml;base64," + base64.b64encode(logo.encode("utf-8")).decode("ascii")


def letterhead(policy: Policy, school_name: str = "") -> dict[str, Letterhead]:
    """The context a print template's letterhead reads: `{"letterhead": ...}`."""
    trust = policy.trust
    return {
        "letterhead": Letterhead(
            name=trust.name,
            school=school_name if school_name != trust.name else "",
            address=list(trust.address),
            phone=trust.phone or "",
            email=trust.email or "",
            website=trust.website or "",
            logo=_data_address(trust.logo),
        )
    }


def render_pdf(html: str) -> bytes:
    """The HTML as a PDF. Only data: addresses (the logo) are read: a printout never waits on, or tells, another
    server, and never reads a file of this machine that a template or a logo might name."""
    from weasyprint import HTML  # loaded on the first printout, not with every page of the site
    from weasyprint.urls import URLFetcher

    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when given no target
    return pdf
