import re

from django import template
from django.utils.html import escape, format_html

register = template.Library()
EN_DASH = " \u2013 "


@register.filter
def percent(pair: tuple[int, int]) -> int | None:
    done, total = pair
    return round(100 * done / total) if total else None


@register.filter
def completion(pair: tuple[int, int]) -> str:
    """'12 of 20 (60%)', or 'nobody to ask'."""
    done, total = pair
    if not total:
        return "nobody to ask"
    return f"{done} of {total} ({round(100 * done / total)}%)"


@register.filter
def dictget(mapping: dict, key: str):
    return mapping.get(key, (0, 0))


@register.filter
def rule(text: str) -> str:
    """A pupil rule like policy 002's SMART ones ("Safe, en dash, do not give out…"): the key word in bold."""
    key, sep, rest = text.partition(EN_DASH)
    if not sep or len(key.split()) > 3:
        return escape(text)
    return format_html("<strong>{}</strong>{}{}", key, EN_DASH, rest)


# Staff shorthand a family may not know, spelt out on the public pages.
JARGON = [
    (re.compile(r"\bDDSL\b"), "deputy designated safeguarding lead"),
    (re.compile(r"\bDSL\b"), "designated safeguarding lead"),
    (re.compile(r"\bSENDCo\b", re.I), "special educational needs and disabilities coordinator"),
    (re.compile(r"\bSENCo\b", re.I), "special educational needs coordinator"),
]


@register.filter
def plain_words(text: str) -> str:
    """'Co Head of School & DSL' as 'Co Head of School & designated safeguarding lead'."""
    for pattern, words in JARGON:
        text = pattern.sub(words, text)
    return text
