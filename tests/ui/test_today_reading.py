"""Today's agenda is read in a worker, so the window stays responsive while it reads (about a
second at 100,000 customers): what the user sees meanwhile, and that what they see is never
stale, never another notebook's, and never a traceback.

``Held`` wraps ``agenda.for_day`` so a test decides when a read ends: a held call waits at
its gate (in the worker thread) until the test opens it, having read the notebook first
(``read_first``) or not. The test thread never sleeps: it waits on the view's signals and on
conditions, and so the event loop keeps running, as it would for a user.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtGui import QUndoStack
from window_helpers import shown_window

from relnotebook.core import agenda, clock, conversations, customers, db, followups, text
from relnotebook.core.changes import Changes, Kind
from relnotebook.core.errors import StorageError
from relnotebook.ui import io_worker
from relnotebook.ui.bus import EventBus
from relnotebook.ui.today_view import TodayView

TODAY = clock.today()
MAIN_THREAD = threading.get_ident()


class Held:
    """``agenda.for_day``, recorded, with the calls numbered in ``hold`` held at a gate."""

    def __init__(self, hold: set[int], *, read_first: bool = True) -> None:
        self.real = agenda.for_day
        self.hold, self.read_first = hold, read_first
        self.calls: list[tuple[date, int]] = []  # (day, thread)
        self.gates = {n: threading.Event() for n in hold}
        self.entered = {n: threading.Event() for n in hold}
        self.fail: BaseException | None = None

    def __call__(self, day: date, **kwargs: Any) -> Any:
        n = len(self.calls)
        self.calls.append((day, threading.get_ident()))
        if self.fail is not None:
            raise self.fail
        if n not in self.hold:
            return self.real(day, **kwargs)
        result = self.real(day, **kwargs) if self.read_first else None
        self.entered[n].set()
        self.gates[n].wait(30)  # the test opens it; bounded, so a failed test cannot hang
        return result if self.read_first else self.real(day, **kwargs)

    def release(self, n: int | None = None) -> None:
        for k, gate in self.gates.items():
            if n is None or k == n:
                gate.set()


@pytest.fixture
def held(qtbot, notebook, monkeypatch):
    """Install a ``Held`` (call ``held(hold={...})``); opens every gate and waits for every
    read to end before the notebook closes."""
    made: list[Held] = []

    def install(hold: set[int] = frozenset(), *, read_first: bool = True) -> Held:
        wrapper = Held(set(hold), read_first=read_first)
        monkeypatch.setattr(agenda, "for_day", wrapper)
        made.append(wrapper)
        return wrapper

    yield install
    for wrapper in made:
        wrapper.release()
    qtbot.waitUntil(lambda: io_worker.running() == 0)


def followups_of(cid: int) -> list[int]:
    from relnotebook.core.models import FollowUp

    return [f.id for f in FollowUp.select().where(FollowUp.customer == cid)]


def _view(qtbot, bus: EventBus, today: date = TODAY, *, wait: bool = True) -> TodayView:
    view = TodayView(bus, QUndoStack(), today=lambda: today)
    qtbot.addWidget(view)
    view.resize(720, 400)
    if wait:
        with qtbot.waitSignal(view.loaded):
            view.show()
    else:
        view.show()
    qtbot.waitExposed(view)
    return view


def _followup_ids(view: TodayView) -> set[int]:
    return {r.followup_id for r in view.model.rows if r.followup_id is not None}


def _history(view: TodayView) -> list[set[int]]:
    """The follow-ups the list holds after each reset, recorded as they happen."""
    seen: list[set[int]] = []
    view.model.modelReset.connect(lambda: seen.append(_followup_ids(view)))
    return seen


# --- what the user sees ---------------------------------------------------------------------


def test_reading_shows_a_clear_state_then_the_rows(qtbot, held, promised):
    cid, fid = promised
    agenda_read = held(hold={0}, read_first=False)
    view = _view(qtbot, EventBus(), wait=False)
    qtbot.waitUntil(agenda_read.entered[0].is_set)
    # The window answers meanwhile (this very wait runs its event loop), and says what it does.
    assert view.loading.isVisible() and view.loading.text() == "Reading today's agenda…"
    assert not view.table.isVisible() and not view.empty.isVisible()
    assert view.reading and view.model.rows == ()
    assert not view.open_button.isEnabled()
    with qtbot.waitSignal(view.loaded):
        agenda_read.release(0)
    assert view.table.isVisible() and not view.loading.isVisible()
    assert _followup_ids(view) == {fid}
    assert view.summary.text() == "1 customer to contact"
    assert not view.reading


def test_the_gui_thread_never_reads_the_agenda(qtbot, held, promised):
    agenda_read = held()
    view = _view(qtbot, EventBus())
    view.refresh()
    qtbot.waitUntil(lambda: len(agenda_read.calls) == 2 and not view.reading)
    assert all(thread != MAIN_THREAD for _day, thread in agenda_read.calls)


def test_the_worker_reads_on_its_own_connection_set_up_like_the_window_s(
        qtbot, notebook, monkeypatch):
    """Same pragmas and SQL functions (``rn_fold``) as the window's connection, one read
    snapshot, and closed when the read ends; the window's own connection stays open."""
    window_connection = db.database.connection()
    seen: dict[str, Any] = {}

    def inspecting(day: date) -> tuple:
        sql = db.database.execute_sql
        connection = db.database.connection()
        seen.update(
            own=connection is not window_connection,
            journal=sql("PRAGMA journal_mode").fetchone()[0],
            synchronous=sql("PRAGMA synchronous").fetchone()[0],
            foreign_keys=sql("PRAGMA foreign_keys").fetchone()[0],
            busy=sql("PRAGMA busy_timeout").fetchone()[0],
            fold=sql("SELECT rn_fold('Ærø Łódź')").fetchone()[0],
            snapshot=connection.in_transaction)
        return ()

    closed: list[bool] = []
    real_close = io_worker.close_thread_connection

    def closing() -> None:
        real_close()
        closed.append(db.database.is_closed())  # this (worker) thread's connection

    monkeypatch.setattr(agenda, "for_day", inspecting)
    monkeypatch.setattr(io_worker, "close_thread_connection", closing)
    _view(qtbot, EventBus())
    qtbot.waitUntil(lambda: io_worker.running() == 0)
    assert seen == {"own": True, "journal": "wal", "synchronous": 2, "foreign_keys": 1,
                    "busy": db.BUSY_TIMEOUT_MS, "fold": text.fold("Ærø Łódź"), "snapshot": True}
    assert closed == [True]
    assert db.is_open() and db.database.connection() is window_connection


