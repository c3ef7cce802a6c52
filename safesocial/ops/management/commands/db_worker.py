"""`safesocial db_worker`: django-tasks-db's worker, started the way SafeSocial needs it.

The library's command (every option is its own) with three differences, each measured with
`benchmarks/webhook_latency.py --worker`:

- Before its first task it loads what the tasks need and keeps its database connections
  (ops.workers.worker_starting). Otherwise the first task after a start loaded the comment classifier (1-5 s), and
  every comment queued behind it waited.
- When the queue is empty it looks again every POLL_SECONDS, not every second. Otherwise a comment that arrived just
  after a look waited up to a second before anything read it.
- It runs THREADS tasks side by side (--threads). A task spends most of its time waiting outside Python's lock: for
  the database (twenty-odd queries, each a round trip to PostgreSQL), for the model (onnxruntime) and above all for
  the platform's answer to the hide call (a round trip to Facebook). One task at a time, a worker on PostgreSQL fell
  behind twenty comments a second; four side by side kept up.
- It runs PROCESSES copies of itself (--processes), each with its own threads. The threads share one interpreter
  lock, and a comment costs the worker about 17 ms of CPU (the classifier, and the ORM around twenty queries), so
  one process stops at about one core, some 57 comments a second: at 58 a second from 16 webhook senders it fell
  behind and received -> hidden reached p99 4.4 s (benchmarks/production_mix.py). The processes are forked before
  anything is loaded or connected, so each loads the classifier and opens its own connections.

It takes the library's name (safesocial.ops comes before django_tasks_db in INSTALLED_APPS, as
django.contrib.staticfiles does with runserver), so `safesocial db_worker` in the README is this one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from types import FrameType

from django.core.management.base import CommandError
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from safesocial.ops.workers import worker_starting

logger = logging.getLogger("django_tasks_db")

# An empty look is one indexed query: ten a second cost the database next to nothing, and a task waits at most this.
POLL_SECONDS = 0.1
THREADS = 4
# One process for the demo and a school's ordinary load. One process tops out near 57 comments a second (its threads
# share one interpreter lock), so a trust whose busy channels send more runs one a core (benchmarks/production_mix.py).
PROCESSES = 1
SAME_STOP_SECONDS = 1.0


class Command(db_worker.Command):
    help = "Run background tasks from the database queue (TASKS_BACKEND=django_tasks_db.DatabaseBackend)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(interval=POLL_SECONDS)
        parser.add_argument(
            "--threads",
            type=int,
            default=THREADS,
            help="tasks run side by side in this process, each with its own database connection and its own look "
            "at the queue every --interval when it is empty; --max-tasks counts per thread; --reload runs one "
            "(default: %(default)s)",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=PROCESSES,
            help="processes, each running --threads tasks side by side and loading the classifier once; a "
            "process that fails stops the others, so the process manager restarts them all (default: %(default)s)",
        )

    def handle(self, *args, threads: int, processes: int = PROCESSES, **options):
        if threads < 1:
            raise CommandError("--threads must be 1 or more")
        if processes < 1:
            raise CommandError("--processes must be 1 or more")
        self.configure_logging(options["verbosity"])
        if processes > 1 and not options["reload"]:
            # Each process's worker IDs start p0-, p1-...: the task rows say which process ran them.
            status = run_processes(
                processes,
                lambda n: self.one_process(
                    threads, options | {"worker_id": f"p{n}-{options['worker_id']}"[:64]}, forked=True
                ),
            )
            if status:
                raise SystemExit(status)
            return None
        return self.one_process(threads, options)

    def one_process(self, threads: int, options: dict, forked: bool = False) -> None:
        """This process's share: the library's loop in one thread, or `threads` loops side by side (always so in a
        forked process, whose stop signal may arrive twice: see run_side_by_side)."""
        if options["reload"]:
            # The first process only watches the files; the worker runs in the child it starts, in one thread.
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker_starting()
            return super().handle(**options)
        worker_starting()
        if threads == 1 and not forked:
            return super().handle(**options)
        run_side_by_side([self.worker(options, f"{options['worker_id']}-{n}") for n in range(threads)])

    @staticmethod
    def worker(options: dict, worker_id: str) -> db_worker.Worker:
        """One of the library's workers, as its command would build it from these options."""
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        return db_worker.Worker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )


def run_side_by_side(workers: list[db_worker.Worker]) -> None:
    """Run each worker's loop in a thread of its own until all have stopped. The first SIGINT, SIGTERM or SIGQUIT
    lets each finish the task it is running; a second stops the process at once, as the library's worker does.
    A second within SAME_STOP_SECONDS of the first is the same stop arriving twice: with --processes, a process
    manager that signals every process of the service (systemd) reaches a child directly and through its parent."""
    stopping = threading.Event()
    first_at: list[float] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        if stopping.is_set() and time.monotonic() - first_at[0] < SAME_STOP_SECONDS:
            return
        if stopping.is_set():
            logger.warning("Received %s - stopping without finishing the tasks running.", signal.strsignal(signum))
            raise SystemExit(1)
        stopping.set()
        first_at.append(time.monotonic())
        logger.warning(
            "Received %s - finishing the tasks running, then stopping... (press Ctrl+C again to force)",
            signal.strsignal(signum),
        )
        for worker in workers:
            worker.running = False

    def run(worker: db_worker.Worker) -> None:
        try:
            worker.run()
        finally:
            connections.close_all()  # this thread's own connections

    threads = [
        threading.Thread(target=run, args=(worker,), name=f"db_worker-{n}", daemon=True)
        for n, worker in enumerate(workers)
    ]
    before = {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def run_processes(count: int, work) -> int:
    """Fork `count` children, each calling `work(n)` then leaving; wait for them all and return the first failure's
    exit status (0 when every child finished cleanly). The parent runs no task: it passes SIGINT, SIGTERM and SIGQUIT
    on to the children, which finish the tasks they are running (a second signal stops them at once), and when one
    child fails it stops the rest, so that a process manager sees the worker exit and restarts it whole.

    Forked before anything is loaded and with no connection open: each child loads the classifier and connects on
    its own (ops.workers.worker_starting), as separate processes would."""
    connections.close_all()
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[int] = []

    def forward(signum: int, frame: FrameType | None) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signum)

    stop_signals = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    # Before the first fork, so that no stop is lost while the children start.
    before = {signum: signal.signal(signum, forward) for signum in stop_signals}
    for n in range(count):
        pid = os.fork()
        if pid == 0:  # the child: do the work, then leave without running the parent's clean-up
            for signum in stop_signals:  # its own stop, not its parent's forwarding (run_side_by_side sets it)
                signal.signal(signum, signal.SIG_DFL)
            status = 1
            try:
                work(n)
                status = 0
            except SystemExit as exc:
                status = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                logger.exception("worker process %d failed", n)
            finally:
                connections.close_all()
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
        children.append(pid)

    first_failure = 0
    try:
        running = list(children)
        while running:
            # Only our own children, by pid: os.wait() would also reap other children of this process.
            for pid in list(running):
                done, wait_status = os.waitpid(pid, os.WNOHANG)
                if not done:
                    continue
                running.remove(pid)
                status = os.waitstatus_to_exitcode(wait_status)
                if status and not first_failure:
                    first_failure = status if status > 0 else 1
                    logger.error("a worker process exited with %s: stopping the others", status)
                    forward(signal.SIGTERM, None)
            if running:
                time.sleep(0.1)
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
    return first_failure
