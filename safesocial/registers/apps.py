from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "safesocial.registers"
    label = "registers"
    verbose_name = "Registers: friendships, unblock requests, platform and AI approvals"
