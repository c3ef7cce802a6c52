"""Background work for publishing. Tasks are thin: they call the delivery service."""

from django_tasks import task

from .delivery import deliver, deliver_due, take_down
from .models import Delivery, DeliveryStatus


@task()
def deliver_post(post_id: int) -> list[str]:
    """Send a post's due deliveries now (enqueued when a post is approved for immediate publishing)."""
    ids = Delivery.objects.filter(
        post_id=post_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRY]
    ).values_list("pk", flat=True)
    return [deliver(pk) for pk in ids]


@task()
def sweep_outbox() -> dict[str, int]:
    return deliver_due()


@task()
def take_down_post(post_id: int) -> list[str]:
    """Delete a post on each platform that allows it (enqueued when someone takes a post down)."""
    from .models import TakeDown, TakeDownStatus

    ids = TakeDown.objects.filter(delivery__post_id=post_id, status=TakeDownStatus.PENDING).values_list("pk", flat=True)
    return [take_down(pk) for pk in ids]
