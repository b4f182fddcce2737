"""The customer list: a filter field, a table of customers, and the Today entry above it.

The model holds ids and display tuples from ``customers.list_rows``. Filtering (the fold of
DESIGN.md §6, done by the core) and sorting re-query and reset the model: no proxy model.
In name order (the default) rows come a page at a time (``canFetchMore``/``fetchMore``),
so 100,000 customers fill the list as fast as 200 and every filter keystroke reads one page.
The panel reads its first page once, after the table is set up: setting the sort indicator
only records the order until then (the list is on the first paint; issue 9).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core import clock, customers
from ..core.changes import Changes, Kind
from ..core.customers import CustomerRow
from . import words
from .bus import EventBus

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
            return (words.tr("Name"), words.tr("Company"), words.tr("Last"),
                    words.tr("Due"))[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (words.tr("Sort by name"), words.tr("Sort by company"),
                    words.tr("Last contact: sort by it"), words.tr("Next contact due: sort by it")
                    )[section]
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


class CustomerTable(QTableView):
    """Arrow keys move; Enter (or a click) opens the current customer."""

    activated_customer = Signal(int)
    """A customer was chosen (Enter, click, or moving the selection)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            cid = index.data(Role.CUSTOMER_ID) if index.isValid() else None
            if cid is not None:
                self.activated_customer.emit(int(cid))
            event.accept()
            return
        super().keyPressEvent(event)


class CustomerListPanel(QWidget):
    """Today entry, filter field and customer table; speaks through signals only."""

    customer_chosen = Signal(int)
    """The user opened a customer from the list."""

    today_requested = Signal()
    """The user asked for the Today view."""

    def __init__(self, bus: EventBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bus = bus
        self._quiet = False
        self.today_button = QPushButton(words.tr("Today — who to call"), self)
        self.today_button.setObjectName("todayButton")
        self.today_button.setToolTip(words.tr("Who to call today, and why (Ctrl+T)"))
        self.today_button.clicked.connect(self.today_requested)
        self.search = QLineEdit(self)
        self.search.setObjectName("customerSearch")
        self.search.setPlaceholderText(words.tr("Find a customer (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(words.tr("Find a customer"))
        self.model = CustomerListModel(self)
        self.model.overdue_colour = negative_colour(self.palette())
        self.table = CustomerTable(self)
        self.table.setObjectName("customerList")
        self.table.setAccessibleName(words.tr("Customers"))
        self.table.setModel(self.model)
        self._setup_table()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.today_button)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._open_current_or_first)
        self.search.installEventFilter(self)
        self.table.activated_customer.connect(self.customer_chosen)
        self.table.clicked.connect(self._clicked)
        self.table.selectionModel().currentRowChanged.connect(self._moved)
        bus.changed.connect(self._on_changed)
        self.model.reload()

    def _setup_table(self) -> None:
        t = self.table
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSortingEnabled(True)
        t.horizontalHeader().setSortIndicator(Column.NAME, Qt.SortOrder.AscendingOrder)
        t.verticalHeader().hide()
        t.setShowGrid(False)
        t.setAlternatingRowColors(True)
        t.setWordWrap(False)
        t.setTabKeyNavigation(False)
        header = t.horizontalHeader()
        for col in (Column.NAME, Column.COMPANY):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        # Fixed widths that fit the longest text these columns can show: ResizeToContents
        # would call data() on every loaded row after each filter keystroke.
        bold = QFont(t.font())
        bold.setBold(True)
        bold_fm = QFontMetrics(bold)
        samples = {
            Column.LAST_CONTACT: [words.tr("never"), words.tr("today"),
                                  words.tr("%n d ago", 9999)],
            Column.DUE: ["⚠ " + words.tr("overdue %n d", 9999), words.tr("in %n d", 9999),
                         words.tr("today")],
        }
        for col, texts in samples.items():
            title = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            width = max([bold_fm.horizontalAdvance(x) for x in texts] +
                        [header.fontMetrics().horizontalAdvance(title) + 24])
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            t.setColumnWidth(col, width + 16)
        t.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header.setHighlightSections(False)
        t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 10)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        # A narrow list keeps name, last contact and due; the company is in the tooltip.
        self.table.setColumnHidden(Column.COMPANY, self.width() < COMPANY_FROM)

    # --- behaviour ---------------------------------------------------------------------

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802
        if watched is self.search and isinstance(event, QKeyEvent) and \
                event.type() == QKeyEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            self.table.setFocus()
            if not self.table.currentIndex().isValid() and self.model.rowCount():
                self.table.setCurrentIndex(self.model.index(0, 0))
            return True
        return super().eventFilter(watched, event)

    def _filter(self, text: str) -> None:
        # A keystroke keeps the open customer highlighted only when the first page lists
        # them: reading on until they show up (up to 20,000 rows) took a second at 100,000.
        self._reload(lambda: self.model.set_query(text), read_on=False)

    def _reload(self, action: Any = None, *, read_on: bool = True) -> None:
        """Reload keeping the current customer selected, without re-opening it; ``read_on``:
        read further pages when they are not on the first one."""
        current = self.current_customer()
        self._quiet = True
        try:
            (action or self.model.reload)()
            if current is not None:
                self.select(current, read_on=read_on)
        finally:
            self._quiet = False

    def _on_changed(self, changes: Changes) -> None:
        if changes.concerns(None, Kind.CUSTOMER, Kind.CONVERSATION) or \
                Kind.SETTING in changes.kinds:
            self._reload()

    def _open_current_or_first(self) -> None:
        index = self.table.currentIndex()
        row = index.row() if index.isValid() else 0
        cid = self.model.customer_id(row)
        if cid is not None:
            self.select(cid)
            self.customer_chosen.emit(cid)

    def _clicked(self, index: QModelIndex) -> None:
        cid = index.data(Role.CUSTOMER_ID)
        if cid is not None:
            self.customer_chosen.emit(int(cid))

    def _moved(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid() or not self.table.hasFocus():
            return
        cid = current.data(Role.CUSTOMER_ID)
        if cid is not None:
            self.customer_chosen.emit(int(cid))

    def current_customer(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(Role.CUSTOMER_ID) if index.isValid() else None

    def select(self, customer_id: int | None, *, read_on: bool = True) -> bool:
        """Make ``customer_id`` the current row (no signal); False when it is not listed
        (``read_on``: reading further pages to find them, else among the rows loaded)."""
        current = self.table.currentIndex()
        if customer_id is not None and current.isValid() and \
                self.model.customer_id(current.row()) == customer_id and \
                self.table.selectionModel().isSelected(current):
            return True  # the row clicked or moved to: already current and in view
        if customer_id is None:
            row = -1
        else:
            row = (self.model.load_until(customer_id) if read_on
                   else self.model.row_of(customer_id))
        self._quiet, was = True, self._quiet
        try:
            if row < 0:
                self.table.clearSelection()
                return False
            index = self.model.index(row, 0)
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
            return True
        finally:
            self._quiet = was

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
