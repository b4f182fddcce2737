"""The customer list: a filter field, a table of customers, and the Today entry above it.

The model (``customer_model``) reads a page at a time in name order. The panel reads its
first page once, after the table is set up: setting the sort indicator only records the
order until then (the list is on the first paint; issue 9).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.changes import Changes, Kind
from . import words
from .bus import EventBus
from .customer_model import COMPANY_FROM, Column, CustomerListModel, Role, negative_colour


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
