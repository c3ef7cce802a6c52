from django.apps import AppConfig

from safesocial import hooks


class ConcernsConfig(AppConfig):
    name = "safesocial.concerns"
    label = "concerns"
    verbose_name = "Safeguarding concerns"

    def ready(self) -> None:
        # Own modules, imported here because they read models, which exist only once the app registry is ready.
        from . import panels, selectors, services

        hooks.DASHBOARD_CARDS.register(selectors.dashboard_items, order=10)
        # Policy 001: a comment that may disclose a risk to a child goes to the DSL, kept.
        hooks.COMMENT_DISCLOSURE.register(services.concern_raise_for_comment)
        hooks.REVIEW_PACK.register(panels.review_lessons, order=10)
        hooks.REVIEW_TRIGGERS.register(selectors.policy_change_debriefs)
