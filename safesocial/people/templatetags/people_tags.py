from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag
def greeting() -> str:
    """By the hour where the trust is (TIME_ZONE): "Good afternoon" at 20:50 reads as a machine talking."""
    hour = timezone.localtime().hour
    return "Good morning" if hour < 12 else "Good afternoon" if hour < 18 else "Good evening"
