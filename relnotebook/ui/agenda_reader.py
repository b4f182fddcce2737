"""Today's agenda, read off the GUI thread (DESIGN.md §2: anything past ~100 ms leaves it).

``core.agenda.for_day`` takes about a second at 100,000 customers (the follow-ups alone, for
the tray reminders, about 0.3 s). ``AgendaReader`` runs such a read in an ``IoWorker``
(ui/io_worker.py, the import and export worker), so the window keeps painting and answering
keys meanwhile; the Today view and the reminders each own one.

**Its own connection.** peewee keeps one connection per thread (``thread_safe``, the
default), and every connection it opens gets what ``open_notebook`` gave the database: the
pragmas (WAL, ``synchronous=full``, foreign keys, busy timeout; ``query_only`` on a read-only
notebook) and the SQL functions (``rn_fold``). So the worker's first query opens a second
connection, and ``IoWorker`` closes it when the read ends, before the result is reported.
The read runs in one deferred transaction: one consistent snapshot of the notebook, which
under WAL never blocks the window's writes (nor do they block it).

**Only fresh results.** One read runs at a time per reader:

- ``request(day)`` while a read runs cancels it (SQLite's progress handler interrupts the
  running statement within milliseconds) and starts one new read once it has ended, however
  many requests came meanwhile: changes are coalesced into one re-read;
- ``invalidate()`` (the notebook changed) does the same while a read runs, nothing when idle;
- a result is delivered (``loaded``) only when no request or change came after its read
  started *and* the notebook open now is the one it read (File → Open, a restore); any other
  result is dropped, so an older read can never overwrite a newer one;
- a cancelled read (``cancel()``, the reader deleted, the application quitting:
  ``io_worker.stop_all``) reports nothing. Deleting the reader while a read runs is safe: the
  worker is not its child, lives until its thread has finished, and its report is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..core import db
from .io_worker import Cancelled, IoWorker

log = logging.getLogger("relnotebook.ui")

Read = Callable[[date], Any]
PROGRESS_STEPS = 10_000  # SQLite VM steps between two looks at the cancel flag (~ms)


class ReadCancelled(Exception):
    """The read was cancelled before or while it ran; nobody is told of it."""


def run_read(read: Read, day: date, cancelled: Cancelled) -> Any:
    """``read(day)`` on the calling (worker) thread's own connection, in one read snapshot,
    interrupted as soon as ``cancelled()`` turns True (raises ``ReadCancelled`` then).

    Runs in the worker thread; its connection is closed afterwards by ``IoWorker``.
    """
    if cancelled():
        raise ReadCancelled
    database = db.database
    connection = database.connection()  # this thread's own: opened with the pragmas, rn_fold
    connection.set_progress_handler(lambda: 1 if cancelled() else 0, PROGRESS_STEPS)
    try:
        # DEFERRED: the database's default lock is IMMEDIATE, which would take the write lock.
        with database.atomic(lock_type="DEFERRED"):
            try:
                return read(day)
            finally:  # before the COMMIT/ROLLBACK, which must not be interrupted
                connection.set_progress_handler(None, 0)
    except Exception as exc:
        if cancelled():
            raise ReadCancelled from exc
        raise


class _Running:
    """The running worker, held outside the reader: when the reader is deleted mid-read its
    ``destroyed`` signal reaches this plain object (its own slots are gone by then)."""

    def __init__(self) -> None:
        self.worker: IoWorker | None = None

    def cancel(self, *_args: Any) -> None:
        if self.worker is not None:
            self.worker.cancel()


class AgendaReader(QObject):
    """Runs ``read(day)`` in a worker, one at a time; see the module docstring."""

    started = Signal(object)
    """A read began, for this ``date`` (show the reading state)."""

    loaded = Signal(object, object)
    """(day, what ``read`` returned): fresh, for the notebook open now."""

    failed = Signal(object)
    """The exception the current read raised (already logged with its traceback)."""

    def __init__(self, read: Read, parent: QObject | None = None, *,
                 name: str = "agenda") -> None:
        super().__init__(parent)
        self._read = read
        self.name = name  # in the log: which reader failed
        self._day: date | None = None  # the day last asked for; None: nothing wanted
        self._generation = 0  # moves on every request and change; a read carries its own
        self._running: tuple[int, Path | None, date] | None = None  # generation, notebook, day
        self._live = _Running()
        self.destroyed.connect(self._live.cancel)

    @property
    def reading(self) -> bool:
        """Whether a read runs (or one was asked for and waits for a cancelled one to end)."""
        return self._live.worker is not None

    def request(self, day: date) -> None:
        """Read the agenda of ``day``; ``loaded`` or ``failed`` follows (see the module)."""
        self._day = day
        self._generation += 1
        if self._live.worker is None:
            self._start()
        else:
            self._live.worker.cancel()  # it ends soon; _ended starts the new read

    def invalidate(self) -> None:
        """The notebook changed: a read under way is outdated; read again once it ended."""
        if self._live.worker is not None:
            self._generation += 1
            self._live.worker.cancel()

    def cancel(self) -> None:
        """Drop the read under way and any re-read: nothing is reported until a request."""
        self._day = None
        self._generation += 1
        self._live.cancel()

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Wait for the running worker's thread (not for its report); True when none runs."""
        worker = self._live.worker
        return worker is None or worker.wait(timeout_ms)

    def _start(self) -> None:
        day, read = self._day, self._read
        if day is None:
            return
        worker = IoWorker(lambda _progress, cancelled: run_read(read, day, cancelled))
        worker.succeeded.connect(self._succeeded)
        worker.failed.connect(self._failed)
        self._running = (self._generation, db.current_path(), day)
        self._live.worker = worker
        worker.start_job()
        self.started.emit(day)

    def _succeeded(self, result: Any) -> None:
        self._ended(result, None)

    def _failed(self, exc: BaseException) -> None:
        self._ended(None, exc)

    def _ended(self, result: Any, exc: BaseException | None) -> None:
        worker, running = self._live.worker, self._running
        self._live.worker, self._running = None, None
        if worker is None or running is None:
            return
        generation, notebook, day = running
        current = generation == self._generation and notebook == db.current_path()
        if current and not worker.is_cancelled():
            if exc is None:
                self.loaded.emit(day, result)
            else:
                log.error("%s: the agenda could not be read", self.name, exc_info=exc)
                self.failed.emit(exc)
        elif not current:
            self._start()  # outdated by a request or a change: read again (nothing if unwanted)
