"""The main window's menus and shortcuts: every action reachable by keyboard (DESIGN.md §7).

Standard keys where Qt has them (``QKeySequence.StandardKey``); New = Ctrl+N makes a new
*customer*, so the notebook actions (New/Open notebook) take no conflicting shortcut.
Actions owned by panels (edit/delete a conversation) are added to the menus as they are.

Every action exists from the first paint (its shortcut works at once), but what it opens
(card, palette, preferences, import, backups, help, file dialogs) is imported when it is
triggered: none of it is on the first paint (issue 9).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from ..core import paths
from . import words
from .errors import guarded

if TYPE_CHECKING:
    from .main_window import MainWindow

Std = QKeySequence.StandardKey


def _keys(*keys: Any) -> list[QKeySequence]:
    out: list[QKeySequence] = []
    for key in keys:
        seqs = QKeySequence.keyBindings(key) if isinstance(key, Std) else [QKeySequence(key)]
        out += [s for s in seqs if not s.isEmpty() and s not in out]
    return out


def build(win: MainWindow) -> dict[str, QAction]:
    actions: dict[str, QAction] = {}

    def add(menu: QMenu, name: str, text: str, slot: Callable[[], Any], *keys: Any,
            tip: str = "") -> QAction:
        action = QAction(text, win)
        action.setObjectName(f"action_{name}")
        shortcuts = _keys(*keys)
        if shortcuts:
            action.setShortcuts(shortcuts)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        win.addAction(action)
        actions[name] = action
        return action

    bar = win.menuBar()
    file_menu = bar.addMenu(words.tr("&File"))
    add(file_menu, "new_customer", words.tr("&New customer…"), lambda: new_customer(win),
        Std.New)
    add(file_menu, "customer_card", words.tr("Customer &card…"),
        lambda: open_card(win, win.customer_id) if win.customer_id else None, "Ctrl+E")
    file_menu.addSeparator()
    add(file_menu, "new_notebook", words.tr("New note&book…"), lambda: new_notebook(win))
    add(file_menu, "open_notebook", words.tr("&Open notebook…"), lambda: open_notebook(win),
        Std.Open)
    recent = file_menu.addMenu(words.tr("&Recent notebooks"))
    recent.aboutToShow.connect(lambda: _fill_recent(win, recent))
    add(file_menu, "open_demo", words.tr("Open the &demo notebook"), lambda: open_demo(win))
    file_menu.addSeparator()
    add(file_menu, "quit", words.tr("&Quit"), win.close, Std.Quit, "Ctrl+Q")

    edit = bar.addMenu(words.tr("&Edit"))
    undo = win.undo_stack.createUndoAction(win, words.tr("&Undo"))
    undo.setShortcuts(_keys(Std.Undo))
    redo = win.undo_stack.createRedoAction(win, words.tr("&Redo"))
    redo.setShortcuts(_keys("Ctrl+Shift+Z", Std.Redo))
    for name, action in (("undo", undo), ("redo", redo)):
        action.setObjectName(f"action_{name}")
        edit.addAction(action)
        win.addAction(action)
        actions[name] = action
    edit.addSeparator()
    add(edit, "find", words.tr("&Find customer"), win.list_panel.focus_search, Std.Find)
    add(edit, "copy_brief", words.tr("&Copy brief"), win.brief.copy_brief, "Ctrl+Shift+C")
    win.header.copy_button.clicked.connect(win.brief.copy_brief)
    edit.addSeparator()
    add(edit, "preferences", words.tr("&Preferences…"), lambda: preferences(win),
        "Ctrl+,", Std.Preferences)

    view = bar.addMenu(words.tr("&View"))
    add(view, "today", words.tr("&Today — who to call"), win.show_today, "Ctrl+T")
    add(view, "search", words.tr("&Search everything…"), lambda: search_palette(win), "Ctrl+K")
    view.addSeparator()
    for n, (name, text, target) in enumerate((
        ("focus_list", words.tr("Customer &list"), lambda: win.list_panel.table),
        ("focus_brief", words.tr("&Brief"), lambda: win.brief),
        ("focus_timeline", words.tr("T&imeline"), lambda: win.timeline),
        ("focus_editor", words.tr("&Note editor"), lambda: win.editor),
    ), start=1):
        add(view, name, text, lambda t=target: _focus(win, t()), f"Alt+{n}")

    conv = bar.addMenu(words.tr("&Conversation"))
    for name, action in (("expand", win.timeline.expand_action),
                         ("edit_conversation", win.timeline.edit_action),
                         ("delete_conversation", win.timeline.delete_action)):
        conv.addAction(action)
        actions[name] = action
    if hasattr(win.editor, "save"):
        conv.addSeparator()
        add(conv, "save_note", words.tr("&Save note (Ctrl+Enter in the editor)"),
            win.editor.save)

    tools = bar.addMenu(words.tr("&Tools"))
    add(tools, "backups", words.tr("&Backups…"), lambda: _backups(win))
    add(tools, "back_up_now", words.tr("Back up &now"), lambda: win.safety.back_up_now())

    help_menu = bar.addMenu(words.tr("&Help"))
    add(help_menu, "shortcuts", words.tr("&Keyboard shortcuts"), lambda: shortcuts(win),
        Std.HelpContents, "F1")
    add(help_menu, "about", words.tr("&About Relationship Notebook"), lambda: about(win))
    from .export_actions import install as install_io  # Import, Export, Customer menu

    install_io(win, file_menu, actions)
    _help_icons(actions)
    return actions


def _backups(win: MainWindow) -> None:
    from .window_safety import show_backups

    show_backups(win)


def _focus(win: MainWindow, widget: QWidget) -> None:
    if widget is not win.list_panel.table and widget is not win.editor:
        win.centre.setCurrentIndex(0)
    widget.setFocus()
    focus = getattr(widget, "focus_text", None)  # the editor may forward focus to its text
    if callable(focus):
        focus()


def _fill_recent(win: MainWindow, menu: QMenu) -> None:
    menu.clear()
    recent = win.recent_notebooks()
    if not recent:
        menu.addAction(words.tr("(none yet)")).setEnabled(False)
    for path in recent:
        menu.addAction(path).triggered.connect(
            lambda _c=False, p=path: win.switch_notebook(Path(p)))


def new_customer(win: MainWindow) -> None:
    open_card(win, None)


def open_card(win: MainWindow, customer_id: int | None) -> None:
    """The customer card (a new customer when ``customer_id`` is None)."""
    from .main_window import _optional

    card_cls = _optional("customer_card", "CustomerCardDialog")
    if card_cls is None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(win, words.tr("Customer card"),
                                words.tr("The customer card is not available in this build."))
        return
    dialog = card_cls(win.bus, win.undo_stack, customer_id, win)
    if hasattr(dialog, "created"):
        dialog.created.connect(win.open_customer)
    win.card_dialog = dialog  # tests reach the open card through the window
    dialog.exec()
    win.card_dialog = None
    dialog.deleteLater()


def new_notebook(win: MainWindow) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    path, _ = QFileDialog.getSaveFileName(
        win, words.tr("New notebook"), str(paths.data_dir() / "notebook.sqlite"),
        words.tr("Notebooks (*.sqlite)"))
    if not path:
        return
    target = Path(path)
    if target.suffix != ".sqlite":
        target = target.with_suffix(".sqlite")
    if target.exists():
        QMessageBox.warning(win, words.tr("New notebook"), words.fmt(
            "{path} already exists. Choose Open notebook to open it.", path=str(target)))
        return
    win.switch_notebook(target)


def open_notebook(win: MainWindow) -> None:
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(
        win, words.tr("Open notebook"), str(win.notebook_path.parent),
        words.tr("Notebooks (*.sqlite);;All files (*)"))
    if path:
        win.switch_notebook(Path(path))


def open_demo(win: MainWindow) -> None:
    from .app import ensure_demo

    path = guarded(win, ensure_demo, win)
    if path is not None:
        win.switch_notebook(path, demo=True)


def import_contacts(win: MainWindow) -> None:
    from .import_dialog import choose_and_import

    choose_and_import(win)


def preferences(win: MainWindow) -> None:
    from .main_window import _optional

    dialog_cls = _optional("preferences", "PreferencesDialog")
    if dialog_cls is None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(win, words.tr("Preferences"),
                                words.tr("Preferences are not available in this build."))
        return
    dialog_cls(win.bus, win).exec()


def search_palette(win: MainWindow) -> None:
    from .main_window import _optional

    palette_cls = _optional("search_palette", "SearchPalette")
    if palette_cls is None:
        win.list_panel.focus_search()
        return
    # One palette per window, shown without a nested event loop; it keeps the last query.
    palette = win.findChild(palette_cls, "searchPalette")
    if palette is None:
        palette = palette_cls(win.bus, win)
    palette.popup()


def _help_icons(actions: dict[str, QAction]) -> None:
    from . import icons

    for name, icon in (("shortcuts", "keyboard"), ("about", "about"), ("search", "search"),
                       ("today", "today")):
        if name in actions:
            actions[name].setIcon(icons.icon(icon))


def shortcuts(win: MainWindow) -> None:
    from .help_dialogs import show_shortcuts

    show_shortcuts(win)


def about(win: MainWindow) -> None:
    from .help_dialogs import show_about

    show_about(win)
