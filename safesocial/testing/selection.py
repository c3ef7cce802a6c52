"""Which tests a run holds: `--database-tests-only` leaves out every test that never opens the test database.

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--database-tests-only"):
        return
    kept = [item for item in items if opens_the_database(item)]
    left_out = [item for item in items if not opens_the_database(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
