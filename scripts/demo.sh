#!/usr/bin/env bash
# Command one: install SafeSocial in .venv, build the demo trust on SQLite and serve it.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e .
.venv/bin/safesocial migrate --verbosity 0
.venv/bin/safesocial collectstatic --noinput --verbosity 0
.venv/bin/safesocial demo
echo "Serving SafeSocial at http://127.0.0.1:8000 (Ctrl+C to stop)"
exec .venv/bin/safesocial runserver 127.0.0.1:8000
