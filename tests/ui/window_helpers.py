"""The main window as a user has it: built on a notebook, shown, focused."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from relnotebook.ui.app import create_main_window
from relnotebook.ui.main_window import MainWindow


def shown_window(qtbot, notebook: Path, size: tuple[int, int] = (1280, 800)) -> MainWindow:
    """Build the window, show it at ``size`` and wait until it is the active window (so
    shortcuts reach it as they would a user's keystrokes)."""
    win = create_main_window(notebook)
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    return win
