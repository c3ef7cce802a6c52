from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "safesocial.consent"
    label = "consent"
    verbose_name = "Parental consent"
