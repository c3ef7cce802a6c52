from django import template

register = template.Library()


@register.filter
def span_of(text: str, span) -> str:
    """The words of a comment that a category was found in."""
    try:
        start, end = int(span[0]), int(span[1])
    except (TypeError, ValueError, IndexError):
        return ""
    return text[max(0, start) : max(0, end)]
