from django.apps import AppConfig

from safesocial import hooks


class ChannelsConfig(AppConfig):
    name = "safesocial.channels"
    label = "channels"
    verbose_name = "Official channels"

    def ready(self) -> None:
        from . import panels

        hooks.REVIEW_PACK.register(panels.review_channels, order=30)
