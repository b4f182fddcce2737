"""Errors reach the user as one sentence with a "Copy details" button (DESIGN.md §7).

``guarded(parent, func, ...)`` runs a core call; a ``NotebookError`` or a storage failure
becomes a worded sentence (``words.error``) in a dialog, the traceback goes to the log file,
and the call returns None. Anything else is not caught: a bug should be loud in tests.
"""

from __future__ import annotations

import logging
import sqlite3
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from peewee import DatabaseError as PeeweeDatabaseError
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from ..core import paths
from ..core.errors import NotebookError
from ..core.storage_errors import classify
from . import words

T = TypeVar("T")
log = logging.getLogger("relnotebook.ui")

# Tests (and headless runs) replace this to see what the user would have been shown
# without a modal dialog; it receives (parent, message, details).
presenter: Callable[[QWidget | None, str, str], None] | None = None


def _log_to_file(message: str, details: str) -> None:
    try:
        path = paths.log_file()
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"--- {message}\n{details}\n")
    except OSError:
        log.error("%s\n%s", message, details)


def show_error(parent: QWidget | None, message: str, details: str) -> None:
    """A warning dialog: the sentence, and a button that copies the details."""
    if presenter is not None:
        presenter(parent, message, details)
        return
    error_box(parent, message, details).exec()


def error_box(parent: QWidget | None, message: str, details: str) -> QMessageBox:
    """The dialog ``show_error`` shows (built, not shown)."""
    box = QMessageBox(parent)
    box.setObjectName("errorBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(words.tr("Relationship Notebook"))
    box.setText(message)
    box.setDetailedText(details)
    copy = QPushButton(words.tr("Copy details"), box)
    copy.setObjectName("copyDetailsButton")
    box.addButton(copy, QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    copy.clicked.disconnect()  # keep the box open after copying
    copy.clicked.connect(lambda: QApplication.clipboard().setText(f"{message}\n\n{details}"))
    return box


def report(parent: QWidget | None, exc: BaseException, *, message: str | None = None) -> None:
    """Word ``exc`` (or say ``message``), log its traceback, show the sentence."""
    if message is None:
        known = exc if isinstance(exc, NotebookError) else classify(exc)
        message = words.error(known if known is not None else exc)
    details = "".join(traceback.format_exception(exc))
    _log_to_file(message, details)
    show_error(parent, message, details)


def guarded(parent: QWidget | None, func: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run a core call; on a notebook or storage error show it and return None."""
    try:
        return func(*args, **kwargs)
    except (NotebookError, sqlite3.Error, PeeweeDatabaseError, OSError) as exc:
        report(parent, exc)
        return None
