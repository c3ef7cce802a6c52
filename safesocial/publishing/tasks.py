"""Background work for publishing. Tasks are thin: they call the delivery service."""

from django_tasks import task

from .delivery import deliver, deliver_due
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
