"""The Today view: who to call and why, in words; open, tick and snooze right there.

The agenda is read in a worker (tests/ui/test_today_reading.py covers how): these tests wait
for the view's ``loaded`` signal, or for the rows, as a user waits for the list to fill.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from relnotebook.core import clock, conversations, customers, followups
from relnotebook.core.changes import Changes, Kind
from relnotebook.ui import io_worker
from relnotebook.ui.bus import EventBus
from relnotebook.ui.today_view import TodayRole, TodayView, snooze_choices

TODAY = clock.today()


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture(autouse=True)
def _no_read_left(qtbot, notebook):
    """Every read has ended before the notebook closes (none leaks into the next test)."""
    yield
    qtbot.waitUntil(lambda: io_worker.running() == 0)


def _view(qtbot, bus, stack, today: date = TODAY) -> TodayView:
    view = TodayView(bus, stack, today=lambda: today)
    qtbot.addWidget(view)
    view.resize(720, 400)
    with qtbot.waitSignal(view.loaded):
        view.show()
    qtbot.waitExposed(view)
    return view


def _reasons(view: TodayView, customer_id: int) -> list[str]:
    return [r.text for r in view.model.rows if r.customer_id == customer_id]


def _followup_row(view: TodayView, followup_id: int) -> int:
    return next(i for i, r in enumerate(view.model.rows) if r.followup_id == followup_id)


def test_an_overdue_follow_up_is_listed_in_words(qtbot, bus, stack, promised):
    cid, _fid = promised
    view = _view(qtbot, bus, stack)
    assert view.objectName() == "todayView"
    (reason,) = _reasons(view, cid)
    assert "send the quote" in reason and "overdue by 3 days" in reason
    first = view.model.index(0, 0)
    assert view.model.data(first) == "Priya Raman"
    assert view.model.data(first, TodayRole.CUSTOMER_ID) == cid
    assert view.empty.isHidden()


def test_overdue_first_and_every_reason_worded(qtbot, bus, stack, promised):
    cid, _ = promised
    later = customers.create("Ana Souza")[0].id
    conversations.log(later, f"Call\n[ ] send samples due {TODAY}\n+date: birthday "
                      f"{(TODAY + timedelta(days=2)).strftime('%d %B')}",
                      at=TODAY - timedelta(days=1))
    view = _view(qtbot, bus, stack)
    assert [r.customer_id for r in view.model.rows if r.first] == [cid, later]
    texts = _reasons(view, later)
    assert any("send samples" in t and "due today" in t for t in texts)
    assert any("birthday" in t and "in 2 days" in t for t in texts)


def test_enter_and_a_click_on_the_name_open_the_customer(qtbot, bus, stack, promised):
    cid, _ = promised
    view = _view(qtbot, bus, stack)
    view.table.setFocus()
    view.select_row(0)
    with qtbot.waitSignal(bus.customer_opened) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [cid]
    centre = view.table.visualRect(view.model.index(0, 0)).center()
    with qtbot.waitSignal(bus.customer_opened) as opened:
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened.args == [cid]


def test_snooze_to_next_week_then_undo(qtbot, bus, stack, promised):
    cid, fid = promised
    view = _view(qtbot, bus, stack)
    view.select_row(_followup_row(view, fid))
    assert view.snooze_button.isEnabled()
    view.snooze_menu.aboutToShow.emit()
    next_week = view.snooze_menu.actions()[1]
    monday = snooze_choices(TODAY)[1][1]
    assert monday.weekday() == 0 and TODAY < monday <= TODAY + timedelta(days=7)
    with qtbot.waitSignal(bus.changed):
        next_week.trigger()
    assert followups.get(fid).due == monday
    qtbot.waitUntil(lambda: _reasons(view, cid) == [])
    assert view.empty.isVisible()
    stack.undo()
    qtbot.waitUntil(lambda: len(_reasons(view, cid)) == 1)
    assert followups.get(fid).due == TODAY - timedelta(days=3)


def test_space_ticks_a_follow_up_off(qtbot, bus, stack, promised):
    cid, fid = promised
    view = _view(qtbot, bus, stack)
    view.table.setFocus()
    view.select_row(_followup_row(view, fid))
    qtbot.keyClick(view.table, Qt.Key.Key_Space)
    assert followups.get(fid).done_at is not None
    qtbot.waitUntil(lambda: _reasons(view, cid) == [])
    stack.undo()
    assert followups.get(fid).done_at is None
    qtbot.waitUntil(lambda: len(_reasons(view, cid)) == 1)


def test_a_reason_that_is_not_a_follow_up_cannot_be_ticked(qtbot, bus, stack, notebook):
    cid = customers.create("Kwame Mensah", key_client=True, cadence_days=7)[0].id
    conversations.log(cid, "Quarterly review", at=TODAY - timedelta(days=20))
    view = _view(qtbot, bus, stack)
    (reason,) = _reasons(view, cid)
    assert "20 days ago" in reason and "every 7 days" in reason
    view.select_row(0)
    assert view.open_button.isEnabled()
    assert not view.done_button.isEnabled() and not view.snooze_button.isEnabled()


def test_the_model_passes_qtmodeltester(qtmodeltester, qtbot, bus, stack, promised):
    other = customers.create("Zoë Ångström", key_client=True)[0].id
    conversations.log(other, "Catch-up", at=TODAY - timedelta(days=200))
    view = _view(qtbot, bus, stack)
    assert view.model.rowCount() == 2
    qtmodeltester.check(view.model)


def test_the_selected_reason_stays_selected_when_the_list_is_read_again(qtbot, bus, stack,
                                                                        promised):
    cid, _fid = promised
    other = customers.create("Ana Souza")[0].id
    conversations.log(other, f"Call\n[ ] send samples due {TODAY}\n[ ] call the plant due "
                      f"{TODAY - timedelta(days=1)}", at=TODAY - timedelta(days=2))
    view = _view(qtbot, bus, stack)
    row = next(i for i, r in enumerate(view.model.rows) if "send samples" in r.text)
    view.select_row(row)
    first = view.model.rows[0]
    with qtbot.waitSignal(view.loaded):
        bus.publish(Changes.of(cid, Kind.CONVERSATION))
    assert "send samples" in view.current_row().text
    # The selected reason went away: the row that took its place is selected.
    view.select_row(0)
    followups.set_done(first.followup_id)
    with qtbot.waitSignal(view.loaded):
        bus.publish(Changes.of(cid, Kind.FOLLOWUP))
    assert view.current_row() is not None and view.current_row().customer_id == other
