from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "safesocial.policy"
    label = "policy"
    verbose_name = "Social media policy"
