from django.apps import AppConfig

from safesocial import hooks


class GovernorsConfig(AppConfig):
    name = "safesocial.governors"
    label = "governors"
    verbose_name = "Governors' reports"

    def ready(self) -> None:
        # Own modules, imported here because they read models, which exist only once the app registry is ready.
        from . import panels, selectors

        hooks.DASHBOARD_CARDS.register(selectors.dashboard_items, order=60)
        hooks.REVIEW_PACK.register(panels.review_moderation, order=20)
