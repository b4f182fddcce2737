"""Keeping the window's notebook safe (DESIGN.md §8, issue 8): backups, the check after the
first paint, damaged files, the read-only banner.

``SafetyController`` belongs to the main window and is given the event bus and the notebook
path. It never touches widgets and never runs long work on the GUI thread:

- **Backups**: every ``BACKUP_INTERVAL_MS`` (30 minutes) while there were changes (the bus
  said so, or ``PRAGMA data_version`` moved: another process wrote), and once more when the
  window closes (``close()``). A backup runs ``core.backup.backup_path`` in a worker with its
  own SQLite connection: the backup API copies a consistent snapshot while the window keeps
  writing. ``backup_finished(BackupInfo)`` or ``backup_failed(str code)`` report back.
- **The check**: ``start()`` (call it right after ``show()``) schedules ``PRAGMA quick_check``
  in a worker with its own read-only connection; ``damaged(list[str])`` carries what it
  found, ``checked()`` says all is well. ``close()`` interrupts a check still running.
- **A damaged notebook**: ``repair()`` closes it, moves it aside (``move_aside_damaged``:
  renamed with its -wal/-shm, never deleted), restores the newest backup that passes its
  check into its place, re-applies the erasures the damaged file still shows, and emits
  ``restored(Path)``: the window reopens that path. ``offer_repair`` asks the user first.
- **Read-only**: ``read_only_changed(bool)`` on ``start()`` and ``set_notebook()``;
  ``ReadOnlyBanner`` is a ready-made banner that follows it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from ..core import backup, db, paths, settings
from ..core.backup import BackupInfo
from ..core.db import APPLICATION_ID
from ..core.errors import StorageError
from ..core.storage_errors import classify
from .bus import EventBus

log = logging.getLogger("relnotebook.ui")
BACKUP_INTERVAL_MS = 30 * 60 * 1000
CLOSE_WAIT_MS = 60_000  # how long closing waits for a backup or check still running


# --- plain functions (no Qt) ------------------------------------------------------------------


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def move_aside_damaged(path: Path) -> Path:
    """Rename ``path`` (and its -wal/-shm) to ``<name>.damaged-<time>.sqlite``; never delete.

    The -wal and -shm go first: a new notebook created at ``path`` must never pick up the
    old file's write-ahead log. Returns the new path of the main file. The shared connection
    is closed first when it is open on ``path``.
    """
    path = Path(path).resolve()
    if db.current_path() == path:
        db.close_notebook()
    stamp = _stamp()
    target = path.with_name(f"{path.stem}.damaged-{stamp}.sqlite")
    n = 1
    while any(Path(f"{target}{s}").exists() for s in ("", "-wal", "-shm")):
        n += 1
        target = path.with_name(f"{path.stem}.damaged-{stamp}-{n}.sqlite")
    for suffix in ("-wal", "-shm", ""):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.rename(source, f"{target}{suffix}")
    return target


def newest_good_backup(folder: Path | None) -> BackupInfo | None:
    """The newest backup in ``folder`` that passes ``quick_check`` (None when there is none)."""
    if folder is None or not folder.is_dir():
        return None
    for info in backup.list_backups(folder):
        if not backup.check_file(info.path):
            return info
    return None


def quick_check(path: Path, cancelled: threading.Event | None = None) -> list[str]:
    """``PRAGMA quick_check`` of the notebook at ``path`` on a read-only connection of its
    own; [] when sound. A set ``cancelled`` interrupts it (it then returns [])."""
    try:
        conn = sqlite3.connect(db.read_only_uri(Path(path).resolve()), uri=True, timeout=5)
    except sqlite3.Error as exc:
        return [str(exc)]
    if cancelled is not None:
        conn.set_progress_handler(lambda: 1 if cancelled.is_set() else 0, 10_000)
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return ["not a notebook"]
        rows = [r[0] for r in conn.execute("PRAGMA quick_check")]
    except sqlite3.OperationalError as exc:
        if cancelled is not None and cancelled.is_set():
            return []
        return [str(exc)]
    except sqlite3.Error as exc:
        return [str(exc)]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def _untouched_uri(path: Path) -> str:
    """A URI that reads a notebook nobody has open without leaving a -wal/-shm beside it."""
    path = Path(path).resolve()
    mode = "mode=ro" if Path(f"{path}-wal").exists() else "immutable=1"
    return f"{path.as_uri()}?{mode}"


def _erased_uuids(path: Path) -> list[str]:
    """The erasures a (possibly damaged) notebook file still shows; [] when unreadable."""
    try:
        conn = sqlite3.connect(_untouched_uri(path), uri=True)
        try:
            return [r[0] for r in conn.execute("SELECT customer_uuid FROM erasure")]
        finally:
            conn.close()
    except sqlite3.Error:
        return []


@dataclass(frozen=True)
class RepairReport:
    moved_to: Path
    restored_from: Path | None  # None: no good backup; a new notebook opens in its place
    erasures_reapplied: int = 0


# --- the worker ---------------------------------------------------------------------------------


class _JobSignals(QObject):
    done = Signal(object)  # (generation, kind, result or exception, failed)


class _Job(QRunnable):
    """Runs ``func()`` in the pool; reports through a signal queued to the GUI thread."""

    def __init__(self, kind: str, generation: int, func: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.kind, self.generation, self.func = kind, generation, func
        self.signals = _JobSignals()
        self.finished = False

    def run(self) -> None:
        try:
            result, failed = self.func(), False
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI thread
            result, failed = exc, True
        self.finished = True
        self.signals.done.emit((self.generation, self.kind, result, failed))


# --- the controller -----------------------------------------------------------------------------


class SafetyController(QObject):
    backup_started = Signal()
    """A backup began in the worker."""

    backup_finished = Signal(object)
    """A backup was written and checked: its ``BackupInfo``."""

    backup_failed = Signal(str)
    """A backup could not be made: a storage code (``disk_full``, ``read_only``, ...)."""

    checked = Signal()
    """The quick check after the first paint found nothing wrong."""

    damaged = Signal(list)
    """The quick check found problems (SQLite's own lines, list[str])."""

    read_only_changed = Signal(bool)
    """Whether the open notebook is read-only (show or hide the banner)."""

    restored = Signal(object)
    """The notebook at this ``Path`` was replaced (restore, repair): the window reopens it."""

    def __init__(self, bus: EventBus | None, notebook_path: Path, parent: QObject | None = None,
                 *, interval_ms: int = BACKUP_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.notebook_path = Path(notebook_path)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one backup or check at a time
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.tick)
        self._jobs: set[_Job] = set()
        self._generation = 0  # results of jobs started for an earlier notebook are dropped
        self._cancel = threading.Event()
        self._dirty = False
        self._backing_up = False
        self._seen_version: int | None = None
        self._folder: Path | None = None
        self.last_backup: BackupInfo | None = None
        self.last_problems: list[str] | None = None  # None: not checked yet
        if bus is not None:
            bus.changed.connect(self._on_changed)

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> None:
        """After the window's ``show()``: the banner state, the check, the backup timer."""
        self.read_only_changed.emit(db.is_read_only())
        self._seen_version = self._version()
        QTimer.singleShot(0, self.run_quick_check)
        self.timer.start()

    def set_notebook(self, path: Path) -> None:
        """The window switched notebook (or reopened one after a restore)."""
        self._forget_jobs()
        self.notebook_path = Path(path)
        self._folder = None
        self._dirty = False
        self.last_problems = None
        self._seen_version = self._version()
        self.read_only_changed.emit(db.is_read_only())
        QTimer.singleShot(0, self.run_quick_check)

    def close(self, *, back_up: bool = True) -> BackupInfo | None:
        """The window closes: stop the check, wait for a backup, back up once more if there
        were changes since the last one (here, blocking: the window is going away)."""
        self.timer.stop()
        self._forget_jobs()
        if not back_up or not self.has_changes():
            return None
        try:
            info = self._backup_job()()
        except Exception as exc:  # noqa: BLE001 - a failed backup must not stop the close
            self._report_failure(exc)
            return None
        self._finish_backup(info)
        return info

    def wait(self, timeout_ms: int = CLOSE_WAIT_MS) -> bool:
        """Wait for the running backup or check; True when none is left."""
        return self.pool.waitForDone(timeout_ms)

    def _forget_jobs(self) -> None:
        """Interrupt a running check, wait for a backup, and drop what they will report."""
        self._cancel.set()
        self.wait()
        self._cancel = threading.Event()
        self._generation += 1
        self._backing_up = False
        self._jobs.clear()

    # --- changes ---------------------------------------------------------------------------

    def _on_changed(self, _changes: object) -> None:
        self._dirty = True

    def _version(self) -> int | None:
        if not db.is_open():
            return None
        try:
            return db.data_version()
        except Exception:  # noqa: BLE001 - a closed or broken file must not crash a timer
            return None

    def has_changes(self) -> bool:
        """Whether the notebook changed since the last backup (ours or another process's)."""
        if db.is_read_only():
            return False
        version = self._version()
        moved = version is not None and self._seen_version is not None \
            and version != self._seen_version
        return self._dirty or moved

    @Slot()
    def tick(self) -> None:
        """The timer: back up when there were changes."""
        if self.has_changes():
            self.back_up_now()

    # --- backups ---------------------------------------------------------------------------

    def backup_folder(self) -> Path | None:
        """``backups/<notebook uuid>/`` of the open notebook (made on first use when it can
        be written); None when it has no uuid yet and cannot be given one."""
        if self._folder is None:
            uuid = ""
            # Only through the shared connection when it is open on this very notebook: a
            # query on a closed one would reopen it (peewee's autoconnect).
            if db.is_open() and db.current_path() == self.notebook_path.resolve():
                try:
                    uuid = settings.get("notebook_uuid")
                    if not uuid and not db.is_read_only():
                        uuid = settings.notebook_uuid()
                except Exception:  # noqa: BLE001 - a damaged notebook
                    log.info("no notebook uuid", exc_info=True)
            if not uuid:
                uuid = _uuid_from_file(self.notebook_path)
            self._folder = paths.backups_dir(uuid) if uuid else None
        return self._folder

    def _backup_job(self) -> Callable[[], BackupInfo]:
        folder = self.backup_folder()
        if folder is None:
            raise StorageError("read_only", path=str(self.notebook_path))
        keep = backup.Rotation()
        if db.is_open() and db.current_path() == self.notebook_path.resolve():
            with contextlib.suppress(Exception):  # defaults rather than no backup
                keep = backup.rotation()
        source = self.notebook_path
        return lambda: backup.backup_path(source, folder, keep=keep)

    def back_up_now(self) -> bool:
        """Start a backup in the worker; False when one is already running or none can be
        made (``backup_failed`` says why)."""
        if self._backing_up:
            return False
        try:
            job = self._backup_job()
        except Exception as exc:  # noqa: BLE001 - worded through backup_failed
            self._report_failure(exc)
            return False
        self._backing_up = True
        self._dirty = False
        self._seen_version = self._version()
        self.backup_started.emit()
        self._run("backup", job)
        return True

    def _finish_backup(self, info: BackupInfo) -> None:
        self.last_backup = info
        self._dirty = False
        self._seen_version = self._version()
        self.backup_finished.emit(info)

    def _backup_done(self, info: BackupInfo) -> None:
        self._backing_up = False
        self.last_backup = info
        self.backup_finished.emit(info)

    def _backup_error(self, exc: BaseException) -> None:
        self._backing_up = False
        self._dirty = True  # what was not backed up still is not
        self._report_failure(exc)

    def _report_failure(self, exc: BaseException) -> None:
        known = classify(exc)
        code = known.code if known is not None else "backup_failed"
        log.error("backup failed", exc_info=exc)
        self.backup_failed.emit(code)

    # --- the check -------------------------------------------------------------------------

    @Slot()
    def run_quick_check(self) -> None:
        """``quick_check`` in the worker; ``damaged`` or ``checked`` report back."""
        path, cancelled = self.notebook_path, self._cancel
        self._run("check", lambda: quick_check(path, cancelled))

    def _check_done(self, problems: list[str]) -> None:
        self.last_problems = list(problems)
        if problems:
            self.damaged.emit(list(problems))
        else:
            self.checked.emit()

    def _run(self, kind: str, func: Callable[[], Any]) -> None:
        self._jobs = {j for j in self._jobs if not j.finished}
        job = _Job(kind, self._generation, func)
        self._jobs.add(job)
        job.signals.done.connect(self._job_done)
        self.pool.start(job)

    @Slot(object)
    def _job_done(self, payload: tuple[int, str, Any, bool]) -> None:
        generation, kind, result, failed = payload
        if generation != self._generation:
            return  # a job of a notebook that is not open any more
        if kind == "backup":
            if failed:
                self._backup_error(result)
            else:
                self._backup_done(result)
        elif kind == "check":
            self._check_done([str(result)] if failed else result)

    # --- damaged notebooks and restores ----------------------------------------------------

    def newest_good_backup(self) -> BackupInfo | None:
        return newest_good_backup(self.backup_folder())

    def move_aside_damaged(self, path: Path | None = None) -> Path:
        self._forget_jobs()
        return move_aside_damaged(path or self.notebook_path)

    def repair(self) -> RepairReport:
        """Move the damaged notebook aside and put the newest good backup in its place
        (leaves the restored notebook open); emits ``restored``. With no good backup the
        path stays free and the window's reopen starts a new notebook there."""
        folder = self.backup_folder()  # before closing: it may need the notebook
        self._forget_jobs()
        path = self.notebook_path.resolve()
        moved = move_aside_damaged(path)
        good = newest_good_backup(folder)
        reapplied = 0
        if good is not None:
            backup.restore(good.path, path)
            reapplied = backup.reapply_erasures(_erased_uuids(moved))
        self._folder = None
        self.restored.emit(path)
        return RepairReport(moved, good.path if good else None, reapplied)

    def restore(self, backup_file: Path) -> backup.RestoreReport:
        """Replace the notebook by ``backup_file`` (the current file is kept aside first, by
        ``core.backup.restore``); leaves it open and emits ``restored``."""
        self._forget_jobs()
        report = backup.restore(Path(backup_file), self.notebook_path.resolve())
        self._dirty = False
        self._seen_version = self._version()
        self.restored.emit(self.notebook_path.resolve())
        return report


def _uuid_from_file(path: Path) -> str:
    """The notebook uuid read straight from the file (its connection may be closed)."""
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(_untouched_uri(path), uri=True)
        try:
            row = conn.execute("SELECT value FROM setting WHERE key = 'notebook_uuid'"
                               ).fetchone()
        finally:
            conn.close()
        if row and row[0]:
            import json

            with contextlib.suppress(ValueError):
                return str(json.loads(row[0]))
    return ""
