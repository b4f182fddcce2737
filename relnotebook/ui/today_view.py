"""The Today view (``todayView``): who to call today, and why (DESIGN.md §5, §7).

One row per reason, grouped by customer in ``agenda.for_day`` order (most overdue first); the
customer's name stands on their first row. Clicking the name, Enter or a double click opens
the customer (``bus.customer_opened``). A follow-up row can be ticked (Space, Done) or
snoozed (Snooze: tomorrow, next week, in 2 weeks, a date picked) right here, each an undo
step. The list recomputes on every change that can move it (a setting included).

Reading never blocks the window: the agenda takes about a second at 100,000 customers, so an
``AgendaReader`` (ui/agenda_reader.py) reads it in a worker with its own connection, and
words its rows there too (``today_model.today_rows``): the GUI thread only swaps them in.

- Until rows of this notebook and this day have arrived, "Reading today's agenda…" stands
  where the list goes (never a blank list, never another notebook's or another day's rows).
  A re-read after a change keeps the rows in view and says "Reading…" in the summary line.
- A change (the event bus) while the view is shown makes a read under way outdated (its
  result is dropped) and asks for one re-read on the next turn of the event loop, so a burst
  of changes makes one read. Hidden, the view is only marked stale and reads when shown.
- A failed read shows a sentence and "Try again" in place of the list; the traceback goes to
  the log file (by the reader), never to the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core import agenda, clock, db
from ..core.changes import Changes, Kind
from ..core.errors import NotebookError
from ..core.storage_errors import classify
from . import words
from .agenda_reader import AgendaReader
from .bus import EventBus
from .card_undo import SnoozeFollowUp
from .customer_model import negative_colour
from .errors import guarded
from .today_model import Column, TodayModel, TodayRole, TodayRow, today_rows
from .undo import SetFollowUpDone

__all__ = ["Column", "TodayModel", "TodayRole", "TodayRow", "TodayView", "snooze_choices",
           "today_rows"]

WATCHED = (Kind.CUSTOMER, Kind.CONVERSATION, Kind.FOLLOWUP, Kind.PURCHASE, Kind.DETAIL,
           Kind.SETTING)


def read_rows(day: date) -> tuple[TodayRow, ...]:
    """The worker's job: the whole agenda of ``day``, worded into the list's rows there too
    (``today_rows``), so the GUI thread only swaps them in. ``agenda.for_day`` is looked up
    at call time, so a test can wrap it."""
    return today_rows(agenda.for_day(day))


def failure_text(exc: BaseException) -> str:
    """The sentence the view shows when the agenda could not be read."""
    known = exc if isinstance(exc, NotebookError) else classify(exc)
    why = words.error(known) if known is not None else words.tr(
        "Something unexpected went wrong; the log file has the details.")
    return words.fmt("Today's agenda could not be read. {why}", why=why)


def snooze_choices(today: date) -> list[tuple[str, date]]:
    """The snooze menu's fixed dates: tomorrow, next week (the next Monday), in 2 weeks."""
    monday = today + timedelta(days=7 - today.weekday())
    return [(words.tr("Tomorrow"), today + timedelta(days=1)),
            (words.tr("Next week (Monday)"), monday),
            (words.tr("In 2 weeks"), today + timedelta(days=14))]



