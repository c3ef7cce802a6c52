"""How long 200 posts, all scheduled for the same minute, take to go from scheduled to published.

Builds an isolated database with the demo trust, queues the posts through the same services staff use
(create, submit, approve by a colleague), then sweeps the outbox at their scheduled time T:
  1. one worker: `deliver_due(now=T)` called once, in this process;
  2. two worker processes sweeping the same outbox at once (a second batch of posts, scheduled for T2),
     which is also a check that the outbox's claim sends each delivery exactly once.

    .venv/bin/python benchmarks/publish_200.py
    .venv/bin/python benchmarks/publish_200.py --database-url postgres://postgres@127.0.0.1:5432/bench_publish
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import time
from collections import Counter
from dataclasses import dataclass, field

import benchlib


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=200, help="posts per batch (default 200)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes in the second variant (default 2)")
    parser.add_argument("--pupils-per-school", type=int, default=20, help="size of the demo trust (default 20)")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL URL whose database the benchmark creates and drops; default: SQLite in a temp dir",
    )
    return parser.parse_args()


@dataclass
class Sweep:
    label: str
    post_ids: list[int]
    queued: int
    started: dt.datetime  # wall clock when the sweep began, to compare with each post's published_at
    seconds: float = 0.0  # until the last sweeping worker returned
    cpu_seconds: float = 0.0  # CPU the sweeping processes used: steadier than wall time on a shared machine
    claims: list[int] = field(default_factory=list)  # deliveries each worker claimed (and so sent)
    outcomes: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def queue_posts(cast: benchlib.Cast, count: int, when: dt.datetime, batch: str) -> list[int]:
    """Create, submit and approve `count` posts for `when`; each leaves one pending delivery in the outbox."""
    from safesocial.publishing import services
    from safesocial.publishing.models import PostStatus

    ids = []
    for i in range(1, count + 1):
        post = services.post_create(
            actor=cast.author,
            channels=[cast.channel],
            category="information",
            text=f"Reminder {batch}-{i}: the library is open after school on Thursdays until 4.30pm.",
            scheduled_for=when,
        )
        post, findings = services.post_submit(actor=cast.author, post=post)
        assert post.status == PostStatus.IN_REVIEW, findings
        post = services.post_approve(actor=cast.reviewer, post=post)
        assert post.status == PostStatus.SCHEDULED, post.status
        ids.append(post.pk)
    return ids


def count_queued(post_ids: list[int], when: dt.datetime) -> int:
    from safesocial.publishing.models import Delivery, DeliveryStatus

    return Delivery.objects.filter(
        post_id__in=post_ids, status=DeliveryStatus.PENDING, next_attempt_at__lte=when
    ).count()


def sweep_in_process(post_ids: list[int], when: dt.datetime) -> Sweep:
    from django.utils import timezone

    from safesocial.publishing.delivery import deliver_due

    sweep = Sweep("1 worker (in process)", post_ids, count_queued(post_ids, when), timezone.now())
    t0, cpu0 = time.perf_counter(), time.process_time()
    sweep.outcomes.append(deliver_due(now=when))
    sweep.seconds, sweep.cpu_seconds = time.perf_counter() - t0, time.process_time() - cpu0
    return sweep


def _worker(when: dt.datetime, barrier, results) -> None:
    """One sweeping worker, as `safesocial publish_due` would be: it counts the deliveries it claims."""
    from django.db import connection

    from safesocial.publishing import delivery

    claims = 0
    claim = delivery._claim

    def counting_claim(delivery_id: int, now: dt.datetime) -> bool:
        nonlocal claims
        won = claim(delivery_id, now)
        claims += won
        return won

    delivery._claim = counting_claim
    connection.ensure_connection()
    barrier.wait()
    cpu0 = time.process_time()
    try:
        outcome, error = delivery.deliver_due(now=when), ""
    except Exception as exc:  # report it with the figures rather than lose it in a child's traceback
        outcome, error = {}, f"{type(exc).__name__}: {exc}"
    results.put(
        {
            "claims": claims,
            "outcome": outcome,
            "error": error,
            "done": time.perf_counter(),
            "cpu": time.process_time() - cpu0,
        }
    )


def sweep_in_workers(post_ids: list[int], when: dt.datetime, workers: int) -> Sweep:
    from django.db import connections
    from django.utils import timezone

    queued = count_queued(post_ids, when)
    # Forked children must open their own connections, never share the parent's socket or file handle.
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(workers + 1, timeout=120), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(when, barrier, results)) for _ in range(workers)]
    for proc in procs:
        proc.start()
    barrier.wait()
    sweep = Sweep(f"{workers} worker processes", post_ids, queued, timezone.now())
    t0 = time.perf_counter()
    reports = [results.get(timeout=600) for _ in procs]
    for proc in procs:
        proc.join()
    sweep.seconds = max(r["done"] for r in reports) - t0
    sweep.cpu_seconds = sum(r["cpu"] for r in reports)
    sweep.claims = [r["claims"] for r in reports]
    sweep.outcomes = [r["outcome"] for r in reports]
    sweep.errors = [r["error"] for r in reports if r["error"]]
    return sweep


def report(sweep: Sweep) -> bool:
    """Print the figures; return whether every post was published exactly once."""
    from safesocial.audit.models import AuditEntry
    from safesocial.platforms.models import SandboxPost
    from safesocial.publishing.models import Delivery, Post

    posts = list(Post.objects.filter(pk__in=sweep.post_ids).values_list("status", "published_at"))
    statuses = Counter(status for status, _ in posts)
    latencies = [(at - sweep.started).total_seconds() for _, at in posts if at is not None]
    keys = list(Delivery.objects.filter(post_id__in=sweep.post_ids).values_list("idempotency_key", flat=True))
    sandbox = SandboxPost.objects.filter(idempotency_key__in=keys)
    sandbox_rows, distinct_keys = sandbox.count(), sandbox.values("idempotency_key").distinct().count()
    delivered = AuditEntry.objects.filter(
        action="post.delivered", object_type="publishing.post", object_id__in=[str(pk) for pk in sweep.post_ids]
    ).count()
    n = len(sweep.post_ids)
    all_published = max(latencies) if latencies else float("nan")

    print(f"\n== {sweep.label} ==")
    print(f"posts queued (due at T)           {sweep.queued}")
    print(f"post statuses after the sweep     {dict(statuses)}")
    print(
        f"wall time, sweep start -> all published  {all_published:.3f} s  (sweep returned after {sweep.seconds:.3f} s)"
    )
    if latencies:
        mean, p95 = benchlib.mean(latencies), benchlib.percentile(latencies, 95)
        print(f"per-post latency from sweep start  mean {mean:.3f} s   p95 {p95:.3f} s   max {all_published:.3f} s")
        print(f"deliveries per second             {len(latencies) / all_published:.1f}")
    cpu_ms = sweep.cpu_seconds / n * 1000
    print(f"CPU used by the sweep             {sweep.cpu_seconds:.2f} s ({cpu_ms:.1f} ms per delivery)")
    if sweep.claims:
        print(f"deliveries claimed per worker     {sweep.claims} (total {sum(sweep.claims)})")
    for outcome in sweep.outcomes:
        # With two workers, deliver_due counts as 'sent' the deliveries it lost to the other worker once
        # they are published: its counts add up to more than the posts. The claims above are the real split.
        print(f"deliver_due's own counts          {outcome}")
    for error in sweep.errors:
        print(f"worker error                      {error}")
    print(f"SandboxPost rows for these posts  {sandbox_rows} ({distinct_keys} distinct keys)")
    print(f"'post.delivered' audit entries    {delivered}")
    exactly_once = sandbox_rows == distinct_keys == delivered == n and statuses == Counter({"published": n})
    if sweep.claims:
        exactly_once = exactly_once and sum(sweep.claims) == n
    print(f"exactly {n} published, no duplicates: {'yes' if exactly_once else 'NO'}")
    return exactly_once


def run(args: argparse.Namespace, url: str) -> bool:
    from django.db import connection
    from django.utils import timezone

    from safesocial.platforms.models import SandboxPost

    t0 = time.perf_counter()
    benchlib.load_demo_trust(args.pupils_per_school)
    cast = benchlib.demo_cast()
    print(f"database: {connection.vendor} ({url})")
    print(f"machine: {benchlib.machine()}")
    print(f"demo trust loaded (pupils_per_school={args.pupils_per_school}) in {time.perf_counter() - t0:.1f} s")
    print(f"author: {cast.author.full_name}; approver: {cast.reviewer.full_name}; channel: {cast.channel}")

    ok = True
    before = SandboxPost.objects.count()
    # T is in the near future so the services accept it; the sweep is then run *as at* T rather than waited for.
    # The demo's own scheduled post is two days out, so nothing else is due at T or T2.
    for n, workers in enumerate([1, args.workers], start=1):
        when = timezone.now() + dt.timedelta(minutes=10 * n)
        t0 = time.perf_counter()
        ids = queue_posts(cast, args.posts, when, batch=f"b{n}")
        print(f"\nbatch {n}: queued {len(ids)} posts for {when:%H:%M:%S} UTC in {time.perf_counter() - t0:.1f} s")
        sweep = sweep_in_process(ids, when) if workers == 1 else sweep_in_workers(ids, when, workers)
        ok = report(sweep) and ok
    added = SandboxPost.objects.count() - before
    print(f"\nSandboxPost rows added by both batches: {added} (expected {2 * args.posts})")
    return ok and added == 2 * args.posts


def main() -> int:
    args = parse_args()
    with benchlib.scratch_dir("bench-publish-") as data_dir:
        url = benchlib.configure(args.database_url, data_dir)
        if benchlib.is_postgres(url):
            with benchlib.postgres_database(url):
                ok = run(args, url)
        else:
            ok = run(args, url)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
