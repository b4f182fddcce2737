"""Version 3: the full-text search index (issue 6), kept in sync by triggers.

``search_index`` is a *contentless* FTS5 table (``content=''``): it holds the index only,
never a second copy of the notes. Its one column, ``body``, is ``rn_fold(original)`` (the
fold of core/text.py, registered by db.py on every connection), because unicode61 alone
does not fold æ, ø, ł or ß.

Rowids say what a row is and when it happened (see core/search.py for the reader)::

    rowid = day(at) * 2**36 + id * 16 + kind_code

``day(at)`` is whole UTC days since 1970 of the row's moment; ``id`` is the source row's
integer id (< 2**32); ``kind_code`` is frozen here: 1 customer, 2 conversation, 3 follow_up,
4 question, 5 personal_detail, 6 sales_fact, 7 style_note, 8 unsaid, 9 thoughtful_thing.
Time-ordered rowids let "newest first" be ``ORDER BY rowid DESC LIMIT n``, which FTS5
answers without collecting every match. Days, not minutes: FTS5 stores rowid deltas as
varints, and minute-sized gaps made the index 2.4 times larger (measured).

A contentless table forgets a row only through the ``'delete'`` command given the exact
values it indexed. The triggers have them (``OLD``), and ``rn_fold`` is deterministic, so
the DELETE and UPDATE triggers remove exactly what the INSERT trigger added. Consequence:
**any change to ``fold()`` (or to the columns below) needs a migration that recreates the
triggers and re-fills the index** (``search.rebuild()``), or old rows could not be forgotten.

This file is frozen: what is indexed today is described by core/search.py (``SOURCES``),
whose ``check()`` compares the installed triggers with it and whose ``rebuild()`` reinstalls
them; tests check that this step and ``rebuild()`` install the same triggers and index.
"""

_DAY = "(ifnull(CAST(strftime('%s', {p}.{at}) AS INTEGER), 0) / 86400)"

# (kind_code, table, moment column, indexed text columns)
_SOURCES = (
    (1, "customer", "updated_at",
     ("full_name", "nickname", "company", "department", "title", "about")),
    (2, "conversation", "happened_at", ("summary", "body")),
    (3, "follow_up", "created_at", ("text",)),
    (4, "question", "created_at", ("text",)),
    (5, "personal_detail", "mentioned_at", ("text",)),
    (6, "sales_fact", "created_at", ("text",)),
    (7, "style_note", "created_at", ("text",)),
    (8, "unsaid", "created_at", ("text",)),
    (9, "thoughtful_thing", "created_at", ("text", "url")),
)


def _rowid(code, at, p):
    return f"({_DAY.format(p=p, at=at)} * 68719476736 + {p}.id * 16 + {code})"


def _body(cols, p):
    return "rn_fold(" + " || ' ' || ".join(f"ifnull({p}.{c}, '')" for c in cols) + ")"


def statements():
    yield (
        "CREATE VIRTUAL TABLE search_index USING fts5(body, content='', "
        "tokenize=\"unicode61 remove_diacritics 2\", prefix='2 3')"
    )
    for code, t, at, cols in _SOURCES:
        watched = ("id", at, *cols)
        add = (f"INSERT INTO search_index(rowid, body) "
               f"VALUES ({_rowid(code, at, 'NEW')}, {_body(cols, 'NEW')});")
        drop = (f"INSERT INTO search_index(search_index, rowid, body) "
                f"VALUES ('delete', {_rowid(code, at, 'OLD')}, {_body(cols, 'OLD')});")
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in watched)
        yield f"CREATE TRIGGER search_{t}_ai AFTER INSERT ON {t} BEGIN {add} END"
        yield f"CREATE TRIGGER search_{t}_ad AFTER DELETE ON {t} BEGIN {drop} END"
        yield (f"CREATE TRIGGER search_{t}_au AFTER UPDATE OF {', '.join(watched)} ON {t} "
               f"WHEN {changed} BEGIN {drop} {add} END")
        # In rowid order (FTS5 flushes its pending terms whenever a rowid goes backwards),
        # sorting ids only and folding afterwards (LIMIT -1 keeps the subquery's ORDER BY).
        yield (f"INSERT INTO search_index(rowid, body) SELECT o.r, {_body(cols, 't')} FROM "
               f"(SELECT id, {_rowid(code, at, 't')} AS r FROM {t} AS t ORDER BY r LIMIT -1) "
               f"AS o JOIN {t} AS t ON t.id = o.id")


def up(migrator, db):
    for statement in statements():
        db.execute_sql(statement)
