"""Drafts (DESIGN.md §8): autosaved notes, and the fallback file when the notebook says no."""

from __future__ import annotations

import stat
from datetime import timedelta

import peewee
import pytest

from relnotebook.core import customers, db, drafts, paths
from relnotebook.core.changes import Kind
from relnotebook.core.errors import NotFound
from relnotebook.core.models import Draft

NOTE = "Met at the fair — Zoë's #Zürich office\n[ ] send the quote by Friday\n+food: ramen 🍜\n"


@pytest.fixture
def zoe(notebook):
    return customers.create("Zoë Ångström", company="Nordlys")[0]


@pytest.fixture
def bob(notebook):
    return customers.create("Bob Müller")[0]


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_save_then_get_returns_the_text(zoe):
    result = drafts.save(zoe.id, NOTE)
    assert result.in_notebook and result.safe and not result.deleted
    assert result.fallback_path is None
    assert result.changes.concerns(zoe.id, Kind.DRAFT)
    view = drafts.get(zoe.id)
    assert view is not None
    assert (view.body, view.customer_id, view.customer_name) == (NOTE, zoe.id, "Zoë Ångström")
    assert view.first_line == "Met at the fair — Zoë's #Zürich office"
    assert view.fallback_path is None


def test_save_updates_the_one_draft_and_keeps_its_start(zoe):
    drafts.save(zoe.id, "first")
    started = drafts.get(zoe.id).started_at
    Draft.update(started_at=started - timedelta(minutes=5)).execute()
    drafts.save(zoe.id, "second")
    assert Draft.select().count() == 1
    view = drafts.get(zoe.id)
    assert view.body == "second"
    assert view.started_at == started - timedelta(minutes=5)


def test_empty_body_deletes_the_draft(zoe):
    drafts.save(zoe.id, NOTE)
    result = drafts.save(zoe.id, "  \n ")
    assert result.deleted and result.in_notebook
    assert drafts.get(zoe.id) is None
    assert Draft.select().count() == 0


def test_each_customer_keeps_their_own_draft(zoe, bob):
    drafts.save(zoe.id, "for Zoë")
    drafts.save(bob.id, "for Bob")
    assert drafts.get(zoe.id).body == "for Zoë"
    assert drafts.get(bob.id).body == "for Bob"
    drafts.discard(zoe.id)
    assert drafts.get(zoe.id) is None
    assert drafts.get(bob.id).body == "for Bob"


def test_a_draft_without_customer(notebook):
    drafts.save(None, "no one yet")
    assert drafts.get(None).body == "no one yet"
    [view] = drafts.pending()
    assert (view.customer_id, view.customer_name) == (None, "")


def test_unknown_customer_is_not_found(notebook):
    with pytest.raises(NotFound):
        drafts.save(999, "text")


def test_pending_lists_drafts_newest_first_with_customer(zoe, bob):
    drafts.save(zoe.id, "older")
    older = drafts.get(zoe.id).saved_at - timedelta(hours=1)
    Draft.update(saved_at=older).execute()
    drafts.save(bob.id, "newer")
    drafts.save(None, "   ")  # blank: nothing to offer
    listed = drafts.pending()
    assert [(d.customer_name, d.body) for d in listed] == [
        ("Bob Müller", "newer"), ("Zoë Ångström", "older")]


def test_disk_full_falls_back_to_a_private_file_with_the_exact_text(zoe):
    drafts.save(zoe.id, "short")
    pages = db.database.execute_sql("PRAGMA page_count").fetchone()[0]
    db.database.execute_sql(f"PRAGMA max_page_count = {pages}")
    # More than the free pages inside the file hold (a migration that drops indexes
    # leaves some): the draft needs the file to grow.
    free = db.database.execute_sql("PRAGMA freelist_count").fetchone()[0]
    big = NOTE + "x" * (20000 + free * 4096)
    result = drafts.save(zoe.id, big)
    assert result.error == "disk_full"
    assert not result.in_notebook and result.safe
    path = result.fallback_path
    assert path is not None and path.parent == paths.drafts_dir()
    assert path.name == f"{zoe.uuid}.txt"
    assert path.read_bytes() == big.encode("utf-8")
    assert _mode(path) == 0o600
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    # The newer text wins over the notebook's older draft, and is offered at start.
    assert drafts.get(zoe.id).body == big
    assert drafts.get(zoe.id).fallback_path == path
    assert [(d.body, d.fallback_path) for d in drafts.pending()] == [
        (big, path), ("short", None)]


