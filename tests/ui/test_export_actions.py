"""File → Export in every format, Customer → Export this customer, and Customer → Erase this
customer, through the window (the work runs in the worker; waits are on signals)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QMenu, QMessageBox

from relnotebook.core import conversations, customers, search
from relnotebook.core.clock import today
from relnotebook.ui import errors, export_actions, io_worker
from relnotebook.ui.app import create_main_window
from relnotebook.ui.customer_model import Column as ListColumn

WAIT_MS = 60_000
NOTE = "Quarterly review #review\n[ ] send the slides due in 2 weeks\n? who else decides\n"


@pytest.fixture
def people(notebook):
    ids = {}
    for name, company in (("Åsa Lindqvist", "Nordväg Logistik"), ("Anna Smith", "Acme")):
        view, _ = customers.create(name, company=company)
        ids[name] = view.id
    customers.add_contact(ids["Åsa Lindqvist"], "email", "asa@nordvag.example")
    conversations.log(ids["Åsa Lindqvist"], NOTE, at=today() - timedelta(days=5))
    return ids


@pytest.fixture
def window(qtbot, notebook, people):
    win = create_main_window(notebook)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    io_worker.stop_all()


@pytest.fixture
def shown_errors(monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(errors, "presenter", lambda _parent, message, _details:
                        seen.append(message))
    return seen


def finish(qtbot, worker) -> None:
    """Wait until the worker has reported and the window has handled it."""
    handled: list[object] = []
    worker.succeeded.connect(handled.append)
    worker.failed.connect(handled.append)
    qtbot.waitUntil(lambda: bool(handled) and not worker.isRunning(), timeout=WAIT_MS)


def done_box(qtbot, win) -> QMessageBox:
    qtbot.waitUntil(lambda: win.findChild(QMessageBox, "ioDoneBox") is not None)
    box = win.findChild(QMessageBox, "ioDoneBox")
    return box


def list_names(win) -> list[str]:
    model = win.list_panel.model
    return [model.index(r, ListColumn.NAME).data() for r in range(model.rowCount())]


@pytest.mark.parametrize("fmt", ["vcf", "csv", "ics", "json"])
def test_export_a_file_in_each_format(qtbot, window, tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    finish(qtbot, export_actions.run_export(window, fmt, target))
    box = done_box(qtbot, window)
    assert str(target) in box.text()
    assert target.is_file() and target.stat().st_size > 0
    assert target.stat().st_mode & 0o777 == 0o600
    text = target.read_text(encoding="utf-8-sig")
    if fmt == "vcf":
        assert text.count("BEGIN:VCARD") == 2 and "Åsa Lindqvist" in text
    elif fmt == "ics":
        assert "BEGIN:VTODO" in text and "send the slides" in text
    elif fmt == "json":
        assert json.loads(text)
    else:
        assert "Anna Smith" in text
    assert str(target) in window.statusBar().currentMessage()
    box.accept()


def test_export_markdown_into_a_folder(qtbot, window, tmp_path):
    folder = tmp_path / "md"
    finish(qtbot, export_actions.run_export(window, "md", folder))
    box = done_box(qtbot, window)
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 2 and all(f.endswith(".md") for f in files)
    assert all((folder / f).stat().st_size > 0 for f in files)
    assert str(folder) in box.text() and "2 customers" in box.text()


def test_export_that_cannot_be_written_says_so(qtbot, window, tmp_path, shown_errors):
    target = tmp_path / "no such folder" / "out.vcf"
    finish(qtbot, export_actions.run_export(window, "vcf", target))
    qtbot.waitUntil(lambda: bool(shown_errors))
    assert str(target) in shown_errors[0]
    assert window.findChild(QMessageBox, "ioDoneBox") is None


def test_export_this_customer(qtbot, window, people, tmp_path):
    folder = tmp_path / "one person"
    finish(qtbot, export_actions.run_customer_export(window, people["Åsa Lindqvist"], folder))
    box = done_box(qtbot, window)
    json_file, md_file = folder / "asa-lindqvist.json", folder / "asa-lindqvist.md"
    assert json_file.stat().st_size > 0 and md_file.stat().st_size > 0
    assert str(json_file) in box.text() and str(md_file) in box.text()
    assert "Anna Smith" not in json_file.read_text(encoding="utf-8")
    assert "send the slides" in md_file.read_text(encoding="utf-8")


def test_erase_confirmation_names_the_person_and_says_it_is_final():
    box = export_actions.erase_box(None, "Åsa Lindqvist (Nordväg Logistik)")
    assert "Erase Åsa Lindqvist (Nordväg Logistik)" in box.text()
    assert "cannot be undone" in box.informativeText()
    assert "Undo history is cleared" in box.informativeText()
    assert box.defaultButton().objectName() != "eraseButton"  # Enter does not erase
    box.deleteLater()


def test_erase_through_the_window(qtbot, window, people, monkeypatch):
    asa = people["Åsa Lindqvist"]
    window.open_customer(asa)
    window.undo_stack.push(QUndoCommand("an earlier edit"))
    assert search.search("Lindqvist")
    asked: list[str] = []

    def yes(_parent, name):
        asked.append(name)
        return True

    monkeypatch.setattr(export_actions, "ask_erase", yes)
    menu = window.findChild(QMenu, "customerMenu")
    menu.aboutToShow.emit()
    action = window.actions_by_name["erase_customer"]
    assert action.isEnabled()
    action.trigger()
    assert asked == ["Åsa Lindqvist (Nordväg Logistik)"]
    qtbot.waitUntil(lambda: "Åsa Lindqvist" not in list_names(window), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 0)
    assert list_names(window) == ["Anna Smith"]
    assert window.customer_id is None
    assert search.search("Lindqvist") == () and search.search("slides") == ()
    assert "Erased Åsa Lindqvist" in window.statusBar().currentMessage()
    assert io_worker.running() == 0


def test_erase_declined_changes_nothing(qtbot, window, people):
    asa = people["Åsa Lindqvist"]
    assert export_actions.erase_customer(window, asa, confirm=lambda *_: False) is None
    assert customers.get(asa).full_name == "Åsa Lindqvist"


def test_customer_menu_is_disabled_without_a_customer(window):
    window.open_customer(None)
    menu = window.findChild(QMenu, "customerMenu")
    menu.aboutToShow.emit()
    assert not window.actions_by_name["erase_customer"].isEnabled()
    assert not window.actions_by_name["export_customer"].isEnabled()
    names = [a.objectName() for a in window.findChild(QMenu, "exportMenu").actions()]
    assert names == [f"action_export_{f}" for f in ("vcf", "csv", "ics", "json", "md")]


def test_the_worker_has_its_own_connection_and_closes_it(qtbot, notebook):
    """peewee keeps a connection per thread: the worker's is another sqlite3 connection to
    the same file, with the same pragmas and SQL functions, closed before it reports."""
    import sqlite3

    from relnotebook.core import db

    main = db.database.connection()

    def job(_progress, _cancelled):
        conn = db.database.connection()
        pragmas = [conn.execute(f"PRAGMA {p}").fetchone()[0]
                   for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")]
        folded = conn.execute("SELECT rn_fold('Åsa')").fetchone()[0]
        return conn, pragmas, folded

    worker = io_worker.IoWorker(job)
    with qtbot.waitSignal(worker.succeeded, timeout=WAIT_MS) as blocker:
        worker.start_job()
    conn, pragmas, folded = blocker.args[0]
    assert conn is not main
    assert pragmas == ["wal", 2, 1, 5000] and folded == "asa"
    with pytest.raises(sqlite3.ProgrammingError):
        conn.execute("SELECT 1")  # closed by the worker
    assert db.database.connection() is main and main.execute("SELECT 1").fetchone() == (1,)
