"""Painting a search hit (the Ctrl+K palette): the customer's name in bold and their
company on the first line, the kind and date on its right, and the snippet underneath with the
matched words in bold (the core's spans). Colours come from the palette.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ..core.changes import Kind
from ..core.search import Hit
from . import words

Index = QModelIndex | QPersistentModelIndex
PAD = 8

_KINDS = {
    Kind.CUSTOMER: "Customer", Kind.CONVERSATION: "Conversation", Kind.FOLLOWUP: "Follow-up",
    Kind.QUESTION: "Question", Kind.DETAIL: "Personal", Kind.FACT: "Their agenda",
    Kind.STYLE: "How they talk", Kind.UNSAID: "Unsaid", Kind.THING: "Thoughtful thing",
}


def kind_word(kind: Kind) -> str:
    return words.tr(_KINDS.get(kind, str(kind).capitalize()))


class HitRole(IntEnum):
    HIT = Qt.ItemDataRole.UserRole + 1
    KIND = Qt.ItemDataRole.UserRole + 2
    CUSTOMER_ID = Qt.ItemDataRole.UserRole + 3
    RECORD_ID = Qt.ItemDataRole.UserRole + 4
    CONVERSATION_ID = Qt.ItemDataRole.UserRole + 5
    LABEL = Qt.ItemDataRole.UserRole + 6
    SNIPPET = Qt.ItemDataRole.UserRole + 7
    SPANS = Qt.ItemDataRole.UserRole + 8
    DAY = Qt.ItemDataRole.UserRole + 9


def runs(text: str, spans: Any) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, matched) runs by the hit's spans."""
    out, pos = [], 0
    for a, b in spans or ():
        if a < pos or b > len(text) or a >= b:
            continue
        if a > pos:
            out.append((text[pos:a], False))
        out.append((text[a:b], True))
        pos = b
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def _within(spans: Any, start: int, end: int) -> list[tuple[int, int]]:
    return [(a - start, b - start) for a, b in spans if a >= start and b <= end]


def split_customer(hit: Hit) -> tuple[list[tuple[int, int]], str, list[tuple[int, int]]]:
    """A customer hit's snippet ("Name · Company · Title · about") without the name and
    company the first line shows already: (company spans, the rest, the rest's spans)."""
    text, pos = hit.text, 0
    company_spans: list[tuple[int, int]] = []
    for part, keep in ((hit.customer_name, False), (hit.company, True)):
        if not part or not text.startswith(part, pos):
            break
        if keep:
            company_spans = _within(hit.spans, pos, pos + len(part))
        pos += len(part)
        if text.startswith(" · ", pos):
            pos += 3
    return company_spans, text[pos:], _within(hit.spans, pos, len(text))


class HitDelegate(QStyledItemDelegate):
    """Name (bold) · company on the first line, kind and date on its right; the snippet with
    the matched words in bold on the second."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        line = QFontMetrics(option.font).height()
        return QSize(200, 2 * line + 2 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        hit: Hit | None = index.data(HitRole.HIT)
        if hit is None:
            return
        painter.save()
        style = option.widget.style() if option.widget else None
        if style is not None:  # the selection / hover background only: the text is ours
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter,
                                option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text = option.palette.color(QPalette.ColorRole.HighlightedText if selected
                                    else QPalette.ColorRole.Text)
        muted = QColor(text)
        muted.setAlphaF(0.68)
        rect = option.rect.adjusted(PAD + 4, PAD, -PAD - 4, -PAD)
        fm = QFontMetrics(option.font)
        bold = QFont(option.font)
        bold.setBold(True)
        fonts = (option.font, fm, bold, QFontMetrics(bold))
        line = fm.height()
        # first line, right: kind · date
        when = "" if hit.kind is Kind.CUSTOMER else words.day(hit.day)
        right = " · ".join(p for p in (kind_word(hit.kind), when) if p)
        right_w = min(fm.horizontalAdvance(right) + 2, rect.width() // 2)
        painter.setFont(option.font)
        painter.setPen(muted)
        painter.drawText(QRect(rect.right() - right_w, rect.top(), right_w, line),
                         Qt.AlignmentFlag.AlignRight,
                         fm.elidedText(right, Qt.TextElideMode.ElideRight, right_w))
        # first line, left: name · company (archived); the rest of a customer's card below
        first = QRect(rect.left(), rect.top(), rect.width() - right_w - 2 * PAD, line)
        second = QRect(rect.left(), rect.top() + line + PAD // 2, rect.width(), line)
        company_spans: list[tuple[int, int]] = []
        snippet, spans = hit.text, list(hit.spans)
        if hit.kind is Kind.CUSTOMER:
            company_spans, snippet, spans = split_customer(hit)
        x = draw_runs(painter, [(hit.customer_name, True)], first, fonts, text, text)
        tail: list[tuple[str, bool]] = [("  ·  ", False)] if hit.company else []
        tail += runs(hit.company, company_spans)
        if hit.archived:
            tail.append(("  ·  " + words.tr("archived"), False))
        if tail and first.right() - x > 24:
            draw_runs(painter, tail, first.adjusted(x - first.left(), 0, 0, 0), fonts, muted,
                      text)
        draw_runs(painter, runs(snippet, spans), second, fonts, text, text)
        painter.restore()


Fonts = tuple[QFont, QFontMetrics, QFont, QFontMetrics]  # regular and bold, with metrics


def draw_runs(painter: QPainter, pieces: list[tuple[str, bool]], rect: QRect, fonts: Fonts,
              colour: QColor, match: QColor) -> int:
    """Draw runs left to right on one line, matched ones bold, eliding the last that does not
    fit; returns the x where the text ended."""
    x = rect.left()
    baseline = rect.top() + fonts[1].ascent()
    current = None
    for piece, matched in pieces:
        room = rect.right() - x
        if room <= 0:
            break
        font, fm = (fonts[2], fonts[3]) if matched else (fonts[0], fonts[1])
        width = fm.horizontalAdvance(piece)
        if width > room:
            piece = fm.elidedText(piece, Qt.TextElideMode.ElideRight, room)
            width = fm.horizontalAdvance(piece)
        if matched is not current:
            painter.setFont(font)
            painter.setPen(match if matched else colour)
            current = matched
        painter.drawText(x, baseline, piece)
        x += width
    return x
