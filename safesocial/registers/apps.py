from django.apps import AppConfig

from safesocial import hooks


class RegistersConfig(AppConfig):
    name = "safesocial.registers"
    label = "registers"
    verbose_name = "Registers: friendships, unblock requests, platform and AI approvals"

    def ready(self) -> None:
        from . import selectors, services

        hooks.DASHBOARD_CARDS.register(selectors.dashboard_items, order=30)
        # A declared friendship that names a pupil or parent who joins the school's records is flagged for linking.
        hooks.PUPIL_CREATED.register(services.friendship_flag_new_link)
        hooks.PARENT_LINKED.register(services.friendship_flag_new_link)
