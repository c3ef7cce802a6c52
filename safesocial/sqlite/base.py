"""Django's SQLite backend, with the writers of one process taking turns in order.

SQLite lets one transaction write at a time. A transaction that finds the database busy sleeps and tries again, on
a schedule that grows to 100 ms a sleep, so under a burst of concurrent writers (webhook deliveries on a threaded
server) an unlucky one can wait over a second while others overtake it. Here a thread first waits for a lock that
every writing transaction of the process holds from BEGIN to COMMIT or ROLLBACK: it is woken as soon as the one
before it finishes. Other processes (a task worker) still meet SQLite's own busy handling. The wait is bounded, so
a transaction left open by mistake slows others rather than stopping them (benchmarks/webhook_latency.py)."""

from __future__ import annotations

import threading

from django.db.backends.sqlite3 import base

WRITER_WAIT_SECONDS = 10.0
_writer = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_writer = False

    def _start_transaction_under_autocommit(self) -> None:
        self._holds_writer = _writer.acquire(timeout=WRITER_WAIT_SECONDS)
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer()
            raise

    def _release_writer(self) -> None:
        if self._holds_writer:
            self._holds_writer = False
            _writer.release()

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._release_writer()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._release_writer()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._release_writer()
