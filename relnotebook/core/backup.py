"""Backups: online copies through SQLite's backup API, checked, rotated; restore; checks.

Never a file copy of a live database (a copy taken mid-write, or without its -wal, is a
damaged notebook). Each backup is written to a temporary name, checked with
``PRAGMA quick_check``, made 0600 and only then renamed into place, so a backup that exists
is a backup that opens. They live in ``backups/<notebook uuid>/`` of the data folder.

Restoring keeps the current file aside first (``<name>.before-restore-<time>.sqlite``, also
through the backup API), copies the backup in, and re-applies every erasure recorded in the
current notebook: a person erased since the backup was taken does not come back.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from . import settings
from .db import APPLICATION_ID, current_path, database, open_notebook, read_only_uri
from .errors import StorageError
from .paths import backups_dir, private_dir

_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})\.sqlite$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # naive UTC, from the file name
    size: int


@dataclass(frozen=True)
class RestoreReport:
    restored_from: Path
    kept_aside: Path | None
    erasures_reapplied: int


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d-%H%M%S")


def _copy(source: sqlite3.Connection, target_path: Path) -> None:
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=delete")  # a backup is one self-contained file
    finally:
        target.close()


def check_file(path: Path, *, full: bool = False) -> list[str]:
    """Problems found in a database file ([] when it is sound and is a notebook)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return ["not a notebook"]
        pragma = "integrity_check" if full else "quick_check"
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}")]
    except sqlite3.Error as exc:
        return [str(exc)]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def backup(*, now: datetime | None = None, folder: Path | None = None) -> BackupInfo:
    """Back up the open notebook now, check the copy, rotate old ones; return the new one."""
    source_path = current_path()
    if source_path is None:
        raise StorageError("missing", path="(no notebook open)")
    moment = now or datetime.now(UTC).replace(tzinfo=None)
    folder = private_dir(folder) if folder else backups_dir(settings.notebook_uuid())
    info = _write_backup(database.connection(), source_path.stem, folder, moment)
    rotate(folder, today=moment.date())
    return info


