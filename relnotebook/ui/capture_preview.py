"""The parts the note editor is built from, beside the note text (DESIGN.md §4, §7).

- ``CapturePreview`` (``capturePreview``): what the note will record. It re-runs
  ``capture.parse`` a moment after the last change (a short debounce, so typing stays fluid
  in a long note) and lists the items grouped by kind, due dates beside them, and the parser's
  warnings first, in the palette's warning colour.
- ``CallTimer``: elapsed against planned minutes ("07:12 / 15:00"), warning colour past plan.
- ``PeopleField``: the others present, names completed from the customer list (folded, so
  "muller" offers "Müller") and resolved as the CLI resolves names; unknown names are shown
  as an inline error.
"""

from __future__ import annotations

import math
import re
import time
from datetime import date

from PySide6.QtCore import QDate, QLocale, QModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ..core import capture, customers
from ..core.capture import CapturedItem, CaptureResult, CaptureWarning, ItemKind
from ..core.errors import AmbiguousName, NotebookError
from ..core.text import fold
from . import words

DEBOUNCE_MS = 150
LINE_ROLE = Qt.ItemDataRole.UserRole + 1  # the note's line number an entry came from
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # the ItemKind value, or "warning"
FOLD_ROLE = Qt.ItemDataRole.UserRole + 3  # a customer name folded, for the completer
_monotonic = time.monotonic  # the call timer's clock (tests replace it)
_NAME_SPLIT = re.compile(r"[,;]")

# Status colours for a light and a dark palette (the palette has no "warning" role).
_TONES = {
    "warning": ("#9a5b00", "#ffb74d"),
    "error": ("#b3261e", "#ff8a80"),
    "ok": ("#1b6e20", "#81c784"),
}


def tone(widget: QWidget, kind: str) -> QColor:
    """A status colour (``warning``, ``error``, ``ok``) readable on the widget's palette."""
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return QColor(_TONES[kind][1 if dark else 0])


def paint(label: QLabel, kind: str) -> None:
    """Colour a label's text with ``tone(kind)``; "" restores the palette's text colour."""
    palette = label.palette()
    role = QPalette.ColorRole.WindowText
    parent = label.parentWidget() or label
    palette.setColor(role, tone(label, kind) if kind else parent.palette().color(role))
    label.setPalette(palette)


def describe_warning(warning: CaptureWarning) -> str:
    """A capture warning in words, with its line."""
    return words.fmt("Line {line}: {what}", line=warning.line,
                     what=words.warning(warning.code, warning.params))


def _groups() -> tuple[tuple[ItemKind, str], ...]:
    """Preview groups in the order a rep checks them, with their headings."""
    return (
        (ItemKind.I_OWE, words.tr("I owe")),
        (ItemKind.THEY_OWE, words.tr("They owe")),
        (ItemKind.CLOSE, words.tr("Closes")),
        (ItemKind.QUESTION, words.tr("Questions to ask")),
        (ItemKind.TOPIC, words.tr("Topics")),
        (ItemKind.DETAIL, words.tr("Personal")),
        (ItemKind.FACT, words.tr("Their agenda")),
        (ItemKind.STYLE, words.tr("How they like to talk")),
        (ItemKind.UNSAID, words.tr("Unsaid")),
        (ItemKind.SEND, words.tr("Thoughtful things to send")),
    )


def _when(item: CapturedItem) -> str:
    if item.due is not None:
        due = QDate(item.due.year, item.due.month, item.due.day)
        return QLocale().toString(due, "ddd d MMM")
    if item.day and item.month:
        return words.day_month(item.day, item.month, item.year)
    return ""


