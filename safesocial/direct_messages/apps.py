from django.apps import AppConfig

from safesocial import hooks


class DirectMessagesConfig(AppConfig):
    name = "safesocial.direct_messages"
    label = "direct_messages"
    verbose_name = "Direct messages to official accounts"

    def ready(self) -> None:
        # Own modules, imported here because they read models, which exist only once the app registry is ready.
        from . import selectors, services

        # Meta sends a Page's messages to the same webhook address as its comments; moderation checks the signature.
        hooks.META_MESSAGES.register(services.meta_messages_delivered)
        hooks.DASHBOARD_CARDS.register(selectors.dashboard_items, order=45)
