"""The meeting-notes editor (DESIGN.md §4, §7, §8): type, see what it records, log it.

Nothing typed is lost: each change restarts a short timer that saves the customer's draft
(``core.drafts``, which falls back to a file when the notebook refuses the write); switching
customer saves first; ``flush()`` saves now (the window calls it on close). "Saved HH:MM" is
shown only after ``conversations.log`` returned; a failed log keeps the text, saves the draft
and says why. A logged note is one "Log conversation" step on the undo stack.
"""

from __future__ import annotations

import logging
import traceback
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QKeySequence, QPalette, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QWidget,
)

from ..core import conversations, customers, db, drafts, settings
from ..core.changes import Changes, Kind
from ..core.conversations import CHANNELS, Logged
from ..core.errors import StorageError
from . import words
from .bus import EventBus
from .capture_preview import CallTimer, CapturePreview, PeopleField, describe_warning, paint
from .errors import show_error

DRAFT_DELAY_MS = 700
_log = logging.getLogger(__name__)


def reason(exc: BaseException | None, code: str | None = None) -> str:
    """Why a write failed, in one sentence (storage failures recognised under any wrapper)."""
    code = code or (drafts.storage_code(exc) if exc is not None else None)
    return words.error(StorageError(code) if code else exc or StorageError("storage"))


