"""Background work for moderation: thin tasks that call the services."""

from django_tasks import task

from .services import comment_classify, poll_all


@task()
def poll_comments() -> dict[str, int]:
    return poll_all()


@task()
def classify_comment(comment_id: int) -> str | None:
    return comment_classify(comment_id)


def warm_up() -> None:
    """Read one comment, so that everything classify_comment needs is loaded (the linear models, the sentence
    embedder and its heads: about a second, and most of a worker's memory). A worker calls this once as it starts
    (hooks.WORKER_STARTING); without it the first comment's task would load them, with every comment queued behind
    it waiting."""
    from .classifier import classify

    classify("Thank you for the photos of sports day, the children loved it!")
