"""Checkpoints off the logging path (issue 9): what ``db.defer_checkpoints`` and
``db.checkpoint`` promise, watched in the files themselves.

SQLite appends every commit to the -wal file; a checkpoint copies it into the main file.
So "a commit checkpointed" is visible from outside: the main file changed (a read of the
main file alone, ``immutable=1``, sees the new rows) and the -wal stopped growing (it starts
over from its beginning). Nothing here looks at timings.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from relnotebook.core import backup, conversations, customers, db, erase

NOTE = ("Call about #pricing #volumes\n[ ] send the quote by Friday\n[them] send the PO\n"
        "? ask about volumes\n+pet: a dog called Rex\n+hot: delivery on time\n")
FRAME = 4096 + 24  # a page in the -wal, with its frame header


def _wal_frames(path: Path) -> int:
    """Frames the -wal file has room for: it only grows, unless a checkpoint let the log
    start over (or ``journal_size_limit`` cut it back)."""
    wal = Path(f"{path}-wal")
    return max(0, wal.stat().st_size - 32) // FRAME if wal.exists() else 0


def _in_main_file(path: Path) -> int:
    """Conversations in the main file alone (the -wal ignored): what checkpoints copied."""
    conn = sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM conversation").fetchone()[0]
    finally:
        conn.close()


def _log(customer_id: int, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        conversations.log(customer_id, f"{NOTE}note {i}", at=date(2026, 3, 1) - timedelta(days=i))


def _logs_until_frames(path: Path, customer_id: int, frames: int) -> int:
    """Log notes until the -wal holds ``frames`` frames (or 400 notes); how many logged."""
    n = 0
    while _wal_frames(path) < frames and n < 400:
        _log(customer_id, 1, n)
        n += 1
    return n


@pytest.fixture
def fresh(notebook):
    """A notebook whose log was just emptied into the main file, and one customer."""
    cid = customers.create("Wally Wal", company="Log AB")[0].id
    db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return notebook, cid


def test_by_default_a_commit_checkpoints_past_1000_pages(fresh):
    """The CLI's behaviour, and what the window had before issue 9: some commit pays."""
    path, cid = fresh
    assert db.database.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    _log(cid, 120)
    assert _in_main_file(path) > 0  # a commit copied the log into the file
    assert _wal_frames(path) < 1300  # and the log started over


def test_deferred_logging_never_checkpoints(fresh):
    """With checkpoints deferred (the window), logging only appends to the -wal: past
    1,000 pages and on, the main file has not changed."""
    path, cid = fresh
    db.defer_checkpoints()
    main_before = path.stat().st_size, path.stat().st_mtime_ns
    logged = _logs_until_frames(path, cid, 1500)
    assert _wal_frames(path) >= 1500, logged
    assert _in_main_file(path) == 0
    assert (path.stat().st_size, path.stat().st_mtime_ns) == main_before
    assert conversations.count_for(cid) == logged  # all there, through the log


def test_a_checkpoint_on_its_own_connection_empties_the_log(fresh):
    path, cid = fresh
    db.defer_checkpoints()
    _log(cid, 30)
    assert _in_main_file(path) == 0
    result = db.checkpoint(path)
    assert result.complete and result.copied_pages == result.wal_pages > 0
    assert _in_main_file(path) == 30
    frames = _wal_frames(path)
    _log(cid, 1, 30)  # the next commit starts the log over: the file does not grow
    assert _wal_frames(path) == frames
    assert db.checkpoint(path).wal_pages < result.wal_pages


def test_the_log_stays_bounded_without_an_idle_moment(fresh):
    """No background checkpoint ever runs: commits checkpoint once past the bound, and the
    -wal file is cut back to it, so the log stays within the bound (plus one note)."""
    path, cid = fresh
    db.defer_checkpoints(300)
    before = _wal_frames(path)
    _log(cid, 1)
    one_note = _wal_frames(path) - before
    _log(cid, 80, 1)
    assert _in_main_file(path) > 0
    assert _wal_frames(path) <= 300 + 2 * one_note, (_wal_frames(path), one_note)


def test_deferral_holds_after_a_reopen_and_in_other_threads(fresh):
    path, _ = fresh

    def pragmas() -> tuple[int, int]:
        return (db.database.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0],
                db.database.execute_sql("PRAGMA journal_size_limit").fetchone()[0])

    db.defer_checkpoints(2500)
    assert db.checkpoints_deferred() == 2500
    assert pragmas() == (2500, 2500 * 4096)
    seen: list[tuple[int, int]] = []
    worker = threading.Thread(target=lambda: seen.append(pragmas()))
    worker.start()
    worker.join()
    assert seen == [(2500, 2500 * 4096)]  # a worker's own connection (an import)
    db.open_notebook(path)  # a restore reopens the file
    assert pragmas() == (2500, 2500 * 4096)
    db.defer_checkpoints(None)
    assert db.checkpoints_deferred() is None
    assert pragmas() == (1000, -1)
    db.open_notebook(path)
    assert pragmas() == (1000, -1)


def test_a_read_only_notebook_is_left_alone(fresh):
    path, cid = fresh
    _log(cid, 2)
    db.close_notebook()
    db.defer_checkpoints()
    db.open_notebook(path, read_only=True)
    assert db.is_read_only()
    assert conversations.count_for(cid) == 2
    assert db.database.execute_sql("PRAGMA query_only").fetchone()[0] == 1


def test_a_checkpoint_never_creates_a_file(tmp_path):
    missing = tmp_path / "gone.sqlite"
    with pytest.raises(sqlite3.OperationalError):
        db.checkpoint(missing)
    assert not missing.exists() and not Path(f"{missing}-wal").exists()


def test_backups_and_erase_work_with_checkpoints_deferred(fresh, tmp_path):
    """A backup is a consistent copy whatever the log holds; erasing still empties the log
    (TRUNCATE) so no old page of the person stays readable in it."""
    path, cid = fresh
    db.defer_checkpoints()
    _log(cid, 20)
    other = customers.create("Olga Other")[0].id
    _log(other, 3)
    info = backup.backup(folder=tmp_path / "backups")
    assert backup.check_file(info.path) == []
    conn = sqlite3.connect(info.path)
    try:
        assert conn.execute("SELECT count(*) FROM conversation").fetchone()[0] == 23
    finally:
        conn.close()
    result = erase.erase_customer(cid)
    assert result.complete
    assert os.path.getsize(f"{path}-wal") == 0
    assert _in_main_file(path) == 3
    assert b"Wally" not in path.read_bytes()
