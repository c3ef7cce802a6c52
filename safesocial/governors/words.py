"""Figures in words, with plurals that agree: "1 minute", "2 minutes", "1 concern is", "2 concerns are"."""

from __future__ import annotations

from django.template.defaultfilters import pluralize


def _number(value: float) -> str:
    """One decimal place, without a trailing ".0": 3 hours, 2.5 days."""
    return f"{value:.1f}".removesuffix(".0")


def duration(h: float) -> str:
    """A length of time given in hours, in the unit a reader expects for it."""
    minutes = round(h * 60)
    if minutes < 1:
        return "under a minute"
    if h < 1:
        return f"{minutes} minute{pluralize(minutes)}"
    if h < 48:
        value = _number(h)
        return f"{value} hour{pluralize(float(value))}"
    value = _number(h / 24)
    return f"{value} day{pluralize(float(value))}"


def counted(n: int, forms: str) -> str:
    """`counted(1, "concern,concerns")` is "1 concern"; 2 gives "2 concerns"."""
    singular, plural = forms.split(",")
    return f"{n:,} {singular if n == 1 else plural}"


def verb(n: int, forms: str = "is,are") -> str:
    return pluralize(n, forms)
