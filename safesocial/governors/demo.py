"""Demo data for the governors' report.

The report stores nothing of its own: it counts the posts, consents, comments, concerns, escalations, channels,
acknowledgements and training that the other parts of the demo record, so the demo trust's report for this school
year has real figures without anything being seeded here."""

from safesocial.people.models import Trust


def seed(trust: Trust) -> None:
    """Nothing to add: see the module's docstring."""
