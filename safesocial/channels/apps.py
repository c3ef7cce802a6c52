from django.apps import AppConfig

from safesocial import hooks


class ChannelsConfig(AppConfig):
    name = "safesocial.channels"
    label = "channels"
    verbose_name = "Official channels"

    def ready(self) -> None:
        # Own modules, imported here because they read models, which exist only once the app registry is ready.
        from . import panels, selectors

        hooks.REVIEW_PACK.register(panels.review_channels, order=30)
        # `policy check` compares a policy file's official channels with the register.
        hooks.POLICY_CHECKS.register(selectors.policy_check_warnings)
