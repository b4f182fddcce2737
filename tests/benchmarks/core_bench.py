"""Core timings: logging a conversation, search, import; each beside its raw baseline."""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from relnotebook.core import conversations, db, search

NOTE = """Call about the renewal and the new warehouse #renewal #logistics
They want to move the delivery window to mornings.
[ ] send the revised quote by Friday
[them] confirm the volumes for Q1 due next week
? ask who signs off now that the reorganisation is done
+family: son plays ice hockey on Saturdays
+hot: delivery reliability over price
"""

# Queries of issue 6, by kind: words from the demo notes (each finds something).
SEARCHES = {
    "word": ["hockey", "marathon", "espresso", "renewal", "bakery", "Loki"],
    "2-letter prefix": ["ho", "ma", "es", "re", "ba", "lo"],
    "3-letter prefix": ["hoc", "mar", "esp", "ren", "bak", "lok"],
    "phrase": ['"ice hockey"', '"summer house"', '"year-end close"', '"brass band"',
               '"border collie"', '"spicy food"'],
}


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def _raw_connection(path: Path, *, deferred: bool = False) -> sqlite3.Connection:
    """A plain ``sqlite3`` connection with the notebook's pragmas (WAL, synchronous=full...)
    and ``rn_fold``, which the search index's triggers call. ``deferred``: also the
    window's checkpoint pragmas, so that the raw side does not pay for the checkpoints our
    side defers (SQLite's default would make every raw commit past 1,000 pages try one)."""
    raw = sqlite3.connect(str(path), isolation_level=None, timeout=5)
    for name, value in db.PRAGMAS:
        raw.execute(f"PRAGMA {name} = {value}")
    if deferred:
        pages = db.WAL_BOUND_PAGES
        raw.execute(f"PRAGMA wal_autocheckpoint = {pages}")
        raw.execute(f"PRAGMA journal_size_limit = {pages * 4096}")
    from relnotebook.core.text import fold

    raw.create_function("rn_fold", 1, fold, deterministic=True)
    return raw


def _log_moment() -> tuple[int, datetime]:
    """The highest customer id, and a moment 3 days before the newest conversation."""
    top = db.database.execute_sql("SELECT max(id) FROM customer").fetchone()[0]
    when = db.database.execute_sql("SELECT max(happened_at) FROM conversation").fetchone()[0]
    return top, datetime.fromisoformat(str(when)) - timedelta(days=3)


