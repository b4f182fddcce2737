"""Logging a note writes a table at a time (issue 9): a constant number of statements
whatever the note holds, and exactly the rows, topics, closes, search hits and view the
row-at-a-time path (``note_records.apply_capture``, which edits still use) writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from relnotebook.core import capture, conversations, customers, db, note_records, search
from relnotebook.core.clock import local_day
from relnotebook.core.models import (
    ALL_MODELS,
    Conversation,
    ConversationParticipant,
)

ON = date(2026, 11, 20)
VOLATILE = {"uuid", "created_at", "updated_at"}  # made fresh by every write


def _row_at_a_time(customer_id: int, body: str, *, at: Any = ON, with_ids: tuple[int, ...] = (),
                   reached: bool = True, **kw: Any) -> conversations.Logged:
    """``conversations.log`` before issue 9: peewee rows one at a time, the view read back."""
    fields = conversations._validate(dict(channel=kw.get("channel", "call"),
                                          talk=kw.get("talk", ""), started_by="", at=at,
                                          minutes=kw.get("minutes"), planned_minutes=None))
    body = body.replace("\x00", "")
    with db.write():
        others = conversations._participants(customer_id, with_ids)
        result = capture.parse(body, local_day(fields["happened_at"]))
        conv = Conversation.create(customer=customer_id, reached=reached, summary=result.summary,
                                   body=body, mood=kw.get("mood", ""), milestone=False, **fields)
        for other in others:
            ConversationParticipant.create(conversation=conv, customer=other)
        records, warnings = note_records.apply_capture(conv, result, previous=None)
        conversations.refresh_last_reached({customer_id, *others})
    return conversations.Logged(conversations.get(conv.id), records,
                                result.warnings + warnings, conversations._changes(set()))


def _batched(customer_id: int, body: str, **kw: Any) -> conversations.Logged:
    return conversations.log(customer_id, body, **{"at": ON, **kw})


def _scenario(log: Callable[..., conversations.Logged]) -> list[conversations.Logged]:
    """Customers, an open follow-up and question to close, topics seen before; then notes
    with every marker, repeated and re-cased topics, ambiguous closes, participants."""
    zoe = customers.create("Zoë Ångström", company="Ångström AB")[0].id
    jurgen = customers.create("Jürgen Müller", company="Ångström AB")[0].id
    kari = customers.create("Kari Sæther")[0].id
    out = [
        log(zoe, "First call #Pricing\n[ ] send the quote\n[them] send the PO\n"
                 "[ ] send the brochure\n? who decides\n? who pays", at=ON - timedelta(days=9)),
        log(zoe, "Not reached", at=ON - timedelta(days=8), reached=False),
        log(zoe, "Follow-up #pricing #PRICING #Zürich-Büro #zurich-buro #new-topic\n"
                 "[x] send\n[x] send\n[x] who\n[x] nothing like this\n[x] SEND THE BROCHURE\n"
                 "[ ] again by Friday\n+family: son Øyvind\n+date: birthday 14 March\n"
                 "+hot: uptime\n+style: brief\n+unsaid: price\n+send: a book https://x.example\n"
                 "+wish: stays text\n", at=ON, with_ids=(jurgen, kari, jurgen, zoe),
            channel="meeting", minutes=25, talk="them", mood="warm"),
        log(jurgen, "With Zoë's colleague #new-topic\n[x] again", at=ON + timedelta(days=1),
            with_ids=(zoe,)),
        log(kari, "", at=datetime(2026, 11, 21, 9, 30, 15, 250000)),
        log(kari, "Astral #𝒜lpha #日本語 \"quoted\" #a\\b", at=ON + timedelta(days=3)),
        log(kari, "\x00Nul\x00 in the note\n? q\x00", at=ON + timedelta(days=2)),
    ]
    return out


def _dump() -> dict[str, list[dict[str, Any]]]:
    return {m._meta.table_name: [{k: v for k, v in row.items() if k not in VOLATILE}
                                 for row in m.select().order_by(m.id).dicts()]
            for m in ALL_MODELS}


def _run(tmp_path: Path, name: str, log: Callable[..., conversations.Logged]) -> tuple[Any, ...]:
    db.open_notebook(tmp_path / f"{name}.sqlite")
    try:
        db.database.pragma("synchronous", "off")
        logged = _scenario(log)
        views = [(lg.conversation.__dict__ | {"uuid": None}, lg.records, lg.warnings)
                 for lg in logged]
        hits = {q: [(h.kind, h.ref_id, h.customer_id, h.conversation_id, h.text)
                    for h in search.search(q)]
                for q in ("send", "pricing", "brochure", "uptime", "book", "nul", "son", "who")}
        return _dump(), views, hits
    finally:
        db.close_notebook()


def test_batched_log_writes_what_row_at_a_time_wrote(tmp_path):
    old_rows, old_views, old_hits = _run(tmp_path, "old", _row_at_a_time)
    new_rows, new_views, new_hits = _run(tmp_path, "new", _batched)
    for table in old_rows:
        assert new_rows[table] == old_rows[table], table
    assert new_views == old_views
    assert new_hits == old_hits
    assert any(h for h in new_hits.values())


def test_the_view_returned_is_the_one_read_back(notebook):
    for logged in _scenario(_batched):
        assert logged.conversation == conversations.get(logged.conversation.id)


# --- a constant number of statements ------------------------------------------------------


def _statements(action: Callable[[], Any], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    run = db.database.execute_sql

    def record(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        seen.append(sql)
        return run(sql, params, *args, **kwargs)

    monkeypatch.setattr(db.database, "execute_sql", record)
    action()
    monkeypatch.undo()
    return seen


def _note(n: int) -> str:
    lines = ["Call about it"]
    for i in range(n):
        lines += [f"#topic{i} #Topic{i}", f"[ ] send item {i} by Friday", f"[them] sign {i}",
                  f"[x] open thing {i}", f"[x] no such thing {i}", f"? question {i}",
                  f"+family: child {i}", f"+hot: button {i}", f"+style: calm {i}",
                  f"+unsaid: price {i}", f"+send: book {i} https://b.example/{i}"]
    return "\n".join(lines)


@pytest.mark.parametrize("n", [1, 25])
def test_logging_costs_the_same_statements_for_1_and_25_of_each_marker(notebook, monkeypatch,
                                                                        n):
    db.database.pragma("synchronous", "off")
    cid = customers.create("Many Markers")[0].id
    other = customers.create("Also There")[0].id
    _batched(cid, "\n".join(f"[ ] open thing {i}" for i in range(30)), at=ON - timedelta(days=1))
    counts = {}
    for size in (1, n):
        seen = _statements(lambda s=size: _batched(cid, _note(s), with_ids=(other,)),
                           monkeypatch)
        counts[size] = len(seen)
        assert not any(s.lstrip().upper().startswith("SAVEPOINT") for s in seen), seen
    assert counts[n] == counts[1] <= 18, counts


def test_a_note_of_more_rows_than_one_insert_takes(notebook):
    """Past 400 rows a table takes more than one INSERT; every row still lands, in order."""
    db.database.pragma("synchronous", "off")
    cid = customers.create("Long Note")[0].id
    logged = _batched(cid, "\n".join(f"? question {i}" for i in range(901)))
    from relnotebook.core.models import Question

    texts = [q.text for q in Question.select().order_by(Question.id)]
    assert texts == [f"question {i}" for i in range(901)]
    assert len(logged.records) == 901


def test_what_logging_reads_is_found_by_index(notebook, monkeypatch):
    """The statements of a log that read (names, topics, what ``[x]`` may close, the last
    reached conversation) search an index; none scans a table."""
    db.database.pragma("synchronous", "off")
    cid = customers.create("Index User")[0].id
    other = customers.create("Other Person")[0].id
    _batched(cid, "#a\n[ ] open one\n? open question", at=ON - timedelta(days=1))
    seen = _statements(lambda: _batched(cid, "#a #b\n[x] open\n[x] open q\n", with_ids=(other,)),
                       monkeypatch)
    reads = [s for s in seen if "SELECT" in s.upper()]
    assert len(reads) >= 5, seen
    for sql in reads:
        params = [cid] * sql.count("?")
        if "json_each" in sql:
            params = ["[1]"] * sql.count("?")
        plan = " | ".join(str(r[-1]) for r in db.database.execute_sql(
            f"EXPLAIN QUERY PLAN {sql}", params).fetchall())
        assert "SCAN" not in plan.replace("SCAN json_each", ""), (sql, plan)