class _RowDelegate(QStyledItemDelegate):
    """Rows with a little air: word-wrapping views otherwise size rows to the bare text."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        return size.expandedTo(QSize(0, option.fontMetrics.height() + 6))


class CapturePreview(QTreeWidget):
    """What ``capture.parse`` will extract from the note, recomputed as it is typed."""

    updated = Signal(object)
    """Emitted with the new ``CaptureResult`` after each recompute."""

    line_activated = Signal(int)
    """An entry was activated: the note's line (1-based) it came from."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("capturePreview")
        self.setColumnCount(2)
        self.setHeaderLabels([words.tr("Will be recorded"), words.tr("When")])
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setWordWrap(True)  # warnings and long items wrap instead of being cut off
        self.setItemDelegate(_RowDelegate(self))
        self._wrapped: list[QTreeWidgetItem] = []
        self.setAccessibleName(words.tr("Capture preview"))
        self._text = ""
        self._on = date.today()
        self._result: CaptureResult | None = None
        self._parsed: tuple[str, date] | None = None  # the input of ``_result``
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.update_now)
        self.itemActivated.connect(self._activated)
        self._fill(capture.parse("", self._on))
        self._parsed = ("", self._on)

    def schedule(self, text: str, on: date) -> None:
        """Recompute for ``text`` typed on ``on`` after the debounce (restarted by each call)."""
        self._text, self._on = text, on
        self._timer.start()

    def update_now(self) -> None:
        self._timer.stop()
        if self._result is not None and (self._text, self._on) == self._parsed:
            # Opening another customer with no draft asks again for the empty note's
            # preview: rebuilding the same tree cost a millisecond per customer click.
            self.updated.emit(self._result)
            return
        result = capture.parse(self._text, self._on)
        self._fill(result)
        self._parsed = (self._text, self._on)
        self.updated.emit(result)

    def result(self) -> CaptureResult | None:
        return self._result

    def entries(self) -> list[tuple[str, str, str]]:
        """(kind, text, when) of every entry shown, in order; warnings have kind "warning"."""
        out = []
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            for j in range(group.childCount()):
                child = group.child(j)
                out.append((str(child.data(0, KIND_ROLE)), child.text(0), child.text(1)))
        return out

    # --- internals ---------------------------------------------------------------------

    def _fill(self, result: CaptureResult) -> None:
        self._result = result
        self._wrapped: list[QTreeWidgetItem] = []
        self.setUpdatesEnabled(False)
        self.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        if result.warnings:
            group = self._group(words.tr("Check"), len(result.warnings), bold)
            group.setIcon(0, self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            group.setForeground(0, tone(self, "warning"))
            for warning in result.warnings:
                child = self._child(group, describe_warning(warning), "", warning.line, "warning")
                child.setForeground(0, tone(self, "warning"))
                child.setFirstColumnSpanned(True)
                self._wrapped.append(child)
        for kind, heading in _groups():
            items = result.of_kind(kind)
            if not items:
                continue
            group = self._group(heading, len(items), bold)
            for item in items:
                self._child(group, self._label(item), _when(item), item.line, item.kind.value,
                            item.url)
        if not result.items and not result.warnings:
            hint = QTreeWidgetItem(self, [words.tr(
                "What the note will record (follow-ups, topics, details…) shows here.")])
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            hint.setFirstColumnSpanned(True)
            self._wrapped.append(hint)
        self.expandAll()
        self._wrap()
        self.setUpdatesEnabled(True)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._wrap()

    def _wrap(self) -> None:
        """Give long spanned rows (warnings, the hint) the height their wrapped text needs;
        a tree view sizes rows for one line otherwise, and would cut the sentence off."""
        metrics = self.fontMetrics()
        for item in self._wrapped:
            depth = 2 if item.parent() is not None else 1
            width = max(self.viewport().width() - depth * self.indentation(), 80)
            box = metrics.boundingRect(QRect(0, 0, width, 10_000),
                                       Qt.TextFlag.TextWordWrap, item.text(0))
            item.setSizeHint(0, QSize(width, box.height() + 4))

    def _group(self, heading: str, count: int, font: QFont) -> QTreeWidgetItem:
        group = QTreeWidgetItem(self, [f"{heading} ({count})"])
        group.setFont(0, font)
        group.setFirstColumnSpanned(True)
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        return group

    def _child(self, group: QTreeWidgetItem, text: str, when: str, line: int, kind: str,
               url: str | None = None) -> QTreeWidgetItem:
        child = QTreeWidgetItem(group, [text, when])
        child.setData(0, LINE_ROLE, line)
        child.setData(0, KIND_ROLE, kind)
        tip = words.fmt("Line {line}", line=line)
        child.setToolTip(0, f"{text}\n{url}\n{tip}" if url else f"{text}\n{tip}")
        return child

    def _label(self, item: CapturedItem) -> str:
        prefix = ""
        if item.kind is ItemKind.DETAIL:
            prefix = words.detail_kind(item.subkind or "other")
        elif item.kind is ItemKind.FACT:
            prefix = words.fact_kind(item.subkind or "")
        text = f"{prefix}: {item.text}" if prefix else item.text
        if item.kind is ItemKind.TOPIC:
            text = f"#{item.text}"
        if item.url:
            text = f"{text} ↗" if text else item.url
        return text

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        line = item.data(0, LINE_ROLE)
        if line:
            self.line_activated.emit(int(line))


class CallTimer(QWidget):
    """Elapsed against planned call length, with a Start/Stop button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.planned_minutes = 15
        self.started: float | None = None  # running since (monotonic)
        self.counted = 0.0  # seconds counted before the last start
        self.label = QLabel(self, objectName="noteTimer",
                            toolTip=words.tr("Elapsed / planned call length"))
        self.button = QPushButton(words.tr("Start"), self)
        self.button.clicked.connect(self.toggle)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self.show_time)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.button)
        self.show_time()

    def toggle(self) -> None:
        self.set_state((None, self.elapsed_seconds()) if self.started is not None
                       else (_monotonic(), self.counted))

    def elapsed_seconds(self) -> float:
        running = _monotonic() - self.started if self.started is not None else 0.0
        return self.counted + running

    def elapsed_minutes(self) -> int:
        """Whole minutes, rounded up (a 20-second call is 1 minute); 0 when never started."""
        seconds = self.elapsed_seconds()
        return max(1, math.ceil(seconds / 60)) if seconds >= 1 else 0

    def state(self) -> tuple[float | None, float]:
        return self.started, self.counted

    def set_state(self, state: tuple[float | None, float]) -> None:
        self.started, self.counted = state
        self._tick.start() if self.started is not None else self._tick.stop()
        self.show_time()

    def set_planned(self, minutes: int) -> None:
        self.planned_minutes = minutes
        self.show_time()

    def show_time(self) -> None:
        elapsed, planned = self.elapsed_seconds(), self.planned_minutes * 60
        self.label.setText(f"{_clock(elapsed)} / {_clock(planned)}")
        paint(self.label, "warning" if elapsed > planned else "")
        self.button.setText(words.tr("Stop") if self.started is not None else words.tr("Start"))


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class PeopleField(QLineEdit):
    """Names of customers, comma separated, completed as typed; ``error`` shows unknown ones.

    The completion list is read from the customer list on first use after ``mark_stale()``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(words.tr("Others present: names, comma separated"))
        self.error = QLabel(parent, wordWrap=True, visible=False, objectName="withError")
        self._stale = True
        self._names = QStandardItemModel(self)
        self._completer = QCompleter(self._names, self)
        self._completer.setWidget(self)
        self._completer.setCompletionRole(FOLD_ROLE)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.activated[QModelIndex].connect(self._insert)
        self.textEdited.connect(self._complete)
        self.editingFinished.connect(self.resolve)

    def mark_stale(self) -> None:
        self._stale = True

    def names(self) -> list[str]:
        return [n.strip() for n in _NAME_SPLIT.split(self.text()) if n.strip()]

    def resolve(self) -> list[int] | None:
        """The customers named, as ids; None (and the inline error) when one is unknown."""
        ids, problems = [], []
        for name in self.names():
            try:
                ids.append(customers.resolve_id(name))
            except AmbiguousName as exc:
                problems.append(words.error(exc))
            except NotebookError:
                problems.append(words.fmt('No customer called "{name}".', name=name))
        self.show_error("\n".join(problems))
        return None if problems else ids

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        paint(self.error, "error")

    def _complete(self, text: str) -> None:
        self.show_error("")
        if self._stale:
            self._names.clear()
            for row in customers.list_rows():
                item = QStandardItem(row.full_name)
                item.setData(fold(row.full_name), FOLD_ROLE)
                self._names.appendRow(item)
            self._stale = False
        typed = fold(_NAME_SPLIT.split(text)[-1])
        if typed:
            self._completer.setCompletionPrefix(typed)
            self._completer.complete()
        else:
            self._completer.popup().hide()

    def _insert(self, index: QModelIndex) -> None:
        self.setText(", ".join([*self.names()[:-1], index.data()]) + ", ")

