"""Erasing a customer (DESIGN.md §8): no readable trace in the file or its WAL afterwards,
their uuid in Erasure, and nobody else's data touched."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from relnotebook.core import conversations, customers, db, drafts, records
from relnotebook.core.erase import erase_customer
from relnotebook.core.errors import NotFound
from relnotebook.core.models import (
    ALL_MODELS,
    Customer,
    Erasure,
    FollowUp,
    Tag,
    Topic,
)

MARK = "qzxv7erasemark"  # lowercase ASCII: the search index stores it folded, i.e. as is


def _fill_with_marker(notebook_path: Path) -> tuple[int, int]:
    """One customer with the marker in every field; a neighbour with none of it.

    secure_delete is off while filling, as it is by default in most SQLite builds (Debian
    compiles it on): old copies of edited rows then stay in free pages, as in real use.
    """
    db.database.execute_sql("PRAGMA secure_delete = OFF")
    other = customers.create("Bob Neighbour", company="Plain Co", email="bob@plain.example")[0]
    records.set_tags(other.id, ["shared tag"])
    conversations.log(other.id, "Talked about #shared things\n[ ] send the brochure")
    view, _ = customers.create(f"{MARK} Name", company=f"{MARK} Company",
                               email=f"{MARK}@mail.example", phone="+1 555 0100")
    cid = view.id
    # Edited several times: old versions of the row are what secure_delete alone misses.
    for i in range(3):
        customers.update(cid, about=f"{MARK} about {i} " + "x" * (50 * i), title=f"{MARK} {i}",
                         nickname=f"{MARK}nick", department=f"{MARK} dept",
                         met_where=f"{MARK} fair", introduced_by=f"{MARK} intro")
    customers.update(cid, photo=f"{MARK} photo bytes".encode())
    records.add_contact(cid, "address", f"{MARK} street 1", label=f"{MARK} label")
    records.add_contact(cid, "url", f"https://{MARK}.example")
    records.set_tags(cid, [f"{MARK}tag", "shared tag"])
    records.update_style(cid, notes=f"{MARK} style", lead_notes=f"{MARK} lead",
                         avoid_topics=f"{MARK} avoid", best_time=f"{MARK} morning")
    records.add_detail(cid, "hobby", f"{MARK} sailing")
    records.add_detail(cid, "date", f"{MARK} birthday", day=3, month=4, year=1980)
    records.add_fact(cid, "need", f"{MARK} need")
    records.add_purchase(cid, date(2026, 1, 5), "1200", "EUR", description=f"{MARK} purchase")
    thing, _ = records.add_thing(cid, f"{MARK} book", url=f"https://{MARK}.example/book")
    records.set_reaction(thing, f"{MARK} reaction")
    note = "\n".join([
        f"{MARK} summary line #{MARK}topic",
        f"[ ] {MARK} follow-up mine",
        f"[them] {MARK} follow-up theirs",
        f"? {MARK} question",
        f"+family: {MARK} daughter",
        f"+hot: {MARK} hot button",
        f"+style: {MARK} style line",
        f"+unsaid: {MARK} unsaid",
        f"+send: {MARK} send idea https://{MARK}.example/x",
    ])
    logged = conversations.log(cid, note, with_ids=[other.id])
    conversations.edit(logged.conversation.id, note + f"\n+food: {MARK} ramen")
    conversations.log(other.id, "Met with the team #team", with_ids=[cid])
    drafts.save(cid, f"{MARK} draft text")
    return cid, other.id


def _traces(path: Path) -> list[str]:
    found = []
    for suffix in ("", "-wal"):
        f = Path(f"{path}{suffix}")
        if f.exists() and MARK.encode() in f.read_bytes():
            found.append(f.name)
    return found


def test_erase_leaves_no_readable_trace(notebook):
    cid, other = _fill_with_marker(notebook)
    uuid = Customer.get_by_id(cid).uuid
    db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert _traces(notebook), "the marker must be in the file before the erase"

    result = erase_customer(cid)

    assert result.uuid == uuid and result.complete
    assert _traces(notebook) == []
    assert [e.customer_uuid for e in Erasure.select()] == [uuid]
    # Nothing of theirs is left in any table; the neighbour is untouched.
    assert not Customer.select().where(Customer.id == cid).exists()
    for model in ALL_MODELS:
        if hasattr(model, "customer"):
            assert not model.select().where(model.customer == cid).exists(), model
    assert [t.name for t in Tag.select()] == ["shared tag"]
    assert sorted(t.name for t in Topic.select()) == ["shared", "team"]
    assert customers.get(other).full_name == "Bob Neighbour"
    assert FollowUp.select().where(FollowUp.customer == other).count() == 1
    assert [c.summary for c in conversations.timeline(other)][-1] == "Talked about #shared things"
    assert not any(MARK in d.body for d in drafts.pending())


def test_without_vacuum_old_copies_stay_in_free_pages(notebook):
    """Why erase runs VACUUM: secure_delete only zeroes what is freed while it is on."""
    cid, _ = _fill_with_marker(notebook)
    customers.update(cid, about=f"{MARK} long " * 2000)
    customers.update(cid, about="short")  # the long text's overflow pages go to the freelist
    db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    erase_customer(cid, vacuum=False)
    assert _traces(notebook) == ["notebook.sqlite"]


def test_erase_also_removes_the_fallback_draft_file(notebook, monkeypatch):
    cid = customers.create("Drafty")[0].id
    path = drafts.write_fallback(cid, f"{MARK} unsaved")
    assert path.exists()
    erase_customer(cid)
    assert not path.exists()


def test_erasing_someone_unknown_is_not_found(notebook):
    with pytest.raises(NotFound):
        erase_customer(12345)


def test_search_no_longer_finds_them(notebook):
    from relnotebook.core import search

    cid, _ = _fill_with_marker(notebook)
    assert search.search(MARK)
    erase_customer(cid)
    assert search.search(MARK) == ()
    assert search.check() == []
