from django.apps import AppConfig

from safesocial import hooks


class PolicyConfig(AppConfig):
    name = "safesocial.policy"
    label = "policy"
    verbose_name = "Social media policy"

    def ready(self) -> None:
        # Own modules, imported here because they read models, which exist only once the app registry is ready.
        from . import selectors

        hooks.DASHBOARD_CARDS.register(selectors.dashboard_items, order=70)
