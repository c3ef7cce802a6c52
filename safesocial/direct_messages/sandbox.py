"""Direct messages on a sandbox account: the same Messenger interface as a real platform, kept in SafeSocial's own
store (SandboxMessage), so the demo's visitors can message the school's page with no network.

It lives here rather than beside the other adapters in platforms/ because its store is this app's model."""

from __future__ import annotations

from safesocial.platforms.base import Account, NotFound, PlatformError

from .models import SandboxMessage


class SandboxMessenger:
    def send(self, account: Account, recipient_id: str, text: str) -> str:
        if account.channel_id is None:
            raise PlatformError("the sandbox needs a channel")
        last = SandboxMessage.objects.filter(channel_id=account.channel_id, visitor_id=recipient_id).last()
        if last is None:
            raise NotFound("Nobody with that id has messaged this sandbox account.", code="not_found")
        reply = SandboxMessage.objects.create(
            channel_id=account.channel_id,
            visitor_id=recipient_id,
            visitor_name=last.visitor_name,
            text=text,
            by_account=True,
        )
        return f"sandbox-message-{reply.pk}"

    def sender_name(self, account: Account, sender_id: str) -> str:
        if account.channel_id is None:
            return ""
        last = SandboxMessage.objects.filter(channel_id=account.channel_id, visitor_id=sender_id).last()
        return last.visitor_name if last else ""
