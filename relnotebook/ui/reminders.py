"""Desktop reminders: the follow-ups I owe that are due today (or overdue), as a notification.

At start (a few seconds after the window shows) and every ``INTERVAL_HOURS`` after, the open
notebook's agenda for today (``core.agenda.for_day``) is read and its ``followup_due``
reasons become one tray notification (``QSystemTrayIcon.showMessage``). Clicking it brings
the window forward on the Today view. Where the platform has no system tray
(``QSystemTrayIcon.isSystemTrayAvailable()`` is False) nothing is shown at all, and the
preference "reminders/enabled" (Preferences → On this computer) turns them off, tray icon and
all, from the next start (and silences them at once).

The read (about 0.3 s at 100,000 customers) runs in a worker with its own connection
(``AgendaReader``, ui/agenda_reader.py): ``check()`` starts it and returns at once, and
``checked`` reports what was shown. A change to the notebook while it reads (the event bus:
a follow-up ticked off, another notebook opened) drops that result and reads again, so a
notification never names what was just done, nor what another notebook holds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from ..core import clock
from . import icons, theme, words
from .agenda_reader import AgendaReader

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger("relnotebook.ui")

INTERVAL_HOURS = 3
START_DELAY_MS = 5_000
MESSAGE_MS = 15_000
SHOWN_AT_MOST = 4  # names in one notification; the rest are counted


@dataclass(frozen=True)
class DueFollowUp:
    customer: str
    text: str
    days_overdue: int  # 0: due today


def due_followups(today: date) -> list[DueFollowUp]:
    """The follow-ups I owe, due today or overdue, most overdue first (as Today lists them).

    Plain Python (no Qt): the reminders' worker runs it on its own connection."""
    from ..core.agenda import ReasonKind, for_day

    due: list[DueFollowUp] = []
    for entry in for_day(today, followups_only=True):
        for reason in entry.reasons:
            if reason.kind == ReasonKind.FOLLOWUP_DUE and reason.days_overdue >= 0:
                due.append(DueFollowUp(entry.full_name, str(reason.param("text", "")),
                                       reason.days_overdue))
    return due


def message(due: list[DueFollowUp]) -> tuple[str, str] | None:
    """(title, body) of the notification for ``due``; None when there is nothing to say."""
    if not due:
        return None
    title = words.fmt("Follow-ups due today ({count})", count=len(due))
    lines = []
    for item in due[:SHOWN_AT_MOST]:
        text = item.text if len(item.text) <= 60 else item.text[:59].rstrip() + "…"
        lines.append(f"{item.customer}: {text} ({words.days_until(-item.days_overdue)})")
    if len(due) > SHOWN_AT_MOST:
        lines.append(words.fmt("…and {count} more in Today", count=len(due) - SHOWN_AT_MOST))
    return title, "\n".join(lines)


class Reminders(QObject):
    """The tray icon and its timer; inert where there is no system tray."""

    checked = Signal(object)
    """A check ended: the (title, body) shown, or None when nothing was due."""

    def __init__(self, window: MainWindow, *, today: Callable[[], date] = clock.today,
                 settings: QSettings | None = None,
                 interval_ms: int = INTERVAL_HOURS * 3_600_000) -> None:
        super().__init__(window)
        self.window = window
        self.today = today
        self.settings = settings
        self.tray: QSystemTrayIcon | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.last: tuple[str, str] | None = None
        self.reader = AgendaReader(due_followups, self, name="reminders")
        self.reader.loaded.connect(self._read)
        window.bus.changed.connect(self._on_changed)
        if not QSystemTrayIcon.isSystemTrayAvailable():
            log.info("no system tray: desktop reminders are off")
            return
        if not theme.reminders_enabled(settings):
            return  # turned off in Preferences: no tray icon either (until the next start)
        self.tray = QSystemTrayIcon(icons.app_icon(), self)
        self.tray.setToolTip(words.tr("Relationship Notebook"))
        menu = QMenu(window)
        menu.addAction(words.tr("Show the notebook"), self.show_window)
        menu.addAction(words.tr("Today — who to call"), self.show_today)
        menu.addSeparator()
        menu.addAction(words.tr("Quit"), window.close)
        self.tray.setContextMenu(menu)
        self.menu = menu
        self.tray.activated.connect(self._activated)
        self.tray.messageClicked.connect(self.show_today)
        self.tray.show()

    @property
    def active(self) -> bool:
        return self.tray is not None

    def start(self, delay_ms: int = START_DELAY_MS) -> None:
        if self.tray is None:
            return
        QTimer.singleShot(delay_ms, self.check)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.reader.cancel()
        if self.tray is not None:
            self.tray.hide()

    def check(self) -> bool:
        """Read what is due now, in the worker; True when a read was started. ``checked``
        follows with what was shown (a failed read is logged and shows nothing: a reminder
        must never disturb the window)."""
        if self.tray is None or not theme.reminders_enabled(self.settings):
            return False
        self.reader.request(self.today())
        return True

    def _on_changed(self, _changes: object) -> None:
        self.reader.invalidate()  # a read under way is outdated: it reads again

    def _read(self, _day: date, due: list[DueFollowUp]) -> None:
        if self.tray is None or not theme.reminders_enabled(self.settings):
            return  # turned off while it read
        shown = message(due)
        if shown is not None:
            self.tray.showMessage(shown[0], shown[1], icons.app_icon(), MESSAGE_MS)
        self.last = shown
        self.checked.emit(shown)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_window()

    def show_window(self) -> None:
        if self.window.isMinimized():
            self.window.showNormal()
        else:
            self.window.show()
        self.window.raise_()
        self.window.activateWindow()

    def show_today(self) -> None:
        self.show_window()
        self.window.show_today()


def start(window: MainWindow) -> Reminders:
    """Create the reminders for ``window`` and start them (a no-op without a tray)."""
    reminders = Reminders(window)
    reminders.start()
    return reminders
