"""The timeline: newest first, lazy pages, rows that say what happened, expand, edit, delete."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from relnotebook.core import conversations, customers, db, demo
from relnotebook.core.changes import Changes, Kind
from relnotebook.core.clock import today
from relnotebook.ui.bus import EventBus
from relnotebook.ui.conversation_dialog import ConversationDialog
from relnotebook.ui.timeline import FIRST_PAGE, PAGE, Role, TimelineView

NOTE = """Went through the **renewal** terms #renewal #pricing
- [ ] send the revised quote by Friday
- the *whole* note is long enough to need more than one line when it is expanded
"""


@pytest.fixture
def ann(notebook):
    ann, _ = customers.create("Ann Åberg", company="Åberg AB")
    bo, _ = customers.create("Bo Ek")
    conversations.log(ann.id, "First meeting at the fair #fair", channel="meeting",
                      at=today() - timedelta(days=30), minutes=45, talk="them")
    conversations.log(ann.id, "Rang, no answer", reached=False, channel="call",
                      at=today() - timedelta(days=10))
    conversations.log(ann.id, NOTE, channel="video", at=today() - timedelta(days=2), minutes=25,
                      talk="me", with_ids=[bo.id])
    return ann.id, bo.id


@pytest.fixture
def view(qtbot, ann):
    widget = TimelineView(EventBus(), QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_customer(ann[0])
    return widget


def rows(view: TimelineView) -> list[str]:
    model = view.timeline_model
    return [model.index(r).data() for r in range(model.rowCount())]


def test_newest_first_and_every_row_says_what_happened(view):
    first, unanswered, oldest = rows(view)
    assert "video call" in first and "25 min" in first and "I talked most" in first
    assert "Went through the renewal terms" in first  # Markdown marks dropped
    assert view.timeline_model.index(0).data(Role.TOPICS) == ["renewal", "pricing"]
    assert "no answer" in unanswered and view.timeline_model.index(1).data(Role.REACHED) is False
    assert "meeting" in oldest and "45 min" in oldest and "they talked most" in oldest
    assert view.objectName() == "timeline"


def test_a_conversation_with_others_present_shows_in_their_timeline(qtbot, ann, view):
    other = TimelineView(EventBus(), QUndoStack())
    qtbot.addWidget(other)
    other.set_customer(ann[1])
    assert [c.summary for c in (other.timeline_model.conversation(0),)] == \
        ["Went through the **renewal** terms #renewal #pricing"]
    assert "with Bo Ek" in rows(view)[0]


def test_enter_expands_the_whole_note_as_markdown(qtbot, view):
    index = view.timeline_model.index(0)
    view.setCurrentIndex(index)
    view.setFocus()
    collapsed = view.visualRect(index).height()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert index.data(Role.EXPANDED) is True
    qtbot.waitUntil(lambda: view.visualRect(index).height() > collapsed * 2)
    conv = view.timeline_model.conversation(0)
    doc = view.delegate._doc(conv, view.font())
    text = doc.toPlainText()
    assert "renewal" in text and "**" not in text  # rendered, not shown as typed
    qtbot.keyClick(view, Qt.Key.Key_Space)  # Space toggles back
    assert index.data(Role.EXPANDED) is False


def test_click_expands(qtbot, view):
    index = view.timeline_model.index(1)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(index).center())
    assert index.data(Role.EXPANDED) is True


def test_delete_key_deletes_and_undo_puts_it_back(qtbot, view):
    stack = view.undo_stack
    view.setCurrentIndex(view.timeline_model.index(1))
    view.setFocus()
    with qtbot.waitSignal(view.timeline_model.modelReset):
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert len(rows(view)) == 2 and not any("no answer" in r for r in rows(view))
    with qtbot.waitSignal(view.timeline_model.modelReset):
        stack.undo()
    assert len(rows(view)) == 3 and "no answer" in rows(view)[1]


def test_edit_through_the_dialog_is_undoable(qtbot, view):
    conv_id = view.timeline_model.conversation(0).id

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ConversationDialog)
        dialog.body.setPlainText("Renegotiated the terms #renewal\n? who signs")
        dialog.minutes.setValue(40)
        dialog.accept()

    view.setCurrentIndex(view.timeline_model.index(0))
    QTimer.singleShot(0, fill)
    with qtbot.waitSignal(view.timeline_model.modelReset):
        view.edit_current()
    edited = conversations.get(conv_id)
    assert edited.summary == "Renegotiated the terms #renewal" and edited.minutes == 40
    assert "40 min" in rows(view)[0]
    with qtbot.waitSignal(view.timeline_model.modelReset):
        view.undo_stack.undo()
    assert conversations.get(conv_id).body == NOTE
    with qtbot.waitSignal(view.timeline_model.modelReset):
        view.undo_stack.redo()
    assert conversations.get(conv_id).minutes == 40


def test_refreshes_only_when_concerned(qtbot, ann, view):
    with qtbot.assertNotEmitted(view.timeline_model.modelReset):
        view.bus.publish(Changes.of(ann[0], Kind.DETAIL))
        view.bus.publish(Changes.of(9999, Kind.CONVERSATION))
    with qtbot.waitSignal(view.timeline_model.modelReset):
        view.bus.publish(Changes.everything())


def test_model_passes_the_model_tester(qtmodeltester, view):
    qtmodeltester.check(view.timeline_model)


def test_empty_and_no_customer(qtmodeltester, view):
    view.set_customer(None)
    assert view.timeline_model.rowCount() == 0
    assert not view.timeline_model.canFetchMore(QModelIndex())
    qtmodeltester.check(view.timeline_model)
    view.grab()  # paints the placeholder text without error


@pytest.fixture
def big(tmp_path):
    demo.generate(tmp_path / "big.sqlite", customers=2, seed=3, big_customer_conversations=2000)
    yield 1
    db.close_notebook()


def test_two_thousand_conversations_open_fast_and_load_lazily(qtbot, qtmodeltester, big):
    view = TimelineView(EventBus(), QUndoStack())
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    qtbot.waitExposed(view)
    view.set_customer(big)
    view.grab()
    model = view.timeline_model
    assert model.total >= 2000
    assert model.rowCount() == FIRST_PAGE  # the rest on scroll: a page at a time
    days = [model.conversation(r).happened_at for r in range(model.rowCount())]
    assert days == sorted(days, reverse=True)
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > PAGE)
    qtmodeltester.check(model)
