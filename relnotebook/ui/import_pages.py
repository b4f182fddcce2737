"""The import dialog's two pages that show data: the preview of a plan and the CSV
column-mapping step (the dialog itself, and the worker it drives, are in import_dialog.py).

``PreviewPage.show_plan(plan)`` lists every card or row: new, merged (into whom, matched
how, adding what), already there, skipped (file:line and why), and the warnings, with a tab
per kind and its count. The rows live in ``PreviewModel`` (display tuples, one reset per
tab), so 10,000 cards show at once. ``MappingPage.show_file(name, headers, rows, guesses)``
shows the first rows with a combo above each column; ``mapping()`` gives the
``(field, column)`` pairs chosen.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QTabBar,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.io import MERGE, NEW, SKIP, UNCHANGED, ImportPlan, PlanItem, Problem
from . import import_words as iw
from . import words
from .customer_model import negative_colour

Index = QModelIndex | QPersistentModelIndex
WARNING = "warning"
TABS = ("all", NEW, MERGE, UNCHANGED, SKIP, WARNING)
_TAB_TEXT = {"all": "All", NEW: "New", MERGE: "Merged", UNCHANGED: "Already there",
             SKIP: "Skipped", WARNING: "Warnings"}
NAMING = {"name", "given_name", "family_name", "company", "email", "nickname"}
"""A mapping must say where one of these is, or no row can be named."""
IGNORE = ""


class Role(IntEnum):
    ACTION = Qt.ItemDataRole.UserRole + 1  # new, merge, unchanged, skip, warning
    WHERE = Qt.ItemDataRole.UserRole + 2  # file:line


class Column(IntEnum):
    ACTION = 0
    NAME = 1
    WHERE = 2
    DETAILS = 3


_HEADERS = {Column.ACTION: "What", Column.NAME: "Contact", Column.WHERE: "Where",
            Column.DETAILS: "Details"}
Row = tuple[str, str, str, str]  # action, name, where, details


def describe(item: PlanItem) -> str:
    """The preview's details for one card or row."""
    if item.action == SKIP:
        return iw.reason(item.reason, item.params)
    if item.action == MERGE:
        return words.fmt("{how} as {target}; adds {adds}", target=item.target,
                         how=iw.matched(item.reason),
                         adds=", ".join(iw.added(a) for a in item.adds))
    if item.action == UNCHANGED:
        return words.fmt("already there: {how} as {target}", target=item.target,
                         how=iw.matched(item.reason))
    return ""


Entry = PlanItem | Problem  # a card or row of the plan, or a warning


def row_text(entry: Entry) -> Row:
    """What the preview shows for one entry (worded only when it is looked at)."""
    if isinstance(entry, Problem):
        return WARNING, entry.param("name"), entry.where, iw.reason(entry.code, entry.params)
    return entry.action, entry.name or "—", entry.where, describe(entry)


def rows_of(plan: ImportPlan, hidden: set[str] | frozenset[str] = frozenset()
            ) -> dict[str, list[Entry]]:
    """The entries per tab; ``hidden``: columns of ``no_such_column`` warnings to leave out
    (those the window's own mapping named for another file)."""
    out: dict[str, list[Entry]] = {tab: [] for tab in TABS}
    out["all"] = list(plan.items)
    for item in plan.items:
        out[item.action].append(item)
    out[WARNING] = [w for w in plan.warnings
                    if not (w.code == "no_such_column" and w.param("column") in hidden)]
    return out