def test_read_only_notebook_falls_back_to_the_file(zoe):
    db.database.execute_sql("PRAGMA query_only = ON")
    try:
        result = drafts.save(zoe.id, NOTE)
    finally:
        db.database.execute_sql("PRAGMA query_only = OFF")
    assert result.error == "read_only"
    assert result.fallback_path.read_text(encoding="utf-8") == NOTE
    assert Draft.select().count() == 0


def test_locked_write_falls_back(zoe, monkeypatch):
    def locked(*_args):
        raise peewee.OperationalError("database is locked")

    monkeypatch.setattr(drafts, "_store", locked)
    result = drafts.save(zoe.id, NOTE)
    assert result.error == "locked"
    assert result.fallback_path.read_text(encoding="utf-8") == NOTE


def test_a_later_good_save_removes_the_stale_fallback_file(zoe, monkeypatch):
    def full(*_args):
        raise peewee.OperationalError("database or disk is full")

    with monkeypatch.context() as patch:
        patch.setattr(drafts, "_store", full)
        path = drafts.save(zoe.id, "while full").fallback_path
    assert path.exists()
    assert drafts.save(zoe.id, "room again").in_notebook
    assert not path.exists()
    assert [d.body for d in drafts.pending()] == ["room again"]


def test_a_bug_is_not_swallowed(zoe, monkeypatch):
    def broken(*_args):
        raise ValueError("a bug")

    monkeypatch.setattr(drafts, "_store", broken)
    with pytest.raises(ValueError):
        drafts.save(zoe.id, NOTE)


def test_discard_removes_file_too_and_discard_fallback_only_the_file(zoe, monkeypatch):
    drafts.save(zoe.id, "in the notebook")
    path = drafts.write_fallback(zoe.id, "in a file")
    drafts.discard_fallback(path)
    assert not path.exists()
    assert drafts.get(zoe.id).body == "in the notebook"
    path = drafts.write_fallback(zoe.id, "in a file")
    drafts.discard(zoe.id)
    assert not path.exists() and drafts.get(zoe.id) is None
    with pytest.raises(NotFound):
        drafts.discard_fallback(paths.data_dir() / "notebook.sqlite")


def test_other_notebooks_files_are_not_offered(zoe, tmp_path):
    drafts.write_fallback(zoe.id, "Zoë's note")
    drafts.write_fallback(None, "nobody's note")
    assert {d.body for d in drafts.pending()} == {"Zoë's note", "nobody's note"}
    db.open_notebook(tmp_path / "other.sqlite")
    customers.create("Someone Else")
    assert drafts.pending() == ()


def test_when_reads_fail_too_the_text_still_lands_in_a_file_found_at_start(zoe, bob,
                                                                            monkeypatch):
    drafts.save(zoe.id, "first")  # Zoë's uuid has been read once

    def io_error(*_args):
        raise peewee.OperationalError("disk I/O error")

    class Unreadable:
        uuid = id = full_name = None
        select = staticmethod(io_error)

    with monkeypatch.context() as patch:
        patch.setattr(drafts, "_store", io_error)
        patch.setattr(drafts, "Customer", Unreadable)
        for_zoe = drafts.save(zoe.id, "Zoë, while the disk hiccups")
        for_bob = drafts.save(bob.id, "Bob, while the disk hiccups")
    assert for_zoe.error == for_bob.error == "storage"
    assert for_zoe.fallback_path.name == f"{zoe.uuid}.txt"
    assert for_bob.fallback_path.name.startswith("notebook-")
    offered = {(d.customer_id, d.customer_name, d.body) for d in drafts.pending()
               if d.fallback_path is not None}
    assert offered == {(zoe.id, "Zoë Ångström", "Zoë, while the disk hiccups"),
                       (bob.id, "Bob Müller", "Bob, while the disk hiccups")}
