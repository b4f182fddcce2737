"""The pieces the customer card's record tabs share.

``CardContext`` carries what every tab needs (the bus, the undo stack, the customer).
``RecordTab`` is a list of one kind of record with a small form to add one: the table's
model holds ids and display tuples; every add, edit and delete calls a ``core.records``
service, shows a ``ValidationError`` in a red label beside the form (nothing is saved) and
pushes an undo command from ``card_undo``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from peewee import DatabaseError as PeeweeDatabaseError
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QPalette, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import NotebookError, ValidationError
from . import words
from .bus import EventBus
from .card_undo import AddedRecord, DeletedRecord, EditRecord
from .customer_model import negative_colour
from .errors import report

Index = QModelIndex | QPersistentModelIndex

_MESSAGES = {
    "empty_name": "A name cannot be empty.",
    "empty_text": "Write something first.",
    "empty_contact": "Enter an address, a number or a link.",
    "bad_cadence": "A cadence is a number of days from 1 to 3650.",
    "bad_date": "This date does not exist.",
    "bad_amount": "An amount is a number of zero or more.",
    "bad_minutes": "A call length is a number of minutes from 1 to 600.",
    "setting_too_small": "Too small: the least is {minimum}.",
    "setting_too_large": "Too large: the most is {maximum}.",
    "bad_setting": "Enter a number.",
}


def validation_text(exc: NotebookError) -> str:
    """The sentence shown beside a field for a core validation code."""
    template = _MESSAGES.get(exc.code)
    if template is None:
        return words.error(exc) if exc.code in ("customer",) else words.fmt(
            "This value cannot be stored ({code}).", code=exc.code)
    params = {k: (f"{v:g}" if isinstance(v, float) else v) for k, v in exc.params.items()}
    return words.fmt(template, **params)


def error_label(parent: QWidget | None = None) -> QLabel:
    """A hidden red label that shows a validation message beside a field."""
    label = QLabel(parent)
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, negative_colour(palette))
    label.setPalette(palette)
    label.hide()
    return label


def show_error(label: QLabel, message: str | None) -> None:
    label.setText(message or "")
    label.setVisible(bool(message))


def attempt(widget: QWidget, label: QLabel | None, func: Callable[..., Any], /, *args: Any,
            **kwargs: Any) -> Any:
    """Call a core write: a validation error goes beside the field, others to the error box.

    Returns the service's result, or None when nothing was saved.
    """
    try:
        result = func(*args, **kwargs)
    except ValidationError as exc:
        if label is None:
            report(widget, exc)
        else:
            show_error(label, validation_text(exc))
        return None
    except (NotebookError, sqlite3.Error, PeeweeDatabaseError, OSError) as exc:
        report(widget, exc)
        return None
    if label is not None:
        show_error(label, None)
    return result


@dataclass
class CardContext:
    bus: EventBus
    undo_stack: QUndoStack
    customer_id: int | None
    widget: QWidget

    def edited(self, text: str, update: Callable[..., Any], record_id: int,
               after: dict[str, Any], label: QLabel | None = None) -> bool:
        """Run ``update(record_id, **after)`` and push its undo; False when refused."""
        result = attempt(self.widget, label, update, record_id, **after)
        if result is None:
            return False
        previous, changes = result
        before = previous if isinstance(previous, dict) else {"names": previous}
        self.undo_stack.push(EditRecord(self.bus, self.widget, text, update, record_id,
                                        before, after))
        self.bus.publish(changes)
        return True


class RecordRole(IntEnum):
    RECORD_ID = Qt.ItemDataRole.UserRole + 1
    CHECKED = Qt.ItemDataRole.UserRole + 2


class RecordModel(QAbstractTableModel):
    """Rows of (id, display texts, checked or None); one column may carry a check box."""

    toggled = Signal(int, bool)
    """The user ticked or unticked the check column of a record: (record id, checked)."""

    def __init__(self, headers: tuple[str, ...], check_column: int = -1,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.headers, self.check_column = headers, check_column
        self.rows: list[tuple[int, tuple[str, ...], bool | None]] = []

    def set_rows(self, rows: list[tuple[int, tuple[str, ...], bool | None]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def record_id(self, row: int) -> int | None:
        return self.rows[row][0] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.headers)):
            return self.headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.check_column:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        record_id, texts, checked = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return texts[index.column()] if index.column() < len(texts) else ""
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == self.check_column:
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == RecordRole.RECORD_ID:
            return record_id
        if role == RecordRole.CHECKED:
            return checked
        return None

    def setData(self, index: Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (not index.isValid() or role != Qt.ItemDataRole.CheckStateRole
                or index.column() != self.check_column):
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        self.toggled.emit(self.rows[index.row()][0], checked)  # the tab saves, then reloads
        return True

    def roleNames(self) -> dict[int, bytes]:  # noqa: N802
        names = dict(super().roleNames())
        names.update({r.value: r.name.lower().encode() for r in RecordRole})
        return names


class RecordTab(QWidget):
    """One kind of record: a table, a form to add one, Delete; subclasses fill the blanks."""

    HEADERS: tuple[str, ...] = ()
    CHECK_COLUMN = -1
    STRETCH_COLUMN = 1  # the column that takes the spare width
    NOUN = ""  # for the undo text: "Add personal detail"

    def __init__(self, ctx: CardContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = RecordModel(tuple(words.tr(h) for h in self.HEADERS), self.CHECK_COLUMN,
                                 self)
        self.model.toggled.connect(self.toggle)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.STRETCH_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.delete_button = QPushButton(words.tr("Delete"), self)
        self.delete_button.clicked.connect(self.delete)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.delete_button)
        self.form_box = QGroupBox(words.fmt("New {noun}", noun=words.tr(self.NOUN)), self)
        self.form = QFormLayout()
        self.error = error_label(self.form_box)
        self.add_button = QPushButton(words.fmt("Add {noun}", noun=words.tr(self.NOUN)),
                                      self.form_box)
        self.add_button.clicked.connect(self.add)
        row = QHBoxLayout()
        row.addWidget(self.error, 1)
        row.addStretch(0)
        row.addWidget(self.add_button)
        box = QVBoxLayout(self.form_box)
        box.addLayout(self.form)
        box.addLayout(row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)
        layout.addWidget(self.form_box)
        self.build_form()

    # --- to fill in --------------------------------------------------------------------

    def build_form(self) -> None: ...

    def rows(self, customer_id: int) -> list[tuple[int, tuple[str, ...], bool | None]]:
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def clear_form(self) -> None: ...

    # staticmethod(records.add_...), staticmethod(records.delete_...), staticmethod(restore)
    add_service: Callable[..., tuple[int, Any]]
    delete_service: Callable[[int], Any]
    restore_service: Callable[[Any], Any]

    def toggle(self, record_id: int, checked: bool) -> None: ...

    # --- shared ------------------------------------------------------------------------

    def reload(self) -> None:
        selected = self.selected_id()
        cid = self.ctx.customer_id
        self.model.set_rows(self.rows(cid) if cid is not None else [])
        if selected is not None:
            for row in range(self.model.rowCount()):
                if self.model.record_id(row) == selected:
                    self.table.selectRow(row)

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.record_id(index.row()) if index.isValid() else None

    def add(self) -> int | None:
        cid = self.ctx.customer_id
        if cid is None:
            return None
        result = attempt(self, self.error, self.add_service, cid, **self.values())
        if result is None:
            return None
        record_id, changes = result
        text = words.fmt("Add {noun}", noun=words.tr(self.NOUN))
        self.ctx.undo_stack.push(AddedRecord(self.ctx.bus, self, text, record_id,
                                             self.delete_service,
                                             self.restore_service))
        self.ctx.bus.publish(changes)
        self.clear_form()
        return record_id

    def delete(self) -> None:
        record_id = self.selected_id()
        if record_id is None:
            return
        result = attempt(self, None, self.delete_service, record_id)
        if result is None:
            return
        rows, changes = result
        text = words.fmt("Delete {noun}", noun=words.tr(self.NOUN))
        self.ctx.undo_stack.push(DeletedRecord(self.ctx.bus, self, text, record_id, rows,
                                               self.delete_service,
                                               self.restore_service))
        self.ctx.bus.publish(changes)
