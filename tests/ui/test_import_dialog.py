"""File → Import contacts, walked through the dialog: plan in the worker, preview, import,
the column-mapping step for a CSV nobody recognises, and Cancel that leaves nothing."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from relnotebook.core import customers
from relnotebook.core.io import ImportCancelled, merge
from relnotebook.ui import io_worker
from relnotebook.ui.app import create_main_window
from relnotebook.ui.customer_model import Column as ListColumn
from relnotebook.ui.import_dialog import (
    APPLYING,
    CANCELLED,
    DONE,
    MAPPING,
    PREVIEW,
    ImportDialog,
    start_import,
)
from relnotebook.ui.import_pages import Column, Role
from relnotebook.ui.io_worker import IoWorker

CONTACTS = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "contacts"
needs_contacts = pytest.mark.skipif(not CONTACTS.is_dir(), reason="shared testdata missing")
WAIT_MS = 60_000


@pytest.fixture
def window(qtbot, notebook):
    win = create_main_window(notebook)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    io_worker.stop_all()


def planned(qtbot, win, *paths: Path) -> ImportDialog:
    dialog = ImportDialog(win.bus, paths, win)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.stage in (PREVIEW, MAPPING), timeout=WAIT_MS)
    return dialog


def list_names(win) -> list[str]:
    model = win.list_panel.model
    while model.canFetchMore(model.index(0, 0).parent()):
        model.fetchMore(model.index(0, 0).parent())
    return [model.index(r, ListColumn.NAME).data() for r in range(model.rowCount())]


def tab_rows(dialog: ImportDialog, tab: str) -> list[tuple[str, str, str, str]]:
    dialog.preview.select_tab(tab)
    model = dialog.preview.model
    return [tuple(model.index(r, c).data() if c != Column.ACTION else
                  model.index(r, c).data(Role.ACTION) for c in Column)
            for r in range(model.rowCount())]


def vcards(path: Path, n: int) -> Path:
    path.write_text("".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i} Testsson\r\n"
        f"EMAIL:p{i}@example.org\r\nEND:VCARD\r\n" for i in range(n)), encoding="utf-8")
    return path


@needs_contacts
def test_import_apple_contacts_then_again_changes_nothing(qtbot, qtmodeltester, window):
    apple = CONTACTS / "apple_contacts.vcf"
    dialog = start_import(window.bus, apple, window)
    qtbot.waitUntil(lambda: dialog.stage == PREVIEW, timeout=WAIT_MS)
    assert dialog.isVisible()
    assert "3 new customers" in dialog.preview.summary.text()
    news = tab_rows(dialog, "new")
    assert [r[1] for r in news] == ["Åsa Lindqvist", "Dr. Seán O'Brien", "Kettle & Co."]
    assert news[0][2] == "apple_contacts.vcf:1"
    qtmodeltester.check(dialog.preview.model)
    assert dialog.import_button.isVisible() and dialog.import_button.isEnabled()
    assert customers.list_rows() == ()  # nothing is written before Import

    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS) as blocker:
        dialog.import_button.click()
    assert blocker.args[0].added == 3
    assert dialog.stage == DONE and "Added 3 customers" in dialog.message.text()
    assert "Åsa Lindqvist" in list_names(window)
    dialog.close_button.click()

    again = planned(qtbot, window, apple)
    assert again.plan.count("unchanged") == 3 and again.plan.count("new") == 0
    assert tab_rows(again, "unchanged")[0][3].startswith(
        "already there: same email as Åsa Lindqvist (Nordväg Logistik AB)")
    assert not again.import_button.isVisible()  # nothing to add: only Close
    assert again.close_button.isVisible()
    assert "changes nothing" in again.preview.summary.text()


@needs_contacts
def test_broken_card_is_listed_as_skipped_with_its_line(qtbot, window):
    dialog = planned(qtbot, window, CONTACTS / "apple_contacts.vcf", CONTACTS / "broken.vcf")
    skipped = tab_rows(dialog, "skip")
    assert len(skipped) == 1
    action, _name, where, why = skipped[0]
    assert action == "skip" and where == "broken.vcf:1"
    assert "never ends" in why and "line 6" in why
    assert "4 new customers" in dialog.preview.summary.text()
    assert "1 skipped" in dialog.preview.summary.text()
    tabs = dialog.preview.tabs
    assert [tabs.tabText(i) for i in range(5)] == [
        "All (5)", "New (4)", "Merged (0)", "Already there (0)", "Skipped (1)"]
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS):
        dialog.apply()
    assert "Whole Card" in list_names(window) and "Half Card" not in list_names(window)


def test_csv_with_unknown_columns_goes_through_the_mapping_step(qtbot, window, tmp_path):
    csv_file = tmp_path / "leute.csv"
    csv_file.write_text("Wer;Laden;Post;Rufnummer;Egal\n"
                        "Björn Østergaard;Fjord Fisk A/S;bjorn@fjord.example;+45 33 55 01 20;x\n"
                        "Zoë Kowalczyk;Wisła Meble;zoe@wisla.example;;y\n", encoding="utf-8")
    dialog = planned(qtbot, window, csv_file)
    assert dialog.stage == MAPPING
    page = dialog.mapping_page
    assert page.headers == ["Wer", "Laden", "Post", "Rufnummer", "Egal"]
    assert page.table.item(1, 0).text() == "Björn Østergaard"  # row 0 holds the combos
    assert page.table.item(2, 2).text() == "zoe@wisla.example"
    assert dialog.continue_button.isVisible() and dialog.skip_button.isVisible()
    assert not dialog.continue_mapping()  # nothing chosen names anyone: a hint, no plan
    assert not page.error.isHidden() and dialog.stage == MAPPING
    for column, code in (("Wer", "name"), ("Laden", "company"), ("Post", "email"),
                         ("Rufnummer", "phone:work")):
        page.choose(column, code)
    assert page.mapping() == [("name", "Wer"), ("company", "Laden"), ("email", "Post"),
                              ("phone:work", "Rufnummer")]
    dialog.continue_button.click()
    qtbot.waitUntil(lambda: dialog.stage == PREVIEW, timeout=WAIT_MS)
    assert [r[1] for r in tab_rows(dialog, "new")] == ["Björn Østergaard", "Zoë Kowalczyk"]
    assert "Wer → Full name" in dialog.preview.files.text()
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS):
        dialog.apply()
    bjorn = customers.find("Björn Østergaard")
    assert bjorn.company == "Fjord Fisk A/S"
    assert "Zoë Kowalczyk" in list_names(window)


def test_skipping_the_mapping_lists_the_file_as_skipped(qtbot, window, tmp_path):
    csv_file = tmp_path / "odd.csv"
    csv_file.write_text("a,b\n1,2\n", encoding="utf-8")
    dialog = planned(qtbot, window, csv_file)
    assert dialog.stage == MAPPING
    dialog.skip_button.click()
    assert dialog.stage == PREVIEW
    (row,) = tab_rows(dialog, "skip")
    assert row[2] == "odd.csv:1" and "which column" in row[3]
    assert not dialog.import_button.isVisible()


def test_cancel_while_planning_leaves_nothing(qtbot, window, tmp_path):
    big = vcards(tmp_path / "many.vcf", 400)
    dialog = ImportDialog(window.bus, [big], window)
    qtbot.addWidget(dialog)
    dialog.start()
    worker = dialog.worker
    assert worker is not None
    dialog.cancel_button.click()
    assert dialog.stage == CANCELLED
    assert "nothing was written" in dialog.message.text()
    if worker.isRunning():
        qtbot.waitSignal(worker.finished, timeout=WAIT_MS).wait()
    QApplication.processEvents()  # a plan that arrived after Cancel is dropped
    assert dialog.stage == CANCELLED and dialog.plan is None
    assert list_names(window) == [] and customers.list_rows() == ()
    dialog.close_button.click()
    assert not dialog.isVisible()


def test_planning_stops_when_cancelled(qtbot, notebook, tmp_path):
    big = vcards(tmp_path / "many.vcf", 400)
    worker = IoWorker(lambda progress, cancelled: merge.plan_import(
        [big], progress=progress, cancelled=cancelled))
    worker.cancel()
    with qtbot.waitSignal(worker.failed, timeout=WAIT_MS) as blocker:
        worker.start_job()
    assert isinstance(blocker.args[0], ImportCancelled)
    qtbot.waitUntil(lambda: io_worker.running() == 0)


def test_cancel_before_the_write_leaves_the_notebook_untouched(qtbot, window, tmp_path,
                                                               monkeypatch):
    big = vcards(tmp_path / "many.vcf", 300)
    dialog = planned(qtbot, window, big)
    real_apply = merge.apply
    gate = threading.Event()

    def apply_after_cancel(plan, *, cancelled):
        while not cancelled():  # the worker waits for the user's Cancel, then writes
            gate.wait(0.005)
        return real_apply(plan, cancelled=cancelled)

    monkeypatch.setattr(merge, "apply", apply_after_cancel)
    dialog.apply()
    assert dialog.stage == APPLYING
    dialog.reject()  # Esc while writing: cancels, and stays open until it is known
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.stage == CANCELLED, timeout=WAIT_MS)
    assert dialog.report is None
    assert list_names(window) == [] and customers.list_rows() == ()


def test_progress_reaches_the_bar_and_is_throttled(qtbot, notebook, tmp_path):
    big = vcards(tmp_path / "many.vcf", 1000)
    seen: list[tuple[int, int]] = []
    worker = IoWorker(lambda progress, cancelled: merge.plan_import(
        [big], progress=progress, cancelled=cancelled), min_interval=3600)
    worker.progressed.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(worker.succeeded, timeout=WAIT_MS):
        worker.start_job()
    qtbot.waitUntil(lambda: io_worker.running() == 0)
    assert seen == [(100, 1000), (1000, 1000)]  # the first, then (an hour later) the last


def test_menu_and_welcome_offer_import(qtbot, window):
    action = window.actions_by_name["import_contacts"]
    assert action.shortcut().toString() == "Ctrl+I"
    button = window.findChild(QPushButton, "welcomeImportButton")
    assert button is not None and button.isEnabled()
