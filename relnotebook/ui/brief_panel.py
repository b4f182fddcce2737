"""The customer's header and the before-you-call brief (DESIGN.md §5).

``BriefPanel`` renders ``briefing.brief_for`` as rich text in a ``QTextBrowser``: a heading
per section (empty ones left out), overdue items in the palette's warning red, and a
checkbox link in front of every open follow-up and question (``tick:followup:ID``), which
pushes an undoable tick. On a wide panel the sections flow into two columns. Long sections
are folded (``brief_html.FOLD_AFTER``); a ``more:SECTION`` link unfolds one for as long as
the same customer is shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QPalette,
    QPixmap,
    QTextBlock,
    QTextCursor,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..core import clock, customers
from ..core.changes import Changes, Kind
from . import words
from .brief_html import FOLDABLE, Colours, render, stylesheet
from .bus import EventBus
from .errors import guarded
from .undo import SetFollowUpDone, SetQuestionAsked

try:  # written in parallel; the window works without it
    from ..core import brief_render, briefing
except ImportError:  # pragma: no cover - only while the core is incomplete
    briefing = brief_render = None  # type: ignore[assignment]

BRIEF_KINDS = tuple(k for k in Kind if k not in (Kind.DRAFT, Kind.EVERYTHING, Kind.SETTING))
TWO_COLUMNS_FROM = 760  # px of panel width
_SECTIONS = {  # where a revealed record sits in the brief (brief_html's headings)
    "detail": "Personal", "fact": "Their agenda", "followup": "Pick up where you left off",
    "question": "Pick up where you left off", "unsaid": "Unsaid",
    "thing": "Thoughtful things", "style": "How they like to talk",
}
_FOLDS = {  # the folded section (brief_html.FOLDABLE) that may hide a revealed record
    "detail": "personal", "fact": "agenda", "unsaid": "unsaid", "thing": "things",
    "style": "style",
}


def colours(palette: QPalette) -> Colours:
    from .customer_model import negative_colour

    text = palette.color(QPalette.ColorRole.Text)
    muted = palette.color(QPalette.ColorRole.PlaceholderText)
    base = palette.color(QPalette.ColorRole.Base)
    dark = base.lightness() < 128
    note = palette.color(QPalette.ColorRole.AlternateBase)
    if note == base:
        note = base.lighter(120) if dark else base.darker(104)
    highlight = palette.color(QPalette.ColorRole.Highlight)
    accent = highlight.lighter(135) if dark else highlight.darker(125)
    return Colours(text=text.name(), muted=muted.name(), accent=accent.name(),
                   negative=negative_colour(palette).name(),
        note=note.name(), warn_bg="#4a2a1a" if dark else "#fff4e5")


class CustomerHeader(QWidget):
    """Name, company and title, key-client star and photo, and the Copy brief button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerHeader")
        self.photo = QLabel(self)
        self.photo.setFixedSize(QSize(64, 64))
        self.photo.setScaledContents(False)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = QLabel(self)
        self.name.setObjectName("customerName")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.name.setFont(font)
        self.role = QLabel(self)
        self.role.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton(words.tr("Copy brief"), self)
        self.copy_button.setToolTip(words.tr("Copy the brief as text (Ctrl+Shift+C)"))
        self.copy_button.setEnabled(False)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.name)
        text.addWidget(self.role)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 4)
        row.addWidget(self.photo)
        row.addLayout(text, 1)
        row.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)
        self.show_customer(None)

    def show_customer(self, customer_id: int | None) -> None:
        view = guarded(self, customers.get, customer_id) if customer_id is not None else None
        self.copy_button.setEnabled(view is not None)
        if view is None:
            self.name.setText(words.tr("No customer chosen"))
            self.role.setText(words.tr("Pick one from the list, or open Today."))
            self.photo.hide()
            return
        self.name.setText(view.full_name + ("  ★" if view.key_client else ""))
        self.name.setToolTip(words.tr("Key client") if view.key_client else "")
        role = " · ".join(p for p in (view.title, view.department, view.company) if p)
        if view.archived:
            role = (role + " · " if role else "") + words.tr("archived")
        self.role.setText(role)
        data = customers.photo(customer_id) if view.has_photo else None
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.photo.setPixmap(pixmap.scaled(64, 64, Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation))
            self.photo.show()
        else:
            self.photo.hide()


