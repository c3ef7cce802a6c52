"""Demo comments on Seabright's sandbox page, left by visitors and moderated as they would be live."""

from __future__ import annotations

from django.utils import timezone

from safesocial.channels.models import Channel
from safesocial.platforms.models import SandboxComment, SandboxPost

from .services import Incoming, comment_receive

VISITORS = [
    ("Dana Whitfield", "Well done everyone, the choir absolutely smashed it tonight!"),
    ("Chris Lyle", "What time does the autumn fair start on Saturday?"),
    ("Sam Keating", "You lot are useless idiots, sort the car park out"),
    ("Sam Keating", "Useless idiots the lot of you"),
    ("Sam Keating", "Shut up you morons, nobody wants your newsletter"),
    ("Jo Parkes", "Mrs Okafor never replies to emails, this school ignores every complaint"),
    ("A Parent", "my daughter says she is scared to go home because her stepdad hits her"),
    ("Robyn Tallis", "Selling raffle tickets and homemade cakes, message me on 07700 900461"),
    # Two the word rules used to miss, which the semantic layer reads for meaning: both go to the DSL.
    (
        "Kerry Ainsworth",
        "please take down the photo with my daughter, we had to move away from her dad and he must not find us",
    ),
    ("Tia Fairbairn", "honestly whats the point anymore. everyone would be better off if i just wasnt here"),
]


def seed_comments(channel: Channel) -> None:
    post = SandboxPost.objects.filter(channel_id=channel.pk).order_by("published_at").first()
    if post is None:
        return
    for name, text in VISITORS:
        visitor = f"demo-visitor-{name.lower().replace(' ', '-')}"
        comment = SandboxComment.objects.create(post=post, author_id=visitor, author_name=name, text=text)
        comment_receive(
            channel=channel,
            incoming=Incoming(
                external_id=f"sandbox-comment-{comment.pk}",
                author_id=visitor,
                author_name=name,
                text=text,
                created_at=timezone.now(),
                parent_external_id=f"sandbox-{post.pk}",
            ),
        )
