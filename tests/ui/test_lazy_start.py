"""Guards for a fast cold start (issue 9): the window's first paint builds and imports only
what it shows; the rest (Today, dialogs, the palette, backups, reminders, the editor's
completer) comes on first use or after the first paint.

The import check runs in a fresh process: this test session has imported everything.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QApplication, QWidget
from window_helpers import shown_window

from relnotebook.core import agenda, customers, db
from relnotebook.ui import app as ui_app
from relnotebook.ui.app import create_main_window
from relnotebook.ui.customer_list import CustomerListPanel
from relnotebook.ui.customer_model import FIRST_PAGE, PAGE
from relnotebook.ui.main_window import MainWindow

# Modules a first paint must not need: each belongs to something opened later.
NOT_AT_START = (
    "relnotebook.ui.today_view",  # Ctrl+T
    "relnotebook.ui.customer_card",  # Ctrl+E, New customer
    "relnotebook.ui.search_palette",  # Ctrl+K
    "relnotebook.ui.import_dialog",  # File → Import
    "relnotebook.ui.preferences",  # Ctrl+,
    "relnotebook.ui.backups_dialog",  # Tools → Backups
    "relnotebook.ui.help_dialogs",  # F1, About
    "relnotebook.ui.draft_recovery",  # offered after the first paint
    "relnotebook.ui.reminders",  # tray, after the first paint
    "relnotebook.ui.welcome",  # only an empty notebook shows it
    "relnotebook.ui.safety",  # backups and the check, after the first paint
    "relnotebook.core.backup",
    "relnotebook.core.io",  # import and export
    "PySide6.QtSvg",  # menu icons are painted when a menu opens
)

# Fresh process: QApplication, create_main_window, show; at the first Paint event note what
# is imported and which list_rows calls ran; after the first paint, what was started.
PROBE = r"""
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from relnotebook.core import customers

calls = []
real_list_rows = customers.list_rows

def counting(*args, **kwargs):
    calls.append(kwargs.get("limit"))
    return real_list_rows(*args, **kwargs)

customers.list_rows = counting
app = QApplication(sys.argv[:1])
from relnotebook.ui.app import create_main_window

window = create_main_window(sys.argv[1])
seen = {}

class Watch(QObject):
    def eventFilter(self, obj, event):
        if "modules" not in seen and event.type() == QEvent.Type.Paint:
            seen["modules"] = sorted(sys.modules)
            seen["list_rows"] = list(calls)
        return False

watch = Watch()
app.installEventFilter(watch)

def after():
    from relnotebook.ui.safety import SafetyController

    seen["painted"] = window.has_painted
    seen["safety_after_paint"] = window.findChild(SafetyController) is not None
    print(json.dumps(seen), flush=True)
    app.quit()

window.after_first_paint(lambda: QTimer.singleShot(0, after))
window.show()
QTimer.singleShot(30_000, app.quit)  # never hang a test run
app.exec()
"""


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A closed notebook with more customers than the list's first page."""
    path = db.open_notebook(tmp_path / "filled.sqlite")
    for n in range(FIRST_PAGE + 20):
        customers.create(f"Customer {n:03d}", company=f"Company {n % 7}")
    db.close_notebook()
    return path


