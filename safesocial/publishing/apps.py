from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "safesocial.publishing"
    label = "publishing"
    verbose_name = "Posts and publishing"
