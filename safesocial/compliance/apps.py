from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "safesocial.compliance"
    label = "compliance"
    verbose_name = "Acknowledgements, training and the public page"
