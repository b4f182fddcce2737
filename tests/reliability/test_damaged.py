"""A damaged notebook at start (DESIGN.md §8).

A real notebook (customers, a few hundred notes, the search index) is damaged in the middle:
pages overwritten with noise, or the file cut short. Then:

- the CLI (``check``, ``customers``) exits 1 with a one-line message, no traceback, and the
  file's bytes are unchanged: the CLI never moves or rewrites a file it cannot read;
- the window's ``SafetyController`` reports it (``damaged``) from its worker, and a sound
  notebook passes (``checked``);
- ``move_aside_damaged`` keeps every byte (the file and its -wal/-shm, renamed), and
  ``repair`` puts the newest good backup in its place, re-applying erasures.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from relnotebook.core import backup, conversations, customers, db
from relnotebook.core.models import Conversation, Customer
from relnotebook.core.text import fold

ROOT = Path(__file__).parent.parent.parent
PAGE = 4096


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}


def _cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "relnotebook", *argv], capture_output=True,
                          text=True, encoding="utf-8", cwd=str(ROOT), env=_env(), timeout=120,
                          check=False)


def _fill(path: Path, people: int = 40, notes: int = 150) -> list[int]:
    """A real notebook at ``path`` (closed afterwards, so no -wal is left)."""
    db.open_notebook(path)
    with db.write():
        ids = [customers.create(f"Person {i}", company=f"Company {i}")[0].id
               for i in range(people)]
        for n in range(notes):
            conversations.log(ids[n % people], f"Note {n} #topic{n % 9}\n[ ] call back {n}\n"
                                               + "lorem ipsum dolor " * 60)
    db.close_notebook()
    assert not Path(f"{path}-wal").exists()
    return ids


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """One real notebook per module (logging notes takes a while); tests copy it."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    _fill(path)
    return path


