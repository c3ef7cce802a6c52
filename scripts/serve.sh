#!/usr/bin/env bash
# Production: apply migrations, gather static files (WhiteNoise serves them) and run SafeSocial on gunicorn.
# Settings come from the environment (see .env.example); BIND (default 0.0.0.0:8000) and WEB_WORKERS pick the socket
# and the number of processes (safesocial/gunicorn_conf.py).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
"$VENV/bin/safesocial" migrate --noinput --verbosity 0
"$VENV/bin/safesocial" collectstatic --noinput --verbosity 0
exec "$VENV/bin/gunicorn" -c python:safesocial.gunicorn_conf safesocial.wsgi
