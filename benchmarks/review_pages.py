"""How many requests per second the review pages sustain on loopback, for a signed-in reviewer.

Builds a demo trust in a temporary SQLite database with posts waiting for review, serves SafeSocial with a
real WSGI server in a subprocess (benchmarks/wsgi_server.py), signs a reviewer in by creating their session
directly, and drives each page with wrk (127.0.0.1 only, bounded duration). Stops the server it started.

    .venv/bin/python benchmarks/review_pages.py
    .venv/bin/python benchmarks/review_pages.py --duration 5 --connections 4   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import benchlib

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"  # load only ever goes to loopback


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pupils-per-school", type=int, default=200, help="size of the demo trust (default 200)")
    parser.add_argument("--posts", type=int, default=50, help="posts waiting for review (default 50)")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page (default 15)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    return parser.parse_args()


def queue_for_review(cast: benchlib.Cast, count: int) -> list[int]:
    """Posts written and submitted by the author; the automated checks pass them on to review."""
    from safesocial.publishing import services
    from safesocial.publishing.models import PostStatus

    ids = []
    for i in range(1, count + 1):
        post = services.post_create(
            actor=cast.author,
            channels=[cast.channel],
            category="learning",
            text=f"Year 4 learning update {i}: this week we measured the playground in metres and centimetres.",
        )
        post, findings = services.post_submit(actor=cast.author, post=post)
        assert post.status == PostStatus.IN_REVIEW, findings
        ids.append(post.pk)
    return ids


def session_cookie(user) -> str:
    """Sign the reviewer in as the login view would, and return the Cookie header's value."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@dataclass(frozen=True)
class InProcess:
    queries: int
    ms: float  # mean time to answer, one request at a time
    cpu_ms: float  # of which CPU in this process: steadier than wall time on a shared machine


def in_process(user, paths: list[str], repeat: int = 20) -> dict[str, InProcess]:
    """Each page through Django's test client (same code, no server, no concurrency): its database queries
    and how long it takes alone, which bounds what one Python process can serve."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    found = {}
    for path in paths:
        client.get(path)  # warm the policy and template caches first
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        queries = len(ctx.captured_queries)  # read now: every request_started signal empties the query log
        t0, cpu0 = time.perf_counter(), time.process_time()
        for _ in range(repeat):
            client.get(path)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        found[path] = InProcess(queries, wall / repeat * 1000, cpu / repeat * 1000)
    return found


@contextmanager
def running_server() -> Iterator[str]:
    """Start benchmarks/wsgi_server.py on a free loopback port; yield its base URL; always stop it."""
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "wsgi_server.py"), "--host", HOST, "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        line = proc.stdout.readline().strip()
        match = re.fullmatch(r"listening ([\d.]+):(\d+)", line)
        if not match:
            raise RuntimeError(f"the server did not start (it said {line!r}, exit code {proc.poll()})")
        yield f"http://{HOST}:{match.group(2)}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fetch(url: str, cookie: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    # Refuse to follow redirects: a redirect here means the reviewer is not signed in.
    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(request, timeout=30) as response:
        return response.status, response.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise RuntimeError(f"{req.full_url} redirected to {newurl}: the session is not signed in")


def check_pages(base: str, cookie: str, review_ids: list[int], detail_path: str) -> None:
    """Before any load: both pages answer 200 for the reviewer and show what they should."""
    status, body = fetch(base + "/posts/?tab=review", cookie)
    listed = {int(pk) for pk in re.findall(r'href="/posts/(\d+)/"', body)}
    missing = set(review_ids) - listed
    assert status == 200 and not missing, f"review tab: {status}, {len(missing)} posts missing"
    status, body = fetch(base + detail_path, cookie)
    assert status == 200 and "learning update" in body, f"detail page: {status}"
    print(f"checked: review tab lists all {len(review_ids)} posts; {detail_path} shows the post")


def run_wrk(url: str, cookie: str, args: argparse.Namespace) -> dict:
    command = [
        "wrk",
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={args.duration}s",
        "--timeout=10s",
        f"--script={HERE / 'wrk_report.lua'}",
        f"--header=Cookie: {cookie}",
        url,
    ]
    shown = [c if not c.startswith("--header=Cookie") else "--header='Cookie: sessionid=…'" for c in command]
    print("$ " + " ".join(shown))
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=args.duration + 60).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    return json.loads(line.removeprefix("BENCH "))


def report(path: str, result: dict, alone: InProcess) -> None:
    seconds = result["duration_us"] / 1e6
    errors = {k: v for k, v in result["errors"].items() if v}
    print(f"\n== GET {path} ==")
    print(f"requests                 {result['requests']} in {seconds:.1f} s")
    print(f"requests per second      {result['requests'] / seconds:.1f}")
    print(
        f"latency                  p50 {result['p50_us'] / 1000:.1f} ms   p90 {result['p90_us'] / 1000:.1f} ms   "
        f"p99 {result['p99_us'] / 1000:.1f} ms   max {result['max_us'] / 1000:.1f} ms"
    )
    print(f"responses by status      {result['statuses']}")
    print(f"non-2xx responses        {result['non_2xx']}")
    print(f"socket errors            {errors or 'none'}")
    print(f"transfer                 {result['bytes'] / seconds / 1e6:.2f} MB/s")
    print(
        f"in process, one at a time {alone.ms:.1f} ms per request ({alone.cpu_ms:.1f} ms CPU), "
        f"{alone.queries} queries (session save included)"
    )


def main() -> int:
    args = parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    with benchlib.scratch_dir("bench-review-") as data_dir:
        url = benchlib.configure(None, data_dir)
        t0 = time.perf_counter()
        benchlib.load_demo_trust(args.pupils_per_school)
        cast = benchlib.demo_cast()
        review_ids = queue_for_review(cast, args.posts)
        print(f"database: {url}")
        print(
            f"demo trust (pupils_per_school={args.pupils_per_school}) and {len(review_ids)} posts in review "
            f"ready in {time.perf_counter() - t0:.1f} s"
        )
        print(f"reviewer: {cast.reviewer.full_name} ({cast.reviewer.job_title}, policy 000: any colleague reviews)")
        paths = ["/posts/?tab=review", f"/posts/{review_ids[0]}/"]
        alone = in_process(cast.reviewer, paths)
        cookie = session_cookie(cast.reviewer)
        from django.db import connections

        connections.close_all()  # the server is another process; leave it the database
        print(f"server: Python wsgiref WSGIServer + ThreadingMixIn (benchmarks/wsgi_server.py), HTTP/1.0, on {HOST}")
        print(f"machine: {benchlib.machine()}")
        print(f"load: wrk, {args.threads} threads, {args.connections} connections, {args.duration} s per page")
        with running_server() as base:
            check_pages(base, cookie, review_ids, paths[1])
            results = {path: run_wrk(base + path, cookie, args) for path in paths}
        for path, result in results.items():
            report(path, result, alone[path])
    return 0 if all(r["non_2xx"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