def _settle(path: Path) -> None:
    """Before timing: the file on disk (a fresh copy's pages would otherwise be written back
    by the first checkpoint, ~2 s at 100,000 customers), and its log emptied."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    db.checkpoint(path)


def log_vs_raw(path: Path, repeat: int, rng: random.Random, *, idle: bool = True
               ) -> tuple[list[float], list[float], list[float]]:
    """(raw insert+commit ms, our conversations.log ms, idle checkpoint ms), interleaved, on
    the same file.

    The raw side is one INSERT of the same note into a scratch table and its COMMIT, on a
    plain ``sqlite3`` connection with the notebook's pragmas (WAL, synchronous=full...).

    Ours runs as in the window: checkpoints deferred (``db.defer_checkpoints``), and with
    ``idle`` the window's idle checkpoint (``db.checkpoint`` on its own connection, not
    timed, its ms returned apart) between the raw insert and our log, as when a rep pauses
    between two notes; our log then also pays for starting the emptied log over. Without
    ``idle``: notes back to back, the log grows until a commit passes the bound (the raw
    connection then has the same bound: it would otherwise pay for our deferred checkpoints).
    """
    raw = _raw_connection(path, deferred=not idle)
    raw.execute("CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, customer "
                "INTEGER, happened_at TEXT, summary TEXT, body TEXT)")
    top, at = _log_moment()
    _settle(path)
    db.defer_checkpoints()
    base, ours, idle_ms = [], [], []
    try:
        for i in range(repeat + 2):
            cid = rng.randint(2, top)
            start = time.perf_counter()
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO bench_raw (customer, happened_at, summary, body) "
                        "VALUES (?, ?, ?, ?)",
                        (cid, at.isoformat(" "), NOTE.split("\n")[0], NOTE))
            raw.execute("COMMIT")
            b = _ms(start)
            if idle:
                start = time.perf_counter()
                db.checkpoint(path)
                idle_ms.append(_ms(start))
            start = time.perf_counter()
            conversations.log(cid, NOTE, at=at, minutes=25, talk="them")
            o = _ms(start)
            if i >= 2:  # the first two warm the caches
                base.append(b)
                ours.append(o)
    finally:
        db.defer_checkpoints(None)
    raw.execute("DROP TABLE bench_raw")
    raw.close()
    db.checkpoint(path)
    return base, ours, idle_ms


class _Later:
    """A value known only inside the transaction: the new conversation's id, a topic's."""

    def __init__(self, name: str) -> None:
        self.name = name


def _insert(model: Any, rows: list[dict[str, Any]]) -> tuple[str, list[Any]]:
    """One multi-row INSERT of ``rows`` and its values, made before the clock starts."""
    fields = [f for f in model._meta.sorted_fields if f.name != "id"]
    values: list[Any] = []
    for row in rows:
        for f in fields:
            value = row.get(f.name, f.default)
            value = value() if callable(value) else value
            values.append(value if isinstance(value, _Later) else f.db_value(value))
    marks = "(" + ", ".join("?" * len(fields)) + ")"
    names = ", ".join(f'"{f.column_name}"' for f in fields)
    return (f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES '
            f'{", ".join([marks] * len(rows))}'), values


def _same_rows(cid: int, at: datetime) -> Callable[[sqlite3.Connection], None]:
    """The statements ``conversations.log(cid, NOTE, ...)`` runs, with every value prepared
    beforehand (the note parsed, rows built, uuids made): what is left is SQLite's work.
    The note's topics exist already (``log_vs_raw`` logged it before)."""
    import json

    from relnotebook.core import capture, note_records
    from relnotebook.core.clock import local_day
    from relnotebook.core.conversations import _LAST_REACHED, _validate
    from relnotebook.core.models import Conversation, ConversationTopic
    from relnotebook.core.note_writer import NewConversation
    from relnotebook.core.text import fold

    fields = _validate(dict(channel="call", talk="them", started_by="", minutes=25,
                            planned_minutes=None, at=at))
    result = capture.parse(NOTE, local_day(fields["happened_at"]))
    conv = _Later("conversation")
    statements = [_insert(Conversation, [dict(
        customer=cid, reached=True, summary=result.summary, body=NOTE, mood="",
        milestone=False, **fields)])]
    stub = NewConversation(conv, cid, fields["happened_at"])  # type: ignore[arg-type]
    topics = {fold(i.text): _Later(i.text) for i in result.of_kind(capture.ItemKind.TOPIC)}
    statements.append(_insert(ConversationTopic, [dict(conversation=conv, topic=later)
                                                  for later in topics.values()]))
    records: dict[Any, list[dict[str, Any]]] = {}
    for item in result.items:
        if item.kind != capture.ItemKind.TOPIC:
            model, row = note_records.new_row(stub, item)
            records.setdefault(model, []).append(row)
    statements += [_insert(model, rows) for model, rows in records.items()]
    wanted, ids = json.dumps(list(topics)), json.dumps([cid])

    def run(raw: sqlite3.Connection) -> None:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("SELECT id, full_name FROM customer WHERE id IN (?)", (cid,)).fetchall()
        sql, values = statements[0]
        known = {conv: raw.execute(sql + " RETURNING id", values).fetchone()[0]}
        for tid, key in raw.execute("SELECT id, fold FROM topic WHERE fold IN "
                                    "(SELECT value FROM json_each(?))", (wanted,)):
            known[topics[key]] = tid
        for sql, values in statements[1:]:
            raw.execute(sql, [known[v] if isinstance(v, _Later) else v for v in values])
        raw.execute(_LAST_REACHED, (ids,))
        raw.execute("COMMIT")

    return run


def log_vs_same_rows(path: Path, repeat: int, rng: random.Random
                     ) -> tuple[list[float], list[float]]:
    """(raw sqlite3 writing the rows our log writes, our conversations.log) in ms.

    Not a target: how much of logging is SQLite's own work (the same statements, rows,
    search index rows through the same triggers, one transaction, the same pragmas) and how
    much is ours (parsing, building the rows, peewee). Both run right after an idle
    checkpoint, as in the window; each on a customer of its own.
    """
    raw = _raw_connection(path)
    top, at = _log_moment()
    _settle(path)
    db.defer_checkpoints()
    base, ours = [], []
    try:
        for i in range(repeat + 2):
            prepared = _same_rows(rng.randint(2, top), at)
            db.checkpoint(path)
            start = time.perf_counter()
            prepared(raw)
            b = _ms(start)
            cid = rng.randint(2, top)
            db.checkpoint(path)
            start = time.perf_counter()
            conversations.log(cid, NOTE, at=at, minutes=25, talk="them")
            o = _ms(start)
            if i >= 2:
                base.append(b)
                ours.append(o)
    finally:
        db.defer_checkpoints(None)
    raw.close()
    db.checkpoint(path)
    return base, ours


