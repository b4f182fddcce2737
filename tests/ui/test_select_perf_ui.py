"""Guards for selecting a customer at 100,000 customers (issue 9): the work a click does
once, not twice, and not per row.

- the brief's text is laid out at one width when it is replaced (setHtml first empties the
  document: the scroll bar hid and came back, and the text was laid out for each width);
- the timeline lays out a page of same-height rows without asking the delegate row by row;
- the last customer is written to the settings file once browsing pauses, not on every click.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from relnotebook.core import conversations, customers
from relnotebook.core.clock import today
from relnotebook.ui.brief_panel import BriefPanel
from relnotebook.ui.bus import EventBus
from relnotebook.ui.main_window import REMEMBER_AFTER_MS
from relnotebook.ui.timeline import FIRST_PAGE, TimelineView

LONG_NOTE = "Review #pricing\n" + "\n".join(f"+detail: remembered thing number {n}"
                                            for n in range(30))


def _customer_with_a_long_brief(name: str) -> int:
    cid = customers.create(name)[0].id
    conversations.log(cid, LONG_NOTE, at=today() - timedelta(days=3))
    return cid


class _Resizes(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self.count += 1
        return False


def test_a_new_brief_is_laid_out_at_one_width(qtbot, notebook):
    first, second = (_customer_with_a_long_brief(n) for n in ("Long One", "Long Two"))
    panel = BriefPanel(EventBus(), QUndoStack())
    qtbot.addWidget(panel)
    panel.resize(500, 250)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_customer(first)
    assert panel.verticalScrollBar().isVisible()
    resizes = _Resizes()
    panel.viewport().installEventFilter(resizes)
    panel.set_customer(second)
    QApplication.processEvents()  # deliver any layout or resize it posted (no sleep)
    assert resizes.count == 0  # the bar stayed: no second layout at another width
    assert panel.verticalScrollBar().isVisible()
    assert "remembered thing number 29" in panel.toPlainText()
    panel.set_customer(customers.create("Short One")[0].id)  # fits: the bar goes
    qtbot.waitUntil(lambda: not panel.verticalScrollBar().isVisible())


def test_the_timeline_lays_out_same_height_rows_without_the_delegate(qtbot, notebook,
                                                                   monkeypatch):
    cid = customers.create("Many Calls")[0].id
    for n in range(40):
        conversations.log(cid, f"Call {n}\nline two of the note", at=today() - timedelta(n))
    view = TimelineView(EventBus(), QUndoStack())
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    qtbot.waitExposed(view)
    asked: list[int] = []
    size_hint = type(view.delegate).sizeHint
    monkeypatch.setattr(type(view.delegate), "sizeHint",
                        lambda self, o, i: asked.append(i.row()) or size_hint(self, o, i))
    view.set_customer(cid)
    view.grab()
    assert view.timeline_model.rowCount() == FIRST_PAGE
    assert len(asked) <= 2, asked  # the first row's size serves the page
    row = view.visualRect(view.timeline_model.index(1))
    view.timeline_model.toggle(view.timeline_model.index(0))  # expanded: heights differ
    view.executeDelayedItemsLayout()
    assert view.visualRect(view.timeline_model.index(1)).top() > row.top()
    view.timeline_model.toggle(view.timeline_model.index(0))
    view.executeDelayedItemsLayout()
    assert view.visualRect(view.timeline_model.index(1)) == row


@pytest.fixture
def window(qtbot, notebook, tmp_path):
    from relnotebook.ui.app import create_main_window

    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    win = create_main_window(notebook, settings=settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_the_last_customer_is_written_once_browsing_pauses(qtbot, window):
    ids = [customers.create(f"Person {n}")[0].id for n in range(3)]
    key = window._key("last_customer")
    before = window.settings.value(key, 0)
    for cid in ids:
        window.open_customer(cid)
    assert window.settings.value(key, 0) == before  # no settings write per click
    qtbot.waitUntil(lambda: int(window.settings.value(key, 0)) == ids[-1],
                    timeout=REMEMBER_AFTER_MS + 3000)