def test_the_first_paint_imports_and_reads_only_what_it_shows(filled):
    done = subprocess.run([sys.executable, "-c", PROBE, str(filled)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    loaded = set(seen["modules"])
    assert "relnotebook.ui.main_window" in loaded and "relnotebook.ui.note_editor" in loaded
    assert sorted(m for m in NOT_AT_START if m in loaded) == []
    # One page of the list, read once; no full read of every customer (the editor's "with"
    # completer reads names on first use only).
    assert seen["list_rows"] == [FIRST_PAGE + 1]
    assert seen["painted"] and seen["safety_after_paint"]


def test_after_first_paint_waits_for_the_paint(qtbot, notebook, monkeypatch):
    from relnotebook.ui import first_paint

    monkeypatch.setattr(first_paint.FirstPaint, "UNSEEN_MS", 600_000)  # only a paint counts
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    ran: list[bool] = []
    window.after_first_paint(lambda: ran.append(window.has_painted))
    QApplication.processEvents()
    assert ran == [] and not window.has_painted  # not shown: nothing painted, nothing run
    window.show()
    qtbot.waitUntil(lambda: ran == [True])
    window.after_first_paint(lambda: ran.append(True))  # after the paint: the next turn
    assert ran == [True]
    qtbot.waitUntil(lambda: ran == [True, True])


def test_a_window_shown_but_never_painted_still_runs_them(qtbot, notebook, monkeypatch,
                                                          caplog):
    """Another virtual desktop: shown, not exposed, no paint; backups must not wait."""
    from PySide6.QtCore import QEvent, QObject

    from relnotebook.ui import first_paint

    class NoPaint(QObject):  # installed last, so it sees (and eats) paints first
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            return event.type() == QEvent.Type.Paint

    caplog.set_level(logging.INFO, logger="relnotebook.ui")
    monkeypatch.setattr(first_paint.FirstPaint, "UNSEEN_MS", 50)
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    no_paint = NoPaint(window)
    window.installEventFilter(no_paint)
    ran: list[bool] = []
    window.after_first_paint(lambda: ran.append(True))
    window.show()
    qtbot.waitUntil(lambda: ran == [True])
    assert window.has_painted
    assert "was not painted" in caplog.text  # it ran because nothing painted it


def test_a_failing_step_does_not_stop_the_others(qtbot, notebook, caplog):
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("boom")

    window.after_first_paint(broken)
    window.after_first_paint(lambda: ran.append("next"))
    window.show()
    qtbot.waitUntil(lambda: ran == ["next"])
    assert "after the first paint failed" in caplog.text


def test_safety_is_built_on_first_use_when_the_window_is_never_shown(qtbot, notebook):
    from relnotebook.ui.safety import SafetyController

    window = create_main_window(notebook)
    qtbot.addWidget(window)
    assert window.findChild(SafetyController) is None
    assert isinstance(window.safety, SafetyController)
    assert window.safety is window.findChild(SafetyController)  # one, kept


def test_today_is_built_on_first_use_and_computes_once(qtbot, notebook, monkeypatch):
    cid = customers.create("Tina Today")[0].id
    window = shown_window(qtbot, notebook)
    assert window.findChild(QWidget, "todayView") is None
    computed: list[object] = []
    real_for_day = agenda.for_day
    monkeypatch.setattr(agenda, "for_day",
                        lambda day: computed.append(day) or real_for_day(day))
    window.show_today()
    today = window.findChild(QWidget, "todayView")
    assert today is window.today_view and window.centre.currentWidget() is today
    assert window.centre.currentIndex() == 1
    qtbot.waitUntil(lambda: not today.reading)  # read in a worker (ui/agenda_reader.py)
    assert len(computed) == 1  # its show event and show_today do not both compute
    window.show_today()  # already in view: recomputed (the day may have turned)
    qtbot.waitUntil(lambda: not today.reading)
    assert len(computed) == 2
    window.open_customer(cid)
    window.show_today()
    qtbot.waitUntil(lambda: not today.reading)
    assert len(computed) == 3


def test_today_from_a_hidden_window_is_computed(qtbot, notebook):
    customers.create("Hidden Hannah")
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    window.show_today()  # no show event in a hidden window: show_today computes it
    assert not window.today_view.stale
    assert window.centre.currentWidget() is window.today_view
    qtbot.waitUntil(lambda: not window.today_view.reading)  # the read ends with the test


def test_the_welcome_is_built_only_for_an_empty_notebook(qtbot, notebook):
    window = create_main_window(notebook)
    qtbot.addWidget(window)
    welcome = window.findChild(QWidget, "welcome")
    assert welcome is not None and window.centre.currentWidget() is welcome
    customers.create("First Customer")
    db.close_notebook()
    other = create_main_window(notebook)
    qtbot.addWidget(other)
    assert other.findChild(QWidget, "welcome") is None


def test_the_list_reads_its_first_page_once(qtbot, notebook, monkeypatch):
    for n in range(FIRST_PAGE + 5):
        customers.create(f"Person {n:03d}")
    limits: list[int | None] = []
    real_list_rows = customers.list_rows
    monkeypatch.setattr(customers, "list_rows",
                        lambda *a, **k: limits.append(k.get("limit")) or real_list_rows(*a, **k))
    panel = CustomerListPanel(window_bus())
    qtbot.addWidget(panel)
    assert limits == [FIRST_PAGE + 1]  # the sort indicator set before it did not read
    assert panel.model.rowCount() == FIRST_PAGE
    assert panel.model.canFetchMore(QModelIndex())


def test_a_tall_list_fetches_more_than_the_first_page_by_itself(qtbot, notebook):
    for n in range(FIRST_PAGE + PAGE + 5):
        customers.create(f"Person {n:04d}")
    panel = CustomerListPanel(window_bus())
    qtbot.addWidget(panel)
    rows = panel.table.verticalHeader().defaultSectionSize()
    panel.resize(400, rows * (FIRST_PAGE + 40))  # taller than the first page
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: panel.model.rowCount() > FIRST_PAGE)


def test_run_starts_drafts_and_reminders_after_the_first_paint(qtbot, notebook, monkeypatch):
    """``relnotebook`` (``app.run``): the drafts offer and the tray come after the paint."""
    import argparse

    started: list[tuple[str, bool]] = []
    monkeypatch.setattr(ui_app, "_offer_drafts",
                        lambda w: started.append(("drafts", w.has_painted)))
    monkeypatch.setattr(ui_app, "_start_reminders",
                        lambda w: started.append(("reminders", w.has_painted)))

    def fake_exec() -> int:  # the event loop, as far as the test needs it
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w.isVisible())
        qtbot.waitUntil(lambda: len(started) == 2)
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    db.close_notebook()
    args = argparse.Namespace(notebook=str(notebook), demo=False, smoke=False, contacts=None)
    assert ui_app.run(args) == 0
    assert started == [("drafts", True), ("reminders", True)]
    db.open_notebook(notebook)  # the fixture closes it


def window_bus():
    from relnotebook.ui.bus import EventBus

    return EventBus()
