from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running SafeSocial: the health check, request IDs in the logs, scheduled jobs' last runs, backups. The
    basement of the house: any app may record a job's run here; ops imports none of them."""

    name = "safesocial.ops"
    label = "ops"
    verbose_name = "Operations"
