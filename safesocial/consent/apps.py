from django.apps import AppConfig

from safesocial import hooks


class ConsentConfig(AppConfig):
    name = "safesocial.consent"
    label = "consent"
    verbose_name = "Parental consent"

    def ready(self) -> None:
        # Own modules, imported here because they read models, which exist only once the app registry is ready.
        from . import panels

        hooks.PUPIL_PANELS.register(panels.pupil_consent, order=20)
