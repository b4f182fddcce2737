"""Notes that were not logged, or no longer are, come back as drafts (DESIGN.md §8).

- ``offer_recovery(parent, bus)``: at start, the drafts left over (in the notebook or in
  fallback files) are listed with their customer, time and first line; each can be opened in
  the editor, discarded, or kept for later. Never silently dropped.
- ``LogConversationCommand``: the undo step of logging a note. Undo deletes the conversation
  and, when the customer has no draft, puts the note back as their draft, so an undone log
  followed by other work (which drops the redo) still loses no text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import drafts
from ..core.clock import to_local
from ..core.conversations import Logged
from ..core.drafts import DraftView
from . import words
from .bus import EventBus
from .errors import guarded
from .undo import DeleteConversation

if TYPE_CHECKING:
    from .note_editor import NoteEditor

_log = logging.getLogger(__name__)
DRAFT_ROLE = Qt.ItemDataRole.UserRole + 1


class LogConversationCommand(DeleteConversation):
    """"Log conversation" on the undo stack: the reverse of deleting it (module docstring)."""

    def __init__(self, editor: NoteEditor, logged: Logged) -> None:
        super().__init__(editor.bus, editor, logged.conversation.id)
        self.setText(words.tr("Log conversation"))
        self.editor = editor
        self.customer_id = logged.conversation.customer_id
        self.body = logged.conversation.body
        self.logged_now = True  # QUndoStack.push() calls redo(): the note is already logged
        self.drafted = False  # undo put the note back as the customer's draft

    def redo(self) -> None:
        if self.logged_now:
            self.logged_now = False
            return
        super().undo()  # put the conversation back
        if self.drafted:
            self.drafted = False
            guarded(self.editor, self._drop_draft)

    def undo(self) -> None:
        super().redo()  # delete the conversation
        if self.state is not None:
            guarded(self.editor, self._keep_as_draft)

    def _keep_as_draft(self) -> None:
        if drafts.get(self.customer_id) is None:
            self.drafted = drafts.save(self.customer_id, self.body).safe
            self.editor.reload_if_idle(self.customer_id)

    def _drop_draft(self) -> None:
        draft = drafts.get(self.customer_id)
        if draft is not None and draft.body == self.body:
            drafts.discard(self.customer_id)
            self.editor.reload_if_idle(self.customer_id)


def _ask(parent: QWidget, question: str) -> bool:
    answer = QMessageBox.question(parent, words.tr("Discard draft"), question)
    return answer == QMessageBox.StandardButton.Yes


class DraftRecoveryDialog(QDialog):
    """The drafts left over, with Open / Discard / Keep for later. Built without blocking;
    ``offer_recovery`` runs it. ``ask`` confirms a discard (tests replace it)."""

    def __init__(self, bus: EventBus, parent: QWidget | None = None,
                 found: tuple[DraftView, ...] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftRecovery")
        self.setWindowTitle(words.tr("Unsaved notes"))
        self.bus = bus
        self.ask: Callable[[QWidget, str], bool] = _ask
        intro = QLabel(words.tr("These notes were not logged yet. Open one to continue it, "
                                "or keep them for later."), self, wordWrap=True)
        self.list = QTreeWidget(self, objectName="draftList", rootIsDecorated=False,
                                uniformRowHeights=True)
        self.list.setHeaderLabels([words.tr("Customer"), words.tr("Saved"),
                                   words.tr("First line")])
        self.list.currentItemChanged.connect(self._show_current)
        self.list.itemActivated.connect(self.open_current)
        self.text = QPlainTextEdit(self, readOnly=True, objectName="draftText")
        self.text.setMaximumHeight(160)
        buttons = QDialogButtonBox(self)
        self.open_button = QPushButton(words.tr("Open"), self, default=True)
        self.discard_button = QPushButton(words.tr("Discard…"), self)
        self.keep_button = QPushButton(words.tr("Keep for later"), self)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.open_button.clicked.connect(self.open_current)
        self.discard_button.clicked.connect(self.discard_current)
        self.keep_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.list, self.text, buttons):
            layout.addWidget(widget)
        self.resize(640, 420)
        self.refresh(found)

    def drafts(self) -> list[DraftView]:
        """The drafts listed, in order."""
        return [self.list.topLevelItem(i).data(0, DRAFT_ROLE)
                for i in range(self.list.topLevelItemCount())]

    def rows(self) -> list[tuple[str, str, str]]:
        """(customer, saved, first line) as shown."""
        return [tuple(self.list.topLevelItem(i).text(c) for c in range(3))
                for i in range(self.list.topLevelItemCount())]

    def refresh(self, found: tuple[DraftView, ...] | None = None) -> None:
        self.list.clear()
        for draft in drafts.pending() if found is None else found:
            name = draft.customer_name or words.tr("(no customer)")
            if draft.fallback_path is not None:
                name += " " + words.tr("(file)")
            saved = to_local(draft.saved_at).strftime("%Y-%m-%d %H:%M")
            item = QTreeWidgetItem(self.list, [name, saved, draft.first_line])
            item.setData(0, DRAFT_ROLE, draft)
            tip = str(draft.fallback_path) if draft.fallback_path else draft.first_line
            item.setToolTip(0, tip)
        for column in (0, 1):
            self.list.resizeColumnToContents(column)
        if self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self._show_current()

    def current(self) -> DraftView | None:
        item = self.list.currentItem()
        return item.data(0, DRAFT_ROLE) if item is not None else None

    def select(self, row: int) -> None:
        self.list.setCurrentItem(self.list.topLevelItem(row))

    def open_current(self) -> None:
        """Show the draft's customer (the editor loads their draft) and close the list."""
        draft = self.current()
        if draft is None or draft.customer_id is None:
            return
        self.bus.customer_opened.emit(draft.customer_id)
        self.accept()

    def discard_current(self) -> None:
        draft = self.current()
        if draft is None:
            return
        question = words.fmt('Discard the unsaved note for {name}, "{line}"? It cannot be '
                             "brought back.", name=draft.customer_name or words.tr("no one"),
                             line=draft.first_line[:60])
        if not self.ask(self, question):
            return
        if draft.fallback_path is not None:
            guarded(self, drafts.discard_fallback, draft.fallback_path)
        else:
            guarded(self, drafts.discard, draft.customer_id, files=False)
        self.refresh()
        if not self.list.topLevelItemCount():
            self.accept()

    def _show_current(self) -> None:
        draft = self.current()
        self.text.setPlainText(draft.body if draft else "")
        self.open_button.setEnabled(draft is not None and draft.customer_id is not None)
        self.discard_button.setEnabled(draft is not None)


def offer_recovery(parent: QWidget | None, bus: EventBus) -> None:
    """At start: when drafts are left over, list them and let the user choose (modal)."""
    found = guarded(parent, drafts.pending)
    if not found:
        return
    dialog = DraftRecoveryDialog(bus, parent, found)
    dialog.exec()
    dialog.deleteLater()
