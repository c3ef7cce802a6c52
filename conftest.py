"""Loads the fixtures every test may ask for; they live in safesocial/testing/, one module per subject.

Helpers that are not fixtures (PASSWORD, policy_text, make_channel, photo, a stand-in's token) are imported from the
same modules: `from safesocial.testing.people import PASSWORD`, never from a conftest."""

from __future__ import annotations

import os

import pytest

# Every module here may be imported by another before pytest loads it as a plugin: rewrite the asserts of them all.
pytest.register_assert_rewrite("safesocial.testing")

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = [
    "safesocial.testing.environment",
    # --database-tests-only: the PostgreSQL run of CI leaves out what no database can change.
    "safesocial.testing.selection",
    # The stand-ins of the social networks' APIs, for any test that publishes or moderates.
    "safesocial.testing.standins.base",
    "safesocial.testing.standins.graph",
    "safesocial.testing.standins.x",
    "safesocial.testing.standins.youtube",
    "safesocial.testing.standins.messaging",
    "safesocial.testing.trusts",
    "safesocial.testing.people",
    "safesocial.testing.channels",
    "safesocial.testing.consent",
    "safesocial.testing.queries",
    # A real S3 protocol server (moto's, on 127.0.0.1) for the tests of STORAGE_BACKEND=s3.
    "safesocial.testing.s3",
]
