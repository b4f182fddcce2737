"""The Ctrl+K palette: search everything a rep ever wrote (DESIGN.md §7, issue 6).

A frameless popup over the window: a line edit on top, the newest 50 hits underneath. From
the second character typed the results follow every keystroke: the query runs on the
keystroke itself (the core answers in 3-10 ms at 1,000 customers); only after a query slower
than ``FAST_MS`` are keystrokes coalesced, by a ``DEBOUNCE_MS`` timer. Up/Down move the selection
while the focus stays in the line edit; Enter (or a click) opens the hit and closes; Escape
closes. Nothing typed can show an error: the core never raises on a query, and anything else
is logged and shown as "no results".

Opening a hit goes through the bus: a customer hit asks for the customer
(``customer_opened``); a conversation, or a record noted in one, reveals that conversation
(``reveal_requested(customer, "conversation", id)``); a record then reveals itself
(``reveal_requested(customer, kind, id)``) so the brief can point at it.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from ..core import search
from ..core.changes import Kind
from ..core.search import Hit
from . import words
from .bus import EventBus
from .search_paint import PAD, HitDelegate, HitRole, kind_word

log = logging.getLogger("relnotebook.ui")
Index = QModelIndex | QPersistentModelIndex
LIMIT = 50
MIN_CHARS = 2
DEBOUNCE_MS = 40  # only when the last query was slow
FAST_MS = 25.0  # a query faster than this runs on the keystroke itself
VISIBLE_ROWS = 8


class SearchResultsModel(QAbstractListModel):
    """The hits of the last query, newest first (a reset per query)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: tuple[Hit, ...] = ()

    def set_hits(self, hits: tuple[Hit, ...]) -> None:
        self.beginResetModel()
        self._hits = tuple(hits)
        self.endResetModel()

    def hit(self, row: int) -> Hit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._hits)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        hit = self.hit(index.row()) if index.isValid() else None
        if hit is None:
            return None
        if role == HitRole.HIT:  # what the delegate asks for, first
            return hit
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            when = "" if hit.kind is Kind.CUSTOMER else f" — {words.day(hit.day)}"
            return f"{hit.label} — {kind_word(hit.kind)}{when} — {hit.text}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.text
        return {
            HitRole.HIT: hit, HitRole.KIND: str(hit.kind), HitRole.CUSTOMER_ID: hit.customer_id,
            HitRole.RECORD_ID: hit.ref_id, HitRole.CONVERSATION_ID: hit.conversation_id,
            HitRole.LABEL: hit.label, HitRole.SNIPPET: hit.text, HitRole.SPANS: list(hit.spans),
            HitRole.DAY: hit.day.isoformat(),
        }.get(role)  # type: ignore[call-overload]

    def roleNames(self) -> dict[int, bytes]:  # noqa: N802
        names = dict(super().roleNames())
        names.update({int(r): r.name.lower().encode() for r in HitRole})
        return names


class _Frame(QFrame):
    """The popup's edge: a one-pixel line in the palette's Mid colour (a style sheet would
    route all painting in the popup through QStyleSheetStyle: 3x slower per keystroke)."""

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()


