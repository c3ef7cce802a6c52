from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from safesocial.people.roles import ExtraRole, Role
from safesocial.policy.approvers import Approvers
from safesocial.policy.schema import PLATFORM_LABELS, Platform

register = template.Library()


@register.filter
def prose(text: str) -> str:
    """A policy section's body: blank lines separate paragraphs, lines starting '- ' are bullets."""
    html: list[str] = []
    bullets: list[str] = []
    para: list[str] = []

    def flush_para():
        if para:
            html.append(f"<p>{escape(' '.join(para))}</p>")
            para.clear()

    def flush_bullets():
        if bullets:
            html.append("<ul>" + "".join(f"<li>{escape(b)}</li>" for b in bullets) + "</ul>")
            bullets.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("- "):
            flush_para()
            bullets.append(line[2:])
        elif not line:
            flush_para()
            flush_bullets()
        else:
            flush_bullets()
            para.append(line)
    flush_para()
    flush_bullets()
    return mark_safe("".join(html))


@register.filter
def role_label(value) -> str:
    if isinstance(value, Approvers | ExtraRole):
        return value.label
    try:
        return Role(value).label
    except ValueError:
        return str(value)


@register.filter
def platform_label(value) -> str:
    return PLATFORM_LABELS.get(Platform(value), str(value))


@register.filter
def school_name(key, policy) -> str:
    for school in policy.trust.schools:
        if school.key == key:
            return school.name
    return "Trust-wide"


@register.filter
def css_string(value) -> str:
    """Text safe inside a double-quoted CSS string in a <style> element (the PDF's running footer).
    Style elements are raw text, so HTML escaping would show; angle brackets are dropped instead."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return mark_safe(text.replace("<", "").replace(">", ""))
