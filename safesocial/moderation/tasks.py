"""Background work for moderation: thin tasks that call the services."""

from django_tasks import task

from .services import comment_classify, poll_all


@task()
def poll_comments() -> dict[str, int]:
    return poll_all()


@task()
def classify_comment(comment_id: int) -> str | None:
    return comment_classify(comment_id)
