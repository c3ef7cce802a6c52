"""Background work for moderation: thin tasks that call the services."""

from django_tasks import task

from .services import poll_all


@task()
def poll_comments() -> dict[str, int]:
    return poll_all()
