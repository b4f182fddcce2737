"""Desktop reminders: follow-ups I owe that are due today (or overdue) become one tray
notification, at start and every few hours; nothing at all where there is no tray. The
agenda is read in a worker, never on the GUI thread: tests wait for ``checked``."""

from __future__ import annotations

import logging
import threading
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QSystemTrayIcon

from relnotebook.core import agenda, clock, conversations, customers, db, followups
from relnotebook.core.models import FollowUp
from relnotebook.ui import io_worker, reminders, theme
from relnotebook.ui.app import create_main_window

TODAY = clock.today()
MAIN_THREAD = threading.get_ident()


@pytest.fixture(autouse=True)
def _no_read_left(qtbot, notebook):
    """Every read has ended before the notebook closes (none leaks into the next test)."""
    yield
    qtbot.waitUntil(lambda: io_worker.running() == 0)


def _owe(cid: int, text: str, due: date, *, mine: bool = True) -> None:
    marker = "[ ]" if mine else "[them]"
    conversations.log(cid, f"Call\n{marker} {text}", at=TODAY - timedelta(days=20))
    newest = FollowUp.select().where(FollowUp.customer == cid).order_by(FollowUp.id.desc()).get()
    followups.set_due(newest.id, due)


@pytest.fixture
def due(notebook):
    anna = customers.create("Anna Smith", company="Acme")[0].id
    zoe = customers.create("Zoë Ångström", company="Ångström AB")[0].id
    _owe(anna, "send the price list", TODAY)
    _owe(zoe, "call back about the samples", TODAY - timedelta(days=2))
    _owe(zoe, "confirm the order", TODAY - timedelta(days=3), mine=False)  # theirs: no
    _owe(anna, "book the visit", TODAY + timedelta(days=1))  # tomorrow: no
    return {"anna": anna, "zoe": zoe}


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_due_followups_are_mine_due_today_or_overdue(due):
    found = reminders.due_followups(TODAY)
    assert [(d.customer, d.text, d.days_overdue) for d in found] == [
        ("Zoë Ångström", "call back about the samples", 2),
        ("Anna Smith", "send the price list", 0)]


def test_the_message_names_each_and_counts_the_rest():
    items = [reminders.DueFollowUp(f"Customer {i}", "x" * 80 if i == 0 else "call", i % 2)
             for i in range(6)]
    title, body = reminders.message(items)
    assert title == "Follow-ups due today (6)"
    lines = body.splitlines()
    assert lines[0] == f"Customer 0: {'x' * 59}… (due today)"
    assert lines[1] == "Customer 1: call (overdue by 1 day)"
    assert len(lines) == reminders.SHOWN_AT_MOST + 1
    assert lines[-1] == "…and 2 more in Today"
    assert reminders.message([]) is None


def test_nothing_without_a_system_tray(qtbot, notebook, due, monkeypatch):
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    tracker = reminders.start(window)
    assert not tracker.active
    assert not tracker.timer.isActive()
    assert tracker.check() is False
    assert not tracker.reader.reading


class _Shown:
    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []

    def __call__(self, title, body, *_args) -> None:  # replaces the method: no self
        self.messages.append((title, body))


@pytest.fixture
def tray(monkeypatch):
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    shown = _Shown()
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", shown)
    return shown


def test_with_a_tray_it_notifies_at_start_and_every_few_hours(qtbot, notebook, due, tray,
                                                              settings):
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    tracker = reminders.Reminders(window, settings=settings, today=lambda: TODAY)
    tracker.start(delay_ms=0)
    assert tracker.timer.interval() == reminders.INTERVAL_HOURS * 3_600_000
    assert tracker.timer.isActive()
    qtbot.waitUntil(lambda: bool(tray.messages))
    title, body = tray.messages[0]
    assert title == "Follow-ups due today (2)"
    assert "Zoë Ångström: call back about the samples (overdue by 2 days)" in body
    assert "Anna Smith: send the price list (due today)" in body
    with qtbot.waitSignal(tracker.checked) as checked:
        tracker.timer.timeout.emit()  # a few hours later
    assert len(tray.messages) == 2 and checked.args == [tray.messages[1]]
    assert tracker.last == tray.messages[1]
    tracker.stop()


def test_nothing_due_means_no_notification(qtbot, notebook, tray, settings):
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    tracker = reminders.Reminders(window, settings=settings)
    with qtbot.waitSignal(tracker.checked) as checked:
        assert tracker.check() is True
    assert checked.args == [None]
    assert tray.messages == []


def test_turned_off_in_preferences(qtbot, notebook, due, tray, settings):
    settings.setValue(theme.REMINDERS_KEY, False)
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    tracker = reminders.Reminders(window, settings=settings)
    assert tracker.check() is False
    assert not tracker.reader.reading
    assert tray.messages == []


