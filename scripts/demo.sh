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
# Scheduled posts go out when due: sweep the outbox every 15 seconds while the demo runs.
.venv/bin/safesocial publish_due --every 15 &
sweeper=$!
trap 'kill $sweeper 2>/dev/null' EXIT
echo "Serving SafeSocial at http://127.0.0.1:8000 (Ctrl+C to stop)"
.venv/bin/safesocial runserver 127.0.0.1:8000
