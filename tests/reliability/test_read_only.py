"""A read-only notebook (DESIGN.md §8, issue 8): it lists, briefs and searches; every write
fails with ``StorageError("read_only")`` (or an SQLite error ``classify`` maps to it) and
nothing in the file changes.

File modes do not stop root (CI runs as root), so the tests open the notebook read-only as
the app does: ``open_notebook(read_only=True)``, or an unwritable file simulated by
patching ``os.access`` (what ``open_notebook`` asks before choosing).
"""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path

import pytest
from peewee import OperationalError

from relnotebook import cli
from relnotebook.core import (
    agenda,
    brief_render,
    briefing,
    conversations,
    customers,
    db,
    drafts,
    migrations,
    search,
    settings,
)
from relnotebook.core.errors import StorageError
from relnotebook.core.models import Conversation, Customer
from relnotebook.core.storage_errors import classify

TODAY = date(2026, 11, 20)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def filled(tmp_path) -> Path:
    path = tmp_path / "readonly.sqlite"
    db.open_notebook(path)
    cid = customers.create("Rita Reader", company="Archive AB")[0].id
    conversations.log(cid, "Talked about the archive #records\n[ ] send the index by Friday\n"
                           "+hobby: old maps", at=date(2026, 11, 2))
    settings.notebook_uuid()
    db.close_notebook()
    yield path
    db.close_notebook()


