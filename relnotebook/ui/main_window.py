"""The main window (DESIGN.md §7): list on the left, header + brief + timeline in the centre,
the note editor on the right (below, when the window is narrow), Today in place of the centre.

The window wires panels to the event bus and to each other's *signals*; panels never call
each other. Window state (geometry, splitters, last customer, recent notebooks) lives in
QSettings. Menus and shortcuts are built by ``menus.build``.

Starting fast (issue 9: the first paint within 1.3x a bare window at 100,000 customers): the
constructor builds only what the first paint shows (list, header, brief, timeline, note
editor, menus). Panels that are not on screen at start are built on first use and their
modules imported then: the Today view (``today_view``), the welcome page of an empty notebook
(``welcome``), the safety controller's workers (``safety``); dialogs (card, palette,
preferences, import, backups, help) are imported by the menu actions that open them.
``after_first_paint`` runs what must happen soon but not before the user sees the window.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core import db
from ..core.changes import Changes, Kind
from . import words
from .brief_panel import BriefPanel, CustomerHeader
from .bus import EventBus
from .customer_list import CustomerListPanel
from .errors import guarded, show_error
from .first_paint import FirstPaint
from .outside_writes import OutsideWrites
from .timeline import TimelineView

if TYPE_CHECKING:
    from .safety import SafetyController

log = logging.getLogger("relnotebook.ui")
NARROW_BELOW = 1180  # px: the note editor moves below the centre under this width
REMEMBER_AFTER_MS = 1500  # the last customer is written once browsing pauses this long
MAX_RECENT = 8


def _optional(module: str, name: str) -> Any:
    """A class from a UI module written in parallel, or None while it does not exist."""
    try:
        mod = __import__(f"relnotebook.ui.{module}", fromlist=[name])
    except ImportError:
        log.info("ui.%s not available", module, exc_info=True)
        return None
    return getattr(mod, name, None)


def _placeholder(name: str, text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


class _WorkSplitter(QSplitter):
    """Centre | editor. Its minimum width is that of the stacked (narrow) arrangement, so a
    window can shrink past the side-by-side minimum; the resize then stacks them."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        if self.orientation() == Qt.Orientation.Horizontal:
            widths = [self.widget(i).minimumSizeHint().width() for i in range(self.count())]
            hint.setWidth(max(widths, default=hint.width()))
        return hint


