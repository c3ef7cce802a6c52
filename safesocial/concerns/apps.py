from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "safesocial.concerns"
    label = "concerns"
    verbose_name = "Safeguarding concerns"
