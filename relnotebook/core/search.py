"""Search everything a rep ever wrote (issue 6): the FTS5 index and safe queries.

Layout (made by migrations/0003_search_index.py, whose triggers keep it in sync in the same
transaction as every write, so nothing stale is findable once a write commits):

- ``search_index`` is a *contentless* FTS5 table (``content=''``), one column ``body`` =
  ``rn_fold(original)`` tokenized by ``unicode61 remove_diacritics 2``, prefix indexes for 2
  and 3 letters. Folding first makes "saether" find "Sæther" (unicode61 leaves æ, ø, ł, ß).
  Contentless: the text already lives in its tables, a copy would add a quarter to the file,
  and hits are read back from the source rows anyway (snippets come from the *original*
  text, built here in Python). The triggers forget a row with FTS5 ``'delete'`` and the old
  values, so ``fold()`` must never change without a migration that rebuilds the index.
  Deleted tokens stay in older segments until merged: ``optimize()`` drops them (erasure).
- rowid = ``day(at) * 2**36 + id * 16 + kind_code``; ``at`` is a conversation's
  ``happened_at``, a detail's ``mentioned_at``, a customer's ``updated_at``, other records'
  ``created_at``; ``day`` counts UTC days since 1970. A trigger computes the rowid from
  ``OLD`` and deletes exactly its row; a hit names its source without a mapping table; and
  newest first is ``ORDER BY rowid DESC LIMIT n``, which FTS5 walks backwards and stops
  after n matches instead of sorting all 90,000 matches of a 2-letter prefix. Within a day,
  hits come by id. Days, not minutes: FTS5 stores rowid gaps as varints; minute gaps made
  the index 2.4x larger. Ids must stay below 2**32 (``check()`` says so).
- Archived customers' hits are shown, flagged ``archived``; ``include_archived=False``.

Queries never reach MATCH raw: the folded query is cut into words (letters and digits, as
unicode61 cuts them), each quoted as an FTS5 string, all ANDed; "quoted text" is a phrase,
so is a word joined by punctuation (``o'neil``); the last word is a prefix from 2 letters
on. Operators, parentheses, ``*`` and ``:`` are just text: nothing typed can raise.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from peewee import DatabaseError, OperationalError

from . import models
from .changes import Kind
from .clock import local_day
from .db import database, write
from .text import fold

log = logging.getLogger(__name__)

MARK_OPEN, MARK_CLOSE = "«", "»"
SNIPPET_WIDTH = 120  # characters in a snippet, plus "…" at a cut end
_BEFORE = 30  # characters of context before the first match
_MAX_QUERY, _MAX_TERMS = 500, 16
_WORD = re.compile(r"[^\W_]+")  # letters and digits: what unicode61 calls a token
_ID_BITS, _KIND_BITS = 32, 4
TABLE_DDL = (
    "CREATE VIRTUAL TABLE search_index USING fts5(body, content='', "
    "tokenize=\"unicode61 remove_diacritics 2\", prefix='2 3')"
)


@dataclass(frozen=True)
class _Source:
    code: int  # frozen in migration 0003
    kind: Kind
    model: type[models.BaseModel]
    at: str
    columns: tuple[str, ...]
    links: tuple[str, ...] = ("customer_id", "conversation_id")  # read back with the text

    @property
    def table(self) -> str:
        return self.model._meta.table_name

    def rowid_sql(self, p: str = "t") -> str:
        day = f"(ifnull(CAST(strftime('%s', {p}.{self.at}) AS INTEGER), 0) / 86400)"
        shift = 1 << (_ID_BITS + _KIND_BITS)
        return f"({day} * {shift} + {p}.id * {1 << _KIND_BITS} + {self.code})"

    def body_sql(self, p: str = "t") -> str:
        return "rn_fold(" + " || ' ' || ".join(f"ifnull({p}.{c}, '')" for c in self.columns) + ")"

    def triggers(self) -> dict[str, str]:
        """The three triggers that keep this table's rows indexed, by name."""
        t, watched = self.table, ("id", self.at, *self.columns)
        add = (f"INSERT INTO search_index(rowid, body) "
               f"VALUES ({self.rowid_sql('NEW')}, {self.body_sql('NEW')});")
        drop = (f"INSERT INTO search_index(search_index, rowid, body) "
                f"VALUES ('delete', {self.rowid_sql('OLD')}, {self.body_sql('OLD')});")
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in watched)
        bodies = {"ai": f"AFTER INSERT ON {t} BEGIN {add}",
                  "ad": f"AFTER DELETE ON {t} BEGIN {drop}",
                  "au": f"AFTER UPDATE OF {', '.join(watched)} ON {t} WHEN {changed} "
                        f"BEGIN {drop} {add}"}
        return {f"search_{t}_{k}": f"CREATE TRIGGER search_{t}_{k} {v} END"
                for k, v in bodies.items()}