class MainWindow(QMainWindow):
    def __init__(self, notebook_path: Path, *, demo: bool = False,
                 settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.notebook_path = Path(notebook_path)
        self.demo = demo
        if settings is None:
            settings = QSettings("relnotebook", "relnotebook")
        self.settings = settings
        self.bus = EventBus(self)
        self.undo_stack = QUndoStack(self)
        self.customer_id: int | None = None
        self.card_dialog: QWidget | None = None  # the open customer card, if any
        self._today: QWidget | None = None  # built on first use (``today_view``)
        self.welcome: QWidget | None = None  # built when an empty notebook shows it
        self._safety: SafetyController | None = None  # built on first use (``safety``)
        self._first_paint = FirstPaint(self)
        self._build()
        self.outside_writes = OutsideWrites(self.bus, self)
        self.outside_writes.watch(self)
        from .menus import build
        from .window_safety import add_banner

        self.instance: Any = None  # the single-instance claim, set by app.run
        self.read_only_banner = add_banner(self)
        self.actions_by_name = build(self)
        self._update_title()
        # Backups and the check need the controller soon, not before the window is seen.
        self.after_first_paint(lambda: self.safety)

    # --- built on first use ----------------------------------------------------------------

    @property
    def today_view(self) -> QWidget:
        """The Today view, built (and its module imported) the first time it is asked for:
        it is not on screen at start, and its agenda is the slowest query of the app."""
        if self._today is None:
            self._today = self._make_today()
            self.centre.insertWidget(1, self._today)  # index 1, after the customer page
        return self._today

    @property
    def safety(self) -> SafetyController:
        """The notebook's backups and checks (ui/safety.py), built on first use: the window
        starts without importing the backup machinery; ``after_first_paint`` builds it."""
        if self._safety is None:
            from .window_safety import attach

            self._safety = attach(self, self.read_only_banner)
        return self._safety

    @property
    def has_painted(self) -> bool:
        """Whether the window's first paint has happened, or the window has gone unpainted
        for a while after it was shown (``after_first_paint`` work may be queued)."""
        return self._first_paint.painted

    def after_first_paint(self, callback: Callable[[], Any]) -> None:
        """Call ``callback`` once the window's first paint has been flushed (at once, on the
        next turn of the event loop, when it has been already). Work that must happen soon
        but is not part of what the first paint shows goes here, so the user sees the window
        first; nothing the window needs depends on it having run (a window never shown still
        builds everything on first use)."""
        self._first_paint.add(callback)

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        self.list_panel = CustomerListPanel(self.bus, self)
        self.header = CustomerHeader(self)
        self.brief = BriefPanel(self.bus, self.undo_stack, self)
        self.timeline = TimelineView(self.bus, self.undo_stack, self)
        self.timeline_caption = QLabel(words.tr("Conversations"), self)
        self.timeline_caption.setBuddy(self.timeline)
        for signal in (self.timeline.timeline_model.modelReset,
                       self.timeline.timeline_model.rowsInserted):
            signal.connect(self._caption)
        timeline_box = QWidget(self)
        box = QVBoxLayout(timeline_box)
        box.setContentsMargins(0, 4, 0, 0)
        box.addWidget(self.timeline_caption)
        box.addWidget(self.timeline, 1)
        self.centre_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.centre_splitter.setObjectName("centreSplitter")
        self.centre_splitter.addWidget(self.brief)
        self.centre_splitter.addWidget(timeline_box)
        self.centre_splitter.setStretchFactor(0, 3)
        self.centre_splitter.setStretchFactor(1, 2)
        self.centre_splitter.setChildrenCollapsible(False)
        customer_page = QWidget(self)
        page = QVBoxLayout(customer_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.header)
        page.addWidget(self.centre_splitter, 1)
        self.centre = QStackedWidget(self)
        self.centre.addWidget(customer_page)
        self.editor = self._make_editor()
        self.work_splitter = _WorkSplitter(Qt.Orientation.Horizontal, self)
        self.work_splitter.setObjectName("workSplitter")
        self.work_splitter.addWidget(self.centre)
        self.work_splitter.addWidget(self.editor)
        self.work_splitter.setStretchFactor(0, 2)
        self.work_splitter.setStretchFactor(1, 1)
        self.outer_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.outer_splitter.setObjectName("outerSplitter")
        self.outer_splitter.addWidget(self.list_panel)
        self.outer_splitter.addWidget(self.work_splitter)
        self.outer_splitter.setStretchFactor(0, 1)
        self.outer_splitter.setStretchFactor(1, 4)
        self.setCentralWidget(self.outer_splitter)
        self.list_panel.customer_chosen.connect(self.open_customer)
        self.list_panel.today_requested.connect(self.show_today)
        self.bus.customer_opened.connect(self.open_customer)
        self.bus.reveal_requested.connect(self.reveal)
        self.bus.changed.connect(self._on_changed)

    def _make_editor(self) -> QWidget:
        cls = _optional("note_editor", "NoteEditor")
        if cls is None:
            return _placeholder("noteEditorPlaceholder",
                                words.tr("The note editor is not available in this build."))
        editor = cls(self.bus, self.undo_stack, self)
        editor.setObjectName("noteEditor")
        return editor

    def _make_today(self) -> QWidget:
        cls = _optional("today_view", "TodayView")
        if cls is None:
            return _placeholder("todayViewPlaceholder",
                                words.tr("The Today view is not available in this build."))
        view = cls(self.bus, self.undo_stack, self)
        view.setObjectName("todayView")
        return view

    def _make_welcome(self) -> QWidget | None:
        cls = _optional("welcome", "WelcomeWidget")
        if cls is None:
            return None
        welcome = cls(self, import_available=True)
        from . import menus

        welcome.open_demo.connect(lambda: menus.open_demo(self))
        welcome.add_customer.connect(lambda: menus.new_customer(self))
        welcome.import_contacts.connect(lambda: menus.import_contacts(self))
        return welcome

    def _update_welcome(self) -> None:
        """An empty notebook shows the welcome in place of an empty brief (built the first
        time a notebook is empty: a notebook with customers never needs it)."""
        empty = self.list_panel.model.rowCount() == 0 and not self.list_panel.model.query
        if empty and self.centre.currentIndex() == 0 and self.customer_id is None:
            if self.welcome is None:
                self.welcome = self._make_welcome()
                if self.welcome is None:
                    return
                self.centre.addWidget(self.welcome)
            self.centre.setCurrentWidget(self.welcome)
        elif self.welcome is not None and not empty \
                and self.centre.currentWidget() is self.welcome:
            self.centre.setCurrentIndex(0)

    # --- customers -----------------------------------------------------------------------

    def open_customer(self, customer_id: int | None, *, force: bool = False,
                      remember: bool = True) -> None:
        """Show ``customer_id`` in the header, brief, timeline and note editor."""
        self.centre.setCurrentIndex(0)
        if customer_id == self.customer_id and not force:
            return
        self.customer_id = customer_id
        self.header.show_customer(customer_id)
        self.brief.set_customer(customer_id)
        guarded(self, self.timeline.set_customer, customer_id)
        if hasattr(self.editor, "set_customer"):
            self.editor.set_customer(customer_id)
        self.list_panel.select(customer_id)
        if remember:
            self._remember(self._key("last_customer"), customer_id or 0)

    def _remember(self, key: str, value: int) -> None:
        """Store ``value`` under ``key`` once the rep stops moving between customers.

        Every ``QSettings.setValue`` makes QSettings rewrite its file, with an fsync, on the
        next turn of the event loop: on each click while browsing the list, between the click
        and its paint. ``save_state`` writes the shown customer on closing anyway.
        """
        self._pending_setting = (key, value)
        timer = getattr(self, "_remember_timer", None)
        if timer is None:
            timer = self._remember_timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(REMEMBER_AFTER_MS)
            timer.timeout.connect(lambda: self.settings.setValue(*self._pending_setting))
        timer.start()

    def _caption(self, *_args: Any) -> None:
        total = self.timeline.timeline_model.total
        self.timeline_caption.setText(words.tr("Conversations (%n)", total) if total
                                      else words.tr("Conversations"))

    def show_today(self) -> None:
        """Show Today, recomputed once: by its own show event when it comes into view, here
        when it was in view already or the window is hidden (no show event then)."""
        view = self.today_view
        if hasattr(view, "mark_stale"):
            view.mark_stale()
        self.centre.setCurrentWidget(view)
        if getattr(view, "stale", False):
            guarded(self, view.refresh)
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def reveal(self, customer_id: int, kind: str, record_id: int) -> None:
        """Open ``customer_id`` scrolled to a record: a conversation is selected, expanded and
        scrolled to in the timeline; a detail, fact, follow-up... is pointed at in the brief."""
        self.open_customer(customer_id)
        if kind == "conversation":
            if guarded(self, self.timeline.reveal, record_id):
                self.timeline.setFocus()
        elif kind != "customer" and self.brief.reveal(kind, record_id):
            self.brief.setFocus()

    def _on_changed(self, changes: Changes) -> None:
        self._update_welcome()
        if self.customer_id is None:
            return
        if Kind.EVERYTHING in changes.kinds or changes.concerns(self.customer_id,
                                                                 Kind.CUSTOMER):
            if guarded(self, _exists, self.customer_id):
                self.header.show_customer(self.customer_id)
            else:
                self.open_customer(None)

    # --- notebooks -----------------------------------------------------------------------

    def switch_notebook(self, path: Path, *, demo: bool = False) -> bool:
        """Open another notebook in this window; False (and a message) when it cannot."""
        self.save_state()
        previous = self.customer_id
        # Empty the panels first: the editor saves its draft in the old notebook.
        held = self.instance.switch_to(Path(path)) if self.instance is not None else None
        if held is not None:
            show_error(self, words.fmt(
                "{name} is open in another window (process {pid}); switch to that window.",
                name=Path(path).name, pid=getattr(held, "pid", "?")), "")
            return False
        self.open_customer(None, force=True, remember=False)
        opened = guarded(self, db.open_notebook, path)
        if opened is None:
            guarded(self, db.open_notebook, self.notebook_path)  # back to the previous one
            self.outside_writes.reset()
            self.open_customer(previous, force=True, remember=False)
            return False
        self.notebook_path, self.demo = Path(opened), demo
        self.undo_stack.clear()
        self.outside_writes.reset()
        self.safety.set_notebook(self.notebook_path)
        self.bus.publish(Changes.everything())
        self.remember_recent(self.notebook_path)
        self.restore_last_customer()
        self._update_title()
        return True

    def remember_recent(self, path: Path) -> None:
        if self.demo:
            return
        recent = [str(path)] + [p for p in self.recent_notebooks() if p != str(path)]
        self.settings.setValue("notebooks/recent", recent[:MAX_RECENT])

    def recent_notebooks(self) -> list[str]:
        value = self.settings.value("notebooks/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []]

    def _update_title(self) -> None:
        name = self.notebook_path.name
        title = f"{name} — DEMO" if self.demo else name
        if db.is_read_only():
            title += " " + words.tr("(read-only)")
        self.setWindowTitle(f"{title} — {words.tr('Relationship Notebook')}")
        self.setWindowFilePath(str(self.notebook_path))

    # --- state ---------------------------------------------------------------------------

    def _key(self, name: str) -> str:
        digest = hashlib.sha1(str(self.notebook_path.resolve()).encode()).hexdigest()[:12]
        return f"notebook-{digest}/{name}"

    def restore_state(self) -> None:
        """Geometry, splitters and the last customer, from QSettings."""
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self.reset_layout()
        for splitter in (self.outer_splitter, self.centre_splitter):
            state = s.value(f"window/{splitter.objectName()}")
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
        self._arrange(force=True)
        self.restore_last_customer()

    def restore_last_customer(self) -> None:
        value = self.settings.value(self._key("last_customer"), 0)
        try:
            cid = int(value or 0)
        except (TypeError, ValueError):
            cid = 0
        if cid and guarded(self, _exists, cid):
            self.open_customer(cid, force=True)
        else:
            self.open_customer(None, force=True)
        self._update_welcome()

    def save_state(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        for splitter in (self.outer_splitter, self.centre_splitter):
            s.setValue(f"window/{splitter.objectName()}", splitter.saveState())
        s.setValue(f"window/workSplitter-{self._orientation_name()}",
                   self.work_splitter.saveState())
        s.setValue(self._key("last_customer"), self.customer_id or 0)
        s.sync()

    def _orientation_name(self) -> str:
        vertical = self.work_splitter.orientation() == Qt.Orientation.Vertical
        return "v" if vertical else "h"

    def _arrange(self, force: bool = False) -> None:
        """The editor goes right of the centre on a wide window, below it on a narrow one."""
        wanted = Qt.Orientation.Vertical if self.width() < NARROW_BELOW \
            else Qt.Orientation.Horizontal
        if wanted == self.work_splitter.orientation() and not force:
            return
        self.work_splitter.setOrientation(wanted)
        state = self.settings.value(f"window/workSplitter-{self._orientation_name()}")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.work_splitter.restoreState(state)
            self.work_splitter.setOrientation(wanted)
        else:
            self._default_work_sizes()

    def reset_layout(self) -> None:
        """Splitter sizes for the current window size: the list about a quarter, the
        centre (brief and timeline) about two thirds of the rest."""
        width, height = self.width(), self.height()
        list_width = min(480, max(320, width * 24 // 100))
        self.outer_splitter.setSizes([list_width, width - list_width])
        self.centre_splitter.setSizes([height * 55 // 100, height * 45 // 100])
        self._default_work_sizes()

    def _default_work_sizes(self) -> None:
        if self.work_splitter.orientation() == Qt.Orientation.Horizontal:
            work = self.width() - self.outer_splitter.sizes()[0]
            self.work_splitter.setSizes([work * 64 // 100, work * 36 // 100])
        else:
            self.work_splitter.setSizes([self.height() * 60 // 100, self.height() * 40 // 100])

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._arrange()

    def flush(self) -> None:
        """Save the note editor's draft now (before closing or switching notebook)."""
        if hasattr(self.editor, "flush"):
            guarded(self, self.editor.flush)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.flush()
        if self._safety is not None:  # a last backup when something changed since the last
            self._safety.close()
        self.outside_writes.timer.stop()
        self.save_state()
        super().closeEvent(event)


def _exists(customer_id: int) -> bool:
    from ..core import customers
    from ..core.errors import NotFound

    try:
        customers.get(customer_id)
    except NotFound:
        return False
    return True
