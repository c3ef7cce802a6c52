from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "safesocial.demo"
    label = "demo"
    verbose_name = "The demo trust"
