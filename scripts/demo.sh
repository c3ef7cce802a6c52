#!/usr/bin/env bash
# Command one: install SafeSocial in .venv, build the demo trust on SQLite and serve it on gunicorn, the production
# server (scripts/serve.sh), so what people try is what runs.
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
PORT=${PORT:-8000}
echo "Serving SafeSocial at http://127.0.0.1:$PORT (Ctrl+C to stop)"
# Loopback only, two workers: enough for a few people trying it, light on a laptop.
BIND=127.0.0.1:$PORT WEB_WORKERS=${WEB_WORKERS:-2} .venv/bin/gunicorn -c python:safesocial.gunicorn_conf safesocial.wsgi
