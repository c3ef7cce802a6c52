"""Background work for acknowledgements. Tasks are thin: they call the service."""

from django_tasks import task

from safesocial.people.models import Trust

from .services import acknowledgement_remind


@task()
def remind_all() -> dict[str, int]:
    """What a scheduler runs daily, like `safesocial compliance remind`."""
    out = {}
    for trust in Trust.objects.all():
        if trust.policy_version is not None:
            out[trust.name] = len(acknowledgement_remind(trust=trust).emailed)
    return out
