"""Edit a logged conversation: its note, date, channel, length and who did the talking.

The dialog only collects what changed (``changes()``); the timeline pushes an
``EditConversation`` undo command with it, which calls ``conversations.edit``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.conversations import CHANNELS, ConversationView
from . import words


class ConversationDialog(QDialog):
    def __init__(self, conv: ConversationView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationDialog")
        self.setWindowTitle(words.fmt("Edit conversation of {day}", day=words.day(conv.day)))
        self.conv = conv
        self.date = QDateEdit(QDate(conv.day.year, conv.day.month, conv.day.day), self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.channel = QComboBox(self)
        for code in CHANNELS:
            self.channel.addItem(words.channel(code), code)
        self.channel.setCurrentIndex(max(0, self.channel.findData(conv.channel)))
        self.minutes = QSpinBox(self)
        self.minutes.setRange(0, 24 * 60)
        self.minutes.setSpecialValueText(words.tr("not noted"))
        self.minutes.setSuffix(words.tr(" min"))
        self.minutes.setValue(conv.minutes or 0)
        self.talk = QComboBox(self)
        for code, label in (("", words.tr("not noted")), ("them", words.talk("them")),
                            ("both", words.talk("both")), ("me", words.talk("me"))):
            self.talk.addItem(label, code)
        self.talk.setCurrentIndex(max(0, self.talk.findData(conv.talk)))
        self.reached = QCheckBox(words.tr("We talked (unticked: an unanswered attempt)"), self)
        self.reached.setChecked(conv.reached)
        self.milestone = QCheckBox(words.tr("A milestone of our story"), self)
        self.milestone.setChecked(conv.milestone)
        self.body = QPlainTextEdit(conv.body, self)
        self.body.setObjectName("conversationBody")
        self.body.setMinimumSize(520, 260)
        form = QFormLayout()
        form.addRow(words.tr("&Date:"), self.date)
        form.addRow(words.tr("&Channel:"), self.channel)
        form.addRow(words.tr("&Length:"), self.minutes)
        form.addRow(words.tr("&Who talked most:"), self.talk)
        form.addRow("", self.reached)
        form.addRow("", self.milestone)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.body, 1)
        layout.addWidget(buttons)
        self.body.setFocus()

    def changes(self) -> tuple[str | None, dict[str, Any]] | None:
        """(new body or None, changed fields) — None when nothing changed."""
        c = self.conv
        fields: dict[str, Any] = {}
        day = self.date.date().toPython()
        if day != c.day:
            fields["at"] = day
        if self.channel.currentData() != c.channel:
            fields["channel"] = self.channel.currentData()
        minutes = self.minutes.value() or None
        if minutes != c.minutes:
            fields["minutes"] = minutes
        if self.talk.currentData() != c.talk:
            fields["talk"] = self.talk.currentData()
        if self.reached.isChecked() != c.reached:
            fields["reached"] = self.reached.isChecked()
        if self.milestone.isChecked() != c.milestone:
            fields["milestone"] = self.milestone.isChecked()
        body = self.body.toPlainText()
        new_body = body if body != c.body else None
        if new_body is None and not fields:
            return None
        return new_body, fields
