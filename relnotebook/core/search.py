"""Search everything a rep ever wrote (issue 6): the FTS5 index and safe queries.

- ``search_index`` (migration 0003) is a *contentless* FTS5 table: one column, ``body`` =
  ``rn_fold(original)``, ``unicode61 remove_diacritics 2``, prefix indexes for 2 and 3
  letters; folding first makes "saether" find "Sæther" (unicode61 keeps æ, ø, ł, ß). Its
  triggers keep it in step in the same transaction as every write: nothing stale is
  findable once a write commits. Contentless: the text lives in its tables, a copy would
  add a quarter to the file, and snippets come from the *original* text anyway. Triggers
  forget a row by FTS5 ``'delete'`` with the old values, so ``fold()`` never changes
  without a migration that rebuilds the index. ``optimize()`` purges deleted tokens.
- rowid = ``day(at) * 2**36 + id * 16 + kind_code`` (``at``: a conversation's happened_at,
  a detail's mentioned_at, a customer's updated_at, other records' created_at; ``day``: UTC
  days since 1970). A trigger computes it from ``OLD`` and deletes exactly its row; a hit
  names its source without a mapping table; newest first is ``ORDER BY rowid DESC LIMIT n``,
  which FTS5 walks backwards, stopping after n matches instead of sorting 460,000 matches of
  "ma" at a million notes. Within a day, hits come by id. Days, not minutes: FTS5 stores
  rowid gaps as varints; minute gaps made the index 2.4x larger. Ids stay below 2**32.
- Archived customers' hits are shown, flagged ``archived``; ``include_archived=False``.

Queries never reach MATCH raw: the folded query is cut into words (letters and digits, as
unicode61 cuts them), each quoted as an FTS5 string, all ANDed; "quoted text" is a phrase,
so is a word joined by punctuation (``o'neil``); the last word is a prefix from 2 letters
on. Operators, parentheses, ``*`` and ``:`` are just text: nothing typed can raise.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property, lru_cache

from peewee import DatabaseError, OperationalError

from .changes import Kind
from .clock import local_day
from .db import database, write
from .text import fold

MARK_OPEN, MARK_CLOSE = "«", "»"
SNIPPET_WIDTH = 120  # characters in a snippet, plus "…" at a cut end
_BEFORE = 30  # characters of context before the first match
_MAX_QUERY, _MAX_TERMS = 500, 16
_CHECK_MAX = 150  # candidates checked in Python before FTS5 expands a long prefix itself
_WORD = re.compile(r"[^\W_]+")  # letters and digits: what unicode61 calls a token
_fold_word = lru_cache(maxsize=1 << 16)(fold)  # words repeat: fold() is per-character Python
_ID_BITS, _KIND_BITS = 32, 4
TABLE_DDL = ("CREATE VIRTUAL TABLE search_index USING fts5(body, content='', "
             "tokenize=\"unicode61 remove_diacritics 2\", prefix='2 3')")


@dataclass(frozen=True)
class _Source:
    code: int  # frozen in migration 0003
    kind: Kind
    table: str
    at: str
    columns: tuple[str, ...]
    links: tuple[str, ...] = ("customer_id", "conversation_id")  # read back with the text

    def rowid_sql(self, p: str = "t") -> str:
        day = f"(ifnull(CAST(strftime('%s', {p}.{self.at}) AS INTEGER), 0) / 86400)"
        shift = 1 << (_ID_BITS + _KIND_BITS)
        return f"({day} * {shift} + {p}.id * {1 << _KIND_BITS} + {self.code})"

    def body_sql(self, p: str = "t") -> str:
        return "rn_fold(" + " || ' ' || ".join(f"ifnull({p}.{c}, '')" for c in self.columns) + ")"

    def fill_sql(self) -> str:  # in rowid order: FTS5 flushes whenever a rowid goes back
        return (f"INSERT INTO search_index(rowid, body) SELECT o.r, {self.body_sql()} FROM "
                f"(SELECT id, {self.rowid_sql()} AS r FROM {self.table} AS t ORDER BY r LIMIT -1)"
                f" AS o JOIN {self.table} AS t ON t.id = o.id")

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


# What is indexed; migration 0003 installs exactly these triggers (check() compares them).
SOURCES: tuple[_Source, ...] = (
    _Source(1, Kind.CUSTOMER, "customer", "updated_at",
            ("full_name", "nickname", "company", "department", "title", "about"), ("archived",)),
    _Source(2, Kind.CONVERSATION, "conversation", "happened_at", ("summary", "body"),
            ("customer_id",)),
    _Source(3, Kind.FOLLOWUP, "follow_up", "created_at", ("text",)),
    _Source(4, Kind.QUESTION, "question", "created_at", ("text",)),
    _Source(5, Kind.DETAIL, "personal_detail", "mentioned_at", ("text",)),
    _Source(6, Kind.FACT, "sales_fact", "created_at", ("text",)),
    _Source(7, Kind.STYLE, "style_note", "created_at", ("text",)),
    _Source(8, Kind.UNSAID, "unsaid", "created_at", ("text",)),
    _Source(9, Kind.THING, "thoughtful_thing", "created_at", ("text", "url")),
)
_BY_CODE = {s.code: s for s in SOURCES}

# Plain-English kind names for the CLI (the window words kinds through ``tr()``).
KIND_WORDS: dict[Kind, str] = {
    Kind.CUSTOMER: "customer", Kind.CONVERSATION: "conversation", Kind.FOLLOWUP: "follow-up",
    Kind.QUESTION: "question", Kind.DETAIL: "detail", Kind.FACT: "fact", Kind.STYLE: "style",
    Kind.UNSAID: "unsaid", Kind.THING: "send",
}


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
    def snippet(self) -> str:  # ``text`` with matched words marked «like this»
        return mark(self.text, self.spans)

    @property
    def label(self) -> str:
        return f"{self.customer_name} ({self.company})" if self.company else self.customer_name


@dataclass(frozen=True)
class Query:
    match: str  # the FTS5 MATCH expression: quoted strings, AND, a final *
    exact: frozenset[str]  # folded words to highlight whole
    prefixes: tuple[str, ...]  # folded words to highlight as prefixes
    narrow: str | None = None  # ``match`` with a long last prefix cut to 3 letters...
    last: tuple[str, ...] = ()  # ...and the last phrase that candidates must then hold

    @cached_property
    def candidates(self) -> re.Pattern[str]:  # words that may fold to a query word
        firsts = "".join(sorted({w[0] for w in (*self.exact, *self.prefixes)}))
        return re.compile(rf"(?<![^\W_])(?:[{firsts}]|[^\W_\x00-\x7f])[^\W_]*", re.I)


def parse(query: str) -> Query | None:
    """The safe FTS5 query for what a user typed, or None when nothing in it is searchable
    (``parse(q).match`` is also what benchmarks run as the raw FTS5 query)."""
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
    terms, exact, prefixes, narrow, last = [], set(), [], None, ()
    for n, (words, closed) in enumerate(groups):
        if n == len(groups) - 1 and not closed and len(words[-1]) >= 2:
            terms.append('"' + " ".join(words) + '"*')
            if len(words[-1]) > 3:  # beyond the prefix index FTS5 merges whole doclists
                short = '"' + " ".join([*words[:-1], words[-1][:3]]) + '"*'
                narrow, last = " AND ".join([*terms[:-1], short]), tuple(words)
            prefixes.append(words.pop())
        else:
            terms.append('"' + " ".join(words) + '"')
        exact.update(words)
    return Query(" AND ".join(terms), frozenset(exact), tuple(prefixes), narrow, last)


def search(query: str, limit: int = 50, *, include_archived: bool = True) -> tuple[Hit, ...]:
    """Hits for ``query``, newest first, at most ``limit``; no query text can raise. FTS5
    answers a last word past the prefix index ("that"*) by merging the doclists of every term
    it starts (60-100 ms at a million notes), so candidates come from its first 3 letters,
    newest first, checked here; when few pass, FTS5 goes on where they stopped."""
    parsed = parse(query)
    if parsed is None or limit <= 0:
        return ()
    hits: list[Hit] = []
    below, seen = None, 0
    match, verify = (parsed.narrow, parsed.last) if parsed.narrow else (parsed.match, ())
    for _ in range(16):  # more rounds only when rows were dropped (checked, archived)
        need = limit - len(hits)
        want = need if include_archived and not verify else need + need // 2 + 10
        rowids = _rowids(match, want, below)
        hits.extend(_load(rowids, parsed, include_archived, verify, need))
        if len(hits) >= limit or len(rowids) < want:
            break
        below, seen = rowids[-1], seen + len(rowids)
        if verify and seen >= _CHECK_MAX:
            match, verify = parsed.match, ()
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
        return []


def _load(rowids: list[int], q: Query, include_archived: bool, verify: tuple[str, ...],
          need: int) -> list[Hit]:
    """Up to ``need`` hits for index rowids (in that order), read from the source rows."""
    refs = [(_BY_CODE.get(r & 0xF), (r >> _KIND_BITS) & ((1 << _ID_BITS) - 1)) for r in rowids]
    rows: dict[tuple[_Source | None, int], dict] = {}
    for source in {s for s, _ in refs if s is not None}:
        ids = [ref for s, ref in refs if s is source]
        for row in _select(source.table, ("id", source.at, *source.columns, *source.links), ids):
            rows[source, row["id"]] = row
    people = {r["id"]: r for r in _select(
        "customer", ("id", "full_name", "company", "archived"),
        {r["customer_id"] for r in rows.values() if "customer_id" in r})}
    hits, cache = [], {}
    for source, ref in refs:
        row = rows.get((source, ref))
        if row is None:
            continue  # the source row vanished (cannot happen with the triggers in place)
        if verify and not _holds(" ".join(row[c] or "" for c in source.columns), verify):
            continue
        person = row if source.kind is Kind.CUSTOMER else people.get(row["customer_id"])
        hit = _hit(source, row, person, q, cache) if person else None
        if hit is not None and (include_archived or not hit.archived):
            hits.append(hit)
            if len(hits) == need:
                break
    return hits


def _holds(text: str, words: tuple[str, ...]) -> bool:
    """Whether the folded ``text`` has ``words`` in a row, the last one as a prefix."""
    folded = text.lower() if text.isascii() else " ".join(  # fold() works per character:
        w.lower() if w.isascii() else _fold_word(w) for w in text.split())  # so, by word
    if words[-1] not in folded:
        return False
    tokens, n, head = _WORD.findall(folded), len(words), list(words[:-1])
    return any(tokens[i + n - 1].startswith(words[-1]) and tokens[i:i + n - 1] == head
               for i in range(len(tokens) - n + 1))


def _select(table: str, columns: Iterable[str], ids: Iterable[int]) -> list[dict]:
    """Rows by id as dicts: plain SQL, as peewee's query building costs ~1 ms a query."""
    ids, columns = list(ids), list(columns)
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE id IN ({', '.join('?' * len(ids))})"
    rows = database.execute_sql(sql, ids) if ids else ()
    return [dict(zip(columns, r, strict=True)) for r in rows]


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
    at = at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at
    return Hit(kind, row["id"], person["id"], person["full_name"], person["company"],
               bool(person["archived"]), conversation_id, at, local_day(at), text, spans)


