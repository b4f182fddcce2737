"""The window's side of "never lose a note" (DESIGN.md §8): the read-only banner, the offer
to repair a damaged notebook, Tools → Backups, and reopening after a restore.

``add_banner(window)`` puts the read-only banner above the window's content while it is
built; ``attach(window, banner)`` wires a ``SafetyController`` (ui/safety.py: backups and
checks in workers) and its ``IdleCheckpointer`` (ui/checkpoint.py: the write-ahead log
copied into the file when the notebook is idle, in the same worker pool) to the window and
the banner so ``main_window.py`` stays about layout.
The controller and its modules (the backup machinery) load after the first paint
(``MainWindow.safety``): the banner alone says "read-only" from the first paint on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QMessageBox, QVBoxLayout, QWidget

from ..core.changes import Changes
from ..core.errors import StorageError
from . import words

if TYPE_CHECKING:
    from .checkpoint import IdleCheckpointer
    from .main_window import MainWindow
    from .safety import RepairReport, SafetyController

Ask = Callable[[QWidget | None, str, str], bool]


class ReadOnlyBanner(QLabel):
    """A strip above the window's content while the notebook is read-only.

    It shows what ``db.is_read_only()`` says when built, then follows ``controller``'s
    ``read_only_changed`` (given here, or later to ``follow``: the window builds its
    controller after the first paint)."""

    def __init__(self, controller: SafetyController | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readOnlyBanner")
        self.setWordWrap(True)
        self.setText(words.tr(
            "This notebook is read-only: you can read everything, but nothing can be saved "
            "to it. To write again, open a copy or fix the file's permissions."))
        self.setMargin(8)
        self.setAutoFillBackground(True)
        palette = self.palette()  # the tooltip colours: a note, readable in light and dark
        palette.setColor(QPalette.ColorRole.Window,
                         palette.color(QPalette.ColorRole.ToolTipBase))
        palette.setColor(QPalette.ColorRole.WindowText,
                         palette.color(QPalette.ColorRole.ToolTipText))
        self.setPalette(palette)
        from ..core import db

        self.setVisible(db.is_read_only())
        if controller is not None:
            self.follow(controller)

    def follow(self, controller: SafetyController) -> None:
        """Show and hide with ``controller``'s read-only state."""
        controller.read_only_changed.connect(self.setVisible)


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def offer_repair(parent: QWidget | None, controller: SafetyController, problems: list[str],
                 *, ask: Ask = ask_yes_no) -> RepairReport | None:
    """On ``damaged``: ask the user, then ``repair()``; None when they said no."""
    good = controller.newest_good_backup()
    name = controller.notebook_path.name
    if good is not None:
        when = good.taken_at.replace(tzinfo=UTC).astimezone()
        offer = words.fmt("The newest good backup, from {when}, will take its place.",
                          when=when.strftime("%Y-%m-%d %H:%M"))
    else:
        offer = words.tr("There is no good backup: a new, empty notebook will take its place.")
    text = words.fmt(
        "The notebook {name} is damaged ({problem}).\n\nMove it aside? It is renamed, never "
        "deleted, so nothing in it is lost. {offer}",
        name=name, problem=problems[0] if problems else "?", offer=offer)
    if not ask(parent, words.tr("The notebook is damaged"), text):
        return None
    return controller.repair()


def add_banner(window: MainWindow) -> ReadOnlyBanner:
    """Put a read-only banner above the window's central widget; returns it."""
    content = window.centralWidget()
    holder = QWidget(window)
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    banner = ReadOnlyBanner(None, holder)
    column.addWidget(banner)
    column.addWidget(content, 1)
    window.setCentralWidget(holder)
    return banner


def attach(window: MainWindow, banner: ReadOnlyBanner | None = None) -> SafetyController:
    """Give the window its safety controller (the banner, when given, follows it), its idle
    checkpointer (``checkpointer_of``), and reopen-after-restore."""
    from .checkpoint import IdleCheckpointer
    from .safety import SafetyController

    controller = SafetyController(window.bus, window.notebook_path, window)
    # In the controller's one-thread pool: a checkpoint never runs beside a backup or the
    # check, and the controller waits for it before it moves, repairs or restores the file.
    checkpointer = IdleCheckpointer(controller.pool, controller)
    window.bus.changed.connect(checkpointer.note_write)
    checkpointer.watch_close(window)
    checkpointer.start()
    if banner is not None:
        banner.follow(controller)
    controller.damaged.connect(lambda problems: offer_repair(window, controller, problems))
    controller.restored.connect(lambda path: reopened(window, Path(path)))
    controller.backup_failed.connect(lambda code: window.statusBar().showMessage(
        words.error(StorageError(code))))
    controller.backup_finished.connect(lambda info: window.statusBar().showMessage(
        words.fmt("Backed up to {path}", path=str(info.path)), 8000))
    return controller


def checkpointer_of(controller: SafetyController) -> IdleCheckpointer | None:
    """The idle checkpointer ``attach`` gave ``controller``."""
    from .checkpoint import IdleCheckpointer

    return controller.findChild(IdleCheckpointer, "idleCheckpointer")


def reopened(window: MainWindow, path: Path) -> None:
    """The notebook file was replaced (a restore or a repair): show what it holds now."""
    from ..core import db

    if db.current_path() is None or db.current_path() != path.resolve():
        db.open_notebook(path)
    window.undo_stack.clear()  # its commands point at rows of the file that was replaced
    window.outside_writes.reset()
    window.safety.set_notebook(path)
    window.bus.publish(Changes.everything())
    window.restore_last_customer()


def show_backups(window: MainWindow) -> None:
    from .backups_dialog import BackupsDialog

    dialog = BackupsDialog(window.safety, window)
    dialog.restored.connect(lambda path: reopened(window, Path(path)))
    dialog.exec()
