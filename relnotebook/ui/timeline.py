"""The timeline: a customer's conversations, newest first, loaded a page at a time.

The model holds ``ConversationView`` tuples and loads them lazily (``canFetchMore`` /
``fetchMore``, pages of 100), so a customer with thousands of conversations opens at once.
The delegate (``timeline_paint``) paints a row (date, channel, length, who talked, topics as
chips, summary) and, when expanded, the whole note as Markdown. Edit and delete go through the
undo stack.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
)
from PySide6.QtGui import (
    QAction,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QMenu,
    QWidget,
)

from ..core import conversations
from ..core.changes import Changes, Kind
from ..core.conversations import ConversationView
from . import words
from .bus import EventBus
from .timeline_paint import PAD, Role, TimelineDelegate, describe
from .undo import DeleteConversation, EditConversation

PAGE = 50  # rows read per fetchMore, on scroll
FIRST_PAGE = 20  # rows read when a customer is opened: two screens (the rest on scroll);
# read and worded on every customer click, so 50 cost more than the screen shows
Index = QModelIndex | QPersistentModelIndex


class TimelineModel(QAbstractListModel):
    """One customer's conversations (as main customer or one of others present)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.customer_id: int | None = None
        self._rows: list[ConversationView] = []
        self._total = 0
        self._expanded: set[int] = set()

    def set_customer(self, customer_id: int | None) -> None:
        """Show ``customer_id``: the count and the first page, read inside one reset (one
        relayout of the view, not a reset and then an insertion)."""
        self.beginResetModel()
        self.customer_id = customer_id
        self._rows, self._expanded = [], set()
        self._total = 0
        if customer_id is not None:
            self._total = conversations.count_for(customer_id)
            if self._total:
                self._rows = list(conversations.timeline(customer_id, limit=FIRST_PAGE))
        self.endResetModel()

    def reload(self) -> None:
        """Re-read as many rows as were loaded (at least a page); expanded rows stay open."""
        if self.customer_id is None:
            return
        wanted = max(FIRST_PAGE, len(self._rows))
        self.beginResetModel()
        self._total = conversations.count_for(self.customer_id)
        self._rows = list(conversations.timeline(self.customer_id, limit=wanted, offset=0))
        self.endResetModel()

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if parent.isValid() or self.customer_id is None:
            return
        page = conversations.timeline(self.customer_id, limit=PAGE, offset=len(self._rows))
        if not page:
            self._total = len(self._rows)
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    @property
    def total(self) -> int:
        return self._total

    def expanded_ids(self) -> frozenset[int]:
        """The conversations whose whole note is shown."""
        return frozenset(self._expanded)

    def conversation(self, row: int) -> ConversationView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, conversation_id: int) -> int:
        return next((i for i, c in enumerate(self._rows) if c.id == conversation_id), -1)

    def toggle(self, index: Index) -> None:
        conv = self.conversation(index.row()) if index.isValid() else None
        if conv is None:
            return
        self._expanded ^= {conv.id}
        self.dataChanged.emit(index, index, [Role.EXPANDED])

    def expand(self, index: Index) -> None:
        """Open a row's whole note (an open one stays open)."""
        conv = self.conversation(index.row()) if index.isValid() else None
        if conv is not None and conv.id not in self._expanded:
            self.toggle(index)

    def load_until(self, conversation_id: int) -> int:
        """Fetch pages until ``conversation_id`` is loaded; its row, or -1."""
        while self.row_of(conversation_id) < 0 and self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())
        return self.row_of(conversation_id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else _NO_FLAGS  # no enum arithmetic per call

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every painted or measured row: answer without building
        # anything for the roles this model has nothing for.
        getter = _ROLES.get(role)
        conv = self.conversation(index.row()) if getter is not None and index.isValid() \
            else None
        return None if conv is None else getter(self, conv)

    def roleNames(self) -> dict[int, bytes]:  # noqa: N802
        names = dict(super().roleNames())
        names.update({int(r): r.name.lower().encode() for r in Role})
        return names


def _tip(_model: TimelineModel, _conv: ConversationView) -> str:
    return words.tr("Click, Enter or Space: read the whole note. "
                    "F2: edit. Delete: delete (undoable).")


_ROW_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
              | Qt.ItemFlag.ItemNeverHasChildren)
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_ROLES: dict[int, Any] = {  # role -> what the model answers for a conversation
    int(Qt.ItemDataRole.DisplayRole): lambda m, c: describe(c),
    int(Qt.ItemDataRole.AccessibleTextRole): lambda m, c: describe(c),
    int(Qt.ItemDataRole.ToolTipRole): _tip,
    int(Role.CONVERSATION_ID): lambda m, c: c.id,
    int(Role.CONVERSATION): lambda m, c: c,
    int(Role.EXPANDED): lambda m, c: c.id in m._expanded,
    int(Role.REACHED): lambda m, c: c.reached,
    int(Role.TOPICS): lambda m, c: list(c.topics),
    int(Role.BODY): lambda m, c: c.body,
}


