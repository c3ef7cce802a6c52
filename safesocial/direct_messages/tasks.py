"""Background work for direct messages: thin tasks that call the services."""

from django_tasks import task

from .services import message_classify, poll_all


@task()
def classify_direct_message(message_id: int) -> str | None:
    return message_classify(message_id)


@task()
def poll_direct_messages() -> dict[str, int]:
    return poll_all()
