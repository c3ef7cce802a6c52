"""Two machines, proven on one: two gunicorn servers (separate ports, separate data directories) sharing one PostgreSQL
database, Redis (database 12) and an S3 bucket on a real S3 protocol server, configured as a school's IT provider
would configure two machines behind a load balancer (the same environment but for the data directory).

A session started on one works on the other; evidence uploaded through one is served by the other; the same signed
webhook delivered to both is stored once; RQ workers on both publish each post exactly once; two schedulers run each
due job once. Skipped, saying why, only when PostgreSQL or Redis is not there; CI has both."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg
import pytest
import redis
import requests
from cryptography.fernet import Fernet

import safesocial
from safesocial.ops.scheduler import JOBS
from safesocial.testing.files import png_bytes
from safesocial.testing.s3 import ACCESS_KEY, REGION, SECRET_KEY, new_bucket

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
ROOT = Path(safesocial.__file__).resolve().parent.parent  # every process started here runs the code under test
REDIS_URL = "redis://127.0.0.1:6379/12"
POSTS = 6
# Settings of the machine running the tests that must not leak into the two machines.
NOT_INHERITED = ("DATABASE_URL", "REDIS_URL", "TASKS_BACKEND", "MEDIA_ROOT", "SECRETS_DIR", "AUDIT_CHECKPOINT_FILE")


def _postgres_or_skip() -> dict:
    """libpq's connection settings for the PostgreSQL the suite uses (POSTGRES_URL, as scripts/test.sh sets it)."""
    url = os.environ.get("POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    db = dj_database_url.parse(url)
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"] or "postgres"}
    if db.get("PASSWORD"):
        params["password"] = db["PASSWORD"]
    try:
        psycopg.connect(dbname="postgres", connect_timeout=3, **params).close()
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at {params['host']}:{params['port']} ({exc})")
    return params


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({exc})")
    return client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Machine:
    """One of the two machines: its own data directory and port, everything else shared."""

    name: str
    env: dict[str, str]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *command: str) -> subprocess.Popen:
        return subprocess.Popen(
            [str(BIN / command[0]), *command[1:]],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def run(self, *command: str, timeout: int = 600) -> str:
        process = self.start(*command)
        out, _ = process.communicate(timeout=timeout)
        assert process.returncode == 0, f"{self.name}: {' '.join(command)} failed:\n{out}"
        return out

    def world(self, *args: str) -> dict:
        out = self.run("python", "-m", "safesocial.ops.tests.two_servers_world", *args)
        return json.loads(out.strip().splitlines()[-1])

    @contextmanager
    def serving(self) -> Iterator[None]:
        server = self.start("gunicorn", "-c", "python:safesocial.gunicorn_conf", "safesocial.wsgi")
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if requests.get(self.url + "/healthz", timeout=30).status_code == 200:
                        break
                except (requests.ConnectionError, requests.Timeout):
                    pass  # still starting: each worker imports Django and SafeSocial
                assert server.poll() is None, f"{self.name}'s gunicorn stopped:\n{server.communicate()[0]}"
                assert time.monotonic() < deadline, f"{self.name}'s gunicorn did not start"
                time.sleep(0.3)
            yield
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.communicate(timeout=60)


def _machines(tmp_path: Path, database: str, pg: dict, bucket: str, endpoint: str) -> tuple[Machine, Machine]:
    credentials = pg["user"] + (f":{pg['password']}" if pg.get("password") else "")
    inherited = {
        k: v for k, v in os.environ.items() if k not in NOT_INHERITED and not k.startswith(("AWS_", "STORAGE_"))
    }
    shared = {
        **inherited,
        "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "DATABASE_URL": f"postgres://{credentials}@{pg['host']}:{pg['port']}/{database}",
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": REDIS_URL,
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        # The keys are the same on every machine: set in the environment, never generated into one machine's disk.
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SIGNING_KEYS": secrets.token_urlsafe(50),
        "AUDIT_KEYS": secrets.token_urlsafe(50),
        "CREDENTIALS_KEYS": Fernet.generate_key().decode(),
        "META_APP_SECRET": secrets.token_hex(16),
        "META_VERIFY_TOKEN": secrets.token_hex(16),
        "FACEBOOK_GRAPH_URL": "http://127.0.0.1:9/v21.0",  # nothing listens: no call leaves this machine
        "PLATFORM_TIMEOUT_SECONDS": "2",
        "WEB_WORKERS": "2",
        "LOG_LEVEL": "WARNING",
        "DEBUG": "0",
    }
    machines = []
    for name in ("a", "b"):
        port = _free_port()
        data = tmp_path / name
        env = {**shared, "SAFESOCIAL_DATA_DIR": str(data), "BIND": f"127.0.0.1:{port}"}
        machines.append(Machine(name, env, port))
    return machines[0], machines[1]


@contextmanager
def _database(pg: dict) -> Iterator[str]:
    name = f"safesocial_two_servers_{os.getpid()}"
    with psycopg.connect(dbname="postgres", autocommit=True, **pg) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **pg) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _sign_in(session: requests.Session, machine: Machine, email: str, password: str) -> None:
    session.get(machine.url + "/accounts/login/")
    response = session.post(
        machine.url + "/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:2000]


def _a_session_started_on_one_works_on_the_other(a: Machine, b: Machine, teacher: dict) -> requests.Session:
    on_a = requests.Session()
    _sign_in(on_a, a, teacher["email"], teacher["password"])
    on_b = requests.Session()
    on_b.cookies.set("sessionid", on_a.cookies["sessionid"])

    page = on_b.get(b.url + "/", allow_redirects=False)

    assert page.status_code == 200 and teacher["name"] in page.text
    assert requests.get(b.url + "/", allow_redirects=False).status_code == 302  # and without it, the sign-in page
    return on_a


def _evidence_uploaded_through_one_is_served_by_the_other(
    a: Machine, b: Machine, session: requests.Session, concern: int, bucket
) -> None:
    screenshot = png_bytes()
    session.get(f"{a.url}/concerns/{concern}/")  # the page with the form: its CSRF cookie
    added = session.post(
        f"{a.url}/concerns/{concern}/evidence/",
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
        files={"files": ("friend-request.png", screenshot, "image/png")},
        allow_redirects=False,
    )
    assert added.status_code == 302, added.text[:2000]

    link = re.search(rf"/concerns/{concern}/evidence/\d+/", session.get(f"{b.url}/concerns/{concern}/").text)
    assert link, "the concern's page on b lists no evidence"
    served = session.get(b.url + link.group(0))

    assert served.status_code == 200 and served.content == screenshot
    assert served.headers["X-Evidence-SHA256"] == hashlib.sha256(screenshot).hexdigest()
    assert [key for key in bucket.names() if key.startswith(f"private/concerns/{concern}/")]
    for machine in (a, b):  # nothing on either machine's disk
        media = Path(machine.env["SAFESOCIAL_DATA_DIR"]) / "media"
        assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def _the_same_webhook_delivered_to_both_is_stored_once(a: Machine, b: Machine, page_id: str) -> str:
    comment_id = "900001_300001"
    sent = int(time.time())
    delivery = {
        "object": "page",
        "entry": [
            {
                "id": page_id,
                "time": sent,
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "item": "comment",
                            "verb": "add",
                            "comment_id": comment_id,
                            "post_id": f"{page_id}_900001",
                            "parent_id": f"{page_id}_900001",
                            "from": {"id": "7100000000000001", "name": "Jo Parent"},
                            "message": "Can we bring tins for the harvest festival?",
                            "created_time": sent,
                        },
                    }
                ],
            }
        ],
    }
    body = json.dumps(delivery).encode()
    signature = "sha256=" + hmac.new(a.env["META_APP_SECRET"].encode(), body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature}

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda m: requests.post(m.url + "/webhooks/meta/", data=body, headers=headers), (a, b)))

    assert [r.status_code for r in answers] == [200, 200]
    assert sorted((r.json()["stored"], r.json()["duplicates"]) for r in answers) == [(0, 1), (1, 0)]
    return comment_id


