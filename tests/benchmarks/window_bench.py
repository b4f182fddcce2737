"""Window timings, offscreen, with the real widgets: from the event to the repaint.

Every timing is: send the event (a click, a key press), let Qt handle what it posted
(``processEvents``: delayed layouts, queued signals), then ``window.repaint()``, which
paints the whole window synchronously. The baseline is the same ``processEvents`` +
``repaint()`` with nothing changed, measured in the same window, interleaved with the
measured events, so a noisy machine shifts both.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QWidget

SETTLE_S = 2.0  # a palette that searches on a timer: how long to wait for its results


def guard_none() -> None:
    """Guard against PySide6 6.12.0 on CPython 3.11 (pyproject now excludes it): every
    call of a Qt method that returns nothing drops a reference to ``None`` without
    taking one, and after some thousands of calls the process aborts ("none_dealloc").
    The benchmark makes hundreds of thousands of such calls, so it gives ``None``,
    ``True`` and ``False`` 2**40 references up front (3.12+ never frees them)."""
    import ctypes
    import sys

    if sys.version_info < (3, 12):
        for constant in (None, True, False):  # bool-returning methods too
            ctypes.c_ssize_t.from_address(id(constant)).value += 1 << 40


def key_event(widget: QWidget, ch: str) -> None:
    """One typed character, as a key press and release carrying its text."""
    key = Qt.Key(ord(ch.upper())) if ch.isascii() and ch.isalnum() else Qt.Key.Key_unknown
    if ch == "\b":
        key, ch = Qt.Key.Key_Backspace, ""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def type_chars(app: QApplication, widget: QWidget, text: str) -> None:
    for ch in text:
        key_event(widget, ch)
        app.processEvents()


def repaint_all(app: QApplication, window: QWidget, extra: QWidget | None = None) -> None:
    app.processEvents()
    window.repaint()
    if extra is not None and extra.isWindow():
        extra.repaint()


@dataclass
class Palette:
    widget: QWidget
    field: QLineEdit
    view: QAbstractItemView | None


def open_palette(window: Any) -> Palette | None:
    """The search palette (``searchPalette``), shown without its modal loop; None when this
    build has none (``ui/search_palette.py`` is written in parallel)."""
    try:
        from relnotebook.ui import search_palette
    except ImportError:
        return None
    cls = getattr(search_palette, "SearchPalette", None)
    if cls is None:
        return None
    widget = cls(window.bus, window)
    getattr(widget, "popup", widget.show)()  # not exec(): no modal loop here
    QApplication.processEvents()
    fields = widget.findChildren(QLineEdit)
    views = widget.findChildren(QAbstractItemView)
    if not fields:
        return None
    return Palette(widget, fields[0], views[0] if views else None)


class WindowBench:
    def __init__(self, app: QApplication, window: Any, rng: random.Random) -> None:
        self.app, self.window, self.rng = app, window, rng
        self.baseline: list[float] = []

    def _time(self, action, extra: QWidget | None = None, settle=None) -> float:
        start = time.perf_counter()
        action()
        if settle is not None:
            settle()
        repaint_all(self.app, self.window, extra)
        return (time.perf_counter() - start) * 1000

    def base(self, extra: QWidget | None = None) -> None:
        """One repaint with nothing changed (the baseline sample)."""
        self.baseline.append(self._time(lambda: None, extra))

    # --- select a customer ---------------------------------------------------------------

    def click_customer(self, customer_id: int) -> float:
        """Scroll the list to the customer (not timed), then time the click on their row."""
        panel = self.window.list_panel
        table, model = panel.table, panel.model
        row = model.row_of(customer_id)
        for text in ("", self._name(customer_id)):
            if row >= 0:
                break
            # Not among the rows loaded (the list reads a page at a time): find them with
            # the filter first, as a rep would (not timed).
            panel.search.setText(text)
            repaint_all(self.app, self.window)
            row = model.row_of(customer_id)
        if row < 0:
            raise LookupError(customer_id)
        index = model.index(row, 0)
        table.scrollTo(index)
        repaint_all(self.app, self.window)
        self.base()
        point: QPoint = table.visualRect(index).center()
        # Far from the previous click in time: never taken for a double click.
        QTest.qWait(0)
        return self._time(lambda: QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                                                   Qt.KeyboardModifier.NoModifier, point))

    @staticmethod
    def _name(customer_id: int) -> str:
        from relnotebook.core import customers

        return customers.get(customer_id).full_name

    def select_customers(self, ids: list[int]) -> list[float]:
        self.window.open_customer(None, force=True)
        out = []
        for cid in ids:
            out.append(self.click_customer(cid))
            assert self.window.customer_id == cid, (self.window.customer_id, cid)
        self.window.list_panel.search.setText("")
        repaint_all(self.app, self.window)
        return out

    # --- the customer filter -------------------------------------------------------------

    def filter_typing(self, words: list[str]) -> list[float]:
        """Type each word letter by letter into the filter (each letter timed); clear it
        between words (not timed)."""
        search = self.window.list_panel.search
        search.setFocus()
        out = []
        for word in words:
            search.clear()
            repaint_all(self.app, self.window)
            for ch in word:
                self.base()
                out.append(self._time(lambda ch=ch: key_event(search, ch)))
        search.clear()
        repaint_all(self.app, self.window)
        return out

    # --- the search palette --------------------------------------------------------------

    def palette_typing(self, words: list[str]) -> list[float] | None:
        """Type each word into the palette; the 2nd character on is timed until its results
        are painted. None when the build has no palette."""
        palette = open_palette(self.window)
        if palette is None:
            return None
        out: list[float] = []
        changes = [0]
        if palette.view is not None and palette.view.model() is not None:
            model = palette.view.model()
            for signal in (model.modelReset, model.layoutChanged, model.rowsInserted,
                           model.rowsRemoved, model.dataChanged):
                signal.connect(lambda *a: changes.__setitem__(0, changes[0] + 1))

        def settle() -> None:
            # Results come synchronously, or from a timer/worker: wait until the model moved.
            deadline = time.perf_counter() + SETTLE_S
            while changes[0] == seen[0] and time.perf_counter() < deadline:
                self.app.processEvents()
                time.sleep(0.0005)

        seen = [0]
        for word in words:
            palette.field.clear()
            repaint_all(self.app, self.window, palette.widget)
            for i, ch in enumerate(word):
                if i == 0:
                    key_event(palette.field, ch)
                    seen[0] = changes[0]
                    settle()
                    repaint_all(self.app, self.window, palette.widget)
                    continue
                self.base(palette.widget)
                seen[0] = changes[0]
                out.append(self._time(lambda ch=ch: key_event(palette.field, ch),
                                      palette.widget, settle))
        palette.widget.close()
        return out