def test_a_read_only_notebook_is_read_too(qtbot, held, promised, notebook):
    _cid, fid = promised
    db.open_notebook(notebook, read_only=True)
    held()
    view = _view(qtbot, EventBus())
    assert _followup_ids(view) == {fid}


# --- never stale ----------------------------------------------------------------------------


def test_a_change_during_a_read_leads_to_fresh_rows(qtbot, held, promised):
    """The follow-up is ticked off while the list is read (with it still open): that result
    is dropped, the list is read again, and the ticked follow-up is never shown after."""
    _cid, fid = promised
    bus = EventBus()
    agenda_read = held(hold={1})
    view = _view(qtbot, bus)
    assert _followup_ids(view) == {fid}
    view.refresh()
    qtbot.waitUntil(agenda_read.entered[1].is_set)  # read, with the follow-up still open
    # A re-read keeps the rows in view, and says it reads.
    assert view.table.isVisible() and view.summary.text() == "Reading today's agenda…"
    history = _history(view)
    bus.publish(followups.set_done(fid)[1])  # as the Done button does
    with qtbot.waitSignal(view.loaded):
        agenda_read.release(1)
    assert len(agenda_read.calls) == 3  # the outdated read, then one fresh read
    assert all(fid not in ids for ids in history)
    assert view.model.rows == () and view.empty.isVisible()


