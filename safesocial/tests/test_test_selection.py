"""The PostgreSQL run of CI holds every test that opens the database, however it asks for it, and only those; and a
slow test is handed out before the quick ones, except that a test that empties the database still runs after every
test that shares it (safesocial/testing/selection.py)."""

from __future__ import annotations

pytest_plugins = ["pytester"]

TESTS = """
import pytest

@pytest.fixture
def school(db):
    return "a school"

def test_pure():
    assert True

def test_asks_for_db(db):
    pass

def test_through_a_fixture(school):
    pass

@pytest.mark.django_db
def test_marked():
    pass

def test_live(live_server):
    pass

@pytest.mark.slow
def test_slow_and_pure():
    pass

@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_slow_and_transactional():
    pass
"""


def _collected(pytester, *args: str) -> list[str]:
    pytester.makepyfile(test_sample=TESTS)
    pytester.makeini("[pytest]\nmarkers =\n    slow: takes long")
    result = pytester.runpytest_subprocess("-p", "safesocial.testing.selection", "--collect-only", "-q", *args)
    return [line.split("::")[1] for line in result.outlines if "::" in line]


def test_database_tests_only_keeps_each_test_that_opens_the_database_and_leaves_out_the_rest(pytester):
    assert _collected(pytester, "--database-tests-only") == [
        "test_asks_for_db",
        "test_through_a_fixture",
        "test_marked",
        "test_slow_and_transactional",
        "test_live",
    ]


def test_slow_tests_are_collected_first_but_those_that_empty_the_database_after_those_that_share_it(pytester):
    assert _collected(pytester) == [
        "test_slow_and_pure",
        "test_asks_for_db",
        "test_through_a_fixture",
        "test_marked",
        "test_pure",
        "test_slow_and_transactional",
        "test_live",
    ]