class TodayView(QWidget):
    """Who to call today; see the module docstring."""

    loaded = Signal()
    """Fresh rows (of the notebook open now, for ``today()``) are in the model."""

    read_failed = Signal(str)
    """The agenda could not be read: the sentence shown in the view."""

    def __init__(self, bus: EventBus, undo_stack: QUndoStack, parent: QWidget | None = None,
                 today: Callable[[], date] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayView")
        self.bus, self.undo_stack = bus, undo_stack
        self.today: Callable[[], date] = today or clock.today
        self._stale = True
        self._shown_for: tuple[Path | None, date] | None = None  # the model's notebook, day
        self.model = TodayModel(self)
        self.reader = AgendaReader(read_rows, self, name="today")
        self.reader.loaded.connect(self._loaded)
        self.reader.failed.connect(self._failed)
        self._soon = QTimer(self)  # changes in one turn of the event loop: one re-read
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self._refresh_if_shown)
        self._build()
        bus.changed.connect(self._on_changed)

    def _build(self) -> None:
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel(self)
        self.summary.setObjectName("todaySummary")
        self.table = QTableView(self)
        self.table.setObjectName("todayList")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Column.CUSTOMER, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.installEventFilter(self)
        self.table.clicked.connect(self._clicked)
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self.empty = self._centred("todayEmpty", words.tr(
            "Nobody to call today. Time to prepare, or to enjoy the quiet."))
        self.loading = self._centred("todayLoading", words.tr("Reading today's agenda…"))
        self.error_page = QWidget(self)
        self.error = self._centred("todayError", "")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton(words.tr("Try again"), self.error_page)
        self.retry_button.setObjectName("todayRetryButton")
        self.retry_button.clicked.connect(self.refresh)
        column = QVBoxLayout(self.error_page)
        column.addStretch(1)
        column.addWidget(self.error)
        column.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        self.pages = QStackedWidget(self)
        for page in (self.loading, self.table, self.empty, self.error_page):
            self.pages.addWidget(page)
        self.open_button = QPushButton(words.tr("Open"), self)
        self.open_button.setObjectName("todayOpenButton")
        self.open_button.clicked.connect(self.open_current)
        self.done_button = QPushButton(words.tr("Done"), self)
        self.done_button.setObjectName("todayDoneButton")
        self.done_button.setToolTip(words.tr("Tick off this follow-up (Space)"))
        self.done_button.clicked.connect(self.tick_current)
        self.snooze_button = QPushButton(words.tr("Snooze"), self)
        self.snooze_button.setObjectName("todaySnoozeButton")
        self.snooze_button.setToolTip(words.tr("Give this follow-up a new due date"))
        self.snooze_menu = QMenu(self.snooze_button)
        self.snooze_menu.aboutToShow.connect(self._fill_snooze_menu)
        self.snooze_button.setMenu(self.snooze_menu)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for button in (self.open_button, self.done_button, self.snooze_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        layout.addWidget(self.pages, 1)
        self._apply_palette()
        self._enable()

    def _centred(self, name: str, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        return label

    def _apply_palette(self) -> None:
        palette = self.palette()
        self.model.overdue_colour = negative_colour(palette)
        self.model.shade = palette.color(QPalette.ColorRole.AlternateBase)
        self.model.link_colour = palette.color(QPalette.ColorRole.Link)

    # --- reading -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask for today's list; the rows arrive from the worker (``loaded``), and the
        selected reason stays selected when it is still there."""
        today = self.today()
        self._stale = False
        self.title.setText(words.fmt("Today, {day}", day=words.day(today)))
        if self._shown_for != (db.current_path(), today):
            self._show_reading()  # rows of another notebook or day must not stand meanwhile
            self.summary.setText("")  # the page in the middle says it
        else:
            self.summary.setText(words.tr("Reading today's agenda…"))  # above the rows
        self.reader.request(today)

    @property
    def reading(self) -> bool:
        """Whether a read is under way (its rows are not in the model yet)."""
        return self.reader.reading

    @property
    def stale(self) -> bool:
        """Whether the list waits for a ``refresh`` (it is recomputed when next shown)."""
        return self._stale

    def mark_stale(self) -> None:
        """Recompute when next shown (the window asks for a fresh list on Ctrl+T)."""
        self._stale = True

    def _show_reading(self) -> None:
        """The reading state in place of the list: no rows until fresh ones arrive."""
        self.model.set_rows(())
        self._shown_for = None
        self.pages.setCurrentWidget(self.loading)
        self._enable()

    def _loaded(self, day: date, rows: tuple[TodayRow, ...]) -> None:
        current = self.current_row()
        key = (current.customer_id, current.reason.kind, current.followup_id) if current else None
        position = self.table.currentIndex().row()
        self.model.set_rows(rows)
        self._shown_for = (db.current_path(), day)
        self.title.setText(words.fmt("Today, {day}", day=words.day(day)))
        self.summary.setText(words.tr("%n customers to contact", self.model.entries))
        target = next((i for i, r in enumerate(rows)
                       if key == (r.customer_id, r.reason.kind, r.followup_id)), None)
        if target is None and current is not None and rows:
            target = min(position, len(rows) - 1)  # the row that took its place
        if target is not None:
            self.table.setCurrentIndex(self.model.index(target, Column.WHY))
        self.pages.setCurrentWidget(self.table if rows else self.empty)
        self._enable()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        text = failure_text(exc)
        self.model.set_rows(())
        self._shown_for = None
        self.summary.setText("")
        self.error.setText(text)
        self.pages.setCurrentWidget(self.error_page)
        self._enable()
        self.read_failed.emit(text)

    def _on_changed(self, changes: Changes) -> None:
        if not changes.concerns(None, *WATCHED):
            return
        if self._shown_for is not None and self._shown_for[0] != db.current_path():
            self._show_reading()  # another notebook was opened: its rows are not these
        if self.isVisible():
            self.reader.invalidate()  # a read under way is outdated: its result is dropped
            self._soon.start()
        else:
            self._stale = True
            self.reader.cancel()  # read when shown, not now

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:  # noqa: N802
        if self._stale:
            guarded(self, self.refresh)
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
        super().changeEvent(event)

    def _enable(self) -> None:
        row = self.current_row()
        self.open_button.setEnabled(row is not None)
        for button in (self.done_button, self.snooze_button):
            button.setEnabled(row is not None and row.followup_id is not None)

    # --- acting --------------------------------------------------------------------------

    def current_row(self) -> TodayRow | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        self.table.setCurrentIndex(self.model.index(row, Column.WHY))

    def open_current(self) -> None:
        row = self.current_row()
        if row is not None:
            self.bus.customer_opened.emit(row.customer_id)

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == Column.CUSTOMER:
            self.bus.customer_opened.emit(self.model.rows[index.row()].customer_id)

    def tick_current(self) -> None:
        row = self.current_row()
        if row is not None and row.followup_id is not None:
            self.undo_stack.push(SetFollowUpDone(self.bus, self, row.followup_id, True,
                                                 row.reason.param("text", "")))

    def snooze_current(self, due: date) -> None:
        row = self.current_row()
        if row is not None and row.followup_id is not None:
            self.undo_stack.push(SnoozeFollowUp(self.bus, self, row.followup_id, due,
                                                row.reason.param("text", "")))

    def _fill_snooze_menu(self) -> None:
        self.snooze_menu.clear()
        for label, due in snooze_choices(self.today()):
            action = self.snooze_menu.addAction(f"{label}\t{words.day(due)}")
            action.triggered.connect(lambda _=False, d=due: self.snooze_current(d))
        self.snooze_menu.addSeparator()
        self.snooze_menu.addAction(words.tr("Pick a date…"), self.pick_date)

    def pick_date(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(words.tr("Snooze until"))
        calendar = QCalendarWidget(dialog)
        start = self.today() + timedelta(days=1)
        calendar.setMinimumDate(start)
        calendar.setSelectedDate(start)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel, dialog)
        box.accepted.connect(dialog.accept)
        box.rejected.connect(dialog.reject)
        calendar.activated.connect(lambda _d: dialog.accept())
        layout = QVBoxLayout(dialog)
        layout.addWidget(calendar)
        layout.addWidget(box)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.snooze_current(calendar.selectedDate().toPython())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            key = event.key() if isinstance(event, QKeyEvent) else None
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
            if key == Qt.Key.Key_Space:
                self.tick_current()
                return True
        return super().eventFilter(watched, event)

