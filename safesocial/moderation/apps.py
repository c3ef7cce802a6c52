from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "safesocial.moderation"
    label = "moderation"
    verbose_name = "Comment moderation"
