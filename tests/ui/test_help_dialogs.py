"""Help → Keyboard shortcuts lists every shortcut the window has, searchable by words and keys;
Help → About tells the version, where the notebook and the data are, and the licences."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QTextBrowser
from typing_helpers import type_text
from window_helpers import shown_window

from relnotebook import __version__
from relnotebook.core import customers, paths
from relnotebook.ui import help_dialogs
from relnotebook.ui.help_dialogs import AboutDialog, ShortcutsDialog, gather, plain


@pytest.fixture
def window(qtbot, notebook):
    customers.create("Zoë Ångström", company="Ångström AB")
    return shown_window(qtbot, notebook)


@pytest.fixture
def opened(monkeypatch):
    """Dialogs that would open modally, recorded instead of run."""
    seen: list[object] = []
    for cls in (ShortcutsDialog, AboutDialog):
        monkeypatch.setattr(cls, "exec", lambda self: seen.append(self) or 0)
    return seen


def _action_shortcuts(window) -> dict[str, set[str]]:
    """Every action in the window with its keys, found independently of the dialog."""
    found: dict[str, set[str]] = {}
    for action in {*window.actions(), *window.findChildren(QAction)}:
        keys = {s.toString() for s in action.shortcuts()
                if not s.isEmpty() and s[0].key().value < Qt.Key.Key_Help.value}
        if keys:
            found.setdefault(plain(action.text()), set()).update(keys)
    return found


def test_help_menu_offers_shortcuts_on_f1_and_about(window):
    shortcuts = window.actions_by_name["shortcuts"]
    assert QKeySequence("F1") in shortcuts.shortcuts()
    assert not shortcuts.icon().isNull()
    assert "about" in window.actions_by_name
    help_menu = window.menuBar().actions()[-1].menu()
    assert [plain(a.text()) for a in help_menu.actions() if not a.isSeparator()] == [
        "Keyboard shortcuts", "About Relationship Notebook"]


def test_shortcuts_dialog_lists_every_shortcut_in_the_window(qtbot, window):
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    rows = {e.text: set(e.portable) for e in dialog.entries}
    expected = _action_shortcuts(window)
    assert expected, "the window has shortcuts"
    assert rows == expected
    assert rows["Search everything…"] == {"Ctrl+K"}
    assert rows["Find customer"] == {"Ctrl+F"}
    assert dialog.list.topLevelItemCount() == len(dialog.entries)
    where = {e.text: e.where for e in dialog.entries}
    assert where["Quit"] == "File" and where["Keyboard shortcuts"] == "Help"


def test_an_action_added_later_shows_too(qtbot, window):
    late = QAction("Call the customer back", window)
    late.setShortcut(QKeySequence("Ctrl+Shift+B"))
    window.addAction(late)
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    assert ("Call the customer back", ("Ctrl+Shift+B",)) in [
        (e.text, e.portable) for e in dialog.entries]


@pytest.mark.parametrize(("typed", "present", "absent"), [
    ("search", "Search everything…", "Quit"),
    ("ctrl+k", "Search everything…", "Find customer"),
    ("préférences", "Preferences…", "Quit"),  # folded, as the customer filter is
    ("help", "Keyboard shortcuts", "Quit"),  # by menu
    ("f1", "Keyboard shortcuts", "Undo"),
])
def test_filter_by_words_menus_and_keys(qtbot, window, typed, present, absent):
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    field = dialog.findChild(QLineEdit, "shortcutFilter")
    field.setFocus()
    type_text(field, typed)
    shown = dialog.visible_texts()
    assert present in shown
    assert absent not in shown
    assert dialog.count.text() == f"{len(shown)} of {len(dialog.entries)} shortcuts"


def test_filter_with_nothing_matching_shows_none(qtbot, window):
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    dialog.filter.setText("zzz nothing")
    assert dialog.visible_texts() == []
    dialog.filter.clear()
    assert len(dialog.visible_texts()) == len(dialog.entries)


def test_no_two_window_shortcuts_share_a_key(window):
    clashes = {e.text: e.conflicts for e in gather(window) if e.conflicts}
    assert clashes == {}


def test_a_clash_is_shown(qtbot, window):
    clash = QAction("Another palette", window)
    clash.setShortcut(QKeySequence("Ctrl+K"))
    window.addAction(clash)
    entries = {e.text: e for e in gather(window)}
    assert entries["Another palette"].conflicts == ["Ctrl+K: Search everything…"]
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    row = [e.text for e in dialog.entries].index("Another palette")
    assert "Search everything" in dialog.list.topLevelItem(row).toolTip(0)


def test_f1_and_the_menu_open_the_dialogs(qtbot, window, opened):
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert isinstance(opened[-1], ShortcutsDialog)
    window.actions_by_name["about"].trigger()
    assert isinstance(opened[-1], AboutDialog)


def test_about_names_version_notebook_data_folder_and_licences(qtbot, window, notebook):
    dialog = AboutDialog(window)
    qtbot.addWidget(dialog)
    title = dialog.findChild(QLabel, "aboutTitle").text()
    assert f"Version {__version__}" in title
    assert dialog.findChild(QLabel, "aboutNotebookPath").text() == str(notebook)
    assert dialog.findChild(QLabel, "aboutDataFolder").text() == str(paths.data_dir())
    assert dialog.findChild(QLabel, "aboutLogFile").text() == str(paths.log_file())
    licences = dialog.findChild(QTextBrowser, "aboutLicenses").toPlainText()
    for name, licence in (("PySide6", "LGPL-3.0"), ("Qt", "LGPL-3.0"), ("peewee", "MIT"),
                          ("platformdirs", "MIT"), ("vobject", "Apache-2.0"),
                          ("Python", "PSF-2.0")):
        cells = [c.strip() for c in licences.splitlines()]
        row = cells[cells.index(next(c for c in cells if c.startswith(name))):][:3]
        assert licence in row[2], row  # name, version, licence
    assert "MIT licence" in licences
    dialog.copy_details()
    copied = QGuiApplication.clipboard().text()
    assert str(notebook) in copied and f"Relationship Notebook {__version__}" in copied


def test_about_says_demo_on_the_demo(qtbot, notebook):
    dialog = AboutDialog(notebook=notebook, demo=True)
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLabel, "aboutNotebookPath").text() == f"{notebook} (demo)"


def test_smoke_report_is_json_with_what_a_bundle_needs(window):
    report = json.loads(help_dialogs.smoke_report(window))
    assert report["resources"].endswith("resources")
    assert report["app_icon_sizes"] == [16, 24, 32, 48, 64, 128, 256, 512]
    assert report["ui_icon"] is True
    assert report["shortcuts"] >= 15
    assert {"PySide6 (Qt for Python)", "peewee", "platformdirs"} <= set(report["libraries"])
