from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safesocial.people"
    label = "people"
    verbose_name = "Trust, schools and people"
