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


class TimelineDelegate(QStyledItemDelegate):
    """Paints a conversation; an expanded one shows its note as Markdown underneath."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view
        self._docs: dict[tuple[int, int, str], QTextDocument] = {}

    def clear(self) -> None:
        self._docs.clear()

    def _width(self) -> int:
        return max(200, self.view.viewport().width() - 2 * PAD)

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
        return QFontMetrics(font).height() * 2 + 3 * PAD // 2 + 4

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        conv = index.data(Role.CONVERSATION)
        height = self._head_height(option.font)
        if conv is not None and index.data(Role.EXPANDED):
            height += int(self._doc(conv, option.font).size().height()) + PAD
        return QSize(self._width(), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        conv: ConversationView | None = index.data(Role.CONVERSATION)
        if conv is None:
            return
        painter.save()
        style = option.widget.style() if option.widget else None
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter,
                                option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        text = pal.color(QPalette.ColorRole.HighlightedText if selected
                         else QPalette.ColorRole.Text)
        muted = QColor(text)
        muted.setAlphaF(0.7)
        rect = option.rect.adjusted(PAD, PAD // 2 + 2, -PAD, -PAD // 2)
        fm = QFontMetrics(option.font)
        line = fm.height()
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text)
        head = ("★ " if conv.milestone else "") + words.day(conv.day)
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line),
                         Qt.AlignmentFlag.AlignLeft, head)
        x = rect.left() + QFontMetrics(bold).horizontalAdvance(head) + PAD
        painter.setFont(option.font)
        painter.setPen(muted)
        info = facts(conv)
        elided = fm.elidedText(info, Qt.TextElideMode.ElideRight, rect.right() - x)
        painter.drawText(QRect(x, rect.top(), rect.right() - x, line),
                         Qt.AlignmentFlag.AlignLeft, elided)
        x += fm.horizontalAdvance(info) + PAD
        self._chips(painter, conv.topics, x, rect.top(), rect.right(), fm, pal, selected)
        second = QRect(rect.left(), rect.top() + line + PAD // 2, rect.width(), line)
        if not conv.reached:
            italic = QFont(option.font)
            italic.setItalic(True)
            painter.setFont(italic)
        painter.setPen(text if conv.reached else muted)
        painter.drawText(second, Qt.AlignmentFlag.AlignLeft,
                         fm.elidedText(summary(conv), Qt.TextElideMode.ElideRight, rect.width()))
        if index.data(Role.EXPANDED):
            doc = self._doc(conv, option.font)
            painter.translate(rect.left() + PAD, rect.top() + self._head_height(option.font)
                              - PAD // 2)
            ctx = QAbstractTextDocumentLayout.PaintContext()
            ctx.palette = QPalette(pal)
            ctx.palette.setColor(QPalette.ColorRole.Text, text)
            doc.documentLayout().draw(painter, ctx)
        painter.restore()

    @staticmethod
    def _chips(painter: QPainter, topics: tuple[str, ...], x: int, top: int, right: int,
               fm: QFontMetrics, pal: QPalette, selected: bool) -> None:
        fill = QColor(pal.color(QPalette.ColorRole.Highlight))
        fill.setAlphaF(0.35 if selected else 0.18)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for topic in topics:
            label = f"#{topic}"
            width = fm.horizontalAdvance(label) + 12
            if x + width > right:
                break
            chip = QRect(x, top - 1, width, fm.height() + 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2)
            painter.setPen(pal.color(QPalette.ColorRole.HighlightedText if selected
                                     else QPalette.ColorRole.Text))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, label)
            x += width + 4