class TimelineView(QListView):
    """The timeline list: click/Enter/Space expands, F2 edits, Delete deletes (undoable)."""

    def __init__(self, bus: EventBus, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setAccessibleName(words.tr("Conversations"))
        self.bus, self.undo_stack = bus, undo_stack
        self.timeline_model = TimelineModel(self)
        self.setModel(self.timeline_model)
        self.delegate = TimelineDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.clicked.connect(self.timeline_model.toggle)
        self.edit_action = self._action(words.tr("&Edit conversation…"), self.edit_current,
                                        QKeySequence(Qt.Key.Key_F2))
        self.delete_action = self._action(words.tr("&Delete conversation"), self.delete_current,
                                          QKeySequence(QKeySequence.StandardKey.Delete))
        self.expand_action = self._action(words.tr("Show/hide the whole &note"),
                                          lambda: self.timeline_model.toggle(self.currentIndex()),
                                          QKeySequence(Qt.Key.Key_Space))
        self.timeline_model.modelReset.connect(self.delegate.clear)
        self.timeline_model.modelReset.connect(self._sync_uniform)
        self.timeline_model.dataChanged.connect(self._relayout)
        bus.changed.connect(self._on_changed)

    def _action(self, text: str, slot: Any, key: QKeySequence) -> QAction:
        action = QAction(text, self)
        action.setShortcut(key)
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def set_customer(self, customer_id: int | None) -> None:
        self.timeline_model.set_customer(customer_id)
        if self.timeline_model.rowCount():
            self.setCurrentIndex(self.timeline_model.index(0))
        self.scrollToTop()

    def reveal(self, conversation_id: int) -> bool:
        """Select, expand and scroll to a conversation (loading pages until it is there)."""
        model = self.timeline_model
        row = model.load_until(conversation_id)
        if row < 0:
            return False
        index = model.index(row)
        model.expand(index)
        self.setCurrentIndex(index)
        self.executeDelayedItemsLayout()  # the expanded row's height, before scrolling
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)
        return True

    def _on_changed(self, changes: Changes) -> None:
        cid = self.timeline_model.customer_id
        if cid is None or not changes.concerns(cid, Kind.CONVERSATION):
            return
        row = self.currentIndex().row()
        self.timeline_model.reload()
        count = self.timeline_model.rowCount()
        if count:
            self.setCurrentIndex(self.timeline_model.index(min(max(row, 0), count - 1)))

    def _relayout(self, *_args: Any) -> None:
        self._sync_uniform()
        self.scheduleDelayedItemsLayout()

    def _sync_uniform(self) -> None:
        """Rows are all one height until one is expanded: the view then lays out a page
        from the first row's size instead of asking the delegate for every row."""
        uniform = not self.timeline_model.expanded_ids()
        if self.uniformItemSizes() != uniform:
            self.setUniformItemSizes(uniform)

    def current_conversation(self) -> ConversationView | None:
        index = self.currentIndex()
        return self.timeline_model.conversation(index.row()) if index.isValid() else None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.timeline_model.toggle(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def delete_current(self) -> None:
        conv = self.current_conversation()
        if conv is not None:
            self.undo_stack.push(DeleteConversation(self.bus, self.window(), conv.id,
                                                    conv.summary))

    def edit_current(self) -> None:
        conv = self.current_conversation()
        if conv is None:
            return
        from .conversation_dialog import ConversationDialog

        dialog = ConversationDialog(conv, self.window())
        if dialog.exec() and dialog.changes():
            body, fields = dialog.changes()
            self.undo_stack.push(EditConversation(self.bus, self.window(), conv.id, body,
                                                  **fields))

    def _menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        if not index.isValid():
            return
        self.setCurrentIndex(index)
        menu = QMenu(self)
        menu.addAction(self.expand_action)
        menu.addSeparator()
        menu.addAction(self.edit_action)
        menu.addAction(self.delete_action)
        menu.exec(self.viewport().mapToGlobal(pos))

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.timeline_model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            text = (words.tr("No conversations yet. Log one in the note editor.")
                    if self.timeline_model.customer_id is not None
                    else words.tr("Choose a customer to see their conversations."))
            painter.drawText(self.viewport().rect().adjusted(PAD, PAD, -PAD, -PAD),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop |
                             Qt.TextFlag.TextWordWrap, text)

