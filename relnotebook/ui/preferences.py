"""Preferences (Ctrl+,): the notebook's own settings (DESIGN.md §2), kept in the notebook.

Each value is checked against its declaration in ``core/settings.py`` (type, least, most);
a value that does not fit shows its reason in red beside the field and nothing is saved.
Saving publishes ``Changes`` (``Kind.SETTING``) so the Today view and the brief recompute.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..core import settings
from ..core.changes import Changes
from ..core.errors import NotebookError, ValidationError
from ..core.settings import Option
from . import words
from .bus import EventBus
from .card_tabs import attempt, error_label, show_error, validation_text
from .theme import AppearanceBox

# (group title, ((key, label, unit), ...)): what the dialog offers, in this order.
GROUPS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    ("Who to call today", (
        ("key_client_cadence_days", "Key clients without their own rhythm: every", "days"),
        ("purchase_threshold", "A purchase calls for a check-in from", "(any currency)"),
        ("purchase_checkin_days", "Check in after a large purchase", "days later"),
    )),
    ("Calls and the brief", (
        ("default_call_minutes", "Planned call length", "minutes"),
        ("recent_conversations", "Recent conversations", "conversations"),
        ("fact_stale_days", "Ask to confirm a sales fact after", "days"),
    )),
    ("Backups kept", (
        ("backup_keep_recent", "The most recent", "backups"),
        ("backup_keep_daily", "One a day for", "days"),
        ("backup_keep_weekly", "One a week for", "weeks"),
        ("backup_keep_monthly", "One a month for", "months"),
    )),
)


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return QLocale().toString(value, "f", 2).rstrip("0").rstrip(QLocale().decimalPoint())
    return str(value)


def parse(option: Option, text: str) -> Any:
    """The typed text as the option's value, or ``ValidationError`` with the core's codes."""
    text = text.strip()
    value: Any = None
    if option.type is int:
        ok_int = text.lstrip("+-").isdigit()
        value = int(text) if ok_int else None
    elif option.type is float:
        number, ok = QLocale().toDouble(text)
        try:
            value = number if ok else float(text)
        except ValueError:
            value = None
    else:
        value = text
    if value is None:
        raise ValidationError("bad_setting", key=option.key, value=text)
    if option.minimum is not None and value < option.minimum:
        raise ValidationError("setting_too_small", key=option.key, minimum=option.minimum)
    if option.maximum is not None and value > option.maximum:
        raise ValidationError("setting_too_large", key=option.key, maximum=option.maximum)
    return value


class PreferencesDialog(QDialog):
    """The notebook's settings, validated beside each field, saved together."""

    def __init__(self, bus: EventBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(words.tr("Preferences"))
        self.bus = bus
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        note = QLabel(words.tr("These settings belong to this notebook: the command line "
                               "and every window on it use them."), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        for title, rows in GROUPS:
            box = QGroupBox(words.tr(title), self)
            form = QFormLayout(box)
            for key, label, unit in rows:
                form.addRow(words.tr(label), self._row(box, key, unit))
            layout.addWidget(box)
        self.appearance = AppearanceBox(self)  # QSettings: this computer, every notebook
        layout.addWidget(self.appearance)
        self.general_error = error_label(self)
        layout.addWidget(self.general_error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.load()

    def _row(self, parent: QWidget, key: str, unit: str) -> QHBoxLayout:
        edit = QLineEdit(parent)
        edit.setObjectName(f"setting_{key}")
        edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("0") * 12 + 16)
        option = settings.OPTIONS[key]
        edit.setToolTip(words.tr(option.doc))
        error = error_label(parent)
        self.fields[key], self.errors[key] = edit, error
        row = QHBoxLayout()
        row.addWidget(edit)
        row.addWidget(QLabel(words.tr(unit), parent))
        row.addWidget(error, 1)
        return row

    def load(self) -> None:
        values = settings.get_all()
        for key, edit in self.fields.items():
            edit.setText(_shown(values[key]))
            show_error(self.errors[key], None)

    def values(self) -> dict[str, Any] | None:
        """Every field's value, or None after showing what is wrong beside the fields."""
        values: dict[str, Any] = {}
        for key, edit in self.fields.items():
            try:
                values[key] = parse(settings.OPTIONS[key], edit.text())
            except NotebookError as exc:
                show_error(self.errors[key], validation_text(exc))
                continue
            show_error(self.errors[key], None)
        return values if len(values) == len(self.fields) else None

    def save(self) -> bool:
        values = self.values()
        if values is None:
            return False
        current = settings.get_all()
        changes = Changes()
        for key, value in values.items():
            if value == current[key]:
                continue
            result = attempt(self, self.errors[key], settings.set, key, value)
            if result is None:
                self.bus.publish(changes)
                return False
            changes = changes | result
        self.bus.publish(changes)
        return True

    def accept(self) -> None:
        if self.save():
            self.appearance.save()
            super().accept()