def _rq_workers_on_both_publish_each_post_once(a: Machine, b: Machine) -> None:
    assert requests.get(a.url + "/healthz").json()["queue"]["waiting"] >= POSTS
    workers = [m.start("safesocial", "rqworker", "default", "--burst") for m in (a, b)]
    for worker in workers:
        out, _ = worker.communicate(timeout=600)
        assert worker.returncode == 0, out
    assert requests.get(b.url + "/healthz").json()["queue"]["waiting"] == 0


def _two_schedulers_run_each_due_job_once(a: Machine, b: Machine) -> tuple[Counter, list[str]]:
    """Which jobs the two schedulers ran, and what they printed (a job that fails is logged there and still counts
    as run, as under cron, but records no run for /healthz)."""
    a.world("due")
    # The every-minute jobs are rightly due again at the next minute: start both schedulers early in a minute, so
    # that both ticks fall in the same one and "once" means once (on a loaded machine the two ticks once fell either
    # side of a minute, and publish_due and concerns chase each ran twice).
    into_minute = time.time() % 60
    if into_minute > 10:
        time.sleep(61 - into_minute)
    schedulers = [m.start("safesocial", "scheduler", "--once") for m in (a, b)]
    outs = [s.communicate(timeout=600)[0] for s in schedulers]
    assert [s.returncode for s in schedulers] == [0, 0], outs
    return Counter(line.split()[1] for out in outs for line in out.splitlines() if line.startswith("ran ")), outs


def test_two_servers_sharing_postgresql_redis_and_s3_work_as_one_site(s3_endpoint, tmp_path):
    pg = _postgres_or_skip()
    queue = _redis_or_skip()
    bucket = new_bucket(s3_endpoint)
    queue.flushdb()
    try:
        with _database(pg) as database:
            a, b = _machines(tmp_path, database, pg, bucket.name, s3_endpoint)
            a.run("safesocial", "migrate", "--noinput", "--verbosity", "0")
            world = a.world("setup", str(POSTS))

            with a.serving(), b.serving():
                for machine in (a, b):
                    assert requests.get(machine.url + "/healthz").json()["checks"] == {
                        "database": "ok",
                        "cache": "ok",
                        "storage": "ok",
                    }
                session = _a_session_started_on_one_works_on_the_other(a, b, world["teacher"])
                _evidence_uploaded_through_one_is_served_by_the_other(a, b, session, world["concern"], bucket)
                comment_id = _the_same_webhook_delivered_to_both_is_stored_once(a, b, world["page_id"])
                _rq_workers_on_both_publish_each_post_once(a, b)
                ran, scheduler_logs = _two_schedulers_run_each_due_job_once(a, b)
                seen_from_b = requests.get(b.url + "/healthz").json()["jobs_seconds_since_last_run"]

            report = a.world("report")
    finally:
        queue.flushdb()

    assert report["comments"] == [comment_id]
    assert len(report["posts"]) == POSTS
    for post in report["posts"].values():
        assert post == {"status": "published", "sends": [1], "sandbox_copies": 1}
    assert ran == Counter({job.name: 1 for job in JOBS})
    never = [name for name, seconds in seen_from_b.items() if seconds is None]
    assert never == [], scheduler_logs  # b sees the runs, whichever machine ran them
