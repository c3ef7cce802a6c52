from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "safesocial.platforms"
    label = "platforms"
    verbose_name = "Social network adapters"