def test_many_changes_during_a_read_make_one_re_read(qtbot, held, promised):
    cid, fid = promised
    bus = EventBus()
    agenda_read = held(hold={1})
    view = _view(qtbot, bus)
    view.refresh()
    qtbot.waitUntil(agenda_read.entered[1].is_set)
    followups.set_done(fid)
    for _ in range(5):
        bus.publish(Changes.of(cid, Kind.FOLLOWUP))
        qtbot.waitUntil(lambda: not view._soon.isActive())  # each one a turn of the loop
    with qtbot.waitSignal(view.loaded):
        agenda_read.release(1)
    qtbot.waitUntil(lambda: not view.reading)
    assert len(agenda_read.calls) == 3
    assert view.model.rows == ()


def test_a_result_from_an_older_request_never_overwrites_a_newer_one(qtbot, held, promised):
    """Asked for today (which lists the quote), then for a day before it was due: today's
    answer comes back last and is dropped."""
    _cid, fid = promised
    day = [TODAY]
    agenda_read = held(hold={0})
    view = TodayView(EventBus(), QUndoStack(), today=lambda: day[0])
    qtbot.addWidget(view)
    history = _history(view)
    view.show()
    qtbot.waitUntil(agenda_read.entered[0].is_set)  # today's list read, held back
    day[0] = earlier = TODAY - timedelta(days=5)
    view.refresh()
    with qtbot.waitSignal(view.loaded):
        agenda_read.release(0)
    assert [d for d, _ in agenda_read.calls] == [TODAY, earlier]
    assert all(fid not in ids for ids in history)
    assert view.empty.isVisible() and str(earlier.day) in view.title.text()


def test_a_hidden_view_reads_when_shown_not_before(qtbot, held, promised):
    cid, fid = promised
    bus = EventBus()
    agenda_read = held()
    view = _view(qtbot, bus)
    view.hide()
    followups.set_done(fid)
    bus.publish(Changes.of(cid, Kind.FOLLOWUP))
    assert view.stale and not view.reading and len(agenda_read.calls) == 1
    with qtbot.waitSignal(view.loaded):
        view.show()
    assert view.model.rows == () and len(agenda_read.calls) == 2


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("failure", "words"), [
    (StorageError("locked"), "The notebook is busy (another program is writing to it)."),
    (RuntimeError("boom: internal detail"), "the log file has the details"),
])
def test_a_failed_read_says_so_in_the_view_and_in_the_log(qtbot, held, promised, caplog,
                                                          failure, words):
    _cid, fid = promised
    agenda_read = held()
    agenda_read.fail = failure
    view = TodayView(EventBus(), QUndoStack(), today=lambda: TODAY)
    qtbot.addWidget(view)
    with caplog.at_level(logging.ERROR, logger="relnotebook.ui"), \
            qtbot.waitSignal(view.read_failed) as failed:
        view.show()
    message = view.error.text()
    assert failed.args == [message]
    assert message.startswith("Today's agenda could not be read.") and words in message
    assert "Traceback" not in message and "boom" not in message
    assert view.error.isVisible() and view.retry_button.isVisible()
    assert not view.table.isVisible() and not view.loading.isVisible()
    (record,) = [r for r in caplog.records if "agenda could not be read" in r.getMessage()]
    assert record.exc_info[1] is failure  # the traceback goes to the log file
    agenda_read.fail = None
    with qtbot.waitSignal(view.loaded):
        view.retry_button.click()
    assert _followup_ids(view) == {fid} and view.table.isVisible()


# --- closing, quitting, switching notebooks -----------------------------------------------