def summary_ms(samples: list[float]) -> str:
    """'median / max' of ``samples`` for a note."""
    if not samples:
        return "-"
    return f"{statistics.median(samples):.1f} / {max(samples):.1f} ms"


def search_vs_raw(queries: list[str], repeat: int) -> tuple[list[float], list[float], int]:
    """(raw FTS5 ms, search.search ms, hits) over ``queries`` each ``repeat`` times.

    Raw: the same MATCH expression (``search.parse(q).match``), newest first, LIMIT 50 —
    the rowids ``search.search`` turns into hits.
    """
    sql = ("SELECT rowid FROM search_index WHERE search_index MATCH ? "
           "ORDER BY rowid DESC LIMIT 50")
    conn = db.database.connection()
    base, ours, hits = [], [], 0
    for q in queries:
        match = search.parse(q).match
        conn.execute(sql, (match,)).fetchall()  # warm
        search.search(q, 50)
        for _ in range(repeat):
            start = time.perf_counter()
            conn.execute(sql, (match,)).fetchall()
            base.append(_ms(start))
            start = time.perf_counter()
            found = search.search(q, 50)
            ours.append(_ms(start))
        hits += len(found)
    return base, ours, hits


# --- import ------------------------------------------------------------------------------

GIVEN = ["Anna", "Björn", "Chloé", "Dmitri", "Eva", "François", "Grete", "Hiro", "Ines",
         "Jonas", "Kasia", "Lars", "Mei", "Nils", "Olga", "Pedro", "Quinn", "Rosa", "Sven",
         "Tomás", "Ulla", "Vera", "Wim", "Xenia", "Yusuf", "Zoë"]
FAMILY = ["Andersen", "Brown", "Castro", "Dubois", "Eriksen", "Fischer", "García", "Hansen",
          "Ivanova", "Jensen", "Kowalski", "López", "Müller", "Nakamura", "Olsen", "Petrov",
          "Quist", "Rossi", "Sæther", "Tanaka", "Ueda", "Vogel", "Weber", "Yilmaz", "Zieliński"]
COMPANIES = ["Nordic Light AB", "Acme Logistics", "Łódź Textiles", "Bergen Marine",
             "Alpine Foods", "Kyoto Components", "Rio Packaging", "Baltic Energy"]


def write_vcards(path: Path, count: int = 10_000, seed: int = 9) -> Path:
    """``count`` vCard 3.0 cards a phone or mail app would export (seeded)."""
    if path.exists():
        return path
    rng = random.Random(seed)
    out = []
    for i in range(count):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        company = rng.choice(COMPANIES)
        slug = f"{given}.{family}.{i}".lower().encode("ascii", "ignore").decode()
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{family};{given};;;", f"FN:{given} {family}",
                 f"ORG:{company};Sales", "TITLE:Purchasing Manager",
                 f"EMAIL;TYPE=INTERNET,WORK:{slug}@example.com",
                 f"TEL;TYPE=CELL:+47 {rng.randint(40000000, 99999999)}",
                 f"ADR;TYPE=WORK:;;Storgata {rng.randint(1, 200)};Oslo;;"
                 f"{rng.randint(100, 9999):04d};Norway"]
        if rng.random() < .5:
            lines.append(f"BDAY:19{rng.randint(50, 99)}-{rng.randint(1, 12):02d}-"
                         f"{rng.randint(1, 28):02d}")
        if rng.random() < .3:
            lines.append("NOTE:Met at the trade fair\\, wants a call in spring")
        if rng.random() < .3:
            lines.append("CATEGORIES:customer,fair")
        lines.append("END:VCARD")
        out.append("\r\n".join(lines))
    path.write_text("\r\n".join(out) + "\r\n", encoding="utf-8")
    return path


def vobject_parse_ms(path: Path) -> float:
    import vobject

    text = path.read_text(encoding="utf-8")
    start = time.perf_counter()
    cards = list(vobject.readComponents(text))
    ms = _ms(start)
    assert len(cards) >= 10_000, len(cards)
    return ms


def import_ms(path: Path) -> tuple[float, dict[str, int]]:
    """Plan and apply the import of ``path``, in a transaction rolled back afterwards (so
    every repetition imports into the same notebook)."""
    from relnotebook.core.io import merge

    with db.database.atomic() as outer:
        start = time.perf_counter()
        plan = merge.plan_import([path])
        report = merge.apply(plan)
        ms = _ms(start)
        outer.rollback()
    return ms, {"added": report.added, "merged": report.merged,
                "unchanged": report.unchanged, "skipped": report.skipped}