def test_turned_off_while_it_reads_shows_nothing(qtbot, notebook, due, tray, settings, held):
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    tracker = reminders.Reminders(window, settings=settings, today=lambda: TODAY)
    tracker.check()
    qtbot.waitUntil(held.entered.is_set)
    settings.setValue(theme.REMINDERS_KEY, False)
    held.gate.set()
    qtbot.waitUntil(lambda: not tracker.reader.reading)
    assert tray.messages == []


def test_clicking_the_notification_shows_today(qtbot, notebook, due, tray, settings):
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    tracker = reminders.Reminders(window, settings=settings)
    tracker.tray.messageClicked.emit()
    assert window.isVisible()
    assert window.centre.currentIndex() == 1


# --- off the GUI thread ------------------------------------------------------------------------


class _Held:
    """``agenda.for_day``, recorded as (day, thread, keywords); the first call waits, after
    its read, until the test opens the gate."""

    def __init__(self) -> None:
        self.real = agenda.for_day
        self.calls: list[tuple[date, int, dict[str, Any]]] = []
        self.entered, self.gate = threading.Event(), threading.Event()

    def __call__(self, day: date, **kwargs: Any) -> Any:
        self.calls.append((day, threading.get_ident(), kwargs))
        result = self.real(day, **kwargs)
        if len(self.calls) == 1:
            self.entered.set()
            self.gate.wait(30)  # bounded: a failed test cannot hang
        return result


@pytest.fixture
def held(qtbot, notebook, monkeypatch):
    wrapper = _Held()
    monkeypatch.setattr(agenda, "for_day", wrapper)
    yield wrapper
    wrapper.gate.set()
    qtbot.waitUntil(lambda: io_worker.running() == 0)


def test_the_follow_ups_are_read_in_a_worker(qtbot, notebook, due, tray, settings, held):
    held.gate.set()
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    tracker = reminders.Reminders(window, settings=settings, today=lambda: TODAY)
    with qtbot.waitSignal(tracker.checked):
        tracker.check()
    ((day, thread, kwargs),) = held.calls
    assert day == TODAY and kwargs == {"followups_only": True}
    assert thread != MAIN_THREAD
    assert len(tray.messages) == 1


def test_a_follow_up_ticked_off_during_the_read_is_not_named(qtbot, notebook, due, tray,
                                                            settings, held):
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    tracker = reminders.Reminders(window, settings=settings, today=lambda: TODAY)
    tracker.check()
    qtbot.waitUntil(held.entered.is_set)  # read with both follow-ups open, held back
    samples = FollowUp.get(FollowUp.text == "call back about the samples").id
    window.bus.publish(followups.set_done(samples)[1])
    with qtbot.waitSignal(tracker.checked) as checked:
        held.gate.set()
    assert len(held.calls) == 2  # the outdated read was dropped, and read again
    title, body = checked.args[0]
    assert title == "Follow-ups due today (1)" and "samples" not in body
    assert tray.messages == [checked.args[0]]


def test_another_notebook_opened_during_the_read_is_the_one_reminded_of(
        qtbot, notebook, due, tray, settings, held, tmp_path):
    other = tmp_path / "other.sqlite"
    db.open_notebook(other)
    _owe(customers.create("Bob Other")[0].id, "send the offer", TODAY)
    db.open_notebook(notebook)
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    tracker = reminders.Reminders(window, settings=settings, today=lambda: TODAY)
    tracker.check()
    qtbot.waitUntil(held.entered.is_set)  # the first notebook's follow-ups, held back
    assert window.switch_notebook(other)
    with qtbot.waitSignal(tracker.checked) as checked:
        held.gate.set()
    title, body = checked.args[0]
    assert title == "Follow-ups due today (1)" and body.startswith("Bob Other: send the offer")
    assert tray.messages == [checked.args[0]]


def test_a_failed_read_is_logged_and_shows_nothing(qtbot, notebook, due, tray, settings,
                                                  monkeypatch, caplog):
    def failing(day: date, **kwargs: Any) -> Any:
        raise RuntimeError("the agenda broke")

    monkeypatch.setattr(agenda, "for_day", failing)
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    tracker = reminders.Reminders(window, settings=settings, today=lambda: TODAY)
    with caplog.at_level(logging.ERROR, logger="relnotebook.ui"), \
            qtbot.waitSignal(tracker.reader.failed):
        tracker.check()
    assert tray.messages == [] and tracker.last is None
    assert any("reminders: the agenda could not be read" in r.getMessage()
               for r in caplog.records)
