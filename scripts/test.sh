#!/usr/bin/env bash
# Command two: install everything the tests need (Debian's Chromium included) and run the whole suite.
# With CI=true the tests that use the database run again on PostgreSQL (127.0.0.1:5432, database "test").
set -euo pipefail
cd "$(dirname "$0")/.."
# Keep compiled modules: with PYTHONDONTWRITEBYTECODE set (as on our CI machines), every pytest worker and every
# server or command a test starts compiled Django, SafeSocial and the rewritten test modules from source again
# (issue 14: collecting the suite took 22 s a worker, 4.6 s with them kept; `import django` and setup 4.9 s, 2.0 s).
unset PYTHONDONTWRITEBYTECODE

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
# The browser tests run Chromium headless through its old headless shell (safesocial/testing/browser.py).
[ -x /usr/lib/chromium/chromium-headless-shell ] || need_apt+=(chromium-headless-shell)
fc-list 2>/dev/null | grep -qi dejavu || need_apt+=(fonts-dejavu-core)
# pdftotext: the browser tests read the text of the PDFs SafeSocial makes (governors' report, letters).
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# uv installs `.[test]` in a fresh .venv with a third less CPU time than pip (issue 14: 51 s of CPU and 111 s of wall
# time with pip's warm cache, 33 s and 88 s with uv's cold one). It does not read pip.conf (extra indexes, the cap on
# torch, which `.[test]` does not hold): `pip freeze` after each lists the same versions, uv itself aside.
# uv compiles what it installs (--compile-bytecode), as pip does by itself. If uv cannot be had or fails, pip installs.
if ! { .venv/bin/pip install --quiet "uv==0.13.9" &&
  .venv/bin/uv pip install --quiet --compile-bytecode --python .venv/bin/python -e ".[test]"; }; then
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -e ".[test]"
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# The floors: each app imports only the apps below it (pyproject.toml, docs/architecture.md).
.venv/bin/lint-imports

export SAFESOCIAL_DATA_DIR="${SAFESOCIAL_DATA_DIR:-$PWD/var/test}"
echo "== tests on SQLite"
.venv/bin/pytest -n 2 -q "$@"
if [ "${CI:-}" = "true" ] || [ -n "${TEST_POSTGRES:-}" ]; then
  # Only what the database can change: the browser tests and those that never open the test database did the same
  # a moment ago on SQLite (README, "Install everything the tests need").
  echo "== tests on PostgreSQL (those that use the database, browser tests aside)"
  DATABASE_URL="${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}" \
    .venv/bin/pytest -n 2 -q -m "not browser" --database-tests-only "$@"
fi
