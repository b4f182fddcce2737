"""The Today view (``todayView``): who to call today, and why (DESIGN.md §5, §7).

One row per reason, grouped by customer in ``agenda.for_day`` order (most overdue first); the
customer's name stands on their first row. Clicking the name, Enter or a double click opens
the customer (``bus.customer_opened``). A follow-up row can be ticked (Space, Done) or
snoozed (Snooze: tomorrow, next week, in 2 weeks, a date picked) right here, each an undo
step. The list recomputes on every change that can move it (a setting included).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core import agenda, clock
from ..core.agenda import AgendaEntry, Reason
from ..core.changes import Changes, Kind
from . import words
from .bus import EventBus
from .card_undo import SnoozeFollowUp
from .customer_list import negative_colour
from .errors import guarded
from .reason_words import is_followup, is_pressing, reason_text
from .undo import SetFollowUpDone

Index = QModelIndex | QPersistentModelIndex
WATCHED = (Kind.CUSTOMER, Kind.CONVERSATION, Kind.FOLLOWUP, Kind.PURCHASE, Kind.DETAIL,
           Kind.SETTING)


class TodayRole(IntEnum):
    CUSTOMER_ID = Qt.ItemDataRole.UserRole + 1
    REASON_KIND = Qt.ItemDataRole.UserRole + 2
    FOLLOWUP_ID = Qt.ItemDataRole.UserRole + 3
    DAYS_OVERDUE = Qt.ItemDataRole.UserRole + 4
    FIRST_OF_CUSTOMER = Qt.ItemDataRole.UserRole + 5
    KEY_CLIENT = Qt.ItemDataRole.UserRole + 6


class Column(IntEnum):
    CUSTOMER = 0
    WHY = 1


@dataclass(frozen=True)
class TodayRow:
    customer_id: int
    name: str
    company: str
    key_client: bool
    reason: Reason
    text: str  # the reason in words
    first: bool  # the customer's first row: their name is shown
    group: int  # the customer's position in the list (alternating shade)

    @property
    def followup_id(self) -> int | None:
        return self.reason.param("followup_id") if is_followup(self.reason) else None


class TodayModel(QAbstractTableModel):
    """Ids and display tuples of today's reasons; reset on every recompute."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: tuple[TodayRow, ...] = ()
        self.entries = 0
        self.overdue_colour = QColor("#b3261e")
        self.shade: QColor | None = None
        self.link_colour: QColor | None = None

    def set_entries(self, entries: tuple[AgendaEntry, ...]) -> None:
        rows = []
        for group, entry in enumerate(entries):
            for n, reason in enumerate(entry.reasons):
                rows.append(TodayRow(entry.customer_id, entry.full_name, entry.company,
                                     entry.key_client, reason, reason_text(reason), n == 0,
                                     group))
        self.beginResetModel()
        self.rows, self.entries = tuple(rows), len(entries)
        self.endResetModel()

    def row(self, index: int) -> TodayRow | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {Column.CUSTOMER: words.tr("Customer"), Column.WHY: words.tr("Why")}.get(
            Column(section) if 0 <= section < len(Column) else None)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row(index.row()) if index.isValid() else None
        if row is None:
            return None
        name_column = index.column() == Column.CUSTOMER
        if role == Qt.ItemDataRole.DisplayRole:
            if name_column:
                return (row.name + (" ★" if row.key_client else "")) if row.first else ""
            return row.text
        if role == Qt.ItemDataRole.ToolTipRole:
            who = f"{row.name} ({row.company})" if row.company else row.name
            key = "\n" + words.tr("★ key client") if row.key_client else ""
            return f"{who}{key}\n{row.text}"
        if role == Qt.ItemDataRole.FontRole and name_column and row.first:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if name_column:
                return self.link_colour
            return self.overdue_colour if is_pressing(row.reason) else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.shade if row.group % 2 else None
        return self._named(row, role)

    @staticmethod
    def _named(row: TodayRow, role: int) -> Any:
        if role < TodayRole.CUSTOMER_ID:
            return None
        return {
            TodayRole.CUSTOMER_ID: row.customer_id,
            TodayRole.REASON_KIND: str(row.reason.kind),
            TodayRole.FOLLOWUP_ID: row.followup_id,
            TodayRole.DAYS_OVERDUE: row.reason.days_overdue,
            TodayRole.FIRST_OF_CUSTOMER: row.first,
            TodayRole.KEY_CLIENT: row.key_client,
        }.get(role)

    def roleNames(self) -> dict[int, bytes]:  # noqa: N802
        names = dict(super().roleNames())
        names.update({r.value: r.name.lower().encode() for r in TodayRole})
        return names


def snooze_choices(today: date) -> list[tuple[str, date]]:
    """The snooze menu's fixed dates: tomorrow, next week (the next Monday), in 2 weeks."""
    monday = today + timedelta(days=7 - today.weekday())
    return [(words.tr("Tomorrow"), today + timedelta(days=1)),
            (words.tr("Next week (Monday)"), monday),
            (words.tr("In 2 weeks"), today + timedelta(days=14))]


class TodayView(QWidget):
    """Who to call today; see the module docstring."""

    def __init__(self, bus: EventBus, undo_stack: QUndoStack, parent: QWidget | None = None,
                 today: Callable[[], date] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayView")
        self.bus, self.undo_stack = bus, undo_stack
        self.today: Callable[[], date] = today or clock.today
        self._stale = True
        self.model = TodayModel(self)
        self._build()
        bus.changed.connect(self._on_changed)

    def _build(self) -> None:
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel(self)
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
        self.empty = QLabel(words.tr("Nobody to call today. Time to prepare, or to enjoy "
                                     "the quiet."), self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
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
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        self._apply_palette()

    def _apply_palette(self) -> None:
        palette = self.palette()
        self.model.overdue_colour = negative_colour(palette)
        self.model.shade = palette.color(QPalette.ColorRole.AlternateBase)
        self.model.link_colour = palette.color(QPalette.ColorRole.Link)

    # --- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute today's list, keeping the selected reason selected when it stays."""
        current = self.current_row()
        key = (current.customer_id, current.reason.kind, current.followup_id) if current else None
        today = self.today()
        # The agenda reads every customer's reasons: about a second at 100,000 customers.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            entries = agenda.for_day(today)
        finally:
            QApplication.restoreOverrideCursor()
        self.model.set_entries(entries)
        self._stale = False
        self.title.setText(words.fmt("Today, {day}", day=words.day(today)))
        self.summary.setText(words.tr("%n customers to contact", self.model.entries))
        rows = self.model.rows
        target = next((i for i, r in enumerate(rows)
                       if key == (r.customer_id, r.reason.kind, r.followup_id)), None)
        if target is None and current is not None and rows:
            target = min(self.table.currentIndex().row(), len(rows) - 1)
        if target is not None:
            self.table.setCurrentIndex(self.model.index(target, Column.WHY))
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self._enable()

    @property
    def stale(self) -> bool:
        """Whether the list waits for a ``refresh`` (it is recomputed when next shown)."""
        return self._stale

    def mark_stale(self) -> None:
        """Recompute when next shown (the window asks for a fresh list on Ctrl+T)."""
        self._stale = True

    def _on_changed(self, changes: Changes) -> None:
        if not changes.concerns(None, *WATCHED):
            return
        self._stale = True
        if self.isVisible():
            self.refresh()

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

