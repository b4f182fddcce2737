"""Painting a timeline row: date, channel, length, who talked, topics as chips, the summary,
and, when the row is expanded, the whole note rendered as Markdown underneath.

The delegate reads the ``ConversationView`` from the model (``Role.CONVERSATION``) and caches
one ``QTextDocument`` per expanded note and width; colours come from the palette.
"""

from __future__ import annotations

import re
from enum import IntEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ..core.conversations import ConversationView
from . import words

PAD = 10
Index = QModelIndex | QPersistentModelIndex
# Looked up once: a PySide enum member costs a microsecond per attribute access, and a
# row's paint used some forty of them.
_LEFT, _CENTER = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignCenter
_ELIDE = Qt.TextElideMode.ElideRight
_NO_PEN = Qt.PenStyle.NoPen
_SELECTED = QStyle.StateFlag.State_Selected
_PANEL = QStyle.PrimitiveElement.PE_PanelItemViewItem
_HAS_DISPLAY = QStyleOptionViewItem.ViewItemFeature.HasDisplay
_TEXT, _HIGHLIGHTED = QPalette.ColorRole.Text, QPalette.ColorRole.HighlightedText
_HIGHLIGHT = QPalette.ColorRole.Highlight
_ANTIALIASING = QPainter.RenderHint.Antialiasing


class Role(IntEnum):
    CONVERSATION_ID = Qt.ItemDataRole.UserRole + 1
    CONVERSATION = Qt.ItemDataRole.UserRole + 2
    EXPANDED = Qt.ItemDataRole.UserRole + 3
    REACHED = Qt.ItemDataRole.UserRole + 4
    TOPICS = Qt.ItemDataRole.UserRole + 5
    BODY = Qt.ItemDataRole.UserRole + 6


def facts(conv: ConversationView) -> str:
    """``call · 20 min · they talked most · with Ann``: the row's second column."""
    parts = [words.channel(conv.channel)]
    if not conv.reached:
        parts = [words.fmt("no answer ({channel})", channel=words.channel(conv.channel))]
    if conv.minutes:
        parts.append(words.minutes(conv.minutes))
    if conv.talk:
        parts.append(words.talk(conv.talk))
    if conv.participants:
        parts.append(words.fmt("with {names}", names=", ".join(n for _, n in conv.participants)))
    return " · ".join(parts)


