"""A production-shaped load: gunicorn with 2 workers on PostgreSQL, the database worker, and a mix of people and Meta.

Creates and drops a PostgreSQL database of its own, loads the demo trust into it, queues posts for review and connects
Seabright's Facebook Page to a local Graph API stand-in (safesocial/testing/standins/graph.py) in this process. Then
starts, on 127.0.0.1 only, `gunicorn -c python:safesocial.gunicorn_conf safesocial.wsgi` (WEB_WORKERS=2,
DATABASE_CONN_MAX_AGE=60, TASKS_BACKEND=django_tasks_db.DatabaseBackend) and `safesocial db_worker --processes 2`
(`--worker-processes`: one per core), and runs two phases of fixed length:

1. **The mix**: `--concurrency` client threads, each sending its next request as soon as the last is answered, each
   request one of: a reviewer's review tab and a post in review (Seabright's Year 1 teacher), a DSL's concern list and
   one concern (Seabright's DSL, signed in with two-factor set up as the demo does), and a webhook delivery of a new
   comment, signed as Meta signs it (X-Hub-Signature-256). Prints requests/s, p50/p95/p99 and errors per kind.
2. **Webhooks alone**: `--senders` threads (default 16) sending deliveries, about 30% abusive; for each abusive
   comment, the time from the delivery being sent to the stand-in receiving its hide call, which the database worker
   makes after classifying the comment.

Then checks that every abusive comment delivered was hidden exactly once and no kind one was. Stops everything it
started. Exits 1 on any error response or a failed exactly-once check (a missed target is printed, not an error).

    .venv/bin/python benchmarks/production_mix.py --database-url postgres://postgres@127.0.0.1:5432/bench_mix
    .venv/bin/python benchmarks/production_mix.py --duration 30 --concurrency 16 --senders 16 \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_mix

No wrk or locust: the clients are Python threads in this process (http.client, one connection per request, as
gunicorn's sync workers close each connection), so they take some of the same two cores; the client's CPU is printed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import benchlib
import review_pages
import webhook_latency as wh

HOST = "127.0.0.1"  # load only ever goes to loopback
TARGET_PAGES_RPS = 150
TARGET_P99_MS = 500
# What one mix request is, and how often: people reading pages, Meta telling us about comments.
MIX = {
    "review tab": 0.30,
    "post in review": 0.20,
    "concern list": 0.15,
    "a concern": 0.15,
    "webhook": 0.20,
}
PAGE_KINDS = ("review tab", "post in review", "concern list", "a concern")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/bench_mix",
        help="a PostgreSQL URL whose database the benchmark creates and drops (default: bench_mix on 127.0.0.1)",
    )
    parser.add_argument("--duration", type=float, default=60, help="seconds per phase (default 60)")
    parser.add_argument("--concurrency", type=int, default=16, help="client threads in the mix (default 16)")
    parser.add_argument("--senders", type=int, default=16, help="webhook senders in phase 2 (default 16)")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--worker-processes", type=int, default=2, help="db_worker --processes, one per core (default 2)"
    )
    parser.add_argument("--pupils-per-school", type=int, default=200, help="size of the demo trust (default 200)")
    parser.add_argument("--posts", type=int, default=50, help="posts waiting for review (default 50)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not benchlib.is_postgres(args.database_url):
        parser.error("--database-url must be a PostgreSQL URL: this benchmark measures the production set-up")
    return args


# --- The server and the worker ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode} (see its log)")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/accounts/login/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within a minute")


@contextmanager
def running_gunicorn(env: dict[str, str], workers: int, log: Path) -> Iterator[tuple[int, int]]:
    """gunicorn with the repository's config on a free loopback port; yields (port, master pid); always stops it."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("gunicorn")), "-c", "python:safesocial.gunicorn_conf"]
    env = env | {"BIND": f"{HOST}:{port}", "WEB_WORKERS": str(workers)}
    with log.open("w") as out:
        proc = subprocess.Popen([*command, "safesocial.wsgi"], stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        wait_until_up(port, proc)
        yield port, proc.pid
    finally:
        proc.terminate()  # SIGTERM: gunicorn stops its workers gracefully
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its live children (gunicorn's workers, db_worker's processes), from /proc."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return wh.cpu_seconds(pid) + sum(wh.cpu_seconds(int(child)) for child in children)


# --- The clients ----------------------------------------------------------------------------------------------------


@dataclass
class Kind:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kinds: dict[str, Kind] = {}

    def add(self, kind: str, seconds: float, error: str) -> None:
        with self.lock:
            entry = self.kinds.setdefault(kind, Kind())
            (entry.errors.append(error) if error else entry.latencies.append(seconds))


def get(port: int, path: str, cookie: str) -> tuple[float, str]:
    """One GET with the session cookie; (seconds, error). Anything but 200 is an error (a redirect means signed out)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    t0 = time.perf_counter()
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        error = "" if response.status == 200 else f"HTTP {response.status}"
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"
    finally:
        conn.close()
    return time.perf_counter() - t0, error


class Deliveries:
    """Signed deliveries, each sent once, handed out to whichever thread asks next."""

    def __init__(self, deliveries: list[wh.WebhookDelivery]) -> None:
        self.queue = deque(deliveries)
        self.lock = threading.Lock()

    def next(self) -> wh.WebhookDelivery | None:
        with self.lock:
            return self.queue.popleft() if self.queue else None


def post_webhook(port: int, deliveries: Deliveries) -> tuple[float, str] | None:
    delivery = deliveries.next()
    if delivery is None:
        return None
    wh.send(HOST, port, delivery)
    return (delivery.answered or time.perf_counter()) - delivery.sent, delivery.error


def drive(threads: int, duration: float, one_request) -> tuple[float, float]:
    """`threads` threads calling `one_request(rng)` until `duration` is up; returns (wall seconds, client CPU)."""
    deadline = time.perf_counter() + duration
    cpu0 = time.process_time()

    def loop(i: int) -> None:
        rng = random.Random(i)
        while time.perf_counter() < deadline:
            one_request(rng)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="client") as pool:
        list(pool.map(loop, range(threads)))
    return time.perf_counter() - start, time.process_time() - cpu0


# --- Figures --------------------------------------------------------------------------------------------------------


def ms(values: list[float], pct: float) -> float:
    return benchlib.percentile(values, pct) * 1000 if values else float("nan")


def print_kinds(results: Results, wall: float, kinds: list[str]) -> None:
    print(f"{'kind':<16} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for kind in kinds:
        entry = results.kinds.get(kind, Kind())
        n = len(entry.latencies)
        print(
            f"{kind:<16} {n:>8} {n / wall:>7.1f} {ms(entry.latencies, 50):>8.1f} {ms(entry.latencies, 95):>8.1f} "
            f"{ms(entry.latencies, 99):>8.1f} {len(entry.errors):>6}"
        )
    for kind in kinds:
        for error in sorted(set(results.kinds.get(kind, Kind()).errors))[:3]:
            print(f"  {kind}: {error}")


def pages_verdict(results: Results, wall: float) -> str:
    lat = [v for k in PAGE_KINDS for v in results.kinds.get(k, Kind()).latencies]
    rps, p99 = len(lat) / wall, ms(lat, 99)
    met = rps >= TARGET_PAGES_RPS and p99 < TARGET_P99_MS
    return (
        f"pages (all four kinds) {rps:.1f} req/s, p99 {p99:.1f} ms; target >= {TARGET_PAGES_RPS} req/s with p99 < "
        f"{TARGET_P99_MS} ms: {'met' if met else 'NOT met'}"
    )


def hide_verdict(latencies: list[float]) -> str:
    p99 = ms(latencies, 99)
    return (
        f"received -> hidden   {wh.spread(latencies)}\n"
        f"target p99 < {TARGET_P99_MS} ms: {'met' if p99 < TARGET_P99_MS else 'NOT met'}"
    )


# --- Main -----------------------------------------------------------------------------------------------------------


def prepare(args: argparse.Namespace, graph_standin) -> tuple[object, dict[str, str], dict[str, str], list]:
    """Posts in review, the reviewer's and the DSL's sessions, the channel and the signed deliveries."""
    from safesocial.people.models import User
    from safesocial.people.roles import Role

    cast = benchlib.demo_cast()
    review_ids = review_pages.queue_for_review(cast, args.posts)
    dsl = User.objects.get(role_assignments__school__key="seabright", role_assignments__role=Role.DSL)
    cookies = {"reviewer": review_pages.session_cookie(cast.reviewer), "dsl": review_pages.session_cookie(dsl)}
    paths = {
        "review tab": "/posts/?tab=review",
        "post in review": f"/posts/{review_ids[0]}/",
        "concern list": "/concerns/",
    }
    print(f"reviewer: {cast.reviewer.full_name} ({cast.reviewer.job_title}); DSL: {dsl.full_name}; posts: {args.posts}")

    channel = wh.connect_facebook_page(graph_standin)
    abusive_pool, kind_pool, _ = wh.comment_pools(channel)
    # Enough comments for any rate this machine could reach; each is sent at most once.
    count = int(args.duration * 400) + 100
    post_id, seeded = wh.seed_comments(graph_standin, count, 0.3, (abusive_pool, kind_pool), args.seed)
    deliveries = [
        wh.delivery_for(graph_standin.page_id, post_id, graph_standin.comments[cid], abusive) for cid, abusive in seeded
    ]
    return channel, cookies, paths, deliveries


def find_concern(port: int, cookie: str) -> str:
    """The first concern the DSL's list links to (the list shows only what the DSL may see)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/concerns/", headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    found = re.search(r'href="(/concerns/\d+/)"', body)
    if response.status != 200 or not found:
        raise RuntimeError(f"the DSL's concern list answered {response.status} with no concern in it")
    return found.group(1)


def main() -> int:
    args = parse_args()
    with benchlib.scratch_dir("bench-mix-") as data_dir:
        url = benchlib.configure(args.database_url, data_dir)
        with benchlib.postgres_database(url):
            return run(args, url, data_dir)


def run(args: argparse.Namespace, url: str, data_dir: Path) -> int:
    print("$ " + " ".join([sys.executable, *sys.argv]))  # the exact command, to run again when the machine is quiet
    t0 = time.perf_counter()
    benchlib.load_demo_trust(args.pupils_per_school)
    graph_standin = wh.timed_graph()
    with graph_standin.running():
        channel, cookies, paths, deliveries = prepare(args, graph_standin)
        print(f"database: {url}")
        print(f"demo trust (pupils_per_school={args.pupils_per_school}) ready in {time.perf_counter() - t0:.1f} s")
        from django.db import connections

        connections.close_all()  # the server and the worker are other processes
        env = os.environ | {
            "META_APP_SECRET": wh.APP_SECRET,
            "FACEBOOK_GRAPH_URL": graph_standin.base_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        }
        worker_cmd = [*wh.worker_command("db", None, None), "--processes", str(args.worker_processes)]
        gunicorn_log, worker_log = data_dir / "gunicorn.log", data_dir / "worker.log"
        pending = Deliveries(deliveries)
        with (
            wh.running_workers(env, [worker_log], worker_cmd) as worker_pids,
            running_gunicorn(env, args.web_workers, gunicorn_log) as (port, pid),
        ):
            paths["a concern"] = find_concern(port, cookies["dsl"])
            print(f"server: gunicorn -c python:safesocial.gunicorn_conf safesocial.wsgi, {args.web_workers} workers")
            print(f"worker: {' '.join(worker_cmd[2:])} (pid {worker_pids[0]})")
            # Warm up: each worker's first request loads the policy, templates and the classifier.
            for _ in range(args.web_workers * 2):
                for kind, path in paths.items():
                    get(port, path, cookies["dsl" if kind in ("concern list", "a concern") else "reviewer"])
                post_webhook(port, pending)
            mix = Results()
            kinds, weights = list(MIX), list(MIX.values())

            def mixed(rng: random.Random) -> None:
                kind = rng.choices(kinds, weights)[0]
                if kind == "webhook":
                    answered = post_webhook(port, pending)
                    if answered is None:
                        kind = "review tab"  # out of comments: keep the load on
                    else:
                        mix.add(kind, *answered)
                        return
                mix.add(
                    kind,
                    *get(port, paths[kind], cookies["dsl" if kind in ("concern list", "a concern") else "reviewer"]),
                )

            mix_first = len(deliveries) - len(pending.queue)
            print(f"machine at start: {benchlib.machine()}")
            cpu0 = tree_cpu(pid), tree_cpu(worker_pids[0])
            mix_wall, mix_client_cpu = drive(args.concurrency, args.duration, mixed)
            cpu1 = tree_cpu(pid), tree_cpu(worker_pids[0])
            mix_last = len(deliveries) - len(pending.queue)
            mix_load = benchlib.machine()

            alone = Results()

            def webhook_only(rng: random.Random) -> None:
                if (answered := post_webhook(port, pending)) is not None:
                    alone.add("webhook", *answered)

            hooks_wall, hooks_client_cpu = drive(args.senders, args.duration, webhook_only)
            hooks_last = len(deliveries) - len(pending.queue)
            wh.wait_for_hides(deliveries[:hooks_last], graph_standin.hides, timeout=60)
            cpu2 = tree_cpu(pid), tree_cpu(worker_pids[0])
            hooks_load = benchlib.machine()
            waits, runs = wh.queue_times([d.comment_id for d in deliveries[mix_last:hooks_last] if d.sent])
        print(f"gunicorn log: {wh.server_errors(gunicorn_log)} ({gunicorn_log.stat().st_size} bytes)")

        print(f"\n== 1. the mix: {args.concurrency} clients for {mix_wall:.1f} s ==")
        print(f"machine at the end: {mix_load}")
        print_kinds(mix, mix_wall, kinds)
        total = sum(len(k.latencies) for k in mix.kinds.values())
        print(f"all kinds: {total / mix_wall:.1f} req/s")
        print(pages_verdict(mix, mix_wall))
        print(hide_verdict(wh.hide_latencies(deliveries[mix_first:mix_last], graph_standin.hides)))
        print(
            f"CPU: gunicorn {cpu1[0] - cpu0[0]:.1f} s ({(cpu1[0] - cpu0[0]) / max(total, 1) * 1000:.1f} ms a request), "
            f"db_worker {cpu1[1] - cpu0[1]:.1f} s, "
            f"clients + Graph stand-in {mix_client_cpu:.1f} s"
        )

        print(f"\n== 2. webhooks alone: {args.senders} senders for {hooks_wall:.1f} s, db_worker hides ==")
        print(f"machine at the end: {hooks_load}")
        print_kinds(alone, hooks_wall, ["webhook"])
        print(hide_verdict(wh.hide_latencies(deliveries[mix_last:hooks_last], graph_standin.hides)))
        print(f"task: waited in queue  {wh.spread(waits)}")
        print(f"task: ran              {wh.spread(runs)}")
        sent = max(hooks_last - mix_last, 1) / 1000
        print(
            f"CPU: gunicorn {cpu2[0] - cpu1[0]:.1f} s ({(cpu2[0] - cpu1[0]) / sent:.1f} ms a delivery), db_worker "
            f"{cpu2[1] - cpu1[1]:.1f} s ({(cpu2[1] - cpu1[1]) / sent:.1f} ms a delivery), clients + Graph stand-in "
            f"{hooks_client_cpu:.1f} s"
        )

        problems = wh.check_exactly_once(deliveries[:hooks_last], graph_standin, channel)
    print(f"\nexactly once: {'each abusive comment hidden once, no kind one' if not problems else 'FAILED'}")
    for problem in problems:
        print(f"  {problem}")
    errors = sum(len(k.errors) for r in (mix, alone) for k in r.kinds.values())
    print(f"errors: {errors}")
    return 0 if not errors and not problems else 1


if __name__ == "__main__":
    raise SystemExit(main())