def _copy(template: Path, path: Path) -> Path:
    path.write_bytes(template.read_bytes())
    return path


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    pages = len(data) // PAGE
    rng = random.Random(8)
    if how == "truncate":
        del data[(pages // 2) * PAGE:]
    elif how == "conversations":  # only the conversation table's leaves: the rest reads
        conn = sqlite3.connect(path)
        try:
            leaves = [r[0] for r in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'conversation' AND pagetype = 'leaf'")]
        finally:
            conn.close()
        for page in leaves[::4]:
            data[(page - 1) * PAGE:page * PAGE] = rng.randbytes(PAGE)
    else:
        for page in range(pages // 4, 3 * pages // 4, 3):
            data[page * PAGE:(page + 1) * PAGE] = rng.randbytes(PAGE)
    path.write_bytes(bytes(data))


@pytest.fixture(params=["overwrite", "truncate"])
def damaged(request, template, tmp_path) -> Path:
    path = _copy(template, tmp_path / "damaged.sqlite")
    _damage(path, request.param)
    return path


@pytest.mark.parametrize("verb", [["check"], ["customers"]])
def test_cli_reports_and_leaves_the_file_alone(damaged, verb):
    before = _sha(damaged)
    result = _cli(*verb, "--notebook", str(damaged))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 if verb == ["customers"] else len(lines) >= 1
    assert lines[-1].startswith("relnotebook: ")
    assert "not changed" in lines[-1]
    assert _sha(damaged) == before
    assert sorted(p.name for p in damaged.parent.iterdir()
                  if not p.name.endswith(("-wal", "-shm"))) == ["damaged.sqlite"]
    for suffix in ("-wal", "-shm"):  # a leftover -wal, if any, holds nothing
        side = Path(f"{damaged}{suffix}")
        assert not side.exists() or suffix == "-shm" or side.stat().st_size == 0


def test_safety_controller_reports_damage(qtbot, damaged):
    from relnotebook.ui.safety import SafetyController

    controller = SafetyController(None, damaged)
    with qtbot.waitSignal(controller.damaged, timeout=30_000) as report:
        controller.run_quick_check()
    assert report.args[0] and all(isinstance(p, str) for p in report.args[0])
    assert controller.last_problems == report.args[0]


def test_safety_controller_passes_a_sound_notebook(qtbot, tmp_path):
    from relnotebook.ui.safety import SafetyController

    path = tmp_path / "sound.sqlite"
    _fill(path, people=3, notes=20)
    db.open_notebook(path)
    controller = SafetyController(None, path)
    try:
        with qtbot.waitSignal(controller.checked, timeout=30_000):
            controller.start()  # what the window calls after show(): check after first paint
        assert controller.last_problems == []
    finally:
        controller.close(back_up=False)
        db.close_notebook()


def _killed_writer(path: Path) -> None:
    """A process that writes and dies by SIGKILL: leaves a -wal and -shm behind."""
    code = ("import os, signal, sys\n"
            "from relnotebook.core import db, customers\n"
            "db.open_notebook(sys.argv[1])\n"
            "customers.create('Wal Only')\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], cwd=str(ROOT), env=_env(),
                          check=False, timeout=60)
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_move_aside_keeps_every_byte(tmp_path):
    from relnotebook.ui.safety import move_aside_damaged

    path = tmp_path / "notebook.sqlite"
    _fill(path, people=2, notes=5)
    _killed_writer(path)
    sides = {s: Path(f"{path}{s}") for s in ("", "-wal", "-shm")}
    assert all(p.exists() for p in sides.values())
    shas = {s: _sha(p) for s, p in sides.items()}
    moved = move_aside_damaged(path)
    assert moved.parent == tmp_path
    assert moved.name.startswith("notebook.damaged-") and moved.name.endswith(".sqlite")
    assert not any(p.exists() for p in sides.values())
    assert {s: _sha(Path(f"{moved}{s}")) for s in sides} == shas
    conn = sqlite3.connect(moved)  # the moved file still opens, with its -wal's last commit
    try:
        names = [r[0] for r in conn.execute("SELECT full_name FROM customer")]
    finally:
        conn.close()
    assert "Wal Only" in names
    again = tmp_path / "notebook.sqlite"
    again.write_bytes(b"")
    second = move_aside_damaged(again)  # the same second: a new name, nothing overwritten
    assert second != moved and Path(moved).exists()


def test_repair_restores_the_newest_good_backup(qtbot, template, tmp_path):
    from relnotebook.core import erase
    from relnotebook.ui.safety import SafetyController
    from relnotebook.ui.window_safety import offer_repair

    path = _copy(template, tmp_path / "notebook.sqlite")
    db.open_notebook(path)
    ids = [c.id for c in Customer.select(Customer.id).order_by(Customer.id)]
    controller = SafetyController(None, path)
    erased_uuid = customers.get(ids[1]).uuid
    kept_notes = Conversation.select().where(Conversation.customer != ids[1]).count()
    good = backup.backup(folder=controller.backup_folder())
    erase.erase_customer(ids[1])  # erased after the backup: must stay erased
    db.close_notebook()
    before = _sha(path)
    _damage(path, "conversations")  # the erasure table stays readable
    damaged_sha = _sha(path)
    assert damaged_sha != before
    asked = []
    with qtbot.waitSignal(controller.restored, timeout=30_000) as reopened:
        report = offer_repair(None, controller, ["page 7: malformed"],
                              ask=lambda *args: asked.append(args) or True)
    assert len(asked) == 1 and "never deleted" in asked[0][2]
    assert reopened.args == [path.resolve()]
    assert report.restored_from == good.path
    assert _sha(report.moved_to) == damaged_sha  # the damaged bytes are kept, renamed
    try:
        assert db.current_path() == path.resolve()
        assert db.database.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert Conversation.select().count() == kept_notes
        assert Customer.get_or_none(Customer.uuid == erased_uuid) is None
    finally:
        db.close_notebook()


def test_repair_can_be_declined(qtbot, template, tmp_path):
    from relnotebook.ui.safety import SafetyController
    from relnotebook.ui.window_safety import offer_repair

    path = _copy(template, tmp_path / "notebook.sqlite")
    _damage(path, "overwrite")
    before = _sha(path)
    controller = SafetyController(None, path)
    assert offer_repair(None, controller, ["bad"], ask=lambda *args: False) is None
    assert _sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebook.sqlite"]


# --- backups from the window: what repair and restore rely on ------------------------------------


@pytest.fixture
def window_notebook(template, tmp_path):
    from relnotebook.ui.bus import EventBus
    from relnotebook.ui.safety import SafetyController

    path = db.open_notebook(_copy(template, tmp_path / "window.sqlite"))
    bus = EventBus()
    controller = SafetyController(bus, path)
    yield path, bus, controller
    controller.close(back_up=False)
    db.close_notebook()


def test_backups_follow_changes(qtbot, window_notebook):
    from relnotebook.core.changes import Changes

    path, bus, controller = window_notebook
    assert not controller.has_changes()
    controller.tick()  # nothing changed: no backup
    assert controller.last_backup is None
    customer_id = Customer.select().first().id
    logged = conversations.log(customer_id, "changed since the last backup")
    bus.publish(logged.changes)
    assert controller.has_changes()
    with qtbot.waitSignal(controller.backup_finished, timeout=30_000) as done:
        controller.tick()
        # The window goes on writing while the worker copies (its own connection).
        for n in range(3):
            conversations.log(customer_id, f"written during the backup {n}")
    info = done.args[0]
    assert info.path.parent == controller.backup_folder()
    assert backup.check_file(info.path) == []
    assert not controller.has_changes()
    bus.publish(Changes.everything())
    assert controller.close() is not None  # closing backs up what changed since
    assert len(backup.list_backups(controller.backup_folder())) >= 1


def test_outside_writes_count_as_changes(window_notebook):
    path, _, controller = window_notebook
    controller.start()
    assert not controller.has_changes()
    conn = sqlite3.connect(path)  # another process (here: connection) writes
    conn.create_function("rn_fold", 1, fold, deterministic=True)  # the index's triggers
    with conn:
        conn.execute("UPDATE customer SET about = 'from the CLI' WHERE id = 1")
    conn.close()
    assert controller.has_changes()


def test_backups_dialog_backs_up_and_restores(qtbot, window_notebook):
    from relnotebook.ui.backups_dialog import BackupsDialog

    path, _, controller = window_notebook
    answers = []
    dialog = BackupsDialog(controller, ask=lambda *args: answers.append(args) or True)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    assert not dialog.restore_button.isEnabled()
    with qtbot.waitSignal(controller.backup_finished, timeout=30_000):
        dialog.backup_button.click()
    assert dialog.table.rowCount() == 1
    assert dialog.restore_button.isEnabled()
    assert dialog.selected() == backup.list_backups(controller.backup_folder())[0].path
    before = Conversation.select().count()
    conversations.log(Customer.select().first().id, "after the backup")
    with qtbot.waitSignal(dialog.restored, timeout=10_000) as restored:
        dialog.restore_button.click()
    assert restored.args == [path]
    assert "kept aside" in answers[0][2]
    assert Conversation.select().count() == before  # the backup's content is back
    kept = [p for p in path.parent.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1 and backup.check_file(kept[0]) == []


def test_backups_dialog_restore_declined(qtbot, window_notebook):
    from relnotebook.ui.backups_dialog import BackupsDialog

    path, _, controller = window_notebook
    controller.close(back_up=False)
    backup.backup(folder=controller.backup_folder())
    dialog = BackupsDialog(controller, ask=lambda *args: False)
    qtbot.addWidget(dialog)
    before = _sha(path)
    assert dialog.restore_selected() is None
    assert _sha(path) == before
    assert not [p for p in path.parent.iterdir() if ".before-restore-" in p.name]