def backup_path(source_path: Path, folder: Path, *, now: datetime | None = None,
                keep: Rotation | None = None) -> BackupInfo:
    """Back up the notebook file at ``source_path`` through a connection of its own.

    For a worker thread: it never touches the shared peewee connection, so the window goes
    on writing meanwhile (WAL: the copy is the snapshot of its start). ``keep`` is the
    rotation to apply (``rotation()`` read on the main thread); None rotates nothing.
    """
    source_path = Path(source_path)
    if not source_path.exists():
        raise StorageError("missing", path=str(source_path))
    moment = now or datetime.now(UTC).replace(tzinfo=None)
    private_dir(folder)
    try:
        source = sqlite3.connect(read_only_uri(source_path.resolve()), uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise StorageError("unreadable", path=str(source_path), detail=str(exc)) from exc
    try:
        info = _write_backup(source, source_path.stem, folder, moment)
    finally:
        source.close()
    if keep is not None:
        rotate(folder, today=moment.date(), keep=keep)
    return info


def _write_backup(source: sqlite3.Connection, stem: str, folder: Path,
                  moment: datetime) -> BackupInfo:
    """Copy ``source`` to ``folder/<stem>-<stamp>.sqlite``: temporary name, check, rename."""
    final = folder / f"{stem}-{_stamp(moment)}.sqlite"
    temp = final.with_suffix(".partial")
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    fd = os.open(temp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        _copy(source, temp)
        problems = check_file(temp)
        if problems:
            raise StorageError("backup_failed", detail="; ".join(problems[:3]))
        os.chmod(temp, 0o600)
        os.replace(temp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return BackupInfo(final, moment, final.stat().st_size)


def list_backups(folder: Path | None = None) -> tuple[BackupInfo, ...]:
    folder = folder or backups_dir(settings.notebook_uuid())
    found = []
    for path in folder.glob("*.sqlite"):
        match = _NAME.match(path.name)
        if match:
            taken = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
            found.append(BackupInfo(path, taken, path.stat().st_size))
    return tuple(sorted(found, key=lambda b: b.taken_at, reverse=True))


@dataclass(frozen=True)
class Rotation:
    """How many backups to keep: the most recent, then one a day, a week, a month."""

    recent: int = 10
    daily: int = 7
    weekly: int = 8
    monthly: int = 12


def rotation() -> Rotation:
    """The open notebook's rotation settings."""
    return Rotation(settings.get("backup_keep_recent"), settings.get("backup_keep_daily"),
                    settings.get("backup_keep_weekly"), settings.get("backup_keep_monthly"))


def rotate(folder: Path, *, today: date, keep: Rotation | None = None) -> list[Path]:
    """Keep the most recent N, then one a day, a week, a month (notebook settings)."""
    rule = keep or rotation()
    keep_recent = rule.recent
    buckets = (
        (rule.daily, lambda d: d.isoformat()),
        (rule.weekly, lambda d: "{}-W{:02d}".format(*d.isocalendar()[:2])),
        (rule.monthly, lambda d: f"{d.year}-{d.month:02d}"),
    )
    backups = list_backups(folder)
    kept = {b.path for b in backups[:keep_recent]}
    for count, key in buckets:
        seen: list[str] = []
        for b in backups:  # newest first: the newest backup of each period is kept
            period = key(b.taken_at.date())
            if period not in seen:
                seen.append(period)
                if len(seen) <= count:
                    kept.add(b.path)
    removed = []
    for b in backups:
        if b.path not in kept:
            with contextlib.suppress(OSError):
                b.path.unlink()
                removed.append(b.path)
    return removed


def restore(backup_path: Path, notebook_path: Path, *, now: datetime | None = None
            ) -> RestoreReport:
    """Replace the notebook by a backup (see module docstring); leaves the notebook open."""
    backup_path = Path(backup_path)
    problems = check_file(backup_path, full=True) if backup_path.exists() else ["missing"]
    if problems:
        raise StorageError("bad_backup", path=str(backup_path), detail="; ".join(problems[:3]))
    notebook_path = Path(notebook_path)
    moment = now or datetime.now(UTC).replace(tzinfo=None)
    erased: list[str] = []
    aside = None
    if notebook_path.exists() and notebook_path.stat().st_size:
        open_notebook(notebook_path, create=False)
        from .models import Erasure

        erased = [e.customer_uuid for e in Erasure.select(Erasure.customer_uuid)]
        aside = notebook_path.with_name(
            f"{notebook_path.stem}.before-restore-{_stamp(moment)}.sqlite")
        _copy(database.connection(), aside)
        os.chmod(aside, 0o600)
    else:
        open_notebook(notebook_path)
    source = sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(database.connection())
    finally:
        source.close()
    database.close()
    open_notebook(notebook_path, create=False)  # upgrades an older backup's schema
    reapplied = reapply_erasures(erased)
    return RestoreReport(backup_path, aside, reapplied)


def reapply_erasures(uuids: list[str]) -> int:
    """Erase again every customer whose uuid was erased; record the erasures. Returns count."""
    from .erase import erase_customer
    from .models import Customer, Erasure

    count = 0
    for uuid in uuids:
        customer = Customer.get_or_none(Customer.uuid == uuid)
        if customer is not None:
            erase_customer(customer.id, vacuum=False)  # one VACUUM below serves them all
            count += 1
        Erasure.get_or_create(customer_uuid=uuid)
    if count:
        database.execute_sql("VACUUM")  # no readable trace left in free pages
    return count


def check(*, full: bool = True) -> list[str]:
    """The open notebook's problems: integrity check plus the search index check."""
    path = current_path()
    if path is None:
        return ["no notebook open"]
    pragma = "integrity_check" if full else "quick_check"
    rows = [r[0] for r in database.execute_sql(f"PRAGMA {pragma}").fetchall()]
    problems = [] if rows == ["ok"] else rows
    fk = database.execute_sql("PRAGMA foreign_key_check").fetchall()
    problems += [f"foreign key: {row}" for row in fk[:20]]
    try:
        from . import search
    except ImportError:
        return problems
    problems += list(search.check())
    return problems
