from django.apps import AppConfig

from safesocial import hooks


class ComplianceConfig(AppConfig):
    name = "safesocial.compliance"
    label = "compliance"
    verbose_name = "Acknowledgements, training and the public page"

    def ready(self) -> None:
        # Own modules, imported here because they read models, which exist only once the app registry is ready.
        from . import selectors

        hooks.DASHBOARD_CARDS.register(selectors.dashboard_items, order=50)
        # Policy: channel administrators need current training and a signed acceptable use agreement.
        hooks.CHANNEL_ACCESS_BLOCKERS.register(selectors.channel_access_blockers)
