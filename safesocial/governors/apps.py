from django.apps import AppConfig


class GovernorsConfig(AppConfig):
    name = "safesocial.governors"
    label = "governors"
    verbose_name = "Governors' reports"
