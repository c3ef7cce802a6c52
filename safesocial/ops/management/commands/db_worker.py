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

It takes the library's name (safesocial.ops comes before django_tasks_db in INSTALLED_APPS, as
django.contrib.staticfiles does with runserver), so `safesocial db_worker` in the README is this one.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
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

    def handle(self, *args, threads: int, **options):
        if threads < 1:
            raise CommandError("--threads must be 1 or more")
        self.configure_logging(options["verbosity"])
        if options["reload"]:
            # The first process only watches the files; the worker runs in the child it starts, in one thread.
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker_starting()
            return super().handle(*args, **options)
        worker_starting()
        if threads == 1:
            return super().handle(*args, **options)
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
    lets each finish the task it is running; a second stops the process at once, as the library's worker does."""
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        if stopping.is_set():
            logger.warning("Received %s - stopping without finishing the tasks running.", signal.strsignal(signum))
            raise SystemExit(1)
        stopping.set()
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
