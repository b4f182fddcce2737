"""Undo commands for what the customer card and the Today view change.

The card validates by calling the core service first (a ``ValidationError`` is shown beside
the field and nothing is pushed); only a write that succeeded is pushed, as a command that
already happened: its first ``redo`` (which ``QUndoStack.push`` calls) does nothing. Later
redos and undos call the core again and publish the ``Changes`` on the bus. The core hands
back what undo needs: an update's previous values, a delete's ``Snapshot``.

A failure while undoing or redoing (say, the record was erased meanwhile) is shown through
``errors.guarded`` and marks the command obsolete, so the stack drops it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import shiboken6
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication, QWidget

from ..core import followups
from ..core.changes import Changes
from ..core.snapshot import Snapshot
from . import words
from .bus import EventBus
from .errors import guarded

Update = Callable[..., tuple[Any, Changes]]
Delete = Callable[[int], tuple[Snapshot, Changes]]
Restore = Callable[[Snapshot], Changes]


class _CardCommand(QUndoCommand):
    def __init__(self, bus: EventBus, widget: QWidget | None, text: str,
                 done: bool = True) -> None:
        super().__init__(text)
        self.bus = bus
        self.widget = widget
        self._skip_redo = done  # pushed after the write: the first redo has happened

    def _call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        # The card that pushed this command may be closed by now: errors then go to the
        # active window.
        alive = self.widget is not None and shiboken6.isValid(self.widget)
        result = guarded(self.widget if alive else QApplication.activeWindow(), func, *args,
                         **kwargs)
        if result is None:
            self.setObsolete(True)
        return result

    def _publish(self, result: Any) -> Any:
        """Publish the ``Changes`` of a core result (a ``Changes`` or a pair ending in one)."""
        if result is not None:
            self.bus.publish(result if isinstance(result, Changes) else result[-1])
        return result

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._redo()

    def _redo(self) -> None:
        raise NotImplementedError


class EditRecord(_CardCommand):
    """``update(record_id, **after)`` happened; undo calls ``update(record_id, **before)``."""

    def __init__(self, bus: EventBus, widget: QWidget | None, text: str, update: Update,
                 record_id: int, before: dict[str, Any], after: dict[str, Any]) -> None:
        super().__init__(bus, widget, text)
        self.update, self.record_id = update, record_id
        self.before, self.after = dict(before), dict(after)

    def _redo(self) -> None:
        self._publish(self._call(self.update, self.record_id, **self.after))

    def undo(self) -> None:
        self._publish(self._call(self.update, self.record_id, **self.before))


class AddedRecord(_CardCommand):
    """A record (or a whole new customer) was added; undo deletes it, redo restores it."""

    def __init__(self, bus: EventBus, widget: QWidget | None, text: str, record_id: int,
                 delete: Delete, restore: Restore) -> None:
        super().__init__(bus, widget, text)
        self.record_id, self.delete, self.restore = record_id, delete, restore
        self.rows: Snapshot | None = None

    def _redo(self) -> None:
        if self.rows is not None:
            self._publish(self._call(self.restore, self.rows))

    def undo(self) -> None:
        result = self._publish(self._call(self.delete, self.record_id))
        if result is not None:
            self.rows = result[0]


class DeletedRecord(_CardCommand):
    """A record was deleted (``rows`` is its snapshot); undo restores it exactly."""

    def __init__(self, bus: EventBus, widget: QWidget | None, text: str, record_id: int,
                 rows: Snapshot, delete: Delete, restore: Restore) -> None:
        super().__init__(bus, widget, text)
        self.record_id, self.rows, self.delete, self.restore = record_id, rows, delete, restore

    def _redo(self) -> None:
        result = self._publish(self._call(self.delete, self.record_id))
        if result is not None:
            self.rows = result[0]

    def undo(self) -> None:
        self._publish(self._call(self.restore, self.rows))


class SnoozeFollowUp(_CardCommand):
    """Give a follow-up a new due date (runs on push); undo puts the previous one back."""

    def __init__(self, bus: EventBus, widget: QWidget | None, followup_id: int, due: date,
                 text: str = "") -> None:
        label = words.tr("Snooze follow-up")
        super().__init__(bus, widget, label + (f" “{text[:40]}”" if text else ""), done=False)
        self.followup_id, self.due = followup_id, due
        self.previous: date | None = None

    def _redo(self) -> None:
        result = self._publish(self._call(followups.set_due, self.followup_id, self.due))
        if result is not None:
            self.previous = result[0]

    def undo(self) -> None:
        self._publish(self._call(followups.set_due, self.followup_id, self.previous))