def _unwritable(monkeypatch, path: Path) -> None:
    """``os.access`` says the notebook (and its folder) cannot be written."""
    real = os.access
    targets = {str(path), str(path.parent)}

    def access(p, mode, *args, **kwargs):
        if mode & os.W_OK and str(Path(p).resolve()) in targets:
            return False
        return real(p, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


def _reads_work() -> int:
    rows = customers.list_rows()
    assert [r.full_name for r in rows] == ["Rita Reader"]
    cid = rows[0].id
    text = brief_render.to_text(briefing.brief_for(cid, TODAY))
    assert "send the index" in text and "old maps" in text
    assert agenda.for_day(TODAY) is not None
    assert [h.customer_name for h in search.search("archive")][:1] == ["Rita Reader"]
    assert search.search("((\"*") == ()
    return cid


def _writes_fail(cid: int) -> None:
    with pytest.raises(StorageError) as info:
        conversations.log(cid, "Not stored")
    assert info.value.code == "read_only"
    with pytest.raises(StorageError) as info:
        customers.create("Nobody New")
    assert info.value.code == "read_only"
    with pytest.raises(StorageError) as info:
        settings.set("default_call_minutes", 20)
    assert info.value.code == "read_only"
    # A write that does not go through the services: SQLite itself refuses it.
    with pytest.raises(OperationalError) as raw:
        db.database.execute_sql("UPDATE customer SET about = 'changed'")
    assert classify(raw.value).code == "read_only"
    saved = drafts.save(cid, "typed into a read-only notebook")
    assert saved.error == "read_only" and saved.fallback_path is not None
    assert saved.fallback_path.read_text(encoding="utf-8") == "typed into a read-only notebook"
    saved.fallback_path.unlink()
    assert Conversation.select().count() == 1
    assert Customer.select().count() == 1


def test_read_only_open_reads_and_refuses_writes(filled):
    before = _sha(filled)
    assert db.open_notebook(filled, read_only=True) == filled.resolve()
    assert db.is_read_only()
    assert db.current_path() == filled.resolve()
    cid = _reads_work()
    _writes_fail(cid)
    db.close_notebook()
    assert _sha(filled) == before
    db.open_notebook(filled)  # writable again as soon as it is opened so
    assert not db.is_read_only()


def test_an_unwritable_file_opens_read_only(filled, monkeypatch):
    before = _sha(filled)
    _unwritable(monkeypatch, filled)
    db.open_notebook(filled)
    assert db.is_read_only()
    _writes_fail(_reads_work())
    db.close_notebook()
    assert _sha(filled) == before


def test_read_only_notebook_that_needs_an_upgrade_is_refused(tmp_path):
    path = tmp_path / "old.sqlite"
    db.database.init(str(path), pragmas=db.PRAGMAS)
    db.database.connect()
    migrations.upgrade(db.database, target=1)
    db.database.pragma("application_id", db.APPLICATION_ID)
    db.database.execute_sql("PRAGMA journal_mode=delete")
    db.close_notebook()
    before = _sha(path)
    with pytest.raises(StorageError) as info:
        db.open_notebook(path, read_only=True)
    assert info.value.code == "read_only"
    assert _sha(path) == before
    assert not db.is_open()
    missing = tmp_path / "missing.sqlite"
    with pytest.raises(StorageError) as info:
        db.open_notebook(missing, read_only=True)
    assert info.value.code == "missing" and not missing.exists()


def test_cli_on_an_unwritable_notebook(filled, monkeypatch, capsys):
    before = _sha(filled)
    _unwritable(monkeypatch, filled)
    assert cli.main(["customers", "--notebook", str(filled)]) == 0
    assert "Rita Reader" in capsys.readouterr().out
    assert cli.main(["brief", "rita", "--notebook", str(filled)]) == 0
    assert "send the index" in capsys.readouterr().out
    code = cli.main(["log", "rita", "--text", "not stored", "--notebook", str(filled)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().splitlines() == [
        f"relnotebook: {filled.resolve()} is read-only; nothing was changed"]
    db.close_notebook()
    assert _sha(filled) == before


# --- the window -----------------------------------------------------------------------------------


def test_window_opens_an_unwritable_notebook_read_only(qtbot, filled, monkeypatch):
    from relnotebook.ui.app import create_main_window
    from relnotebook.ui.safety import SafetyController
    from relnotebook.ui.window_safety import ReadOnlyBanner

    before = _sha(filled)
    _unwritable(monkeypatch, filled)
    window = create_main_window(filled)
    qtbot.addWidget(window)
    assert db.is_read_only()
    controller = SafetyController(window.bus, filled, window)
    banner = ReadOnlyBanner(controller, window)
    with qtbot.waitSignal(controller.read_only_changed, timeout=5000) as shown:
        controller.start()
    assert shown.args == [True]
    assert not banner.isHidden()
    controller.close()  # no backup of a notebook nothing could change
    assert controller.last_backup is None
    window.close()
    db.close_notebook()
    assert _sha(filled) == before


def test_window_shows_the_read_only_banner(qtbot, filled, monkeypatch):
    from PySide6.QtWidgets import QWidget

    from relnotebook.ui.app import create_main_window

    _unwritable(monkeypatch, filled)
    window = create_main_window(filled)
    qtbot.addWidget(window)
    banner = window.findChild(QWidget, "readOnlyBanner")
    if banner is None:
        db.close_notebook()
        pytest.skip("the main window does not show the read-only banner yet (integration)")
    assert not banner.isHidden()
    window.close()
    db.close_notebook()


# --- a read-only file system (root, Linux, mount; skipped elsewhere) ------------------------------


@pytest.fixture
def read_only_mount(tmp_path):
    import shutil
    import subprocess
    import sys

    if not (sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0
            and shutil.which("mount") and shutil.which("umount")):
        pytest.skip("needs root, Linux and mount for a read-only file system")
    mountpoint = tmp_path / "ro"
    mountpoint.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs",
                           str(mountpoint)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")

    def remount_read_only() -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(mountpoint)], check=True)

    try:
        yield mountpoint, remount_read_only
    finally:
        db.close_notebook()
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def test_notebook_on_a_read_only_file_system(read_only_mount, tmp_path):
    from relnotebook.core import backup, lock

    mountpoint, remount_read_only = read_only_mount
    path = mountpoint / "notebook.sqlite"
    db.open_notebook(path)
    cid = customers.create("Rita Reader", company="Archive AB")[0].id
    conversations.log(cid, "Talked about the archive #records\n[ ] send the index by Friday\n"
                           "+hobby: old maps", at=date(2026, 11, 2))
    db.close_notebook()
    remount_read_only()
    before = _sha(path)
    assert not db.writable(path)
    db.open_notebook(path)  # no -wal and no writable folder: read as it is (immutable)
    assert db.is_read_only()
    _reads_work()
    with pytest.raises(StorageError) as info:
        conversations.log(cid, "Not stored")
    assert info.value.code == "read_only"
    taken = lock.acquire(path)  # no lock file can be placed; the window still opens
    assert isinstance(taken, lock.Lock) and not taken.placed
    taken.release()
    copy = backup.backup_path(path, tmp_path / "backups")  # a backup is still possible
    assert backup.check_file(copy.path) == []
    db.close_notebook()
    assert _sha(path) == before
    assert sorted(p.name for p in mountpoint.iterdir()) == ["notebook.sqlite"]