class SearchPalette(QDialog):
    """Ctrl+K: type two letters or more, arrows choose, Enter opens, Escape closes."""

    opened = Signal(object)
    """Emitted with the ``Hit`` the user opened (after the bus signals)."""

    searched = Signal(str, int)
    """Emitted after each query with the text searched and the number of hits shown."""

    def __init__(self, bus: EventBus, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("searchPalette")
        self.setAccessibleName(words.tr("Search everything"))
        self.bus = bus
        self.last_ms = 0.0
        self.searched_text: str | None = None  # the text the shown results are for
        frame = _Frame(self)
        frame.setObjectName("searchPaletteFrame")
        self.edit = QLineEdit(frame)
        self.edit.setObjectName("searchPaletteField")
        self.edit.setAccessibleName(words.tr("Search everything"))
        self.edit.setPlaceholderText(words.tr("Search names, notes, details, follow-ups…"))
        self.edit.setClearButtonEnabled(True)
        font = self.edit.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.edit.setFont(font)
        self.model = SearchResultsModel(self)
        self.results = QListView(frame)
        self.results.setObjectName("searchPaletteResults")
        self.results.setAccessibleName(words.tr("Search results"))
        self.results.setModel(self.model)
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.setUniformItemSizes(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setFrameShape(QFrame.Shape.NoFrame)
        self.results.clicked.connect(lambda index: self.open_row(index.row()))
        self.hint = QLabel(frame)
        self.hint.setObjectName("searchPaletteHint")
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hint.setContentsMargins(PAD, PAD // 2, PAD, PAD // 2)
        box = QVBoxLayout(frame)
        box.setContentsMargins(PAD, PAD, PAD, PAD)
        box.setSpacing(PAD // 2)
        box.addWidget(self.edit)
        box.addWidget(self.results)
        box.addWidget(self.hint)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSizeConstraint(QVBoxLayout.SizeConstraint.SetFixedSize)  # fits its content
        outer.addWidget(frame)
        self.frame = frame
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_query)
        self.edit.textChanged.connect(self._typed)
        self.edit.installEventFilter(self)
        bus.changed.connect(self._on_changed)
        self._show_state()

    # --- showing -------------------------------------------------------------------------

    def popup(self) -> None:
        """Show over the parent window, the last query selected (typing replaces it)."""
        self._place()
        self.show()
        self.raise_()
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)
        self.edit.selectAll()
        self.searched_text = None
        self.run_query()

    def _place(self) -> None:
        host = self.parentWidget().window() if self.parentWidget() else None
        if host is None:
            self.frame.setFixedWidth(640)
            return
        width = max(420, min(760, host.width() * 60 // 100))
        self.frame.setFixedWidth(min(width, max(host.width() - 16, 240)))
        self.layout().activate()
        top_left = host.mapToGlobal(QPoint(0, 0))
        self.move(top_left.x() + (host.width() - self.width()) // 2,
                  top_left.y() + max(40, host.height() // 9))

    def _show_state(self) -> None:
        """The list when there are hits, else a hint; the popup grows to fit."""
        count, typed = self.model.rowCount(), self.edit.text().strip()
        if count:
            row_h = self.results.sizeHintForRow(0)
            self.results.setFixedHeight(min(count, VISIBLE_ROWS) * row_h + 2)
            tail = words.tr("The %n newest are shown; type more to narrow them down.",
                            LIMIT) if count >= LIMIT else ""
            self.hint.setText(tail)
        elif len(typed) < MIN_CHARS:
            self.hint.setText(words.tr("Type two letters or more to search every name, note, "
                                       "detail and follow-up."))
        else:
            shown = typed if len(typed) <= 40 else typed[:39] + "…"
            self.hint.setText(words.fmt("No notes mention “{query}”.", query=shown))
        self.results.setVisible(bool(count))
        self.hint.setVisible(bool(self.hint.text()))
        self.layout().activate()

    # --- searching -----------------------------------------------------------------------

    def _typed(self, _text: str) -> None:
        if len(self.edit.text().strip()) < MIN_CHARS or self.last_ms < FAST_MS:
            self.timer.stop()
            self.run_query()
        else:
            self.timer.start()

    def run_query(self) -> None:
        """Search for the line edit's text now (nothing below two characters)."""
        self.timer.stop()
        text = self.edit.text()
        if text == self.searched_text:
            return
        self.searched_text = text
        hits: tuple[Hit, ...] = ()
        if len(text.strip()) >= MIN_CHARS:
            started = time.perf_counter()
            try:
                hits = search.search(text, LIMIT)
            except Exception:  # noqa: BLE001 - a search never shows an error; the log has it
                log.exception("search for %r failed", text)
            self.last_ms = (time.perf_counter() - started) * 1000
        self.model.set_hits(hits)
        if hits:
            self.results.setCurrentIndex(self.model.index(0))
        self._show_state()
        self.searched.emit(text, len(hits))

    def _on_changed(self, _changes: Any) -> None:
        if self.isVisible():
            self.searched_text = None
            self.run_query()

    # --- keys and opening ----------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self._key(event.key()):
                return True
        return super().eventFilter(watched, event)

    def _key(self, key: int) -> bool:
        steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1,
                 Qt.Key.Key_PageDown: VISIBLE_ROWS, Qt.Key.Key_PageUp: -VISIBLE_ROWS}
        if key in steps:
            self.move_selection(steps[Qt.Key(key)])
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.run_query()  # a debounced query is answered before opening
            self.open_row(max(self.results.currentIndex().row(), 0))
            return True
        return False

    def move_selection(self, step: int) -> None:
        count = self.model.rowCount()
        if not count:
            return
        row = self.results.currentIndex().row()
        row = max(0, min(count - 1, row + step))  # no current row (-1): Down picks the first
        index = self.model.index(row)
        self.results.setCurrentIndex(index)
        self.results.scrollTo(index)

    def current_hit(self) -> Hit | None:
        return self.model.hit(self.results.currentIndex().row())

    def open_row(self, row: int) -> None:
        """Close and show the hit of ``row`` in the window (nothing when there is none)."""
        hit = self.model.hit(row)
        if hit is None:
            return
        self.accept()
        if hit.kind is Kind.CUSTOMER:
            self.bus.customer_opened.emit(hit.customer_id)
        else:
            if hit.conversation_id is not None:
                self.bus.reveal_requested.emit(hit.customer_id, str(Kind.CONVERSATION),
                                               hit.conversation_id)
            if hit.kind is not Kind.CONVERSATION:
                self.bus.reveal_requested.emit(hit.customer_id, str(hit.kind), hit.ref_id)
        self.opened.emit(hit)
