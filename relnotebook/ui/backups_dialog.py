"""Tools → Backups: the notebook's backups with their time and size, "Back up now" and
"Restore…" (DESIGN.md §8, issue 8).

The dialog works through the window's ``SafetyController``: a backup runs in its worker,
a restore goes through ``core.backup.restore`` (the current file is kept aside first, next
to it, as ``<name>.before-restore-<time>.sqlite``; erasures made since are re-applied).
After a restore the dialog emits ``restored(Path)`` (as the controller does): the window
reopens the notebook. The confirmation goes through ``ask`` so tests need no message-box
patching.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import backup
from ..core.backup import BackupInfo
from . import words
from .errors import guarded
from .safety import SafetyController
from .window_safety import Ask, ask_yes_no

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class BackupsDialog(QDialog):
    restored = Signal(object)
    """The notebook (``Path``) was replaced by a backup: reopen it."""

    def __init__(self, controller: SafetyController, parent: QWidget | None = None, *,
                 ask: Ask = ask_yes_no) -> None:
        super().__init__(parent)
        self.setObjectName("backupsDialog")
        self.setWindowTitle(words.tr("Backups"))
        self.controller = controller
        self.ask = ask
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("backupsTable")
        self.table.setHorizontalHeaderLabels([words.tr("Taken"), words.tr("Size")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.where = QLabel(self)
        self.where.setObjectName("backupsFolder")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        self.status.setObjectName("backupsStatus")
        self.status.setWordWrap(True)
        self.backup_button = QPushButton(words.tr("&Back up now"), self)
        self.backup_button.setObjectName("backupNowButton")
        self.restore_button = QPushButton(words.tr("&Restore…"), self)
        self.restore_button.setObjectName("restoreButton")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        controller.backup_started.connect(self._on_started)
        controller.backup_finished.connect(self._on_finished)
        controller.backup_failed.connect(self._on_failed)
        self.resize(520, 380)
        self.refresh()

    # --- the list ------------------------------------------------------------------------

    def backups(self) -> tuple[BackupInfo, ...]:
        folder = self.controller.backup_folder()
        if folder is None or not folder.is_dir():
            return ()
        return backup.list_backups(folder)

    def refresh(self) -> None:
        folder = self.controller.backup_folder()
        self.where.setText(words.fmt("Backups are kept in {folder}", folder=str(folder))
                           if folder else words.tr("This notebook has no backups yet."))
        found = self.backups()
        locale = QLocale()
        self.table.setRowCount(len(found))
        for row, info in enumerate(found):
            local = info.taken_at.replace(tzinfo=UTC).astimezone()
            when = QTableWidgetItem(local.strftime("%Y-%m-%d %H:%M:%S"))
            when.setData(PATH_ROLE, str(info.path))
            when.setToolTip(str(info.path))
            size = QTableWidgetItem(locale.formattedDataSize(info.size))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, when)
            self.table.setItem(row, 1, size)
        if found:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = self.table.item(rows[0].row(), 0).data(PATH_ROLE)
        return Path(value) if value else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    # --- actions -------------------------------------------------------------------------

    def back_up_now(self) -> bool:
        return self.controller.back_up_now()

    def _on_started(self) -> None:
        self.backup_button.setEnabled(False)
        self.status.setText(words.tr("Backing up…"))

    def _on_finished(self, info: BackupInfo) -> None:
        self.backup_button.setEnabled(True)
        self.status.setText(words.fmt("Backed up to {path}", path=str(info.path)))
        self.refresh()

    def _on_failed(self, code: str) -> None:
        self.backup_button.setEnabled(True)
        from ..core.errors import StorageError

        self.status.setText(words.fmt("No backup was made: {reason}",
                                      reason=words.error(StorageError(code))))

    def restore_selected(self) -> backup.RestoreReport | None:
        chosen = self.selected()
        if chosen is None:
            return None
        notebook = self.controller.notebook_path
        text = words.fmt(
            "Replace the notebook {name} by the backup {backup}?\n\nThe current notebook is "
            "kept aside first, next to it, as {stem}.before-restore-<time>.sqlite: nothing "
            "in it is lost. People erased since the backup stay erased.",
            name=notebook.name, backup=chosen.name, stem=notebook.stem)
        if not self.ask(self, words.tr("Restore a backup"), text):
            return None
        report = guarded(self, self.controller.restore, chosen)
        if report is None:
            return None
        message = words.fmt("Restored from {backup}.", backup=chosen.name)
        if report.kept_aside:
            message += " " + words.fmt("The previous notebook was kept as {path}.",
                                       path=str(report.kept_aside))
        self.status.setText(message)
        self.refresh()
        self.restored.emit(notebook.resolve())
        return report
