"""Starting the window: ``create_main_window`` (tests, screenshots) and ``run`` (the command).

``create_main_window(path)`` opens the notebook and builds the window without showing it or
starting an event loop. ``run(args)`` is what ``relnotebook`` does without a verb:
``--demo`` opens the demo notebook (built on first use); with no notebook given and none
at the default place yet, the demo opens too, so a first start shows something real;
``--smoke`` shows the window, paints once and quits with 0.

Start-up is lazy (issue 9): what is not on the first paint (the backup check, the drafts
offer, tray reminders, an import asked for on the command line) starts after it
(``MainWindow.after_first_paint``), and modules used only there are imported there.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from ..core import db, paths
from ..core.errors import NotebookError
from ..core.storage_errors import classify
from . import words

if TYPE_CHECKING:
    from .main_window import MainWindow

DEMO_CUSTOMERS = 200
DEMO_SEED = 1


def create_main_window(notebook_path: str | os.PathLike[str], *, demo: bool = False,
                       settings: QSettings | None = None) -> MainWindow:
    """Open the notebook at ``notebook_path`` and build the window (not shown).

    Raises ``StorageError`` when the file cannot be used (it is left untouched).
    """
    from .main_window import MainWindow

    path = db.open_notebook(notebook_path)
    window = MainWindow(path, demo=demo, settings=settings)
    window.remember_recent(path)
    window.restore_state()
    return window


def ensure_demo(parent: QWidget | None = None, *, show_progress: bool = True,
                rebuild: bool = False) -> Path:
    """The demo notebook's path, (re)generating it first when needed.

    ``--demo`` rebuilds it (DESIGN.md §6), so it is always a fresh, believable day; a first
    start reuses today's demo but rebuilds one written on an earlier day, whose follow-ups
    and birthdays would otherwise drift out of date.
    """
    path = paths.demo_notebook()
    if path.exists() and not rebuild:
        built_on = date.fromtimestamp(path.stat().st_mtime)
        if built_on >= date.today():
            return path
    from ..core import demo

    if path.exists():
        if db.current_path() == path.resolve():
            db.close_notebook()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(f"{path}{suffix}")

    dialog = None
    if show_progress and QApplication.instance() is not None:
        from PySide6.QtWidgets import QProgressDialog

        dialog = QProgressDialog(words.tr("Writing the demo notebook…"), "", 0, DEMO_CUSTOMERS,
                                 parent)
        dialog.setCancelButton(None)
        dialog.setMinimumDuration(300)
        dialog.setWindowTitle(words.tr("Relationship Notebook"))

    def progress(done: int, total: int) -> None:
        if dialog is not None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)
            QApplication.processEvents()

    try:
        demo.generate(path, customers=DEMO_CUSTOMERS, seed=DEMO_SEED, progress=progress)
    finally:
        if dialog is not None:
            dialog.close()
    return path


def _choose(args: argparse.Namespace) -> tuple[Path, bool]:
    """(notebook path, is demo) for the command-line arguments."""
    explicit = getattr(args, "notebook", None)
    if getattr(args, "demo", False):
        return ensure_demo(rebuild=True), True
    chosen = paths.resolve_notebook(explicit)
    if explicit or os.environ.get(paths.NOTEBOOK_ENV) or chosen.exists():
        return chosen, False
    try:  # a first start: show the demo; File → New notebook is there
        return ensure_demo(), True
    except Exception:  # noqa: BLE001 - a broken demo must not stop a first start
        logging.getLogger("relnotebook.ui").exception("the demo notebook could not be written")
        return chosen, False


def _fail(message: str, smoke: bool) -> int:
    if smoke or QApplication.instance() is None:
        print(f"relnotebook: {message}", file=sys.stderr)
    else:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, words.tr("Relationship Notebook"), message)
    return 1


def run(args: argparse.Namespace) -> int:
    """The window's event loop; returns the exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("relnotebook")
    app.setOrganizationName("relnotebook")
    app.setApplicationDisplayName(words.tr("Relationship Notebook"))
    _look(app)
    smoke = bool(getattr(args, "smoke", False))
    claim = None
    try:
        path, demo = _choose(args)
        if not smoke:  # one window per notebook: a second launch hands over and leaves
            from .single_instance import bring_forward
            from .single_instance import claim as claim_notebook

            claim = claim_notebook(path, getattr(args, "contacts", None))
            if claim.handed_over:
                return 0
            if claim.instance is None:
                return _fail(words.fmt("{name} is open in another window (process {pid}).",
                                       name=Path(path).name,
                                       pid=getattr(claim.holder, "pid", "?")), smoke)
        window = create_main_window(path, demo=demo)
    except NotebookError as exc:
        return _fail(words.error(exc), smoke)
    except Exception as exc:  # noqa: BLE001 - a sentence, not a traceback
        known = classify(exc)
        if known is None:
            raise
        return _fail(words.error(known), smoke)
    window.show()
    window.after_first_paint(lambda: window.safety.start())  # the quick_check
    if claim is not None and claim.instance is not None:
        window.instance = claim.instance
        claim.instance.activate_requested.connect(lambda file: (
            bring_forward(window), file and import_contacts(window, file)))
    if getattr(args, "contacts", None):
        window.after_first_paint(lambda: import_contacts(window, args.contacts))
    if not smoke:
        window.after_first_paint(lambda: _offer_drafts(window))
        window.after_first_paint(lambda: _start_reminders(window))
    if smoke:
        def paint_once() -> None:
            window.grab()
            if os.environ.get("RELNOTEBOOK_SMOKE_REPORT"):  # packaging checks (tests/packaging)
                from .help_dialogs import smoke_report

                print(smoke_report(window), flush=True)
            window.close()
            app.quit()

        QTimer.singleShot(0, paint_once)
    code = app.exec()
    db.close_notebook()
    if claim is not None and claim.instance is not None:
        claim.instance.release()
    return int(code)


def _look(app: QApplication) -> None:
    """The app icon, the desktop file's name (Wayland matches windows to the launcher by
    it) and the light/dark appearance chosen in Preferences."""
    from . import icons, theme

    app.setDesktopFileName(icons.APP_ID)
    app.setWindowIcon(icons.app_icon())
    theme.apply()


def _start_reminders(window: MainWindow) -> None:
    """The tray icon and its timer (ui/reminders.py), once the window has been seen."""
    from . import reminders

    window.reminders = reminders.start(window)  # type: ignore[attr-defined]


def import_contacts(window: MainWindow, file: str) -> None:
    """Start importing ``file`` (the import dialog, once it exists)."""
    opener = None
    try:
        from . import import_dialog  # written in parallel (issue: import)

        opener = getattr(import_dialog, "start_import", None)
    except ImportError:
        pass
    if opener is None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(window, words.tr("Import"), words.fmt(
            "Importing {file} from the window is not available yet; run: relnotebook import "
            "{file}", file=file))
        return
    opener(window.bus, Path(file), window)


def _offer_drafts(window: MainWindow) -> None:
    """Notes typed but never logged come back at start (DESIGN.md §8)."""
    try:
        from .draft_recovery import offer_recovery
    except ImportError:
        return
    offer_recovery(window, window.bus)
