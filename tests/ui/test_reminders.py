"""Desktop reminders: follow-ups I owe that are due today (or overdue) become one tray
notification, at start and every few hours; nothing at all where there is no tray."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QSystemTrayIcon

from relnotebook.core import clock, conversations, customers, followups
from relnotebook.core.models import FollowUp
from relnotebook.ui import reminders, theme
from relnotebook.ui.app import create_main_window

TODAY = clock.today()


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
    assert tracker.check() is None


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
    tracker.timer.timeout.emit()  # a few hours later
    assert len(tray.messages) == 2
    tracker.stop()


def test_nothing_due_means_no_notification(qtbot, notebook, tray, settings):
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    tracker = reminders.Reminders(window, settings=settings)
    assert tracker.check() is None
    assert tray.messages == []


def test_turned_off_in_preferences(qtbot, notebook, due, tray, settings):
    settings.setValue(theme.REMINDERS_KEY, False)
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    assert reminders.Reminders(window, settings=settings).check() is None
    assert tray.messages == []


def test_clicking_the_notification_shows_today(qtbot, notebook, due, tray, settings):
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    tracker = reminders.Reminders(window, settings=settings)
    tracker.tray.messageClicked.emit()
    assert window.isVisible()
    assert window.centre.currentIndex() == 1

