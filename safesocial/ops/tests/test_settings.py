"""Settings read from the environment: a typo is an error, never a silent default."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _load_settings(tmp_path, **variables: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SAFESOCIAL_DATA_DIR": str(tmp_path), **variables}
    return subprocess.run(
        [sys.executable, "-c", "import safesocial.settings as s; print(s.DEBUG)"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_boolean_setting_with_a_typo_is_an_error_naming_the_variable(tmp_path):
    result = _load_settings(tmp_path, DEBUG="ture")

    assert result.returncode != 0
    assert "DEBUG" in result.stderr and "ture" in result.stderr


@pytest.mark.parametrize(("value", "expected"), [("1", "True"), ("yes", "True"), ("Off", "False"), ("", "False")])
def test_a_boolean_setting_takes_the_usual_spellings(tmp_path, value, expected):
    result = _load_settings(tmp_path, DEBUG=value)

    assert result.stdout.split()[0] == expected, result.stderr
