from django.apps import AppConfig


class EscalationConfig(AppConfig):
    name = "safesocial.escalation"
    label = "escalation"
    verbose_name = "The parent escalation ladder"
