from django.apps import AppConfig

from safesocial import hooks


class EscalationConfig(AppConfig):
    name = "safesocial.escalation"
    label = "escalation"
    verbose_name = "The parent escalation ladder"

    def ready(self) -> None:
        # Own modules, imported here because they read models, which exist only once the app registry is ready.
        from . import panels, selectors, services

        hooks.DASHBOARD_CARDS.register(selectors.dashboard_items, order=20)
        hooks.CONCERN_PANELS.register(panels.concern_escalations)
        # A repeat offender matched to a parent: the ladder's first step is proposed.
        hooks.REPEAT_OFFENDER.register(services.escalation_propose_from_offender)
