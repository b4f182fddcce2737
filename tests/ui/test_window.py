"""The whole window, walked as a user would: find, read, tick and undo, delete and undo,
notes typed in a meeting, a terminal writing to the same notebook, state kept across starts."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget
from typing_helpers import type_text
from window_helpers import shown_window

from relnotebook.core import conversations, customers
from relnotebook.core.clock import today
from relnotebook.ui.app import create_main_window

NOTE = "Quarterly review #review\n[ ] send the slides due in 2 weeks\n? who else decides\n"


@pytest.fixture
def people(notebook):
    ids = {}
    for name, company in (("Jürgen Müller", "Müller GmbH"), ("Ewa Łódzka", "Łódź Textiles"),
                          ("Anna Smith", "Acme")):
        view, _ = customers.create(name, company=company)
        ids[name] = view.id
    conversations.log(ids["Jürgen Müller"], NOTE, at=today() - timedelta(days=20))
    conversations.log(ids["Jürgen Müller"], "Short check-in #review", channel="email",
                      at=today() - timedelta(days=3))
    return ids


@pytest.fixture
def window(qtbot, notebook, people):
    return shown_window(qtbot, notebook)


def anchor_point(browser, href: str) -> QPoint:
    size = browser.viewport().size()
    for y in range(0, size.height(), 3):
        for x in range(0, size.width() // 2, 3):
            if browser.anchorAt(QPoint(x, y)) == href:
                return QPoint(x + 2, y + 2)
    raise AssertionError(f"no link {href} on screen")


@pytest.mark.parametrize(("typed", "name"), [("muller", "Jürgen Müller"),
                                             ("lodz", "Ewa Łódzka")])
def test_find_a_customer_by_a_folded_name_and_open_with_enter(qtbot, window, typed, name):
    search = window.findChild(QLineEdit, "customerSearch")
    search.setFocus()
    type_text(search, typed)
    table = window.findChild(QWidget, "customerList")
    assert table.model().rowCount() == 1
    type_text(search, "\n")
    qtbot.waitUntil(lambda: window.customer_id is not None)
    assert window.header.name.text() == name
    assert window.brief.brief.header.full_name == name
    assert window.findChild(QWidget, "briefPanel") is window.brief
    assert window.findChild(QWidget, "timeline") is window.timeline


def test_automation_names_and_title(window, notebook):
    for name in ("customerSearch", "customerList", "briefPanel", "timeline"):
        assert window.findChild(QWidget, name) is not None, name
    assert window.findChild(QWidget, "noteEditor") is not None or \
        window.findChild(QWidget, "noteEditorPlaceholder") is not None
    assert notebook.name in window.windowTitle() and "DEMO" not in window.windowTitle()


def test_tick_a_follow_up_in_the_brief_then_ctrl_z(qtbot, window, people):
    window.open_customer(people["Jürgen Müller"])
    brief = window.brief
    fid = brief.brief.i_owe[0].id
    qtbot.mouseClick(brief.viewport(), Qt.MouseButton.LeftButton,
                     pos=anchor_point(brief, f"tick:followup:{fid}"))
    qtbot.waitUntil(lambda: not brief.brief.i_owe)
    assert "send the slides" not in brief.toPlainText()
    qtbot.keyClick(brief, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(brief.brief.i_owe))
    assert "send the slides" in brief.toPlainText()
    qtbot.keyClick(brief, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: not brief.brief.i_owe)


def test_delete_a_conversation_in_the_timeline_then_ctrl_z(qtbot, window, people):
    window.open_customer(people["Jürgen Müller"])
    timeline = window.timeline
    model = timeline.timeline_model
    assert model.rowCount() == 2
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)  # focus the timeline
    assert timeline.hasFocus()
    timeline.setCurrentIndex(model.index(1))  # the quarterly review, with its follow-up
    qtbot.keyClick(timeline, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert not window.brief.brief.i_owe  # what its note produced went with it
    qtbot.keyClick(timeline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    assert window.brief.brief.i_owe[0].text == "send the slides"


def test_a_note_typed_in_the_meeting_reaches_brief_timeline_and_list(qtbot, window, people):
    editor = window.findChild(QWidget, "noteEditor")
    if editor is None:
        pytest.skip("the note editor is not in this build")
    window.open_customer(people["Ewa Łódzka"])
    text = editor.findChild(QPlainTextEdit, "noteText")
    text.setFocus()
    type_text(text, "Spotkanie w Łodzi, świetnie #łódź\n[them] przesłać zamówienie\n"
                    "+food: pierogi z jagodami\n")
    qtbot.keyClick(text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.timeline.timeline_model.rowCount() == 1)
    assert "Spotkanie w Łodzi" in window.timeline.timeline_model.index(0).data()
    brief = window.brief.toPlainText()
    assert "przesłać zamówienie" in brief and "pierogi z jagodami" in brief
    assert "#łódź" in brief
    row = window.list_panel.model.row_of(people["Ewa Łódzka"])
    assert window.list_panel.model.index(row, 2).data() == "today"


def test_switching_customer_mid_note_keeps_the_draft(qtbot, window, people):
    editor = window.findChild(QWidget, "noteEditor")
    if editor is None:
        pytest.skip("the note editor is not in this build")
    window.open_customer(people["Anna Smith"])
    text = editor.findChild(QPlainTextEdit, "noteText")
    type_text(text, "Half a thought about Zoë")
    window.open_customer(people["Jürgen Müller"])
    assert text.toPlainText() == ""
    window.open_customer(people["Anna Smith"])
    assert text.toPlainText() == "Half a thought about Zoë"


def test_a_log_from_a_terminal_appears_in_the_open_window(qtbot, window, notebook, people):
    window.open_customer(people["Anna Smith"])
    assert window.timeline.timeline_model.rowCount() == 0
    done = subprocess.run(
        [sys.executable, "-m", "relnotebook", "log", "Anna", "--text",
         "Called from the train #travel\n[ ] send the brochure", "--notebook", str(notebook)],
        capture_output=True, text=True, timeout=60, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))  # focus comes back
    qtbot.waitUntil(lambda: window.timeline.timeline_model.rowCount() == 1)
    assert "send the brochure" in window.brief.toPlainText()


def test_outside_writes_are_also_noticed_by_the_timer(qtbot, window, notebook, people):
    window.open_customer(people["Anna Smith"])
    subprocess.run([sys.executable, "-m", "relnotebook", "log", "Anna", "--text", "Ping",
                    "--notebook", str(notebook)], check=True, capture_output=True, timeout=60)
    assert window.outside_writes.timer.isActive()
    qtbot.waitUntil(lambda: window.timeline.timeline_model.rowCount() == 1, timeout=6000)


def test_the_last_customer_geometry_and_splitters_come_back(qtbot, notebook, people, window):
    window.open_customer(people["Ewa Łódzka"])
    window.resize(720, 600)  # within the offscreen screen (800x800): restoring clamps to it
    window.outer_splitter.setSizes([280, 440])
    sizes = window.outer_splitter.sizes()
    window.close()
    again = create_main_window(notebook)
    qtbot.addWidget(again)
    assert again.customer_id == people["Ewa Łódzka"]
    assert again.header.name.text() == "Ewa Łódzka"
    assert again.list_panel.current_customer() == people["Ewa Łódzka"]
    assert (again.width(), again.height()) == (720, 600)
    again.show()
    qtbot.waitExposed(again)
    assert again.outer_splitter.sizes() == sizes


def test_shortcuts_are_standard_and_do_not_clash(qtbot, window):
    actions = window.actions_by_name
    assert actions["new_customer"].shortcut() == QKeySequence("Ctrl+N")
    assert actions["find"].shortcut() == QKeySequence("Ctrl+F")
    assert actions["undo"].shortcut() == QKeySequence("Ctrl+Z")
    assert QKeySequence("Ctrl+Shift+Z") in actions["redo"].shortcuts()
    assert QKeySequence("Ctrl+,") in actions["preferences"].shortcuts()
    assert actions["search"].shortcut() == QKeySequence("Ctrl+K")
    assert actions["today"].shortcut() == QKeySequence("Ctrl+T")
    seen: dict[str, str] = {}
    for name, action in actions.items():
        for key in action.shortcuts():
            assert key.toString() not in seen, f"{name} and {seen.get(key.toString())}"
            seen[key.toString()] = name
    for name in ("new_notebook", "open_notebook"):
        assert QKeySequence("Ctrl+N") not in actions[name].shortcuts()


def test_keyboard_moves_between_panels(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.list_panel.search.hasFocus()
    for key, widget in ((Qt.Key.Key_1, window.list_panel.table), (Qt.Key.Key_2, window.brief),
                        (Qt.Key.Key_3, window.timeline)):
        qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
        assert widget.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.centre.currentWidget() is window.today_view


def test_the_editor_moves_below_on_a_narrow_window(qtbot, window):
    window.resize(1000, 760)
    qtbot.waitUntil(lambda: window.work_splitter.orientation() == Qt.Orientation.Vertical)
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: window.work_splitter.orientation() == Qt.Orientation.Horizontal)


def test_smoke_run_exits_zero(notebook, people):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-m", "relnotebook", "--smoke", "--notebook",
                           str(notebook)], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr


def test_a_file_that_is_not_a_notebook_is_a_clear_message(tmp_path):
    bogus = tmp_path / "letter.sqlite"
    bogus.write_bytes(b"Dear customer, this is not a database.")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-m", "relnotebook", "--smoke", "--notebook",
                           str(bogus)], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 1
    assert "not a notebook" in done.stderr and "Traceback" not in done.stderr
    assert bogus.read_bytes() == b"Dear customer, this is not a database."


def test_errors_are_a_sentence_with_copy_details(qtbot, notebook, monkeypatch):
    from relnotebook.core import paths
    from relnotebook.core.errors import NotFound
    from relnotebook.ui import errors

    shown = []
    monkeypatch.setattr(errors, "presenter", lambda parent, message, details:
                        shown.append((message, details)))

    def vanished() -> None:
        raise NotFound("customer", id=42)

    assert errors.guarded(None, vanished) is None
    message, details = shown[0]
    assert message == "That customer no longer exists."
    assert "Traceback" in details and "NotFound" in details
    assert message in paths.log_file().read_text(encoding="utf-8")
    box = errors.error_box(None, message, details)
    qtbot.addWidget(box)
    box.show()
    box.findChild(QWidget, "copyDetailsButton").click()
    assert QApplication.clipboard().text().startswith(message)
    assert box.isVisible()  # copying does not close the dialog


def test_first_start_opens_the_demo_and_says_so(qtbot, monkeypatch, tmp_path):
    import argparse

    from relnotebook.core import paths
    from relnotebook.ui import app

    monkeypatch.setattr(paths, "default_notebook", lambda: tmp_path / "notebook.sqlite")
    monkeypatch.setattr(paths, "demo_notebook", lambda: tmp_path / "demo.sqlite")
    path, demo = app._choose(argparse.Namespace(notebook=None, demo=False))
    assert (path, demo) == (tmp_path / "demo.sqlite", True)
    win = create_main_window(path, demo=demo)
    qtbot.addWidget(win)
    assert "DEMO" in win.windowTitle() and "demo.sqlite" in win.windowTitle()
    model = win.list_panel.model
    while model.canFetchMore(QModelIndex()):  # the list reads a page at a time
        model.fetchMore(QModelIndex())
    assert model.rowCount() > app.DEMO_CUSTOMERS // 2  # some are archived
    assert "new_notebook" in win.actions_by_name
    (tmp_path / "notebook.sqlite").touch()
    assert app._choose(argparse.Namespace(notebook=None, demo=False)) == \
        (tmp_path / "notebook.sqlite", False)


def test_switching_notebooks(qtbot, window, notebook, tmp_path, people):
    window.open_customer(people["Jürgen Müller"])
    other = tmp_path / "second.sqlite"
    assert window.switch_notebook(other)
    assert "second.sqlite" in window.windowTitle()
    assert window.list_panel.model.rowCount() == 0 and window.customer_id is None
    assert window.timeline.timeline_model.rowCount() == 0
    view, changes = customers.create("Øystein Ås")
    window.bus.publish(changes)
    assert window.list_panel.model.rowCount() == 1
    assert str(other) in window.recent_notebooks()
    assert window.switch_notebook(notebook)  # back: the last customer there comes back
    assert window.customer_id == people["Jürgen Müller"]
    assert window.list_panel.model.rowCount() == 3