SOURCES: tuple[_Source, ...] = (
    _Source(1, Kind.CUSTOMER, models.Customer, "updated_at",
            ("full_name", "nickname", "company", "department", "title", "about"), ("archived",)),
    _Source(2, Kind.CONVERSATION, models.Conversation, "happened_at", ("summary", "body"),
            ("customer_id",)),
    _Source(3, Kind.FOLLOWUP, models.FollowUp, "created_at", ("text",)),
    _Source(4, Kind.QUESTION, models.Question, "created_at", ("text",)),
    _Source(5, Kind.DETAIL, models.PersonalDetail, "mentioned_at", ("text",)),
    _Source(6, Kind.FACT, models.SalesFact, "created_at", ("text",)),
    _Source(7, Kind.STYLE, models.StyleNote, "created_at", ("text",)),
    _Source(8, Kind.UNSAID, models.Unsaid, "created_at", ("text",)),
    _Source(9, Kind.THING, models.ThoughtfulThing, "created_at", ("text", "url")),
)
"""What is indexed; migration 0003 installs exactly these triggers (a test checks)."""
_BY_CODE = {s.code: s for s in SOURCES}

KIND_WORDS: dict[Kind, str] = {
    Kind.CUSTOMER: "customer", Kind.CONVERSATION: "conversation", Kind.FOLLOWUP: "follow-up",
    Kind.QUESTION: "question", Kind.DETAIL: "detail", Kind.FACT: "fact", Kind.STYLE: "style",
    Kind.UNSAID: "unsaid", Kind.THING: "send",
}
"""Plain-English kind names for the CLI (the window words kinds through ``tr()``)."""


@dataclass(frozen=True)
class Hit:
    """One search result; ``spans`` are (start, end) offsets of matched words in ``text``."""

    kind: Kind
    ref_id: int  # the customer, conversation or record id (per ``kind``)
    customer_id: int
    customer_name: str
    company: str
    archived: bool
    conversation_id: int | None  # the conversation itself, or the one a record came from
    at: datetime  # naive UTC
    day: date  # local calendar day of ``at``
    text: str  # one-line snippet of the original text, "…" where cut
    spans: tuple[tuple[int, int], ...]

    @property
    def snippet(self) -> str:
        """``text`` with matched words marked «like this»."""
        return mark(self.text, self.spans)

    @property
    def label(self) -> str:
        return f"{self.customer_name} ({self.company})" if self.company else self.customer_name


@dataclass(frozen=True)
class Query:
    match: str  # the FTS5 MATCH expression: quoted strings, AND, a final *
    exact: frozenset[str]  # folded words to highlight whole
    prefixes: tuple[str, ...]  # folded words to highlight as prefixes

    @property
    def firsts(self) -> frozenset[str]:
        return frozenset(w[0] for w in (*self.exact, *self.prefixes))


def parse(query: str) -> Query | None:
    """The safe FTS5 query for what a user typed, or None when nothing in it is searchable.

    ``parse(q).match`` is also what benchmarks run as the raw FTS5 query."""
    parts = fold(query[:_MAX_QUERY]).split('"')
    groups: list[tuple[list[str], bool]] = []  # (words, a closed phrase)
    for i, part in enumerate(parts):
        if i % 2:  # inside quotes: one phrase; open (a prefix) when the quote never closes
            groups.append((_WORD.findall(part), i < len(parts) - 1))
        else:
            groups.extend((_WORD.findall(chunk), False) for chunk in part.split())
    groups = [g for g in groups if g[0]][:_MAX_TERMS]
    if not groups:
        return None
    terms, exact, prefixes = [], set(), []
    for n, (words, closed) in enumerate(groups):
        term = '"' + " ".join(words) + '"'
        if n == len(groups) - 1 and not closed and len(words[-1]) >= 2:
            term += "*"
            prefixes.append(words.pop())
        exact.update(words)
        terms.append(term)
    return Query(" AND ".join(terms), frozenset(exact), tuple(prefixes))