def snippet(
    text: str, q: Query, width: int = SNIPPET_WIDTH, cache: dict[str, bool] | None = None
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A one-line window of ``text`` around its first matched word, and the matched spans.
    Words are folded one by one, so the original spelling ("Sæther") shows for "saether"."""
    flat = unicodedata.normalize("NFC", " ".join(text.split()))
    cache = {} if cache is None else cache
    spans: list[tuple[int, int]] = []
    start, stop = 0, None
    for m in q.candidates.finditer(flat):
        if stop is not None and m.end() > stop:
            break
        word = m.group()
        hit = cache.get(word)
        if hit is None:
            parts = (word.lower(),) if word.isascii() else _WORD.findall(_fold_word(word))
            hit = cache[word] = any(
                p in q.exact or (q.prefixes and p.startswith(q.prefixes)) for p in parts)
        if hit:
            if stop is None and m.start() > _BEFORE:  # start the window at a word shortly before
                start = flat.find(" ", m.start() - _BEFORE, m.start()) + 1 or m.start() - _BEFORE
            stop = stop or start + width
            spans.append((m.start(), m.end()))
    end = min(len(flat), start + width)
    if end < len(flat):
        cut = flat.rfind(" ", start, end)
        end = cut if cut > start + width // 2 else end
    if spans:
        end = max(end, spans[0][1])  # a very long first word is still shown whole
    lead, tail = "…" if start else "", "…" if end < len(flat) else ""
    shift = len(lead) - start
    return lead + flat[start:end] + tail, tuple((a + shift, b + shift)
                                                 for a, b in spans if b <= end)


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


def _one(sql: str) -> object:
    return (database.execute_sql(sql).fetchone() or (None,))[0]


def _has_index() -> bool:
    return bool(_one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_index'"))


def rebuild() -> int:
    """Repair: reinstall the table (if gone) and triggers, re-fill from the tables; returns
    the rows indexed. ~45 s per 100,000 notes (each text folded in Python): use a worker."""
    with write():
        if _has_index():
            database.execute_sql("INSERT INTO search_index(search_index) VALUES ('delete-all')")
        else:
            database.execute_sql(TABLE_DDL)
        for s in SOURCES:
            for name, sql in s.triggers().items():
                database.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
                database.execute_sql(sql)
            database.execute_sql(s.fill_sql())
        database.execute_sql("INSERT INTO search_index(search_index) VALUES ('optimize')")
    return int(_one("SELECT count(*) FROM search_index_docsize"))


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
            if n := _one(f"SELECT count(*) FROM ({sql})"):
                problems.append(f"search index: {n} {KIND_WORDS[s.kind]} row(s) {what}")
        if n := _one(f"SELECT count(*) FROM {s.table} WHERE id >= {1 << _ID_BITS}"):
            problems.append(f"search index: {n} {s.table} id(s) too large to index")
    return problems
