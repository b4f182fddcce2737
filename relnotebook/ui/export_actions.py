"""File → Import / Export, and the Customer menu's "Export this customer…" and "Erase this
customer…" (issue 7).

- Export: vCard, CSV, iCalendar and JSON write one file each (a save dialog asks where);
  Markdown writes one file per customer into a folder. ``run_export(parent, fmt, path)``
  runs the core's exporter in an ``IoWorker`` behind a busy dialog and, when it is done,
  says so in a message naming the path (``ioDoneBox``, shown without a nested event loop,
  and in the status bar); a failure goes through ``errors.report``.
- "Export this customer…": everything about them as JSON and Markdown into a folder
  (``run_customer_export``).
- "Erase this customer…": behind a confirmation that names the person and says it cannot be
  undone; the erase (deletes, search index optimize, VACUUM, WAL checkpoint: seconds on a big
  notebook) runs in the worker. Afterwards the undo stack is cleared (its commands could
  bring back pieces of the person) and ``Changes.everything()`` is published.

The thin wrappers ask for paths and confirmations; tests call the ``run_*`` functions with a
path and ``erase_customer`` with ``confirm=``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ..core import customers
from ..core.changes import Changes
from ..core.clock import today as local_today
from . import errors, words
from . import import_words as iw
from .io_worker import IoWorker

if TYPE_CHECKING:
    from .main_window import MainWindow

FORMATS = {  # format: (menu text, file filter, suggested file name)
    "vcf": ("&vCard (.vcf)…", "vCard (*.vcf)", "contacts.vcf"),
    "csv": ("&CSV (.csv)…", "CSV (*.csv)", "contacts.csv"),
    "ics": ("&iCalendar: follow-ups and dates (.ics)…", "iCalendar (*.ics)", "notebook.ics"),
    "json": ("&JSON: the whole notebook (.json)…", "JSON (*.json)", "notebook.json"),
    "md": ("&Markdown: a file per customer (folder)…", "", ""),
}
BUSY_AFTER_MS = 300  # the busy dialog shows only for work that takes longer
Confirm = Callable[[QWidget | None, str], bool]


# --- menus -----------------------------------------------------------------------------------


def install(win: MainWindow, file_menu: QMenu, actions: dict[str, QAction]) -> None:
    """Import and Export in the File menu (before Quit), and a Customer menu."""
    from .menus import import_contacts as choose_and_import  # imports the dialog when used

    def action(name: str, text: str, slot: Callable[[], Any], key: str = "") -> QAction:
        act = QAction(words.tr(text), win)
        act.setObjectName(f"action_{name}")
        if key:
            act.setShortcut(key)
        act.triggered.connect(lambda _checked=False: slot())
        win.addAction(act)
        actions[name] = act
        return act

    before = actions.get("quit")
    separator = file_menu.insertSeparator(before) if before is not None else None
    file_menu.insertAction(separator, action("import_contacts", "&Import contacts…",
                                             lambda: choose_and_import(win), "Ctrl+I"))
    export_menu = QMenu(words.tr("&Export"), file_menu)
    export_menu.setObjectName("exportMenu")
    for fmt, (text, _filter, _name) in FORMATS.items():
        export_menu.addAction(action(f"export_{fmt}", text,
                                     lambda f=fmt: export_notebook(win, f)))
    file_menu.insertMenu(separator, export_menu)

    customer_menu = QMenu(words.tr("C&ustomer"), win.menuBar())
    customer_menu.setObjectName("customerMenu")
    one = [action("export_customer", "E&xport this customer…", lambda: export_customer(win)),
           action("erase_customer", "&Erase this customer…", lambda: erase_customer(win))]
    one[0].setStatusTip(words.tr("Everything about this customer, as JSON and Markdown"))
    one[1].setStatusTip(words.tr("Remove this customer and every trace of them for good"))
    for act in one:
        customer_menu.addAction(act)
    customer_menu.aboutToShow.connect(
        lambda: [a.setEnabled(win.customer_id is not None) for a in one])
    bar = win.menuBar()
    anchor = next((a for a in bar.actions() if a.menu() is not None and any(
        actions.get(n) in a.menu().actions() for n in ("edit_conversation", "about"))), None)
    if anchor is not None:
        bar.insertMenu(anchor, customer_menu)
    else:
        bar.addMenu(customer_menu)


# --- the busy dialog and the message -------------------------------------------------------


class BusyDialog(QDialog):
    """"Exporting…" with a moving bar; shown only when the work takes a moment."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ioBusy")
        self.setWindowTitle(words.tr("Relationship Notebook"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        label = QLabel(text, self)
        label.setWordWrap(True)
        bar = QProgressBar(self)
        bar.setRange(0, 0)
        layout.addWidget(label)
        layout.addWidget(bar)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 26)

    def reject(self) -> None:  # the work cannot be stopped half way: Esc does nothing
        pass


class _Task(QObject):
    """The GUI-thread side of one job: hides the busy dialog, then reports. Its slots are a
    QObject's, so Qt queues the worker's signals to the GUI thread."""

    def __init__(self, parent: QWidget | None, text: str, done: Callable[[Any], None],
                 failed: Callable[[BaseException], None] | None) -> None:
        super().__init__(parent)
        self.widget, self.done, self.failed = parent, done, failed
        self.busy = BusyDialog(text, parent)
        QTimer.singleShot(BUSY_AFTER_MS, self.busy, self.busy.show)

    def _finish(self) -> None:
        self.busy.hide()
        self.busy.deleteLater()
        self.deleteLater()

    @Slot(object)
    def ok(self, result: Any) -> None:
        self._finish()
        self.done(result)

    @Slot(object)
    def bad(self, exc: BaseException) -> None:
        self._finish()
        if self.failed is not None:
            self.failed(exc)
        else:
            errors.report(self.widget, exc, message=iw.failure(exc))


def _run(parent: QWidget | None, text: str, job: Callable[[], Any],
         done: Callable[[Any], None], failed: Callable[[BaseException], None] | None = None
         ) -> IoWorker:
    task = _Task(parent, text, done, failed)
    worker = IoWorker(lambda _progress, _cancelled: job())
    worker.task = task  # type: ignore[attr-defined] - alive as long as the worker
    worker.succeeded.connect(task.ok)
    worker.failed.connect(task.bad)
    return worker.start_job()


def announce(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """Say that something is done: a message (no nested event loop) and the status bar."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("ioDoneBox")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    _status(parent, text)
    return box


def _status(parent: QWidget | None, text: str) -> None:
    window = parent.window() if parent is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 15_000)


# --- export ------------------------------------------------------------------------------------


def export_notebook(win: MainWindow, fmt: str) -> IoWorker | None:
    """File → Export → ``fmt``: ask where, then export."""
    title = words.tr("Export")
    if fmt == "md":
        chosen = QFileDialog.getExistingDirectory(win, words.tr("Export Markdown into"),
                                                  str(Path.home()))
        if not chosen:
            return None
        path = Path(chosen)
        if any(path.iterdir()):  # never mix a file per customer into a folder in use
            path = path / f"{win.notebook_path.stem} Markdown {local_today().isoformat()}"
    else:
        _text, filter_, name = FORMATS[fmt]
        chosen, _ = QFileDialog.getSaveFileName(win, title, str(Path.home() / name),
                                                words.tr(filter_))
        if not chosen:
            return None
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(f".{fmt}")
    return run_export(win, fmt, path)


def run_export(parent: QWidget | None, fmt: str, path: Path,
               today: date | None = None) -> IoWorker:
    """Export the notebook as ``fmt`` to ``path`` in the worker; announce where it went."""
    from ..core.io import export_csv, export_ics, export_json, export_md, export_vcf

    day = today or local_today()
    path = Path(path)

    def job() -> str:
        if fmt == "md":
            files = export_md.export(path, day)
            return words.fmt("Exported {n} customers as Markdown files into {path}",
                             n=len(files), path=str(path))
        if fmt == "ics":
            n = export_ics.export(path)
            return words.fmt("Exported {n} follow-ups and dates to {path}", n=n,
                             path=str(path))
        if fmt == "json":
            export_json.export(path)
            return words.fmt("Exported the whole notebook to {path}", path=str(path))
        n = {"vcf": export_vcf, "csv": export_csv}[fmt].export(path)
        return words.fmt("Exported {n} customers to {path}", n=n, path=str(path))

    return _run(parent, words.fmt("Exporting to {path}…", path=str(path)), job,
                lambda text: announce(parent, words.tr("Export"), text))


def export_customer(win: MainWindow) -> IoWorker | None:
    """Customer → Export this customer…: ask for a folder, then export."""
    if win.customer_id is None:
        return None
    chosen = QFileDialog.getExistingDirectory(win, words.tr("Export this customer into"),
                                              str(Path.home()))
    return run_customer_export(win, win.customer_id, Path(chosen)) if chosen else None


def run_customer_export(parent: QWidget | None, customer_id: int, folder: Path,
                        today: date | None = None) -> IoWorker:
    """Everything about one customer as JSON and Markdown into ``folder``, in the worker."""
    from ..core.io import export_json

    day = today or local_today()

    def job() -> str:
        name = customers.get(customer_id).full_name
        json_path, md_path = export_json.export_customer(folder, customer_id, day)
        return words.fmt("Exported {name} to {json} and {md}", name=name, json=str(json_path),
                         md=str(md_path))

    return _run(parent, words.tr("Exporting this customer…"), job,
                lambda text: announce(parent, words.tr("Export"), text))


# --- erase -------------------------------------------------------------------------------------


def erase_box(parent: QWidget | None, name: str) -> QMessageBox:
    """The confirmation (built, not shown): names the person, says it cannot be undone."""
    box = QMessageBox(parent)
    box.setObjectName("eraseConfirm")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(words.tr("Erase this customer"))
    box.setText(words.fmt("Erase {name} and everything about them?", name=name))
    box.setInformativeText(words.fmt(
        "Their conversations, notes, follow-ups, contact details and drafts are removed from "
        "this notebook for good, and a restored backup does not bring {name} back. This cannot "
        "be undone: the Undo history is cleared too.", name=name))
    erase = box.addButton(words.tr("&Erase"), QMessageBox.ButtonRole.DestructiveRole)
    erase.setObjectName("eraseButton")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box


def ask_erase(parent: QWidget | None, name: str) -> bool:
    box = erase_box(parent, name)
    box.exec()
    chosen = box.clickedButton()
    return chosen is not None and chosen.objectName() == "eraseButton"


def erase_customer(win: MainWindow, customer_id: int | None = None, *,
                   confirm: Confirm | None = None) -> IoWorker | None:
    """Customer → Erase this customer…: confirm, then erase in the worker."""
    from ..core.erase import erase_customer as erase

    cid = customer_id if customer_id is not None else win.customer_id
    if cid is None:
        return None
    view = errors.guarded(win, customers.get, cid)
    if view is None or not (confirm or ask_erase)(win, view.label):
        return None
    if win.customer_id == cid:
        win.open_customer(None, force=True)  # the panels let go of them (the draft is saved)

    def done(result: Any) -> None:
        win.undo_stack.clear()
        win.bus.publish(Changes.everything())
        win.outside_writes.reset()  # our worker's commit is not another program's write
        _status(win, words.fmt("Erased {name}.", name=view.label))
        if not result.complete:
            errors.show_error(win, words.fmt(
                "Erased {name}. The notebook is open in another program, so the file could "
                "not be fully rewritten yet; old copies of the erased data may remain in it "
                "until that program closes it.", name=view.label), "")

    return _run(win, words.fmt("Erasing {name}…", name=view.label), lambda: erase(cid), done)
