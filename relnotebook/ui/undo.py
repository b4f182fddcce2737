"""Undoable window actions: thin ``QUndoCommand``s around core calls.

Each command calls one core service in ``redo``/``undo`` and publishes the returned
``Changes`` on the bus, so every panel refreshes as after any other write. The core returns
what undo needs (the previous ``done_at``, the ``ConversationState`` of a deleted or edited
conversation), so a command holds values, never widgets or model instances. A failure on
the first ``redo`` shows the error and marks the command obsolete, so the stack drops it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from ..core import conversations, followups
from ..core.changes import Changes
from ..core.clock import utc_now
from . import words
from .bus import EventBus
from .errors import guarded


class _CoreCommand(QUndoCommand):
    def __init__(self, bus: EventBus, parent_widget: QWidget | None, text: str) -> None:
        super().__init__(text)
        self.bus = bus
        self.parent_widget = parent_widget

    def _run(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        result = guarded(self.parent_widget, func, *args, **kwargs)
        if result is None:
            self.setObsolete(True)
        return result

    def _publish(self, changes: Changes) -> None:
        self.bus.publish(changes)


class SetFollowUpDone(_CoreCommand):
    """Tick (``done=True``) or untick a follow-up; undo puts the previous state back."""

    def __init__(self, bus: EventBus, parent_widget: QWidget | None, followup_id: int,
                 done: bool = True, text: str = "") -> None:
        label = words.tr("Tick off follow-up") if done else words.tr("Reopen follow-up")
        super().__init__(bus, parent_widget, label + (f" “{text}”" if text else ""))
        self.followup_id = followup_id
        self.moment: datetime | None = utc_now() if done else None
        self.previous: datetime | None = None

    def redo(self) -> None:
        result = self._run(followups.set_done, self.followup_id, self.moment)
        if result is not None:
            self.previous, changes = result
            self._publish(changes)

    def undo(self) -> None:
        result = self._run(followups.set_done, self.followup_id, self.previous)
        if result is not None:
            self._publish(result[1])


class SetQuestionAsked(_CoreCommand):
    """Tick a question off as asked (or not); undo puts the previous state back."""

    def __init__(self, bus: EventBus, parent_widget: QWidget | None, question_id: int,
                 asked: bool = True, text: str = "") -> None:
        label = words.tr("Tick off question") if asked else words.tr("Reopen question")
        super().__init__(bus, parent_widget, label + (f" “{text}”" if text else ""))
        self.question_id = question_id
        self.moment: datetime | None = utc_now() if asked else None
        self.previous: datetime | None = None

    def redo(self) -> None:
        result = self._run(followups.set_asked, self.question_id, self.moment)
        if result is not None:
            self.previous, changes = result
            self._publish(changes)

    def undo(self) -> None:
        result = self._run(followups.set_asked, self.question_id, self.previous)
        if result is not None:
            self._publish(result[1])


class EditConversation(_CoreCommand):
    """Change a logged conversation (body and/or fields); undo reverts to the old graph."""

    def __init__(self, bus: EventBus, parent_widget: QWidget | None, conversation_id: int,
                 body: str | None = None, **fields: Any) -> None:
        super().__init__(bus, parent_widget, words.tr("Edit conversation"))
        self.conversation_id = conversation_id
        self.body = body
        self.fields = fields
        self.other: conversations.ConversationState | None = None  # what undo/redo puts back
        self.logged: conversations.Logged | None = None

    def redo(self) -> None:
        if self.other is None:
            logged = self._run(conversations.edit, self.conversation_id, self.body,
                               **self.fields)
            if logged is not None:
                self.logged = logged
                self.other = logged.before
                self._publish(logged.changes)
            return
        self._swap()

    def undo(self) -> None:
        self._swap()

    def _swap(self) -> None:
        if self.other is None:
            return
        result = self._run(conversations.revert, self.other)
        if result is not None:
            self.other, changes = result
            self._publish(changes)


class DeleteConversation(_CoreCommand):
    """Delete a conversation and what its note produced; undo puts it all back."""

    def __init__(self, bus: EventBus, parent_widget: QWidget | None, conversation_id: int,
                 summary: str = "") -> None:
        label = words.tr("Delete conversation")
        super().__init__(bus, parent_widget, label + (f" “{summary[:40]}”" if summary else ""))
        self.conversation_id = conversation_id
        self.state: conversations.ConversationState | None = None

    def redo(self) -> None:
        result = self._run(conversations.delete, self.conversation_id)
        if result is not None:
            self.state, changes = result
            self._publish(changes)

    def undo(self) -> None:
        if self.state is None:
            return
        changes = self._run(conversations.put_back, self.state)
        if changes is not None:
            self._publish(changes)
