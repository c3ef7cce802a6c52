from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "safesocial.publishing"
    label = "publishing"
    verbose_name = "Posts and publishing"

    def ready(self) -> None:
        from safesocial.consent.signals import consent_withdrawn

        from .services import withdrawal_decisions_open

        def open_decisions(sender, *, consent, pupil, posts, **kwargs) -> None:
            withdrawal_decisions_open(consent=consent, pupil=pupil, posts=posts)

        consent_withdrawn.connect(open_decisions, weak=False, dispatch_uid="publishing.withdrawal_decisions")
