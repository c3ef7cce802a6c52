"""Links to addresses that came from a policy file or the channel register."""

from django import template

from safesocial.policy.schema import is_http_url

register = template.Library()


@register.filter
def http_url(value: object) -> str:
    """The address if a page may link to it (http or https), else "": the schema refuses anything else, and this
    keeps a `javascript:` address that reached the database some other way from ever becoming a live link."""
    return value if isinstance(value, str) and is_http_url(value) else ""