def search(query: str, limit: int = 50, *, include_archived: bool = True) -> tuple[Hit, ...]:
    """Hits for ``query``, newest first, at most ``limit``. No query text can raise."""
    parsed = parse(query)
    if parsed is None or limit <= 0:
        return ()
    hits: list[Hit] = []
    below: int | None = None
    for _ in range(4):  # more rounds only when hits were dropped (archived, vanished rows)
        want = limit - len(hits) if include_archived else 2 * (limit - len(hits)) + 20
        rowids = _rowids(parsed.match, want, below)
        hits.extend(_load(rowids, parsed, include_archived))
        if len(hits) >= limit or len(rowids) < want:
            break
        below = rowids[-1]
    return tuple(hits[:limit])


def _rowids(match: str, limit: int, below: int | None) -> list[int]:
    where = "" if below is None else f" AND rowid < {int(below)}"
    sql = (f"SELECT rowid FROM search_index WHERE search_index MATCH ?{where} "
           f"ORDER BY rowid DESC LIMIT ?")
    try:
        return [r[0] for r in database.execute_sql(sql, (match, limit))]
    except OperationalError as exc:  # FTS5's own complaints only; real faults propagate
        if "fts5" not in str(exc).lower():
            raise
        log.warning("search query %r failed: %s", match, exc)
        return []


def _decode(rowid: int) -> tuple[_Source | None, int]:
    return _BY_CODE.get(rowid & 0xF), (rowid >> _KIND_BITS) & ((1 << _ID_BITS) - 1)


def _load(rowids: list[int], q: Query, include_archived: bool) -> list[Hit]:
    """Hits for index rowids (in that order), read from the source rows."""
    wanted: dict[_Source, list[int]] = {}
    for rowid in rowids:
        source, ref = _decode(rowid)
        if source is not None:
            wanted.setdefault(source, []).append(ref)
    rows: dict[tuple[int, int], dict] = {}
    for source, ids in wanted.items():
        for row in _select(source.table, ("id", source.at, *source.columns, *source.links), ids):
            rows[source.code, row["id"]] = row
    people = {r["id"]: r for r in _select(
        "customer", ("id", "full_name", "company", "archived"),
        {r["customer_id"] for r in rows.values() if "customer_id" in r})}
    hits, cache = [], {}
    for rowid in rowids:
        source, ref = _decode(rowid)
        row = rows.get((source.code, ref)) if source else None
        if row is None:
            continue  # the source row vanished (cannot happen with the triggers in place)
        person = row if source.kind is Kind.CUSTOMER else people.get(row["customer_id"])
        hit = _hit(source, row, person, q, cache) if person else None
        if hit is not None and (include_archived or not hit.archived):
            hits.append(hit)
    return hits


def _select(table: str, columns: Iterable[str], ids: Iterable[int]) -> list[dict]:
    """Rows by id as dicts: plain SQL, as peewee's query building costs ~1 ms a query."""
    ids, columns = list(ids), list(columns)
    if not ids:
        return []
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE id IN ({', '.join('?' * len(ids))})"
    return [dict(zip(columns, r, strict=True)) for r in database.execute_sql(sql, ids)]


def _hit(source: _Source, row: dict, person: dict, q: Query, cache: dict) -> Hit:
    kind = source.kind
    if kind is Kind.CONVERSATION:
        candidates = [row["body"], row["summary"]]
    else:
        candidates = [" · ".join(row[c] for c in source.columns if row[c])]
    text, spans = "", ()
    for candidate in candidates:
        if candidate and candidate.strip():
            found = snippet(candidate, q, cache=cache)
            if found[1] or not text:
                text, spans = found
            if spans:
                break
    conversation_id = row["id"] if kind is Kind.CONVERSATION else row.get("conversation_id")
    try:
        at = datetime.fromisoformat(row[source.at])
    except (TypeError, ValueError):  # a malformed stored moment: still show the hit
        at = datetime(1970, 1, 1)
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return Hit(kind, row["id"], person["id"], person["full_name"], person["company"],
               bool(person["archived"]), conversation_id, at, local_day(at), text, spans)


