"""Training records, for tests of the compliance pages and of anything that counts who is trained."""

from __future__ import annotations

import datetime as dt

from safesocial.compliance import services
from safesocial.compliance.models import TrainingKind
from safesocial.people.models import User


def train(member: User, by: User, *, days_ago: int = 30, kind: str = TrainingKind.INDUCTION):
    """Record that `member` completed the policy's first training topic `days_ago` days ago, as `by`."""
    policy = member.trust.policy
    return services.training_record(
        actor=by,
        user=member,
        topic=policy.training.topics[0],
        kind=kind,
        completed_on=dt.date.today() - dt.timedelta(days=days_ago),
        provider="Local authority online safety adviser",
        note="Signed attendance sheet in the office.",
    )
