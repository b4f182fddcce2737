"""The customer list's model: ids and display values from ``customers.list_rows``.

Filtering (the fold of DESIGN.md §6, done by the core) and sorting re-query and reset the
model: no proxy model. In name order (the default) rows come a page at a time
(``canFetchMore``/``fetchMore``), so 100,000 customers fill the list as fast as 200 and every
filter keystroke reads one page. Painting asks the model for about ten roles per cell on
every repaint, so ``data``, ``flags`` and ``headerData`` answer from values made once.
"""

from __future__ import annotations

from enum import IntEnum
from functools import cache
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPalette

from ..core import clock, customers
from ..core.customers import CustomerRow
from . import words

Index = QModelIndex | QPersistentModelIndex


class Role(IntEnum):
    CUSTOMER_ID = Qt.ItemDataRole.UserRole + 1
    OVERDUE = Qt.ItemDataRole.UserRole + 2
    KEY_CLIENT = Qt.ItemDataRole.UserRole + 3
    DUE = Qt.ItemDataRole.UserRole + 4
    LAST_TALKED = Qt.ItemDataRole.UserRole + 5


class Column(IntEnum):
    NAME = 0
    COMPANY = 1
    LAST_CONTACT = 2
    DUE = 3


PAGE = 250  # rows read at a time in name order when scrolling
FIRST_PAGE = 100  # rows read by a reload (start, filter keystroke): the list shows ~30-60;
# the view fetches more (PAGE at a time) while its viewport is not full or scrolls to the end
COMPANY_FROM = 470  # px of panel width under which the company column hides
SORT_KEYS = {Column.NAME: "name", Column.LAST_CONTACT: "last_contact", Column.DUE: "due"}


def negative_colour(palette: QPalette) -> QColor:
    """A red that reads on the palette's base colour (light or dark theme)."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    return QColor("#ff7b72") if dark else QColor("#b3261e")


@cache
def _header_texts() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(titles, tooltips) of the columns, translated once: the header asks for them on
    every repaint of the list, five ``tr`` calls each time."""
    return ((words.tr("Name"), words.tr("Company"), words.tr("Last"), words.tr("Due")),
            (words.tr("Sort by name"), words.tr("Sort by company"),
             words.tr("Last contact: sort by it"), words.tr("Next contact due: sort by it")))


_ROW_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
              | Qt.ItemFlag.ItemNeverHasChildren)
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole,
                    Qt.ItemDataRole.AccessibleTextRole, *Role})