def test_deleting_the_view_while_it_reads_is_clean(qtbot, held, promised, qtlog):
    agenda_read = held(hold={0}, read_first=False)
    view = TodayView(EventBus(), QUndoStack(), today=lambda: TODAY)
    view.show()
    qtbot.waitUntil(agenda_read.entered[0].is_set)
    shiboken6.delete(view)
    agenda_read.release(0)  # the read goes on into SQL, is interrupted, reports to nobody
    qtbot.waitUntil(lambda: io_worker.running() == 0)
    assert not [r for r in qtlog.records if "QThread" in r.message]


def test_closing_the_window_while_today_reads_is_clean(qtbot, held, promised, notebook,
                                                       qtlog):
    agenda_read = held(hold={0})
    window = shown_window(qtbot, notebook)
    window.show_today()
    qtbot.waitUntil(agenda_read.entered[0].is_set)
    window.close()
    agenda_read.release(0)
    qtbot.waitUntil(lambda: io_worker.running() == 0)
    assert not [r for r in qtlog.records if "QThread" in r.message]


def test_opening_another_notebook_while_today_reads_never_shows_the_old_one(
        qtbot, held, tmp_path, notebook):
    other = tmp_path / "other.sqlite"
    for path, name in ((other, "Bob Other"), (notebook, "Alice First")):
        db.open_notebook(path)
        cid = customers.create(name)[0].id
        conversations.log(cid, f"Call\n[ ] send the offer due {TODAY - timedelta(days=1)}",
                          at=TODAY - timedelta(days=5))
    agenda_read = held(hold={1})
    window = shown_window(qtbot, notebook)
    window.show_today()
    view = window.today_view
    qtbot.waitUntil(lambda: not view.reading)
    assert [r.name for r in view.model.rows] == ["Alice First"]
    names: list[list[str]] = []
    view.model.modelReset.connect(lambda: names.append([r.name for r in view.model.rows]))
    window.bus.publish(Changes.of((), Kind.FOLLOWUP))  # a change: Alice's list is read again
    qtbot.waitUntil(agenda_read.entered[1].is_set)
    assert window.switch_notebook(other)
    assert view.model.rows == ()  # at once: Alice's rows do not stand under Bob's notebook
    agenda_read.release(1)
    window.show_today()
    qtbot.waitUntil(lambda: [r.name for r in view.model.rows] == ["Bob Other"])
    qtbot.waitUntil(lambda: not view.reading)
    assert all("Alice First" not in shown for shown in names)
    assert [r.name for r in view.model.rows] == ["Bob Other"]


QUIT_WHILE_READING = textwrap.dedent("""
    import sys, threading
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from relnotebook.core import agenda, customers, db
    from relnotebook.ui.app import create_main_window

    app = QApplication([])
    db.open_notebook(sys.argv[1])
    customers.create("Quinn Quit")
    real, entered = agenda.for_day, threading.Event()

    def endless(day, **kwargs):  # minutes of SQL, unless the quit interrupts it
        entered.set()
        db.database.execute_sql(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
            "WHERE x < 10000000000) SELECT count(*) FROM n").fetchone()
        return real(day, **kwargs)

    agenda.for_day = endless
    window = create_main_window(sys.argv[1])
    window.show()
    window.show_today()

    def quit_once_reading():
        if entered.is_set():
            window.close()
            app.quit()
        else:
            QTimer.singleShot(10, quit_once_reading)

    QTimer.singleShot(0, quit_once_reading)
    code = app.exec()
    db.close_notebook()
    print("exited", code, flush=True)
    sys.exit(code)
""")


def test_quitting_while_today_reads_ends_at_once_and_cleanly(tmp_path):
    result = subprocess.run([sys.executable, "-c", QUIT_WHILE_READING,
                             str(tmp_path / "quit.sqlite")],
                            capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    assert "exited 0" in result.stdout
    assert "QThread" not in result.stderr and "Traceback" not in result.stderr
