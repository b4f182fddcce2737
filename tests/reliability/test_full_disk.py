"""A full disk (DESIGN.md §8, issue 8): reported at the first failed write, nothing half
written, no earlier note lost, drafts go to their fallback file.

The disk fills up for SQLite when the file may not grow: ``PRAGMA max_page_count`` set to
the current size on the open connection. Where the test runs as root on Linux with
``mount`` working, a tiny tmpfs is filled up for real as well (skipped elsewhere).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from peewee import OperationalError

from relnotebook import cli
from relnotebook.core import conversations, customers, db, drafts, search
from relnotebook.core.errors import StorageError
from relnotebook.core.models import Conversation, FollowUp
from relnotebook.core.storage_errors import classify

BIG = "A long meeting. " * 20_000  # ~320 KB: needs many new pages


def _notes(customer_id: int, count: int = 5) -> dict[int, str]:
    saved = {}
    for n in range(count):
        body = f"Note {n} #early\n[ ] follow up {n} by Friday\n+hobby: chess {n}"
        saved[conversations.log(customer_id, body).conversation.id] = body
    return saved


def _cap() -> None:
    """The file may not grow past its current size from now on (this connection)."""
    pages = db.database.execute_sql("PRAGMA page_count").fetchone()[0]
    db.database.execute_sql(f"PRAGMA max_page_count = {pages}")


def _assert_intact(saved: dict[int, str]) -> None:
    assert db.database.execute_sql("PRAGMA quick_check").fetchall() == [("ok",)]
    assert search.check() == []
    rows = {c.id: c.body for c in Conversation.select()}
    assert rows == saved  # every earlier note, and nothing of the failed one
    assert FollowUp.select().count() == len(saved)


def test_log_on_a_full_disk_fails_cleanly(notebook):
    customer_id = customers.create("Fay Full", company="Disk AB")[0].id
    saved = _notes(customer_id)
    _cap()
    with pytest.raises((StorageError, OperationalError)) as info:
        conversations.log(customer_id, "The one that does not fit\n[ ] never stored\n" + BIG)
    assert classify(info.value).code == "disk_full"
    _assert_intact(saved)
    # Room again (someone emptied the trash): the notebook works on, as it was.
    db.database.execute_sql("PRAGMA max_page_count = 1073741823")
    logged = conversations.log(customer_id, "After the cleanup\n[ ] stored now")
    saved[logged.conversation.id] = "After the cleanup\n[ ] stored now"
    _assert_intact(saved)


def test_draft_on_a_full_disk_goes_to_the_fallback_file(notebook):
    customer_id = customers.create("Dora Draft")[0].id
    _cap()
    text = "Meeting notes typed while the disk is full\n" + BIG
    saved = drafts.save(customer_id, text)
    assert saved.error == "disk_full"
    assert saved.safe and not saved.in_notebook
    assert saved.fallback_path is not None
    assert saved.fallback_path.read_text(encoding="utf-8") == text
    found = drafts.get(customer_id)
    assert found is not None and found.body == text  # offered back, not lost
    saved.fallback_path.unlink()


def test_cli_log_on_a_full_disk(tmp_path, monkeypatch, capsys):
    path = tmp_path / "full.sqlite"
    db.open_notebook(path)
    customer_id = customers.create("Cli Full")[0].id
    saved = _notes(customer_id, 3)
    pages = db.database.execute_sql("PRAGMA page_count").fetchone()[0]
    db.close_notebook()
    # Every connection the CLI opens may not grow the file: a full disk for the verb.
    monkeypatch.setattr(db, "PRAGMAS", (*db.PRAGMAS, ("max_page_count", pages + 1)))
    note = tmp_path / "note.txt"
    note.write_text("Does not fit\n" + BIG, encoding="utf-8")
    code = cli.main(["log", "Cli Full", "--file", str(note), "--notebook", str(path)])
    _, err = capsys.readouterr()
    db.close_notebook()
    assert code == 1
    assert err.strip().splitlines() == ["relnotebook: the disk is full; nothing was changed"]
    monkeypatch.undo()
    db.open_notebook(path)
    try:
        _assert_intact(saved)
    finally:
        db.close_notebook()


# --- a real full file system ---------------------------------------------------------------------


def _can_mount() -> bool:
    return (sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0
            and shutil.which("mount") is not None and shutil.which("umount") is not None)


@pytest.fixture
def tiny_disk(tmp_path):
    if not _can_mount():
        pytest.skip("needs root, Linux and mount for a tmpfs")
    mountpoint = tmp_path / "tiny"
    mountpoint.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs",
                           str(mountpoint)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        db.close_notebook()
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def _fill_up(folder: Path) -> Path:
    """Take every free byte of ``folder``'s file system."""
    filler = folder / "filler.bin"
    with filler.open("wb", buffering=0) as fh:
        for size in (65536, 512):
            with contextlib.suppress(OSError):
                while True:
                    fh.write(b"\0" * size)
    return filler


def test_log_on_a_really_full_file_system(tiny_disk):
    path = db.open_notebook(tiny_disk / "notebook.sqlite")
    customer_id = customers.create("Tim Tiny")[0].id
    saved = _notes(customer_id, 3)
    filler = _fill_up(tiny_disk)
    with pytest.raises((StorageError, OperationalError, OSError)) as info:
        conversations.log(customer_id, "Does not fit\n[ ] never stored\n" + BIG)
    known = classify(info.value)
    assert known is not None and known.code == "disk_full", info.value
    filler.unlink()  # room again
    db.close_notebook()
    db.open_notebook(path)
    _assert_intact(saved)
