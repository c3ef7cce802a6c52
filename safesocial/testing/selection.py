"""Which tests a run holds, and in what order.

The tests marked `slow` go first (those that empty the database first among those, which pytest-django keeps last).
pytest-xdist hands tests to its workers in the order they are collected, so a test of a minute or two collected late
(the two-server test, the moderate command on a large input) would leave one worker busy after the other has
finished; first, the short tests fill in around it.

`--database-tests-only` leaves out every test that never opens the test database.

pytest-django refuses the database to a test that neither carries `django_db` nor asks, directly or through another
fixture, for one of the fixtures below; such a test (the classifiers, the commands that need no database, servers
started with a database of their own) does the same on SQLite and on PostgreSQL. CI runs the whole suite on SQLite and
then, on PostgreSQL, only what the database can change (scripts/test.sh; issue 14: the time CI takes)."""

from __future__ import annotations

import pytest

DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="leave out the tests that never open the test database (they run the same on any database)",
    )


def opens_the_database(item: pytest.Item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or not DATABASE_FIXTURES.isdisjoint(fixtures)


def empties_the_database(item: pytest.Item) -> bool:
    """A transactional test commits, and the database is emptied after it (the live server's tests among them)."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transaction = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return bool(transaction) or "transactional_db" in fixtures or "live_server" in fixtures


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--database-tests-only"):
        kept, left_out = [], []
        for item in items:
            (kept if opens_the_database(item) else left_out).append(item)
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = kept
    # Stable, after pytest-django's own order: tests that empty the database still run after those that share it.
    items.sort(key=lambda item: (empties_the_database(item), item.get_closest_marker("slow") is None))