class BriefPanel(QTextBrowser):
    """The brief of the shown customer; refreshes when a write concerns them."""

    brief_shown = Signal(object)
    """Emitted with the ``Brief`` after each render (None when no customer)."""

    def __init__(self, bus: EventBus, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("briefPanel")
        self.setAccessibleName(words.tr("Brief"))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.bus, self.undo_stack = bus, undo_stack
        self.customer_id: int | None = None
        self.brief: Any = None
        self.unfolded: set[str] = set()
        self._columns = 1
        self.html = ""
        self.anchorClicked.connect(self._anchor)
        bus.changed.connect(self._on_changed)
        self.render()

    def set_customer(self, customer_id: int | None) -> None:
        if customer_id != self.customer_id:
            self.unfolded = set()
        self.customer_id = customer_id
        self.refresh(keep_scroll=False)

    def unfold(self, section: str) -> None:
        """Show every row of a folded section (until another customer is shown)."""
        if section in FOLDABLE and section not in self.unfolded:
            self.unfolded.add(section)
            self.render(keep_scroll=True)

    def refresh(self, keep_scroll: bool = True) -> None:
        self.brief = None
        if self.customer_id is not None and briefing is not None:
            self.brief = guarded(self, briefing.brief_for, self.customer_id, clock.today())
        self.render(keep_scroll)
        self.brief_shown.emit(self.brief)

    def render(self, keep_scroll: bool = False) -> None:
        bar = self.verticalScrollBar()
        position = bar.value()
        self._columns = 2 if self.viewport().width() >= TWO_COLUMNS_FROM else 1
        tones = colours(self.palette())
        css = stylesheet(tones)
        if css != self.document().defaultStyleSheet():
            self.document().setDefaultStyleSheet(css)
        if self.brief is not None:
            html = render(self.brief, tones, self._columns, frozenset(self.unfolded))
        elif self.customer_id is None:
            html = "<p style='color:{c}'>{t}</p>".format(
                c=tones.muted,
                t=words.tr("Choose a customer on the left (Ctrl+F finds one), "
                           "or open Today (Ctrl+T) to see who to call and why."))
        else:
            html = "<p>{}</p>".format(words.tr("The brief cannot be shown."))
        self.html = html
        # setHtml empties the document first: the scroll bar would hide, the viewport widen
        # and the old text be laid out again, then the bar come back with the new one and
        # the new text be laid out twice (the brief's largest cost on a customer click).
        # Pinning the bar as it is for the swap leaves one layout, and at most one change.
        policy, pinned = self.verticalScrollBarPolicy(), Qt.ScrollBarPolicy
        self.setVerticalScrollBarPolicy(pinned.ScrollBarAlwaysOn if bar.isVisibleTo(self)
                                        else pinned.ScrollBarAlwaysOff)
        self.setHtml(html)
        self.setVerticalScrollBarPolicy(policy)
        if keep_scroll:
            bar.setValue(position)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        columns = 2 if self.viewport().width() >= TWO_COLUMNS_FROM else 1
        if columns != self._columns:
            self.render(keep_scroll=True)

    def changeEvent(self, event: Any) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self.render(keep_scroll=True)

    def _on_changed(self, changes: Changes) -> None:
        if self.customer_id is None:
            return
        if changes.concerns(self.customer_id, *BRIEF_KINDS) or Kind.SETTING in changes.kinds:
            self.refresh()

    def _anchor(self, url: QUrl) -> None:
        parts = url.toString().split(":")
        if len(parts) == 2 and parts[0] == "more":
            self.unfold(parts[1])
        elif len(parts) == 3 and parts[0] == "tick" and parts[2].isdigit():
            self.tick(parts[1], int(parts[2]))
        elif len(parts) == 2 and parts[0] == "conversation" and parts[1].isdigit() and \
                self.customer_id is not None:
            self.bus.reveal_requested.emit(self.customer_id, "conversation", int(parts[1]))

    def reveal(self, kind: str, record_id: int) -> bool:
        """Scroll to a record of the brief and select its text (a detail, fact, follow-up,
        question, unsaid note or thoughtful thing; a style note scrolls to its section).
        False when the brief does not show it (a closed follow-up, an asked question)."""
        heading = _SECTIONS.get(kind)
        if kind in _FOLDS:
            self.unfold(_FOLDS[kind])
        block = self._heading_block(words.tr(heading)) if heading else None
        if block is None:
            return False
        cursor = QTextCursor(block)
        text = " ".join(self._record_text(kind, record_id).split())
        if text:
            found = self.document().find(text[:80], block.position())
            if found.isNull():
                return False
            cursor = found
        elif kind != "style":
            return False
        self.setTextCursor(cursor)
        rect = self.cursorRect(cursor)
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - self.viewport().height() // 4)
        return True

    def _heading_block(self, title: str) -> QTextBlock | None:
        block = self.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and block.text().strip() == title:
                return block
            block = block.next()
        return None

    def _record_text(self, kind: str, record_id: int) -> str:
        b = self.brief
        if b is None:
            return ""
        if kind == "detail":
            pairs = [(d.id, d.text) for d in b.details]
            pairs += [(d.detail_id, d.text) for d in b.upcoming]
            return next((text for rid, text in pairs if rid == record_id), "")
        items = {"fact": b.their_agenda, "followup": b.i_owe + b.they_owe,
                 "question": b.questions, "unsaid": b.unsaid,
                 "thing": b.ideas + ((b.last_sent,) if b.last_sent else ())}.get(kind, ())
        return next((i.text for i in items if i.id == record_id), "")

    def tick(self, kind: str, record_id: int) -> None:
        """Tick an open follow-up or question off, undoably."""
        text = self._text_of(kind, record_id)
        if kind == "followup":
            self.undo_stack.push(SetFollowUpDone(self.bus, self.window(), record_id, True, text))
        elif kind == "question":
            self.undo_stack.push(SetQuestionAsked(self.bus, self.window(), record_id, True,
                                                  text))

    def _text_of(self, kind: str, record_id: int) -> str:
        if self.brief is None:
            return ""
        b = self.brief
        items = b.questions if kind == "question" else b.i_owe + b.they_owe
        return next((i.text[:40] for i in items if i.id == record_id), "")

    def copy_brief(self) -> str:
        """Put the brief on the clipboard as plain text; returns what was copied."""
        if self.brief is None:
            return ""
        text = brief_render.to_text(self.brief) if brief_render is not None \
            else self.toPlainText()
        QGuiApplication.clipboard().setText(text)
        return text
