"""Help → Keyboard shortcuts and Help → About.

The shortcuts dialog lists every QAction with a shortcut found in the window *at runtime*
(menus, panels, undo/redo), so it can never fall behind the menus; a QShortcut shows too when
it has a ``whatsThis`` text naming it. The filter matches the action's words (folded, as the
customer filter is), its menu and its keys ("ctrl+k" finds the search palette).

The About dialog names the version, the open notebook, the data folder and the log file, and
the licences of the libraries bundled with the app.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize, Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core import paths
from ..core.text import fold
from . import icons, words
from .licences import bundled_libraries, licences_html

if TYPE_CHECKING:
    from .main_window import MainWindow

NATIVE = QKeySequence.SequenceFormat.NativeText
PORTABLE = QKeySequence.SequenceFormat.PortableText
_LOCAL = (Qt.ShortcutContext.WidgetShortcut, Qt.ShortcutContext.WidgetWithChildrenShortcut)
_FIRST_SPECIAL_KEY = Qt.Key.Key_Help.value  # Help, Back, New, Open, Find…: keys few keyboards have


# --- shortcuts ---------------------------------------------------------------------------------


@dataclass
class ShortcutEntry:
    text: str  # the action's words, without mnemonics
    keys: tuple[str, ...]  # as the platform writes them (NativeText)
    portable: tuple[str, ...]  # as Qt writes them everywhere ("Ctrl+K")
    where: str  # "File", "View", or the panel the shortcut works in
    local: bool  # works only while its panel has the focus
    conflicts: list[str] = field(default_factory=list)

    def matches(self, query: str) -> bool:
        q = fold(query.strip())
        if not q:
            return True
        hay = fold(" ".join((self.text, self.where, *self.keys, *self.portable)))
        return all(part in hay for part in q.split())


def plain(text: str) -> str:
    """Menu text without its mnemonic ("&Find customer" → "Find customer")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def _menu_paths(window: QWidget) -> dict[int, str]:
    """id(action) → "File › Recent" for every action in the window's menu bar, in order."""
    found: dict[int, str] = {}
    bar = window.menuBar() if hasattr(window, "menuBar") else None

    def walk(menu: QMenu, trail: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{trail} › {plain(sub.title())}")
            elif not action.isSeparator():
                found.setdefault(id(action), trail)

    if bar is not None:
        for top in bar.actions():
            if isinstance(top.menu(), QMenu):
                walk(top.menu(), plain(top.menu().title()))
    return found


def _panel_name(obj: object) -> str:
    widget = obj if isinstance(obj, QWidget) else None
    while widget is not None:
        name = widget.accessibleName() or widget.objectName()
        if name and not name.startswith("qt_"):
            return name
        widget = widget.parentWidget()
    return ""


def gather(window: QWidget) -> list[ShortcutEntry]:
    """Every shortcut in ``window``: its actions (menu order first), then named QShortcuts."""
    menus = _menu_paths(window)
    actions: list[QAction] = []
    seen: set[int] = set()
    for action in [*window.actions(), *window.findChildren(QAction)]:
        if id(action) not in seen:
            seen.add(id(action))
            actions.append(action)
    order = {key: i for i, key in enumerate(menus)}
    actions.sort(key=lambda a: order.get(id(a), len(order)))
    entries: list[ShortcutEntry] = []
    for action in actions:
        seqs = [s for s in action.shortcuts() if not s.isEmpty() and not _dedicated_key(s)]
        if not seqs or action.isSeparator():
            continue
        text = plain(action.text()) or action.toolTip() or action.objectName()
        local = action.shortcutContext() in _LOCAL
        where = menus.get(id(action)) or _panel_name(action.parent())
        entries.append(ShortcutEntry(text, tuple(s.toString(NATIVE) for s in seqs),
                                     tuple(s.toString(PORTABLE) for s in seqs), where, local))
    for shortcut in window.findChildren(QShortcut):
        if shortcut.key().isEmpty() or not shortcut.whatsThis():
            continue
        local = shortcut.context() in _LOCAL
        entries.append(ShortcutEntry(shortcut.whatsThis(), (shortcut.key().toString(NATIVE),),
                                     (shortcut.key().toString(PORTABLE),),
                                     _panel_name(shortcut.parent()), local))
    _mark_conflicts(entries)
    return entries


def _dedicated_key(seq: QKeySequence) -> bool:
    """A sequence on a dedicated key (the New or Find key of a multimedia keyboard)."""
    return seq[0].key().value >= _FIRST_SPECIAL_KEY


def _mark_conflicts(entries: list[ShortcutEntry]) -> None:
    """Two window-wide shortcuts on one key fire neither (Qt calls it ambiguous)."""
    owners: dict[str, list[ShortcutEntry]] = {}
    for entry in entries:
        if not entry.local:
            for key in entry.portable:
                owners.setdefault(key, []).append(entry)
    for key, same in owners.items():
        if len(same) > 1:
            for entry in same:
                entry.conflicts += [f"{key}: {o.text}" for o in same if o is not entry]


class ShortcutsDialog(QDialog):
    """A searchable list of every shortcut in the window."""

    COLUMNS = ("Action", "Shortcut", "Where")

    def __init__(self, window: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(words.tr("Keyboard shortcuts"))
        self.entries = gather(window)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("shortcutFilter")
        self.filter.setPlaceholderText(words.tr("Find an action or a key (e.g. “search” or "
                                                "“ctrl+k”)"))
        self.filter.setClearButtonEnabled(True)
        self.filter.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.list = QTreeWidget(self)
        self.list.setObjectName("shortcutList")
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setUniformRowHeights(True)
        self.list.setHeaderLabels([words.tr(c) for c in self.COLUMNS])
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.header().setStretchLastSection(False)
        for column in (1, 2):
            self.list.header().setSectionResizeMode(column,
                                                    QHeaderView.ResizeMode.ResizeToContents)
        for entry in self.entries:
            item = QTreeWidgetItem([entry.text, ", ".join(entry.keys), entry.where])
            tip = words.tr("Works while this panel has the focus.") if entry.local else ""
            if entry.conflicts:
                tip = words.tr("Also on this key: ") + "; ".join(entry.conflicts)
                item.setForeground(1, self.palette().brush(self.palette().ColorRole.BrightText))
            for column in range(3):
                item.setToolTip(column, tip)
            self.list.addTopLevelItem(item)
        self.count = QLabel(self)
        self.count.setObjectName("shortcutCount")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.filter.textChanged.connect(self.apply_filter)
        self.filter.returnPressed.connect(self.list.setFocus)
        self.apply_filter("")
        self.resize(self.sizeHint().expandedTo(QSize(620, 520)))

    def apply_filter(self, text: str) -> None:
        shown = 0
        for row, entry in enumerate(self.entries):
            hide = not entry.matches(text)
            self.list.topLevelItem(row).setHidden(hide)
            shown += not hide
        self.count.setText(words.fmt("{shown} of {total} shortcuts", shown=shown,
                                     total=len(self.entries)))

    def visible_texts(self) -> list[str]:
        return [self.list.topLevelItem(i).text(0) for i in range(self.list.topLevelItemCount())
                if not self.list.topLevelItem(i).isHidden()]


# --- about -------------------------------------------------------------------------------------


class AboutDialog(QDialog):
    """Version, where things are, and the licences of the bundled libraries."""

    def __init__(self, window: MainWindow | None = None, parent: QWidget | None = None,
                 *, notebook: Path | None = None, demo: bool = False) -> None:
        super().__init__(parent if parent is not None else window)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(words.tr("About Relationship Notebook"))
        if window is not None:
            notebook, demo = window.notebook_path, window.demo
        self.info = {
            words.tr("Notebook"): (f"{notebook}" + (words.tr(" (demo)") if demo else "")
                                   if notebook else words.tr("(none open)")),
            words.tr("Data folder"): str(paths.data_dir()),
            words.tr("Log file"): str(paths.log_file()),
            words.tr("Window settings"): QSettings("relnotebook", "relnotebook").fileName(),
            words.tr("Built with"): f"Qt {qVersion()}, Python {platform.python_version()}",
        }
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        logo = QLabel(self)
        logo.setPixmap(icons.app_icon().pixmap(QSize(64, 64), self.devicePixelRatioF()))
        head.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        lines = (words.fmt("Version {version}", version=__version__),
                 words.tr("Pick up where the last conversation left off."),
                 words.tr("Your notebook stays on this computer; nothing is sent anywhere."))
        title = QLabel(f"<h2 style='margin:0'>{escape(words.tr('Relationship Notebook'))}</h2>"
                       f"<p>{'<br>'.join(escape(line) for line in lines)}</p>", self)
        title.setObjectName("aboutTitle")
        title.setWordWrap(True)
        head.addWidget(title, 1)
        layout.addLayout(head)
        form = QFormLayout()
        names = ("aboutNotebookPath", "aboutDataFolder", "aboutLogFile", "aboutSettingsFile",
                 "aboutBuiltWith")
        for (label, value), name in zip(self.info.items(), names, strict=True):
            field_ = QLabel(value, self)
            field_.setObjectName(name)
            field_.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field_.setWordWrap(True)
            form.addRow(label, field_)
        layout.addLayout(form)
        self.licences = QTextBrowser(self)
        self.licences.setObjectName("aboutLicenses")
        self.licences.setOpenExternalLinks(True)
        self.licences.setHtml(licences_html())
        self.licences.setMinimumHeight(220)
        layout.addWidget(self.licences, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        open_folder = QPushButton(words.tr("Open data folder"), self)
        open_folder.setObjectName("aboutOpenDataFolder")
        open_folder.clicked.connect(self.open_data_folder)
        copy = QPushButton(words.tr("Copy details"), self)
        copy.setObjectName("aboutCopy")
        copy.clicked.connect(self.copy_details)
        buttons.addButton(open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(QSize(640, 600))

    def details(self) -> str:
        lines = [f"Relationship Notebook {__version__}"]
        lines += [f"{label}: {value}" for label, value in self.info.items()]
        lines += [f"{lib.name} {version} ({lib.licence})"
                  for lib, version in bundled_libraries()]
        return "\n".join(lines)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details())

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.data_dir())))


def show_shortcuts(window: QWidget) -> None:
    dialog = ShortcutsDialog(window)
    dialog.exec()
    dialog.deleteLater()


def show_about(window: MainWindow) -> None:
    dialog = AboutDialog(window)
    dialog.exec()
    dialog.deleteLater()


def smoke_report(window: MainWindow) -> str:
    """What a packaged build found at run time, as JSON (``RELNOTEBOOK_SMOKE_REPORT=1
    relnotebook --smoke``): resources, icons, shortcuts, library versions, the About text."""
    import json

    from . import theme

    about = AboutDialog(window)
    report = {
        "resources": str(icons.resources_dir() or ""),
        "app_icon_sizes": [s.width() for s in icons.app_icon().availableSizes()],
        "ui_icon": not icons.icon("keyboard").pixmap(QSize(16, 16)).isNull(),
        "shortcuts": len(ShortcutsDialog(window).entries),
        "libraries": {lib.name: version for lib, version in bundled_libraries()},
        "appearance": theme.preference(),
        "about": about.details(),
    }
    about.deleteLater()
    return json.dumps(report)