def snippet(
    text: str, q: Query, width: int = SNIPPET_WIDTH, cache: dict[str, bool] | None = None
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A one-line window of ``text`` around its first matched word, and the matched spans.

    Words are folded one by one (ASCII words just lowercased) and compared with the query's
    folded words, so the snippet shows the original spelling ("Sæther") for "saether".
    """
    flat = unicodedata.normalize("NFC", " ".join(text.split()))
    cache = {} if cache is None else cache
    firsts = q.firsts
    spans: list[tuple[int, int]] = []
    start, stop = 0, None
    for m in _WORD.finditer(flat):
        if stop is not None and m.end() > stop:
            break
        word = m.group()
        if word[0] < "\x80" and word[0].lower() not in firsts:
            continue  # an ASCII first letter folds to itself: no query word starts so
        hit = cache.get(word)
        if hit is None:
            parts = (word.lower(),) if word.isascii() else _WORD.findall(fold(word))
            hit = cache[word] = any(
                p in q.exact or (q.prefixes and p.startswith(q.prefixes)) for p in parts)
        if hit:
            if stop is None:
                start = 0 if m.start() <= _BEFORE else m.start() - _BEFORE
                space = flat.find(" ", start, m.start()) if start else -1
                start = space + 1 if space != -1 else start
                stop = start + width
            spans.append((m.start(), m.end()))
    end = min(len(flat), start + width)
    if end < len(flat):
        cut = flat.rfind(" ", start, end)
        end = cut if cut > start + width // 2 else end
    if spans:
        end = max(end, spans[0][1])  # a very long first word is still shown whole
    lead, tail = "…" if start else "", "…" if end < len(flat) else ""
    shift = len(lead) - start
    out = tuple((a + shift, b + shift) for a, b in spans if b <= end)
    return lead + flat[start:end] + tail, out


def mark(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each span wrapped in «» (for the CLI and plain-text lists)."""
    out, pos = [], 0
    for a, b in spans:
        out += [text[pos:a], MARK_OPEN, text[a:b], MARK_CLOSE]
        pos = b
    out.append(text[pos:])
    return "".join(out)


def format_hit_line(hit: Hit) -> str:
    """One line for ``relnotebook search``: date, customer, kind, snippet."""
    who = hit.label + (" [archived]" if hit.archived else "")
    kind = KIND_WORDS.get(hit.kind, str(hit.kind))
    return f"{hit.day.isoformat()}  {who}  {kind}  {hit.snippet}"


def _has_index() -> bool:
    sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_index'"
    return bool(database.execute_sql(sql).fetchone())


def rebuild() -> int:
    """Repair: recreate the table and triggers when missing, re-fill the index from the
    tables. Returns the number of rows indexed. One transaction; ~1 minute per 400,000 rows
    (every text is folded in Python), so the window runs it in a worker."""
    with write():
        if _has_index():
            database.execute_sql("INSERT INTO search_index(search_index) VALUES ('delete-all')")
        else:
            database.execute_sql(TABLE_DDL)
        for s in SOURCES:
            for name, sql in s.triggers().items():
                database.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
                database.execute_sql(sql)
            database.execute_sql(f"INSERT INTO search_index(rowid, body) "
                                 f"SELECT {s.rowid_sql()}, {s.body_sql()} FROM {s.table} AS t")
        database.execute_sql("INSERT INTO search_index(search_index) VALUES ('optimize')")
    return int(database.execute_sql("SELECT count(*) FROM search_index_docsize").fetchone()[0])


def optimize() -> None:
    """Merge the index into one segment: tokens of deleted rows are physically dropped."""
    with write():
        database.execute_sql("INSERT INTO search_index(search_index) VALUES ('optimize')")


def check() -> list[str]:
    """Problems of the search index (empty when healthy): FTS5's own integrity check, the
    triggers as expected, every table row indexed once (nothing missing, nothing stale)."""
    if not _has_index():
        return ["search index: missing (rebuild it)"]
    problems = []
    installed = dict(database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
    for s in SOURCES:
        for name, sql in s.triggers().items():
            if installed.get(name) != sql:
                state = "missing" if name not in installed else "not as expected"
                problems.append(f"search index: trigger {name} {state} (rebuild it)")
    try:
        database.execute_sql("INSERT INTO search_index(search_index) VALUES ('integrity-check')")
    except DatabaseError as exc:
        problems.append(f"search index: integrity check failed: {exc}")
    for s in SOURCES:
        indexed = f"SELECT id FROM search_index_docsize WHERE (id & 15) = {s.code}"
        rows = f"SELECT {s.rowid_sql()} FROM {s.table} AS t"
        for what, sql in (("missing", f"{rows} EXCEPT {indexed}"),
                          ("stale", f"{indexed} EXCEPT {rows}")):
            n = database.execute_sql(f"SELECT count(*) FROM ({sql})").fetchone()[0]
            if n:
                problems.append(f"search index: {n} {KIND_WORDS[s.kind]} row(s) {what}")
        big = database.execute_sql(
            f"SELECT count(*) FROM {s.table} WHERE id >= {1 << _ID_BITS}").fetchone()[0]
        if big:
            problems.append(f"search index: {big} {s.table} id(s) too large to index")
    return problems
