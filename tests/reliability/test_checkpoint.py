"""The window's idle checkpoint (ui/checkpoint.py, issue 9): the write-ahead log is copied
into the notebook file in a worker when nothing is being written, or after a while of
writes that never pause, never on the GUI thread, never on a read-only notebook.

Observed in the files: ``immutable=1`` reads the main file alone, so what it sees is what a
checkpoint copied there. Waits are on signals and conditions, never sleeps.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool, QTimer

from relnotebook.core import conversations, customers, db
from relnotebook.ui.checkpoint import IdleCheckpointer

NOTE = "Call about #pricing\n[ ] send the quote by Friday\n? ask about volumes\n+pet: dog\n"


def _in_main_file(path: Path) -> int:
    conn = sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM conversation").fetchone()[0]
    finally:
        conn.close()


def _log(customer_id: int, n: int) -> None:
    conversations.log(customer_id, f"{NOTE}note {n}", at=date(2026, 3, 1) - timedelta(days=n))


@pytest.fixture
def emptied(notebook):
    """A notebook with one customer, its log emptied into the file; a private pool."""
    cid = customers.create("Ida Idle")[0].id
    db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    yield notebook, cid, pool
    pool.waitForDone()


def test_an_idle_notebook_is_checkpointed_in_a_worker(qtbot, emptied, monkeypatch):
    path, cid, pool = emptied
    threads: list[int] = []
    real = db.checkpoint
    monkeypatch.setattr(db, "checkpoint", lambda p: threads.append(threading.get_ident())
                        or real(p))
    checkpointer = IdleCheckpointer(pool, poll_ms=20, idle_ms=100, overdue_ms=60_000)
    checkpointer.start()
    assert db.checkpoints_deferred() == db.WAL_BOUND_PAGES
    for n in range(20):
        _log(cid, n)
    assert _in_main_file(path) == 0  # logging itself copied nothing
    with qtbot.waitSignal(checkpointer.checkpointed, timeout=10_000) as done:
        pass
    reason, result = done.args
    assert reason == "idle" and result.complete and result.copied_pages > 0
    assert _in_main_file(path) == 20
    assert threads and threading.get_ident() not in threads
    checkpointer.stop()
    assert db.checkpoints_deferred() is None


def test_writes_that_never_pause_are_checkpointed_when_overdue(qtbot, emptied):
    """No idle moment at all (a note every few milliseconds): the log is copied anyway,
    once writes have kept coming for ``overdue_ms``."""
    path, cid, pool = emptied
    checkpointer = IdleCheckpointer(pool, poll_ms=20, idle_ms=60_000, overdue_ms=300)
    checkpointer.start()
    count = [0]

    def write() -> None:
        _log(cid, count[0])
        count[0] += 1

    writer = QTimer()
    writer.setInterval(5)
    writer.timeout.connect(write)
    writer.start()
    try:
        with qtbot.waitSignal(checkpointer.checkpointed, timeout=10_000) as done:
            pass
    finally:
        writer.stop()
        checkpointer.stop()
    assert done.args[0] == "overdue"
    assert 0 < _in_main_file(path) <= count[0]


def test_the_bus_delays_the_checkpoint_until_writes_pause(qtbot, emptied):
    """A write the window announces restarts the wait: no checkpoint while they come."""
    path, cid, pool = emptied
    checkpointer = IdleCheckpointer(pool, poll_ms=10_000, idle_ms=0, overdue_ms=60_000)
    _log(cid, 0)
    checkpointer.note_write()
    checkpointer.idle_ms = 10_000
    checkpointer.tick()
    assert checkpointer.runs == 0  # written just now: not idle
    checkpointer.idle_ms = 0
    with qtbot.waitSignal(checkpointer.checkpointed, timeout=10_000):
        checkpointer.tick()
    assert checkpointer.runs == 1 and _in_main_file(path) == 1


def test_nothing_written_nothing_checkpointed(qtbot, emptied):
    _, _, pool = emptied
    checkpointer = IdleCheckpointer(pool, poll_ms=10_000, idle_ms=0, overdue_ms=0)
    checkpointer.start()
    checkpointer.tick()
    checkpointer.tick()
    assert checkpointer.runs == 0
    checkpointer.stop()


def test_a_read_only_notebook_is_never_checkpointed(qtbot, emptied):
    path, cid, pool = emptied
    _log(cid, 0)
    db.open_notebook(path, read_only=True)
    checkpointer = IdleCheckpointer(pool, poll_ms=10_000, idle_ms=0, overdue_ms=0)
    checkpointer.start()
    checkpointer.note_write()
    checkpointer.tick()
    assert not checkpointer.run_now()
    assert checkpointer.runs == 0
    assert db.database.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    checkpointer.stop()


def test_a_failed_checkpoint_is_reported_and_nothing_breaks(qtbot, emptied, monkeypatch):
    _, cid, pool = emptied

    def broken(_path: Path) -> db.Checkpoint:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(db, "checkpoint", broken)
    checkpointer = IdleCheckpointer(pool, poll_ms=10_000, idle_ms=0, overdue_ms=0)
    _log(cid, 0)
    with qtbot.waitSignal(checkpointer.failed, timeout=10_000) as failed:
        assert checkpointer.run_now()
    assert "disk I/O error" in failed.args[0]
    _log(cid, 1)  # the notebook works on
    assert conversations.count_for(cid) == 2


def test_the_window_checkpoints_through_its_safety_workers(qtbot, notebook):
    """The window defers its checkpoints to an ``IdleCheckpointer`` that runs in the safety
    controller's pool (so restores and repairs wait for it) and gives the default back
    when it closes."""
    from window_helpers import shown_window

    from relnotebook.ui.window_safety import checkpointer_of

    window = shown_window(qtbot, notebook)
    checkpointer = checkpointer_of(window.safety)  # built after the first paint, or now
    assert checkpointer is not None and checkpointer.pool is window.safety.pool
    assert checkpointer.timer.isActive()
    assert db.checkpoints_deferred() == db.WAL_BOUND_PAGES
    assert db.database.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] \
        == db.WAL_BOUND_PAGES
    cid = customers.create("Wendy Window")[0].id
    _log(cid, 0)
    with qtbot.waitSignal(checkpointer.checkpointed, timeout=10_000):
        assert checkpointer.run_now()
    assert _in_main_file(notebook) == 1
    window.close()
    assert not checkpointer.timer.isActive()
    assert db.checkpoints_deferred() is None
