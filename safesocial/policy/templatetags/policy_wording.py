"""Sentences for families and staff written from the trust's own rules (see `safesocial.policy.wording`)."""

from django import template

from safesocial.policy import wording

register = template.Library()


@register.simple_tag
def comment_rules(policy, document: bool = False) -> list[str]:
    """`{% comment_rules policy as rules %}`: what the trust does with comments, one sentence each."""
    return wording.comment_rules(policy, document=document)
