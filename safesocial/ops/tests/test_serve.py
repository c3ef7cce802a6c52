"""The production server as scripts/serve.sh starts it: gunicorn with safesocial/gunicorn_conf.py."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

GUNICORN = Path(sys.executable).parent / "gunicorn"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_static_files_and_takes_itself_out_when_the_database_is_down(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "1",
        "SAFESOCIAL_DATA_DIR": str(tmp_path),
        # PostgreSQL's address with nothing listening: the database is down.
        "DATABASE_URL": "postgres://safesocial@127.0.0.1:1/safesocial",
    }
    server = subprocess.Popen(
        [GUNICORN, "-c", "python:safesocial.gunicorn_conf", "safesocial.wsgi"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # A hang guard, not a speed limit: on a busy machine the worker may take a while to load Django, and a
        # request sent meanwhile waits in the socket's queue until it times out.
        deadline = time.monotonic() + 90
        while True:
            try:
                status, headers, body = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        static_status, static_headers, _ = _get(f"http://127.0.0.1:{port}/static/safesocial/app.css")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        log = server.communicate(timeout=30)[0].decode()

    assert status == 503
    assert b'"database": "error"' in body
    assert len(headers["X-Request-ID"]) == 32
    assert static_status == 200
    assert static_headers["Content-Type"].startswith("text/css")
    assert "GET /healthz" in log and "503" in log  # the access log
