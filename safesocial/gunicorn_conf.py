"""gunicorn's settings for SafeSocial, read from the environment: `gunicorn -c python:safesocial.gunicorn_conf
safesocial.wsgi` (scripts/serve.sh and scripts/demo.sh both start it so). Shipped inside the package, so an installed
SafeSocial finds it without the repository."""

import multiprocessing
import os

from gunicorn.glogging import Logger

from safesocial.ops.logging import redact_path

bind = os.environ.get("BIND", "0.0.0.0:" + os.environ.get("PORT", "8000"))
# Sync workers: every request is short and touches the database; gunicorn's own rule of thumb for their number.
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# An image check (face detection) is the slowest request, a few seconds; a worker stuck for longer is restarted.
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# A worker that has loaded dlib's models holds ~300 MB: recycle each now and then, staggered, so memory stays bounded.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
# X-Forwarded-* only from the trust's reverse proxies (the same list Django believes; none by default).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "")


class AccessLogger(Logger):
    """The path without its tokens (redact_path), and never the query string."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact_path(atoms["U"])
        return atoms


# Access log on stdout; the request ID (safesocial/ops/logging.py) joins each line to the app's own log.
logger_class = AccessLogger
# With LOG_FORMAT=json the app writes the access lines itself, as JSON (safesocial/ops/logging.py).
accesslog = None if os.environ.get("LOG_FORMAT") == "json" else "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s" id=%({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# gunicorn's control socket lives at one fixed path per user: two servers on one machine would fight over it.
control_socket_disable = True
