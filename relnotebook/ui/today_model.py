"""The Today view's item model: one row per reason, ids and display tuples (DESIGN.md §2).

Kept apart from ``today_view`` (the widget, its reading states and actions) so each stays
small; ``today_view`` re-exports these names, which is where other code imports them from.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from ..core.agenda import AgendaEntry, Reason
from . import words
from .reason_words import is_followup, is_pressing, reason_text

Index = QModelIndex | QPersistentModelIndex


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


def today_rows(entries: tuple[AgendaEntry, ...]) -> tuple[TodayRow, ...]:
    """One worded row per reason of ``entries``, in their order.

    The Today view builds them in its worker (``today_view.read_rows``), beside the read: at
    100,000 customers the list has thousands of rows, and wording them (~10 µs each) would
    hold the GUI thread for a good part of the time the read itself took. Wording touches
    no widget: ``words.tr`` is ``QCoreApplication.translate``, which Qt documents as
    thread-safe, and days and amounts are formatted by a ``QLocale`` of the worker's own.
    """
    rows = []
    for group, entry in enumerate(entries):
        for n, reason in enumerate(entry.reasons):
            rows.append(TodayRow(entry.customer_id, entry.full_name, entry.company,
                                 entry.key_client, reason, reason_text(reason), n == 0,
                                 group))
    return tuple(rows)


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
        self.set_rows(today_rows(entries))

    def set_rows(self, rows: tuple[TodayRow, ...]) -> None:
        """Show ``rows`` (from ``today_rows``, built in the worker): only the reset is left
        to the GUI thread."""
        self.beginResetModel()
        self.rows = rows
        self.entries = sum(1 for r in rows if r.first)
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