class PreviewModel(QAbstractTableModel):
    """The rows of one tab of the preview: entries, worded lazily (10,000 cards show at
    once: only the rows painted are worded)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[Entry] = []
        self._texts: dict[int, Row] = {}

    def set_entries(self, entries: list[Entry], *, forget: bool = False) -> None:
        self.beginResetModel()
        self.entries = entries
        if forget:
            self._texts = {}
        self.endResetModel()

    def row(self, row: int) -> Row:
        entry = self.entries[row]
        text = self._texts.get(id(entry))
        if text is None:
            text = self._texts[id(entry)] = row_text(entry)
        return text

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(Column):
            return words.tr(_HEADERS[Column(section)])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        action, _name, where, _details = row = self.row(index.row())
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == Column.ACTION:
                return iw.action(action)
            if role == Qt.ItemDataRole.ToolTipRole and column != Column.DETAILS:
                return None
            return row[column]
        if role == Role.ACTION:
            return action
        if role == Role.WHERE:
            return where
        if role == Qt.ItemDataRole.ForegroundRole and action == SKIP \
                and column in (Column.ACTION, Column.DETAILS):
            return negative_colour(QApplication.palette())
        return None

    def roleNames(self) -> dict[int, bytes]:  # noqa: N802
        names = dict(super().roleNames())
        names.update({int(r): r.name.lower().encode() for r in Role})
        return names


class PreviewPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.files = QLabel(self)
        self.files.setObjectName("importFiles")
        self.files.setWordWrap(True)
        self.files.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabBar(self)
        self.tabs.setObjectName("importFilter")
        self.tabs.setDrawBase(False)
        self.tabs.setExpanding(False)
        for _ in TABS:
            self.tabs.addTab("")
        self.model = PreviewModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("importPreview")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        for column, mode in ((Column.ACTION, QHeaderView.ResizeMode.Interactive),
                             (Column.NAME, QHeaderView.ResizeMode.Interactive),
                             (Column.WHERE, QHeaderView.ResizeMode.Interactive),
                             (Column.DETAILS, QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(column, mode)
        em = self.fontMetrics().horizontalAdvance("M")
        header.resizeSection(Column.ACTION, em * 2 + max(  # no measuring of 10,000 rows
            self.fontMetrics().horizontalAdvance(iw.action(a)) for a in iw.ACTIONS))
        header.resizeSection(Column.NAME, em * 14)
        self.details = QLabel(self)  # the current row in full: details can be long
        self.details.setObjectName("importRowDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.files)
        layout.addWidget(self.tabs)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        self.by_tab: dict[str, list[Entry]] = {tab: [] for tab in TABS}
        self.tabs.currentChanged.connect(self._show_tab)
        self.table.selectionModel().currentRowChanged.connect(self._current)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.summary.setFont(font)

    def show_plan(self, plan: ImportPlan, hidden: set[str] | None = None) -> None:
        self.by_tab = rows_of(plan, hidden or set())
        self.model.set_entries([], forget=True)
        counts = {tab: len(rows) for tab, rows in self.by_tab.items()}
        self.summary.setText(summary_text(plan))
        self.files.setText(files_text(plan))
        self.files.setVisible(bool(plan.files))
        for i, tab in enumerate(TABS):
            self.tabs.setTabText(i, f"{words.tr(_TAB_TEXT[tab])} ({counts[tab]})")
            self.tabs.setTabEnabled(i, tab == "all" or counts[tab] > 0)
            self.tabs.setTabVisible(i, tab != WARNING or counts[tab] > 0)
        self._size_where(plan)
        if self.tabs.currentIndex() == 0:
            self._show_tab(0)
        else:
            self.tabs.setCurrentIndex(0)

    def _size_where(self, plan: ImportPlan) -> None:
        """The Where column as wide as its widest file:line (measured once per file)."""
        last: dict[str, int] = {}
        for entry in (*plan.items, *plan.warnings):
            last[entry.file] = max(last.get(entry.file, 0), entry.line or 0)
        metrics = self.table.fontMetrics()
        widest = max((metrics.horizontalAdvance(f"{f}:{n}") for f, n in last.items()),
                     default=0)
        self.table.horizontalHeader().resizeSection(
            Column.WHERE, min(max(widest + metrics.horizontalAdvance("MM"), 80), 420))

    def current_tab(self) -> str:
        return TABS[max(self.tabs.currentIndex(), 0)]

    def select_tab(self, tab: str) -> None:
        self.tabs.setCurrentIndex(TABS.index(tab))

    def _show_tab(self, index: int) -> None:
        self.model.set_entries(self.by_tab[TABS[max(index, 0)]])
        if self.model.entries:
            self.table.setCurrentIndex(self.model.index(0, Column.NAME))
        else:
            self.details.clear()

    def _current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.row() >= len(self.model.entries):
            self.details.clear()
            return
        action, name, where, details = self.model.row(current.row())
        self.details.setText(f"{iw.action(action)} · {name} · {where}"
                             + (f"\n{details}" if details else ""))


def summary_text(plan: ImportPlan) -> str:
    new, merged = plan.count(NEW), plan.count(MERGE)
    same, skipped = plan.count(UNCHANGED), plan.count(SKIP)
    parts = [words.tr("%n new customers", new), words.tr("%n merged into customers you have",
                                                          merged)]
    if same:
        parts.append(words.tr("%n already there", same))
    parts.append(words.tr("%n skipped", skipped))
    text = ", ".join(parts) + "."
    if not new and not merged:
        text += " " + words.tr("Nothing to add: importing changes nothing.")
    return text


def files_text(plan: ImportPlan) -> str:
    lines = []
    for name, fmt, columns in plan.files:
        line = words.fmt("{file}: {format}", file=name, format=iw.fmt_name(fmt))
        if fmt == "csv" and columns:
            used = ", ".join(f"{c} → {iw.field(f)}" for f, c in columns)
            line += words.fmt(" (columns read: {used})", used=used)
        lines.append(line)
    return "\n".join(lines)


class MappingPage(QWidget):
    """A CSV whose columns are not recognised: say what each column holds."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnMapping")
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.table = QTableWidget(self)
        self.table.setObjectName("mappingTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.error = QLabel(self)
        self.error.setObjectName("mappingError")
        self.error.setWordWrap(True)
        palette = self.error.palette()
        palette.setColor(self.error.foregroundRole(), negative_colour(palette))
        self.error.setPalette(palette)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        self.file = ""
        self.headers: list[str] = []
        self.combos: list[QComboBox] = []

    def show_file(self, name: str, headers: list[str], rows: list[list[str]],
                  guesses: list[str]) -> None:
        self.file, self.headers = name, list(headers)
        self.intro.setText(words.fmt(
            "Which column of {file} holds what? The first rows are shown below; choose "
            "what each column holds (at least a name, a company or an email), or "
            "“Ignore” to leave it out.", file=name))
        self.error.hide()
        table = self.table
        table.clear()
        table.setColumnCount(len(headers))
        table.setRowCount(len(rows) + 1)
        table.setHorizontalHeaderLabels(headers)
        table.setVerticalHeaderLabels([words.tr("Holds")] + [str(i) for i in
                                                             range(1, len(rows) + 1)])
        self.combos = []
        for col, header in enumerate(headers):
            combo = QComboBox(table)
            combo.setObjectName(f"mappingCombo{col}")
            combo.setAccessibleName(words.fmt("What column {column} holds", column=header))
            combo.addItem(words.tr("Ignore"), IGNORE)
            for code in iw.FIELDS:
                combo.addItem(iw.field(code), code)
            guess = guesses[col] if col < len(guesses) else IGNORE
            combo.setCurrentIndex(max(combo.findData(guess), 0))
            table.setCellWidget(0, col, combo)
            self.combos.append(combo)
        for r, row in enumerate(rows, start=1):
            for col in range(len(headers)):
                text = row[col] if col < len(row) else ""
                item = QTableWidgetItem(" ".join(text.split())[:80])
                item.setToolTip(text)
                table.setItem(r, col, item)
        table.resizeColumnsToContents()
        table.resizeRowToContents(0)

    def choose(self, column: str, code: str) -> None:
        """Set what ``column`` holds (tests, and keyboard users, go through the combos)."""
        combo = self.combos[self.headers.index(column)]
        combo.setCurrentIndex(combo.findData(code))

    def mapping(self) -> list[tuple[str, str]]:
        return [(combo.currentData(), header)
                for header, combo in zip(self.headers, self.combos, strict=True)
                if combo.currentData()]

    def check(self) -> bool:
        """Whether the chosen columns can name a contact; if not, say so under the table."""
        ok = any(f.split(":")[0] in NAMING for f, _ in self.mapping())
        self.error.setText(words.tr("Choose at least the column that holds the name, the "
                                    "company or the email."))
        self.error.setVisible(not ok)
        return ok
