"""Core timings: logging a conversation, search, import; each beside its raw baseline."""

from __future__ import annotations

import random
import sqlite3
import time
from datetime import timedelta
from pathlib import Path

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


def log_vs_raw(path: Path, repeat: int, rng: random.Random) -> tuple[list[float], list[float]]:
    """(raw insert+commit ms, our conversations.log ms), interleaved, on the same file.

    The raw side is one INSERT of the same note into a scratch table and its COMMIT, on a
    plain ``sqlite3`` connection with the notebook's pragmas (WAL, synchronous=full...).
    """
    raw = sqlite3.connect(str(path), isolation_level=None, timeout=5)
    for name, value in db.PRAGMAS:
        raw.execute(f"PRAGMA {name} = {value}")
    raw.execute("CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, customer "
                "INTEGER, happened_at TEXT, summary TEXT, body TEXT)")
    top = db.database.execute_sql("SELECT max(id) FROM customer").fetchone()[0]
    when = db.database.execute_sql("SELECT max(happened_at) FROM conversation").fetchone()[0]
    from datetime import datetime

    at = datetime.fromisoformat(str(when)) - timedelta(days=3)
    base, ours = [], []
    for i in range(repeat + 2):
        cid = rng.randint(2, top)
        start = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("INSERT INTO bench_raw (customer, happened_at, summary, body) "
                    "VALUES (?, ?, ?, ?)", (cid, at.isoformat(" "), NOTE.split("\n")[0], NOTE))
        raw.execute("COMMIT")
        b = _ms(start)
        start = time.perf_counter()
        conversations.log(cid, NOTE, at=at, minutes=25, talk="them")
        o = _ms(start)
        if i >= 2:  # the first two warm the caches
            base.append(b)
            ours.append(o)
    raw.execute("DROP TABLE bench_raw")
    raw.close()
    return base, ours


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
