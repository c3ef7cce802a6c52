"""Query counts that do not grow with the rows a page shows: an exact count, the same for one row as for many."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def same_queries(django_assert_num_queries):
    """`same_queries(n, read, grow)`: `read()` takes exactly n queries with the rows there are, and exactly n again
    after `grow()` has added more of them. Returns what the second read returned, for the test to check that the new
    rows are really there.

    The count is exact, not a ceiling: a page that gains a query fails the test, and whoever added it decides whether
    it is worth it and writes the new number down. Read once before, so that sessions and caches have settled."""

    def check(queries: int, read: Callable[[], Any], grow: Callable[[], object]) -> Any:
        with django_assert_num_queries(queries):
            read()
        grow()
        with django_assert_num_queries(queries):
            return read()

    return check
