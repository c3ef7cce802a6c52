from django import template

from safesocial.channels.selectors import postable_channels

register = template.Library()


@register.filter
def may_post(user) -> bool:
    """Whether `user` is authorised to post to at least one active channel (the rule the Posts page uses)."""
    return user.is_authenticated and postable_channels(user).exists()
