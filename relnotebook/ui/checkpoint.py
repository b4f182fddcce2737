"""Checkpoint the window's notebook while nobody waits for it (issue 9: logging's p95).

SQLite's default makes the commit that leaves the write-ahead log past 1,000 pages copy it
into the main file before it returns: every ~14th logged note took 13-18 ms longer at
100,000 customers. ``IdleCheckpointer`` moves that work off the save:

- ``start()`` calls ``db.defer_checkpoints()``: the window's commits checkpoint only past
  ``db.WAL_BOUND_PAGES`` (~60 notes without an idle moment), SQLite's own bound;
- a timer on the GUI thread looks at the -wal file's size and time every ``poll_ms`` (a
  ``stat``, no SQLite call) and hears of the window's writes on the event bus; once nothing
  was written for ``idle_ms``, or writes kept coming for ``overdue_ms``, it runs
  ``db.checkpoint(path)`` (PASSIVE: a save that comes meanwhile goes on) in a worker, on a
  connection of its own. ``checkpointed(reason, db.Checkpoint)`` reports it;
- never on a read-only notebook, never on the GUI thread, never inside a save;
- its worker is the safety controller's pool (``window_safety.attach``), one job at a
  time: a checkpoint never runs beside a backup or the check, and the controller waits for
  it before it moves, repairs or restores the file;
- ``stop()`` (the window closes) gives the default back; closing the last connection then
  checkpoints what is left, as the CLI does.
"""

from __future__ import annotations

import logging
import math
import os
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from ..core import db

log = logging.getLogger("relnotebook.ui")
POLL_MS = 1000  # how often the -wal file is looked at
IDLE_MS = 2000  # nothing written for this long: checkpoint
OVERDUE_MS = 30_000  # writes kept coming for this long: checkpoint anyway


class _JobSignals(QObject):
    done = Signal(str, object)  # (reason, db.Checkpoint or the exception)


class _CheckpointJob(QRunnable):
    """``db.checkpoint(path)`` in a pool thread; reports through a queued signal."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__()
        self.setAutoDelete(False)  # kept by the checkpointer until its report arrived
        self.path, self.reason = path, reason
        self.signals = _JobSignals()

    def run(self) -> None:
        try:
            result: object = db.checkpoint(self.path)
        except Exception as exc:  # noqa: BLE001 - reported on the GUI thread
            result = exc
        self.signals.done.emit(self.reason, result)


class IdleCheckpointer(QObject):
    """Checkpoints the open notebook in ``pool`` when it is idle (module docstring)."""

    checkpointed = Signal(str, object)
    """A checkpoint ran: the reason (``idle``, ``overdue``, ``asked``) and its
    ``db.Checkpoint`` (``complete`` when the log is all in the main file)."""

    failed = Signal(str)
    """A checkpoint could not run (the file went away, a damaged file...): SQLite's words.
    Nothing is lost: the log stays, and the next commit past the bound checkpoints."""

    def __init__(self, pool: QThreadPool, parent: QObject | None = None, *,
                 poll_ms: int = POLL_MS, idle_ms: int = IDLE_MS,
                 overdue_ms: int = OVERDUE_MS, bound_pages: int = db.WAL_BOUND_PAGES) -> None:
        super().__init__(parent)
        self.setObjectName("idleCheckpointer")
        self.pool = pool
        self.idle_ms, self.overdue_ms, self.bound_pages = idle_ms, overdue_ms, bound_pages
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.tick)
        self._stamp: tuple[int, int] | None = None  # the -wal's (size, mtime) last seen
        self._first_write: float | None = None  # since the last checkpoint (None: clean)
        self._last_write = 0.0
        self._job: _CheckpointJob | None = None  # the one running, if any
        self.runs = 0  # checkpoints started (for tests and the log)

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> None:
        """Defer the window's checkpoints to this object and start watching."""
        db.defer_checkpoints(self.bound_pages)
        self._stamp = self._wal_stamp()
        self.timer.start()

    def stop(self) -> None:
        """Stop watching and give SQLite's default back (a running checkpoint finishes in
        the pool; the controller's close waits for the pool)."""
        self.timer.stop()
        if db.checkpoints_deferred() == self.bound_pages:
            db.defer_checkpoints(None)

    def watch_close(self, window: QObject) -> None:
        """``stop()`` when ``window`` closes (its close is never refused)."""
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Close:
            self.stop()
        return False

    # --- noticing writes -------------------------------------------------------------------

    @Slot(object)
    def note_write(self, _changes: object = None) -> None:
        """Something was just written (the bus said so): wait for the next idle moment."""
        now = time.monotonic()
        self._last_write = now
        if self._first_write is None:
            self._first_write = now

    @staticmethod
    def _wal_stamp() -> tuple[int, int] | None:
        path = db.current_path()
        if path is None:
            return None
        try:
            st = os.stat(f"{path}-wal")
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns

    @Slot()
    def tick(self) -> None:
        """The timer: note writes seen in the -wal; checkpoint when idle or overdue."""
        stamp = self._wal_stamp()
        if stamp != self._stamp:
            self._stamp = stamp
            if stamp is not None:
                self.note_write()
        if self._first_write is None or self._job is not None:
            return
        now = time.monotonic()
        if (now - self._last_write) * 1000 >= self.idle_ms:
            self.run_now("idle")
        elif (now - self._first_write) * 1000 >= self.overdue_ms:
            self.run_now("overdue")

    # --- the checkpoint --------------------------------------------------------------------

    def run_now(self, reason: str = "asked") -> bool:
        """Start a checkpoint in the pool; False when one is running or none can be made
        (no notebook open, or a read-only one)."""
        path = db.current_path()
        if self._job is not None or path is None or not db.is_open() or db.is_read_only():
            return False
        self._first_write = None  # writes from now on need another checkpoint
        self.runs += 1
        self._job = _CheckpointJob(path, reason)
        self._job.signals.done.connect(self._done)
        self.pool.start(self._job)
        return True

    @Slot(str, object)
    def _done(self, reason: str, result: object) -> None:
        self._job = None
        if isinstance(result, db.Checkpoint):
            if not result.complete and self._first_write is None:
                # A reader still needed old pages, or another process was checkpointing:
                # try again after the next write, or once overdue (not at every idle tick).
                self._first_write, self._last_write = time.monotonic(), math.inf
            self.checkpointed.emit(reason, result)
            return
        log.warning("checkpoint failed: %s", result)
        self.failed.emit(str(result))