_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`)")


def summary(conv: ConversationView) -> str:
    """The summary line as read, without Markdown emphasis marks."""
    text = _EMPHASIS.sub("", conv.summary)
    return text or (words.tr("Unanswered attempt") if not conv.reached else "")


def describe(conv: ConversationView) -> str:
    star = "★ " if conv.milestone else ""
    return f"{star}{words.day(conv.day)} — {facts(conv)} — {summary(conv)}"


class _Fonts:
    """The fonts and metrics a row is painted with, made once per view font (making them
    for every row of every paint cost more than drawing the text)."""

    def __init__(self, font: QFont) -> None:
        self.font = QFont(font)
        self.bold, self.italic = QFont(font), QFont(font)
        self.bold.setBold(True)
        self.italic.setItalic(True)
        self.fm, self.fm_bold = QFontMetrics(font), QFontMetrics(self.bold)
        self.line, self.ascent = self.fm.height(), self.fm.ascent()
        self.head_height = self.line * 2 + 3 * PAD // 2 + 4


class TimelineDelegate(QStyledItemDelegate):
    """Paints a conversation; an expanded one shows its note as Markdown underneath.

    What a row says (``describe``'s parts) is worked out once per conversation and kept until
    the model resets (``clear``): a paint then only draws.
    """

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view
        self._docs: dict[tuple[int, int, str], QTextDocument] = {}
        self._texts: dict[int, tuple[ConversationView, str, str, str]] = {}
        self._fonts: _Fonts | None = None

    def clear(self) -> None:
        self._docs.clear()
        self._texts.clear()

    def _width(self) -> int:
        return max(200, self.view.viewport().width() - 2 * PAD)

    def _fonts_for(self, font: QFont) -> _Fonts:
        if self._fonts is None or self._fonts.font != font:
            self._fonts = _Fonts(font)
        return self._fonts

    def _row_texts(self, conv: ConversationView) -> tuple[str, str, str]:
        """(date heading, facts, summary) of a conversation."""
        cached = self._texts.get(conv.id)
        if cached is None or cached[0] is not conv:
            if len(self._texts) > 1000:
                self._texts.clear()
            cached = (conv, ("★ " if conv.milestone else "") + words.day(conv.day), facts(conv),
                      summary(conv))
            self._texts[conv.id] = cached
        return cached[1:]

    def _doc(self, conv: ConversationView, font: QFont) -> QTextDocument:
        key = (conv.id, self._width(), conv.body)
        doc = self._docs.get(key)
        if doc is None:
            if len(self._docs) > 200:
                self._docs.clear()
            doc = QTextDocument()
            doc.setDefaultFont(font)
            doc.setDocumentMargin(0)
            doc.setMarkdown(conv.body or words.tr("(no note)"))
            doc.setTextWidth(self._width() - PAD)
            self._docs[key] = doc
        return doc

    def _head_height(self, font: QFont) -> int:
        return self._fonts_for(font).head_height

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        height = self._head_height(option.font)
        if index.data(Role.EXPANDED):
            conv = index.data(Role.CONVERSATION)
            if conv is not None:
                height += int(self._doc(conv, option.font).size().height()) + PAD
        return QSize(self._width(), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        conv: ConversationView | None = index.data(Role.CONVERSATION)
        if conv is None:
            return
        head, info, said = self._row_texts(conv)
        f = self._fonts_for(option.font)
        painter.save()
        style = option.widget.style() if option.widget else None
        if style is not None:
            # The item's own panel (selection, hover) as initStyleOption + an empty text would
            # give, without asking the model for the roles this view never shows.
            opt = QStyleOptionViewItem(option)
            opt.features |= _HAS_DISPLAY
            style.drawPrimitive(_PANEL, opt, painter, option.widget)
        selected = bool(option.state & _SELECTED)
        pal = option.palette
        text = pal.color(_HIGHLIGHTED if selected else _TEXT)
        muted = QColor(text)
        muted.setAlphaF(0.7)
        rect = option.rect.adjusted(PAD, PAD // 2 + 2, -PAD, -PAD // 2)
        fm, line = f.fm, f.line
        painter.setFont(f.bold)
        painter.setPen(text)
        base = rect.top() + f.ascent  # drawText at a point: no layout of a rectangle
        painter.drawText(rect.left(), base, head)
        x = rect.left() + f.fm_bold.horizontalAdvance(head) + PAD
        painter.setFont(f.font)
        painter.setPen(muted)
        elided = fm.elidedText(info, _ELIDE, rect.right() - x)
        painter.drawText(x, base, elided)
        x += fm.horizontalAdvance(info) + PAD
        self._chips(painter, conv.topics, x, rect.top(), rect.right(), fm, pal, selected)
        if not conv.reached:
            painter.setFont(f.italic)
        painter.setPen(text if conv.reached else muted)
        painter.drawText(rect.left(), base + line + PAD // 2,
                         fm.elidedText(said, _ELIDE, rect.width()))
        if index.data(Role.EXPANDED):
            doc = self._doc(conv, option.font)
            painter.translate(rect.left() + PAD, rect.top() + f.head_height - PAD // 2)
            ctx = QAbstractTextDocumentLayout.PaintContext()
            ctx.palette = QPalette(pal)
            ctx.palette.setColor(_TEXT, text)
            doc.documentLayout().draw(painter, ctx)
        painter.restore()

    @staticmethod
    def _chips(painter: QPainter, topics: tuple[str, ...], x: int, top: int, right: int,
               fm: QFontMetrics, pal: QPalette, selected: bool) -> None:
        fill = QColor(pal.color(_HIGHLIGHT))
        fill.setAlphaF(0.35 if selected else 0.18)
        painter.setRenderHint(_ANTIALIASING)
        pen = pal.color(_HIGHLIGHTED if selected else _TEXT)
        height = fm.height() + 2
        for topic in topics:
            label = f"#{topic}"
            width = fm.horizontalAdvance(label) + 12
            if x + width > right:
                break
            chip = QRect(x, top - 1, width, height)
            painter.setPen(_NO_PEN)
            painter.setBrush(fill)
            painter.drawRoundedRect(chip, height / 2, height / 2)
            painter.setPen(pen)
            painter.drawText(chip, _CENTER, label)
            x += width + 4
