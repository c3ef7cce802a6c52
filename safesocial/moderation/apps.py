from django.apps import AppConfig

from safesocial import hooks


class ModerationConfig(AppConfig):
    name = "safesocial.moderation"
    label = "moderation"
    verbose_name = "Comment moderation"

    def ready(self) -> None:
        # Own modules, imported here because they read models, which exist only once the app registry is ready.
        from . import selectors, services, tasks

        # Comments left waiting past the policy's `remove_within_hours` are chased on the moderators' dashboard.
        hooks.DASHBOARD_CARDS.register(selectors.dashboard_items, order=35)

        # A comment posted on the sandbox page is moderated like one from a webhook.
        hooks.COMMENT_ARRIVED.register(services.comment_arrived)
        # A worker loads the classifier when it starts, so that no comment waits for it.
        hooks.WORKER_STARTING.register(tasks.warm_up)
