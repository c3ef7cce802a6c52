import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safesocial.channels.models import Channel, ChannelStatus
from safesocial.moderation.selectors import moderator_roles
from safesocial.views_kit import run_service
from safesocial.web import limit_reached

from . import selectors, services

SANDBOX_MESSAGE_LIMIT = 10  # messages a minute from one visitor (its real address, through TRUSTED_PROXIES)


@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    """The messages sent privately to the official accounts the user moderates or keeps safe, newest first. There is
    nothing to answer with: the account sends only the policy's standard reply, by itself."""
    user = request.user
    if not selectors.sees_messages(user):
        return render(
            request,
            "direct_messages/list.html",
            {"reader": False, "moderator_roles": moderator_roles(user), "title": "Direct messages"},
        )
    shown = list(selectors.messages_for(user)[:200])
    masked = selectors.masked_for(user, shown)
    for message in shown:
        message.masked = message.pk in masked
    return render(
        request,
        "direct_messages/list.html",
        {
            "reader": True,
            "direct_messages": shown,
            "reply": user.trust.policy.direct_messages.reply if user.trust else "",
            "title": "Direct messages",
        },
    )


def _sandbox_channel(pk: int) -> Channel:
    channel = Channel.objects.filter(pk=pk, delivery="sandbox").select_related("school", "trust").first()
    if channel is None or channel.status not in (ChannelStatus.ACTIVE, ChannelStatus.SUSPENDED):
        raise Http404
    return channel


def sandbox_conversation(request: HttpRequest, pk: int) -> HttpResponse:
    """A sandbox visitor's private conversation with the school's account, as the platform's messaging would show it.
    Open without sign-in, like the sandbox page; each visitor sees only their own."""
    channel = _sandbox_channel(pk)
    visitor = request.session.get("sandbox_visitor", "")
    conversation = list(selectors.sandbox_conversation(channel.pk, visitor)) if visitor else []
    return render(
        request,
        "direct_messages/sandbox.html",
        {
            "channel": channel,
            "conversation": conversation,
            "visitor_name": next((m.visitor_name for m in conversation if not m.by_account), ""),
            "title": f"Message {channel.name}",
        },
    )


@require_POST
def sandbox_send(request: HttpRequest, pk: int) -> HttpResponse:
    channel = _sandbox_channel(pk)
    visitor = request.session.setdefault("sandbox_visitor", f"visitor-{secrets.token_urlsafe(12)}")
    where = reverse("direct_messages:sandbox", args=[pk]) + "#conversation"
    if limit_reached(request, "sandbox-message", limit=SANDBOX_MESSAGE_LIMIT, window=60):
        messages.error(request, "You have sent too many messages in the last minute. Wait a minute and try again.")
        return redirect(where)
    return run_service(
        request,
        lambda: services.sandbox_message_send(
            channel=channel,
            visitor_id=visitor,
            visitor_name=request.POST.get("name", ""),
            text=request.POST.get("text", ""),
        ),
        ok="Message sent.",
        then=where,
    )