class NoteEditor(QWidget):
    """Take notes for one customer and log them as a conversation."""

    logged = Signal(object)
    """Emitted with the ``Logged`` result after a note was logged (committed)."""

    draft_saved = Signal(object)
    """Emitted with the ``DraftSaved`` result after each draft save."""

    def __init__(self, bus: EventBus, undo_stack: QUndoStack | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noteEditor")
        self.bus, self._undo = bus, undo_stack
        self._customer: int | None = None
        self._stash: dict[Any, list[Any]] = {}  # form values of customers switched away from
        self._dirty = self._at_touched = False
        self._fresh = True  # no text yet: the first keystroke starts the call timer
        self._draft_timer = QTimer(self, singleShot=True, interval=DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.flush)
        self._build()
        bus.changed.connect(self._on_changed)
        self._load(None)

    # --- public API ----------------------------------------------------------------------

    def text(self) -> str:
        return self.note.toPlainText()

    def status_text(self) -> str:
        return self.status.text()

    def focus_text(self) -> None:
        self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_customer(self, customer_id: int | None) -> None:
        """Show ``customer_id``'s note: saves the current draft first, then loads theirs."""
        if customer_id == self._customer:
            return
        self.flush()
        if self._customer is not None:
            self._stash[(db.current_path(), self._customer)] = [g() for g, _ in self._fields()]
        self._load(customer_id)

    def flush(self) -> drafts.DraftSaved | None:
        """Save the draft now if it changed since the last save."""
        self._draft_timer.stop()
        if self._customer is None or not self._dirty:
            return None
        try:
            result = drafts.save(self._customer, self.text())
        except Exception as exc:
            _log.exception("draft not saved")
            self._set_status(words.fmt("Draft not saved: {why}", why=reason(exc)), "error")
            return None
        self._dirty = not result.safe
        if result.in_notebook and not result.deleted:
            self._set_status(words.fmt("Draft saved {time}", time=self._now()), "")
        elif result.fallback_path is not None:
            self._set_status(words.fmt("{why} The draft is kept in {path}",
                                       why=reason(None, result.error),
                                       path=str(result.fallback_path)), "warning")
        elif not result.safe:
            self._set_status(words.fmt("Draft not saved: {why}",
                                       why=reason(None, result.error)), "error")
        self.draft_saved.emit(result)
        return result

    def save(self) -> Logged | None:
        """Log the note as a conversation (Save button, Ctrl+Enter). None when it was not."""
        cid, body = self._customer, self.text()
        if cid is None or not body.strip():
            self._set_status(words.tr("Nothing to save yet."), "")
            return None
        others = self.with_edit.resolve()
        if others is None:
            self.with_edit.setFocus()
            return None
        self._draft_timer.stop()
        minutes = self.minutes.value() or self.timer.elapsed_minutes()
        try:
            logged = conversations.log(
                cid, body, at=self.when.dateTime().toPython(), channel=self.channel.currentData(),
                reached=not self.no_answer.isChecked(), minutes=minutes or None,
                planned_minutes=self.planned.value(), talk=self.talk.currentData(),
                milestone=self.milestone.isChecked(), with_ids=others)
        except Exception as exc:
            self._log_failed(cid, body, exc)
            return None
        self._after_log(cid, logged)
        return logged

    def reload_if_idle(self, customer_id: int) -> None:
        """Show ``customer_id``'s stored draft again when it is shown and nothing was typed."""
        if customer_id == self._customer and not self._dirty:
            view = drafts.get(customer_id)
            self._set_text(view.body if view else "")

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        self.hint = QLabel(words.tr("Select a customer to take notes."), self, wordWrap=True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.title = QLabel(self, textFormat=Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-weight: bold")
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.form = QWidget(self)
        shrink = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        self.channel = QComboBox(self.form, minimumContentsLength=4, sizeAdjustPolicy=shrink)
        for code in CHANNELS:
            self.channel.addItem(words.channel(code).capitalize(), code)
        self.when = QDateTimeEdit(QDateTime.currentDateTime(), self.form, calendarPopup=True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.dateTimeChanged.connect(self._on_when_changed)
        self.with_edit = PeopleField(self.form)
        self.planned = QSpinBox(self.form, minimum=1, maximum=600, suffix=words.tr(" min"))
        self.minutes = QSpinBox(self.form, minimum=0, maximum=24 * 60, suffix=words.tr(" min"))
        self.minutes.setSpecialValueText(words.tr("from timer"))
        self.talk = QComboBox(self.form, minimumContentsLength=6, sizeAdjustPolicy=shrink)
        for code in ("", "them", "both", "me"):
            self.talk.addItem(words.talk(code).capitalize() or words.tr("Who talked most?"), code)
        self.talk.setAccessibleName(words.tr("Who talked most"))
        self.no_answer = QCheckBox(words.tr("No answer"), self.form)
        self.milestone = QCheckBox(words.tr("Milestone"), self.form)
        self.timer = CallTimer(self)
        self.timer.button.clicked.connect(self._timer_touched)
        self.planned.valueChanged.connect(self.timer.set_planned)
        self.note = QPlainTextEdit(self.form, objectName="noteText")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), self.font().pointSizeF()))
        self.note.setFont(font)
        self.note.setPlaceholderText(words.tr(
            "Meeting notes. The first plain line is the summary.\n\n"
            "#topic anywhere\n[ ] I owe … by Friday\n[them] they owe … due next week\n"
            "[x] done …\n? a question for next time\n"
            "+family: +pet: +hobby: +food: +date: +life: personal details\n"
            "+hot: +need: +timeline: +expects: +agenda: their agenda\n"
            "+style: +unsaid: +send: …"))
        self.note.textChanged.connect(self._on_text_changed)
        self.note.installEventFilter(self)
        self.preview = CapturePreview(self.form)
        self.preview.line_activated.connect(self._go_to_line)
        self.status = QLabel(self.form, objectName="noteStatus", wordWrap=True)
        self.save_button = QPushButton(words.tr("Save"), self.form, objectName="saveNoteButton",
                                       toolTip=words.tr("Log this conversation (Ctrl+Enter)"))
        self.save_button.clicked.connect(self.save)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        self._lay_out()

    def _lay_out(self) -> None:
        grid = QGridLayout(self.form)
        grid.setContentsMargins(0, 0, 0, 0)
        for row, col, text, field in (
                (0, 0, words.tr("Channel"), self.channel), (0, 2, words.tr("When"), self.when),
                (1, 0, words.tr("With"), self.with_edit),
                (3, 0, words.tr("Planned"), self.planned),
                (3, 2, words.tr("Minutes"), self.minutes)):
            grid.addWidget(QLabel(text, self.form, buddy=field), row, col)
            grid.addWidget(field, row, col + 1, 1, 3 if field is self.with_edit else 1)
        grid.addWidget(self.with_edit.error, 2, 1, 1, 3)
        grid.addWidget(self.talk, 4, 0, 1, 2)
        checks = QHBoxLayout()
        checks.addWidget(self.no_answer)
        checks.addWidget(self.milestone)
        grid.addLayout(checks, 4, 2, 1, 2)
        split = QSplitter(Qt.Orientation.Vertical, self.form, childrenCollapsible=False)
        split.addWidget(self.note)
        split.addWidget(self.preview)
        split.setSizes([300, 200])
        grid.addWidget(split, 5, 0, 1, 4)
        grid.setRowStretch(5, 1)
        grid.addWidget(self.status, 6, 0, 1, 3)
        grid.addWidget(self.save_button, 6, 3, Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        outer = QGridLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.addWidget(self.title, 0, 0)
        outer.addWidget(self.hint, 0, 0)
        outer.addWidget(self.timer, 0, 1)
        outer.addWidget(self.form, 1, 0, 1, 2)
        outer.setColumnStretch(0, 1)
        outer.setRowStretch(1, 1)

    def _fields(self) -> tuple[tuple[Any, Any], ...]:
        """(getter, setter) of each per-note value, so a switched-away note keeps them."""
        return (
            (self.channel.currentIndex, self.channel.setCurrentIndex),
            (self.when.dateTime, self._set_when),
            (lambda: self._at_touched, lambda touched: setattr(self, "_at_touched", touched)),
            (self.with_edit.text, self.with_edit.setText),
            (self.planned.value, self.planned.setValue),
            (self.minutes.value, self.minutes.setValue),
            (self.talk.currentIndex, self.talk.setCurrentIndex),
            (self.no_answer.isChecked, self.no_answer.setChecked),
            (self.milestone.isChecked, self.milestone.setChecked),
            (self.timer.state, self.timer.set_state),
        )

    # --- reacting ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (watched is self.note and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.save()
            return True
        return super().eventFilter(watched, event)

    def _on_text_changed(self) -> None:
        if self._customer is not None:
            self._dirty = True
            self._draft_timer.start()
            if self._fresh and self.text().strip():  # a new note: the meeting starts now
                if not self._at_touched:
                    self._set_when(QDateTime.currentDateTime())
                self._fresh = False
                self.timer.toggle()
        self.preview.schedule(self.text(), self.when.date().toPython())

    def _on_when_changed(self) -> None:
        self._at_touched = True
        self.preview.schedule(self.text(), self.when.date().toPython())

    def _on_changed(self, changes: Changes) -> None:
        if changes.concerns(None, Kind.CUSTOMER):
            self.with_edit.mark_stale()

    def _timer_touched(self) -> None:
        self._fresh = False  # started or stopped by hand: typing no longer starts it

    def _go_to_line(self, line: int) -> None:
        cursor = self.note.textCursor()
        cursor.setPosition(self.note.document().findBlockByLineNumber(line - 1).position())
        self.note.setTextCursor(cursor)
        self.note.setFocus()

    # --- loading, saving -----------------------------------------------------------------

    def _load(self, customer_id: int | None) -> None:
        self._customer = customer_id
        self._set_status("", "")
        self.hint.setVisible(customer_id is None)
        self.title.setVisible(customer_id is not None)
        for widget in (self.form, self.timer):
            widget.setEnabled(customer_id is not None)
        self.title.clear()
        view = None
        if customer_id is not None:
            try:
                self.title.setText(customers.full_name(customer_id))
                view = drafts.get(customer_id)
            except Exception as exc:
                _log.exception("draft not loaded")
                self._set_status(words.fmt("Draft not loaded: {why}", why=reason(exc)), "error")
        self._set_text(view.body if view else "")
        self._reset_fields(self._stash.pop((db.current_path(), customer_id), None))
        # A draft read back from a fallback file goes into the notebook at the next save.
        self._dirty = view is not None and view.fallback_path is not None
        if self._dirty:
            self._draft_timer.start()
        self._fresh = view is None and self.timer.state() == (None, 0.0)

    def _reset_fields(self, values: list[Any] | None) -> None:
        if values is None:
            planned, channel = self._style_defaults()
            values = [max(0, self.channel.findData(channel)), QDateTime.currentDateTime(),
                      False, "", planned, 0, 0, False, False, (None, 0.0)]
        for (_, setter), value in zip(self._fields(), values, strict=True):
            setter(value)
        self.with_edit.show_error("")
        self.preview.schedule(self.text(), self.when.date().toPython())
        self.preview.update_now()

    def _set_text(self, text: str) -> None:
        """Put text in without it counting as typing (no draft save, no timer start)."""
        blocked = self.note.blockSignals(True)
        self.note.setPlainText(text)
        self.note.blockSignals(blocked)
        self.preview.schedule(text, self.when.date().toPython())

    def _set_when(self, moment: QDateTime) -> None:
        blocked = self.when.blockSignals(True)
        self.when.setDateTime(moment)
        self.when.blockSignals(blocked)

    def _style_defaults(self) -> tuple[int, str]:
        """(planned minutes, preferred channel) from the customer's style profile."""
        try:
            if self._customer is not None:
                from ..core import records  # with the first customer, not at start

                planned, channel = records.call_defaults(self._customer)
                return planned, channel or "call"
            return int(settings.get("default_call_minutes")), "call"
        except Exception:
            _log.exception("style profile not read")
            return 15, "call"

    def _after_log(self, cid: int, logged: Logged) -> None:
        try:
            drafts.discard(cid)
        except Exception:  # the note is logged; a stale draft is only offered back later
            _log.exception("draft not discarded after logging")
        self._dirty = False
        if self._undo is not None:
            from .draft_recovery import LogConversationCommand  # not needed to start

            self._undo.push(LogConversationCommand(self, logged))
        self.bus.publish(logged.changes)
        self.logged.emit(logged)
        self._set_text("")
        self._reset_fields(None)
        self._fresh = True
        status = words.fmt("Saved {time}", time=self._now())
        if logged.warnings:
            status += " · " + " ".join(describe_warning(w) for w in logged.warnings[:3])
        self._set_status(status, "warning" if logged.warnings else "ok")

    def _log_failed(self, cid: int, body: str, exc: Exception) -> None:
        _log.error("note not logged", exc_info=exc)
        saved = None
        try:
            saved = drafts.save(cid, body)
        except Exception:
            _log.exception("draft not saved after a failed log")
        self._dirty = not (saved is not None and saved.safe)
        message = words.fmt("The note was not saved. {why} Your text is still in the editor.",
                            why=reason(exc))
        if saved is not None and saved.fallback_path is not None:
            message += " " + words.fmt("A copy is in {path}.", path=str(saved.fallback_path))
        elif saved is not None and saved.in_notebook:
            message += " " + words.tr("It is kept as a draft.")
        self._set_status(words.fmt("Not saved. {why}", why=reason(exc)), "error")
        show_error(self, message, "".join(traceback.format_exception(exc)))

    def _set_status(self, text: str, kind: str) -> None:
        self.status.setText(text)
        paint(self.status, kind)

    @staticmethod
    def _now() -> str:
        return datetime.now().strftime("%H:%M")
