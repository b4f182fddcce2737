"""Backups, rotation and restore (DESIGN.md §8): what a user relies on after a bad day."""

from __future__ import annotations

import hashlib
import os
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from relnotebook import cli
from relnotebook.core import backup, conversations, customers, db, erase
from relnotebook.core.backup import Rotation
from relnotebook.core.errors import StorageError
from relnotebook.core.models import Conversation, Customer, Erasure


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_is_a_checked_private_notebook_with_everything(notebook, tmp_path):
    zoe, _ = customers.create("Zoë Ångström", company="Ångström AB")
    conversations.log(zoe.id, "Sauna talk #wellness\n[ ] send brochure by Friday")
    info = backup.backup(folder=tmp_path / "backups")
    assert info.path.exists() and info.path.suffix == ".sqlite"
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    assert backup.check_file(info.path, full=True) == []
    assert not list((tmp_path / "backups").glob("*.partial"))
    db.open_notebook(info.path)
    assert [c.full_name for c in Customer.select()] == ["Zoë Ångström"]
    assert Conversation.select().count() == 1


def test_rotation_keeps_recent_then_one_per_day_week_month(notebook, tmp_path):
    folder = tmp_path / "backups"
    start = datetime(2026, 1, 1, 9, 0)
    for n in range(120):  # one backup a day for four months, two on each day
        for hour in (9, 17):
            backup.backup(now=start + timedelta(days=n, hours=hour - 9), folder=folder)
    keep = Rotation(recent=3, daily=5, weekly=4, monthly=3)
    backup.rotate(folder, today=date(2026, 4, 30), keep=keep)
    kept = [b.taken_at for b in backup.list_backups(folder)]
    assert kept[:3] == sorted(kept, reverse=True)[:3]  # the newest three
    days = {t.date() for t in kept}
    assert len(days) >= 5 and len(kept) <= 3 + 5 + 4 + 3
    assert min(kept) < datetime(2026, 3, 1)  # a monthly one reaches back


def test_restore_keeps_the_current_file_aside_and_reapplies_erasures(notebook, tmp_path):
    anna, _ = customers.create("Anna Berg", company="Acme")
    bob, _ = customers.create("Bob Smith")
    taken = backup.backup(folder=tmp_path / "backups")
    erase.erase_customer(bob.id)  # erased after the backup was taken
    customers.create("Carl Late")  # written after the backup: kept aside, not lost
    report = backup.restore(taken.path, notebook, now=datetime(2026, 11, 23, 10, 0))
    names = sorted(c.full_name for c in Customer.select())
    assert names == ["Anna Berg"]  # Bob stays erased; Carl is in the file kept aside
    assert report.erasures_reapplied == 1
    assert Erasure.select().where(Erasure.customer_uuid == bob.uuid).exists()
    assert report.kept_aside is not None and report.kept_aside.exists()
    assert report.kept_aside.name == "notebook.before-restore-20261123-100000.sqlite"
    db.open_notebook(report.kept_aside)
    assert "Carl Late" in {c.full_name for c in Customer.select()}
    assert anna.id


def test_a_bad_backup_is_refused_and_nothing_changes(notebook, tmp_path):
    customers.create("Anna Berg")
    db.close_notebook()
    before = _sha(notebook)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StorageError) as caught:
        backup.restore(junk, notebook)
    assert caught.value.code == "bad_backup"
    assert _sha(notebook) == before


def test_cli_backup_restore_and_check(notebook, tmp_path, capsys, data_home):
    customers.create("Anna Berg")
    db.close_notebook()
    assert cli.main(["backup", "--notebook", str(notebook)]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.exists() and str(path).startswith(str(data_home))
    assert cli.main(["add", "Bob Smith", "--notebook", str(notebook)]) == 0
    assert cli.main(["restore", str(path), "--notebook", str(notebook)]) == 0
    out = capsys.readouterr().out
    assert "kept as" in out
    assert cli.main(["customers", "--notebook", str(notebook)]) == 0
    listed = capsys.readouterr().out
    assert "Anna Berg" in listed and "Bob Smith" not in listed
    assert cli.main(["check", "--notebook", str(notebook)]) == 0
    assert capsys.readouterr().out.strip().endswith(": ok")
    assert cli.main(["restore", os.devnull, "--notebook", str(notebook)]) == 1
    assert "not a usable backup" in capsys.readouterr().err
