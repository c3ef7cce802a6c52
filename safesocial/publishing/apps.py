from django.apps import AppConfig

from safesocial import hooks


class PublishingConfig(AppConfig):
    name = "safesocial.publishing"
    label = "publishing"
    verbose_name = "Posts and publishing"

    def ready(self) -> None:
        from . import panels, selectors, services

        hooks.DASHBOARD_CARDS.register(selectors.dashboard_items, order=40)
        # Above the consent table: published posts that may need taking down come first.
        hooks.PUPIL_PANELS.register(panels.pupil_featured_posts, order=10)
        hooks.PUPIL_PANELS.register(panels.pupil_take_downs, order=15)
        # A channel's page: its posts waiting to be published by hand, and its take-downs.
        hooks.CHANNEL_PANELS.register(panels.channel_panel)
        # A withdrawal opens a decision on each published post that relied on the consent.
        hooks.CONSENT_WITHDRAWN.register(services.withdrawal_decisions_open)