class CustomerListModel(QAbstractTableModel):
    """Customers matching the filter, in the chosen order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CustomerRow] = []
        self._more = False  # name order: more pages to fetch
        self._query = ""
        self._column = Column.NAME
        self._order = Qt.SortOrder.AscendingOrder
        self.today = clock.today()
        self.overdue_colour = QColor("#b3261e")
        self._loaded = False  # until the first reload, sort() only records the order

    # --- loading -----------------------------------------------------------------------

    def set_query(self, query: str) -> None:
        self._query = query
        self.reload()

    @property
    def query(self) -> str:
        return self._query

    def reload(self) -> None:
        """Re-run the core's query (filter + sort) and reset."""
        more = False
        if self._column == Column.NAME:
            rows = self._page(0, FIRST_PAGE)
            more = len(rows) > FIRST_PAGE
            rows = rows[:FIRST_PAGE]
        else:
            rows = customers.list_rows(self._query, sort=SORT_KEYS.get(self._column, "name"))
        if self._column == Column.COMPANY:
            from ..core.text import fold

            rows = tuple(sorted(rows, key=lambda r: (r.company == "", fold(r.company))))
        elif self._column == Column.LAST_CONTACT:
            rows = rows[::-1]  # the core gives newest first; ascending means oldest first
        if self._order == Qt.SortOrder.DescendingOrder and self._column != Column.NAME:
            rows = rows[::-1]
        self.beginResetModel()
        self.today = clock.today()
        self._rows = list(rows)
        self._more = more
        self._loaded = True
        self.endResetModel()

    def _page(self, offset: int, size: int = PAGE) -> tuple[CustomerRow, ...]:
        """``size`` + 1 rows in name order from ``offset`` (the extra one says more follow)."""
        return customers.list_rows(self._query, sort="name", limit=size + 1, offset=offset,
                                   descending=self._order == Qt.SortOrder.DescendingOrder)

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index, size: int = PAGE) -> None:  # noqa: N802
        if parent.isValid() or not self._more:
            return
        page = self._page(len(self._rows), size)
        self._more = len(page) > size
        page = page[:size]
        if not page:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in tuple(Column):
            return
        self._column, self._order = Column(column), order
        if self._loaded:  # the view sets its sort indicator before the first load
            self.reload()

    def row_of(self, customer_id: int) -> int:
        """The row of a customer among the rows loaded so far (-1: not loaded, or filtered
        out)."""
        for i, row in enumerate(self._rows):
            if row.id == customer_id:
                return i
        return -1

    def load_until(self, customer_id: int, most: int = 20_000) -> int:
        """The customer's row, reading further pages until it is loaded (at most ``most``
        rows: a customer opened from Today or the palette gets highlighted in the list).

        Each read doubles in size: a page's OFFSET makes SQLite step over every row before
        it, so fixed pages would cost the square of the distance (a second at 20,000 rows).
        """
        row = self.row_of(customer_id)
        size = PAGE
        while row < 0 and self._more and len(self._rows) < most:
            start = len(self._rows)
            self.fetchMore(QModelIndex(), size)
            size = min(size * 2, most)
            row = next((i for i in range(start, len(self._rows))
                        if self._rows[i].id == customer_id), -1)
        return row

    def customer_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    # --- Qt model API ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _header_texts()[0][section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _header_texts()[1][section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Asked some 200 times per click: combining three Python enum flags each time cost
        # more than the rest of the call.
        return _ROW_FLAGS if index.isValid() else _NO_FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None  # painting asks ~10 roles per cell: answer the others at once
        row, column = self._rows[index.row()], index.column()
        overdue = row.overdue(self.today)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, overdue)
        if role == Qt.ItemDataRole.ForegroundRole and overdue and column == Column.DUE:
            return self.overdue_colour
        if role == Qt.ItemDataRole.FontRole and overdue and column == Column.DUE:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self._display(row, column)} {self._tooltip(row, overdue)}"
        return self._named(row, role, overdue)

    @staticmethod
    def _named(row: CustomerRow, role: int, overdue: bool) -> Any:
        if role == Role.CUSTOMER_ID:
            return row.id
        if role == Role.OVERDUE:
            return overdue
        if role == Role.KEY_CLIENT:
            return row.key_client
        if role == Role.DUE:
            return row.due
        if role == Role.LAST_TALKED:
            return row.last_talked
        return None

    def _display(self, row: CustomerRow, column: int) -> str:
        if column == Column.NAME:
            return f"{row.full_name}  ★" if row.key_client else row.full_name
        if column == Column.COMPANY:
            return row.company
        if column == Column.LAST_CONTACT:
            return words.short_ago(row.last_talked, self.today)
        if column == Column.DUE:
            text = words.short_due(row.due, self.today)
            return f"⚠ {text}" if row.overdue(self.today) else text
        return ""

    def _tooltip(self, row: CustomerRow, overdue: bool) -> str:
        parts = [row.full_name + (f" ({row.company})" if row.company else "")]
        if row.key_client:
            parts.append(words.tr("Key client"))
        if row.last_talked:
            parts.append(words.fmt("Last talked {day}", day=words.day(row.last_talked)))
        if row.due:
            parts.append(words.days_until((row.due - self.today).days))
        return " · ".join(parts)

    def roleNames(self) -> dict[int, bytes]:  # noqa: N802
        names = dict(super().roleNames())
        names.update({int(r): r.name.lower().encode() for r in Role})
        return names
