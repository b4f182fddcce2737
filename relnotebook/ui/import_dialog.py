"""File → Import contacts… (Ctrl+I), and ``relnotebook FILE.vcf``: the window's import.

The flow (issue 7; DESIGN.md §2 "Long work leaves the GUI thread", §8):

1. *planning*: ``merge.plan_import`` runs in an ``IoWorker`` (its own connection) with a
   progress bar and Cancel; nothing is written;
2. *mapping*, when a CSV's columns were not recognised: its first rows with a combo per
   column; Continue plans again with the chosen mapping ("Skip this file" goes on without);
3. *preview*: new / merged (into whom, adding what) / already there / skipped (file:line
   and why), with counts; Import is offered only when something would be added;
4. *applying*: ``merge.apply`` in the worker, in one short transaction; Cancel before it
   commits leaves the notebook as it was;
5. *done*: a summary; the report's ``Changes`` go to the bus so the list refreshes. Or
   *cancelled* / *failed*, which say that nothing was written.

``ImportDialog`` is driven directly by tests (``start()``, ``continue_mapping()``,
``apply()``, ``cancel()``; ``stage_changed`` says where it is); ``start_import`` and
``choose_and_import`` are the thin wrappers that show it and ask for files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.io import MERGE, NEW, ImportCancelled, ImportPlan, ImportReport, csv_import, merge
from . import errors, words
from . import import_words as iw
from .bus import EventBus
from .import_pages import MappingPage, PreviewPage
from .io_worker import IoWorker

if TYPE_CHECKING:
    from .main_window import MainWindow

PLANNING, MAPPING, PREVIEW, APPLYING = "planning", "mapping", "preview", "applying"
DONE, CANCELLED, FAILED = "done", "cancelled", "failed"


class ImportDialog(QDialog):
    stage_changed = Signal(str)
    """The flow moved on: planning, mapping, preview, applying, done, cancelled, failed."""

    planned = Signal(object)
    """A plan is in the preview (``ImportPlan``)."""

    imported = Signal(object)
    """The import was written (``ImportReport``); its changes were published."""

    def __init__(self, bus: EventBus, paths: Sequence[str | Path],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(words.tr("Import contacts"))
        self.bus = bus
        self.paths = [Path(p) for p in paths]
        self.stage = ""
        self.plan: ImportPlan | None = None
        self.report: ImportReport | None = None
        self.mapping: list[tuple[str, str]] = []
        self.mapped: set[str] = set()  # files the user saw the mapping step for
        self.worker: IoWorker | None = None
        self._build()

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        self.status = QLabel(self)
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("importProgress")
        self.progress.setFormat(words.tr("%v of %m"))
        busy = QWidget(self)
        box = QVBoxLayout(busy)
        box.addStretch(1)
        box.addWidget(self.status)
        box.addWidget(self.progress)
        box.addStretch(1)
        self.message = QLabel(self)
        self.message.setObjectName("importMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mapping_page = MappingPage(self)
        self.preview = PreviewPage(self)
        self.pages = QStackedWidget(self)
        for page in (busy, self.mapping_page, self.preview, self.message):
            self.pages.addWidget(page)
        self.busy_page = busy
        self.buttons = QDialogButtonBox(self)
        self.import_button = self._button("importButton", words.tr("&Import"),
                                          QDialogButtonBox.ButtonRole.AcceptRole, self.apply)
        self.continue_button = self._button("continueButton", words.tr("&Continue"),
                                            QDialogButtonBox.ButtonRole.AcceptRole,
                                            self.continue_mapping)
        self.skip_button = self._button("skipFileButton", words.tr("&Skip this file"),
                                        QDialogButtonBox.ButtonRole.ActionRole, self.skip_file)
        self.cancel_button = self._button("cancelButton", words.tr("Cancel"),
                                          QDialogButtonBox.ButtonRole.RejectRole, self.cancel)
        self.close_button = self._button("closeButton", words.tr("Close"),
                                         QDialogButtonBox.ButtonRole.RejectRole, self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(em * 46, em * 12)  # a progress bar; the preview grows it (_show)
        self.big = (em * 84, em * 50)

    def _button(self, name: str, text: str, role: QDialogButtonBox.ButtonRole,
                slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        self.buttons.addButton(button, role)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _show(self, stage: str, page: QWidget, *buttons: QPushButton) -> None:
        self.stage = stage
        self.pages.setCurrentWidget(page)
        if page in (self.preview, self.mapping_page):
            self.resize(max(self.width(), self.big[0]), max(self.height(), self.big[1]))
        for button in (self.import_button, self.continue_button, self.skip_button,
                       self.cancel_button, self.close_button):
            button.setVisible(button in buttons)
        if buttons:
            buttons[0].setDefault(True)
            buttons[0].setFocus()
        self.stage_changed.emit(stage)

    # --- the flow --------------------------------------------------------------------------

    def start(self) -> None:
        """Plan the files (again, with the mapping chosen so far) in the worker."""
        names = ", ".join(p.name for p in self.paths)
        self.status.setText(words.fmt("Reading {files}…", files=names))
        self.progress.setRange(0, 0)
        self._show(PLANNING, self.busy_page, self.cancel_button)
        paths, mapping = list(self.paths), list(self.mapping)
        self._run(lambda progress, cancelled: merge.plan_import(
            paths, mapping or None, progress=progress, cancelled=cancelled), self._planned)

    def _run(self, job: Any, on_success: Any) -> None:
        worker = IoWorker(job)
        worker.progressed.connect(self._progressed)
        worker.succeeded.connect(on_success)
        worker.failed.connect(self._failed)
        self.worker = worker.start_job()

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        if self.stage in (PLANNING, APPLYING) and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    @Slot(object)
    def _planned(self, plan: ImportPlan) -> None:
        if self.stage != PLANNING:  # cancelled meanwhile: the plan is dropped
            return
        self.plan = plan
        unmapped = self._unmapped(plan)
        if unmapped is not None:
            self._ask_mapping(unmapped)
            return
        self._show_preview()

    def _unmapped(self, plan: ImportPlan) -> Path | None:
        """A CSV file whose columns were not recognised and not mapped here yet."""
        by_name = {p.name: p for p in self.paths}
        for item in plan.items:
            if item.reason == "unknown_columns" and item.file not in self.mapped \
                    and item.file in by_name:
                return by_name[item.file]
        return None

    def _ask_mapping(self, path: Path) -> None:
        self.mapped.add(path.name)
        try:
            headers, rows, guesses = csv_import.sample(path.read_bytes())
        except OSError:
            self._show_preview()  # the preview says the file cannot be read
            return
        self.mapping_page.show_file(path.name, headers, rows, guesses)
        self._show(MAPPING, self.mapping_page, self.continue_button, self.skip_button,
                   self.cancel_button)

    def continue_mapping(self) -> bool:
        """Plan again with the columns chosen; False (and a hint) when none names anyone."""
        if self.stage != MAPPING or not self.mapping_page.check():
            return False
        self.mapping += self.mapping_page.mapping()
        self.start()
        return True

    def skip_file(self) -> None:
        """Go on without the file being mapped (the preview lists it as skipped)."""
        if self.stage == MAPPING:
            self._show_preview()

    def _show_preview(self) -> None:
        plan = self.plan
        assert plan is not None
        self.preview.show_plan(plan, {column for _, column in self.mapping})
        writes = plan.count(NEW) + plan.count(MERGE)
        self.import_button.setText(words.tr("&Import %n contacts", writes))
        self.import_button.setEnabled(writes > 0)
        if writes:
            self._show(PREVIEW, self.preview, self.import_button, self.cancel_button)
        else:
            self._show(PREVIEW, self.preview, self.close_button)
        self.planned.emit(plan)

    def apply(self) -> None:
        """Write the plan in the worker (one short transaction)."""
        if self.stage != PREVIEW or self.plan is None or not self.import_button.isEnabled():
            return
        plan = self.plan
        writes = plan.count(NEW) + plan.count(MERGE)
        self.status.setText(words.tr("Writing %n contacts into the notebook…", writes))
        self.progress.setRange(0, 0)
        self._show(APPLYING, self.busy_page, self.cancel_button)
        self._run(lambda _progress, cancelled: merge.apply(plan, cancelled=cancelled),
                  self._applied)

    @Slot(object)
    def _applied(self, report: ImportReport) -> None:
        # Written, even when Cancel came too late to stop it: say so truthfully.
        self.report = report
        self.bus.publish(report.changes)
        outside = getattr(self.parent(), "outside_writes", None)
        if outside is not None:  # our worker's commit is not "another program's" write
            outside.reset()
        self.message.setText(done_text(report))
        self._show(DONE, self.message, self.close_button)
        self.imported.emit(report)

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportCancelled) or self.stage == CANCELLED:
            self._cancelled()
            return
        text = iw.failure(exc)
        self.message.setText(text)
        self._show(FAILED, self.message, self.close_button)
        errors.report(self, exc, message=text)

    def cancel(self) -> None:
        """Cancel: stop the worker (nothing is written) or close the dialog."""
        if self.stage in (PLANNING, APPLYING) and self.worker is not None \
                and self.worker.isRunning():
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(words.tr("Cancelling…"))
            if self.stage == PLANNING:  # a plan that arrives now is dropped
                self._cancelled()
            return
        if self.stage in (PLANNING, MAPPING, PREVIEW):
            self._cancelled()
        self.reject()

    def _cancelled(self) -> None:
        self.cancel_button.setEnabled(True)
        self.message.setText(iw.failure(ImportCancelled()))
        self._show(CANCELLED, self.message, self.close_button)

    def reject(self) -> None:  # Esc and the title bar's close
        if self.worker is not None and self.worker.isRunning() and self.stage == APPLYING:
            self.cancel()  # stays open until the worker says whether it was written
            return
        if self.worker is not None and self.worker.isRunning():
            self.worker.cancel()
        super().reject()


def done_text(report: ImportReport) -> str:
    parts = [words.tr("Added %n customers", report.added),
             words.tr("merged %n into customers you had", report.merged)]
    if report.unchanged:
        parts.append(words.tr("%n were already there", report.unchanged))
    if report.skipped:
        parts.append(words.tr("%n skipped", report.skipped))
    return ", ".join(parts) + "."


def start_import(bus: EventBus, paths: str | Path | Sequence[str | Path],
                 parent: QWidget | None = None) -> ImportDialog:
    """Show the import dialog (window-modal, no nested event loop) and start planning."""
    if isinstance(paths, str | Path):
        paths = [paths]
    dialog = ImportDialog(bus, paths, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.finished.connect(dialog.deleteLater)
    dialog.show()
    dialog.start()
    return dialog


def choose_and_import(win: MainWindow) -> ImportDialog | None:
    """File → Import contacts…: pick .vcf, .csv or .json files, then import them."""
    files, _ = QFileDialog.getOpenFileNames(
        win, words.tr("Import contacts"), str(Path.home()),
        words.tr("Contacts (*.vcf *.vcard *.csv *.json);;All files (*)"))
    if not files:
        return None
    return start_import(win.bus, files, win)
