"""Long work off the GUI thread (DESIGN.md §2): import, export, erase.

``IoWorker(job)`` is a ``QThread`` that runs ``job(progress, cancelled)`` and reports through
signals, which Qt queues to the receivers' (GUI) thread; the job never touches a widget.
``progress(done, total)`` reaches ``progressed`` at most every ``MIN_INTERVAL`` seconds (and
for the last step), so a 10,000-card file does not flood the event loop; ``cancelled()``
turns True once ``cancel()`` was called (the core's long calls take it and raise their own
"cancelled" error).

Its own connection: peewee's ``SqliteDatabase`` keeps its connection in thread-local state
(``thread_safe=True``, the default), so the job's first query opens a second sqlite3
connection to the same file, with the same pragmas and SQL functions (peewee's
``_add_conn_hooks``: WAL, ``synchronous=full``, foreign keys, busy timeout, ``rn_fold``).
WAL lets it read beside the window's connection, and its writes take ``BEGIN IMMEDIATE``
like every other. When the job ends the worker closes that connection (``database.close()``
in the worker thread touches only that thread's state) *before* it reports, so whoever
handles the result finds only the window's connection open.

A running worker is kept alive by the module (``_LIVE``) until it has finished, and is
best given no parent: a dialog closed or deleted mid-job then never destroys a running
``QThread`` (its signals to the deleted dialog are simply dropped).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

from ..core import db

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Job = Callable[[Progress, Cancelled], Any]

MIN_INTERVAL = 0.05  # seconds between progress reports: at most ~20 a second
log = logging.getLogger("relnotebook.ui")
_LIVE: set[IoWorker] = set()


class IoWorker(QThread):
    progressed = Signal(int, int)
    """(done, total): how far the job is; throttled to ~20 a second."""

    succeeded = Signal(object)
    """The job's return value (its connection is already closed)."""

    failed = Signal(object)
    """The exception the job raised (``ImportCancelled`` after a cancel)."""

    def __init__(self, job: Job, parent: QObject | None = None, *,
                 min_interval: float = MIN_INTERVAL) -> None:
        super().__init__(parent)
        self.job = job
        self.min_interval = min_interval
        self._cancel = threading.Event()
        self._last = float("-inf")  # the first report goes out at once
        self.finished.connect(self._forget)

    def start_job(self) -> IoWorker:
        """Start (kept alive until finished); returns self."""
        _LIVE.add(self)
        _watch_quit()
        self.start()
        return self

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def stop(self, timeout_ms: int = 10_000) -> bool:
        """Cancel and wait for the job; True when it has finished."""
        self.cancel()
        return self.wait(timeout_ms) if self.isRunning() else True

    def run(self) -> None:  # the worker thread
        try:
            result: Any = self.job(self._progress, self._cancel.is_set)
            ok = True
        except Exception as exc:  # noqa: BLE001 - every failure goes to the GUI thread
            result, ok = exc, False
        close_thread_connection()
        (self.succeeded if ok else self.failed).emit(result)

    def _progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self._last >= self.min_interval:
            self._last = now
            self.progressed.emit(done, total)

    def _forget(self) -> None:
        self.wait()  # run() has returned; let the thread end before it can be let go
        _LIVE.discard(self)


def close_thread_connection() -> None:
    """Close the calling thread's own connection to the notebook, if it opened one."""
    database = db.database
    try:
        if not database.deferred and not database.is_closed():
            database.close()
    except Exception:  # noqa: BLE001 - a connection that will not close must not hide a result
        log.warning("worker: closing its connection failed", exc_info=True)


_watching: list[bool] = []


def _watch_quit() -> None:
    """At application quit, cancel and wait for what is still running."""
    app = QCoreApplication.instance()
    if app is not None and not _watching:
        _watching.append(True)
        app.aboutToQuit.connect(stop_all)


def stop_all(timeout_ms: int = 10_000) -> None:
    for worker in list(_LIVE):
        worker.stop(timeout_ms)


def running() -> int:
    """How many workers are still running (tests check none is left behind)."""
    return sum(1 for w in _LIVE if w.isRunning())
