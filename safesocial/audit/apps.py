from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safesocial.audit"
    label = "audit"
    verbose_name = "Audit trail"
