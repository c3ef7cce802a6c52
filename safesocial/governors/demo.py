"""Demo data for this part of the policy, made through its services."""

from safesocial.people.models import Trust


def seed(trust: Trust) -> None:
    """Nothing yet."""
