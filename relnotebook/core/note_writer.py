"""Logging a new conversation's records: a few statements, whatever its note holds.

Logging is the one write a rep waits on. Row at a time through peewee (``note_records``,
which edits still use), the benchmark's 7-line note cost 27 statements, and composing SQL
and model instances took most of its time (issue 9's profile). Here each table gets one
multi-row INSERT, the topics at most three statements and the ``[x]`` lines at most four,
and the rows are exactly those ``note_records.apply_capture`` writes for a new conversation
(a test compares the two paths). Fewer statements also means fewer search index segments:
once a transaction has written FTS5, every later statement starts by flushing its pending
terms into a new segment, so a statement per row cost a segment per row.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from peewee import Model

from .capture import CapturedItem, CaptureResult, CaptureWarning, ItemKind
from .db import database
from .models import NOTE_RECORDS, ConversationTopic, FollowUp, Topic
from .note_records import new_row
from .text import fold

if TYPE_CHECKING:
    from .conversations import LoggedRecord

_CHUNK = 400  # rows per INSERT: far below SQLite's 32,766 variables for any table here
_INSERT_SQL: dict[tuple[str, int, str | None], str] = {}  # (table, rows, returning)


@dataclass(frozen=True)
class NewConversation:
    """What the records of a conversation just inserted need to know of it."""

    id: int
    customer_id: int
    happened_at: datetime


def insert_rows(model: type[Model], rows: Sequence[dict[str, Any]],
                returning: str | None = "id") -> list[tuple[Any, ...]]:
    """Insert ``rows`` (field name -> value) with one multi-row INSERT per 400 rows; returns
    the ``returning`` columns of each row (in no promised order; None: nothing returned,
    nothing fetched). Missing fields take their model default and every value goes through
    the field's ``db_value``, as ``Model.create`` would store it.

    Logging and the JSON import and tag links of an import (``io.insert_rows``) share it;
    ``merge._insert_many`` sends rows a vCard/CSV import prepared before its write.
    """
    fields = [f for f in model._meta.sorted_fields if f.name != "id"]
    table = model._meta.table_name
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start:start + _CHUNK]
        params = []
        for row in chunk:
            for f in fields:
                value = row.get(f.name, f.default)
                params.append(f.db_value(value() if callable(value) else value))
        key = (table, len(chunk), returning)
        sql = _INSERT_SQL.get(key)
        if sql is None:
            marks = "(" + ", ".join("?" * len(fields)) + ")"
            names = ", ".join(f'"{f.column_name}"' for f in fields)
            tail = f" RETURNING {returning}" if returning else ""
            sql = _INSERT_SQL[key] = (f'INSERT INTO "{table}" ({names}) VALUES '
                                      f'{", ".join([marks] * len(chunk))}{tail}')
        cursor = database.execute_sql(sql, params)
        if returning:
            out += cursor.fetchall()
    return out


def capture_new(conv: NewConversation, result: CaptureResult) -> tuple[
        tuple[str, ...], tuple[LoggedRecord, ...], tuple[CaptureWarning, ...]]:
    """Write the records of a conversation just inserted (inside the caller's transaction).

    The same rows as ``apply_capture(conv, result, previous=None)``, in the same order (ids
    follow the note's lines); nothing to reopen or keep, the conversation being new. Returns
    the topic names as stored (an existing topic keeps its spelling), the records, warnings.
    """
    from .conversations import LoggedRecord

    topics = _link_new_topics(conv.id, result)
    closer = _Closer(conv)
    rows: dict[type[Model], list[dict[str, Any]]] = defaultdict(list)
    records: list[LoggedRecord] = []
    warnings: list[CaptureWarning] = []
    for item in result.items:
        if item.kind == ItemKind.TOPIC:
            records.append(LoggedRecord("topic", item.text))
        elif item.kind == ItemKind.CLOSE:
            text, warning = closer.close(item)
            if text is None:  # nothing open: a follow-up of mine, already done
                rows[FollowUp].append(dict(customer=conv.customer_id, conversation=conv.id,
                                           text=item.text, owner="me",
                                           done_at=conv.happened_at, closed_in=conv.id))
            records.append(LoggedRecord("closed", item.text if text is None else text))
            if warning:
                warnings.append(warning)
        else:
            model, row = new_row(conv, item)
            rows[model].append(row)
            records.append(LoggedRecord(str(item.kind), item.text, item.due, item.subkind))
    closer.write()
    for model in NOTE_RECORDS:
        if rows[model]:
            insert_rows(model, rows[model])
    return topics, tuple(records), tuple(warnings)


def _json(values: Sequence[Any]) -> str:
    """A list as one SQL parameter, read back by ``json_each`` (one statement for any size)."""
    return json.dumps(list(values), ensure_ascii=False)


def _link_new_topics(conv_id: int, result: CaptureResult) -> tuple[str, ...]:
    """Link the note's topics in note order, creating those the notebook lacks: one read,
    one insert for the new ones (ids in line order, as one at a time), one for the links."""
    wanted: dict[str, str] = {}  # fold -> the name as first typed
    for item in result.of_kind(ItemKind.TOPIC):
        wanted.setdefault(fold(item.text), item.text)
    if not wanted:
        return ()
    found = {key: (tid, name) for tid, name, key in database.execute_sql(
        "SELECT id, name, fold FROM topic WHERE fold IN (SELECT value FROM json_each(?))",
        (_json(list(wanted)),))}
    new = [dict(name=name, fold=key) for key, name in wanted.items() if key not in found]
    if new:
        found.update((key, (tid, name)) for tid, name, key in insert_rows(
            Topic, new, "id, name, fold"))
    insert_rows(ConversationTopic, [dict(conversation=conv_id, topic=found[key][0])
                                    for key in wanted])
    return tuple(found[key][1] for key in wanted)


class _Closer:
    """The ``[x]`` lines of a new conversation, as ``_close`` decides them one by one: the
    customer's open follow-ups (then questions) are read once, matched in line order (a line
    closes what an earlier line left open), and closed with one UPDATE per table."""

    def __init__(self, conv: NewConversation) -> None:
        self.conv = conv
        self.open: dict[str, list[tuple[int, str, str]] | None] = {"follow_up": None,
                                                                    "question": None}
        self.closed: dict[str, list[int]] = {"follow_up": [], "question": []}

    def _candidates(self, table: str, wanted: str) -> list[tuple[int, str, str]]:
        rows = self.open[table]
        if rows is None:
            moment = "done_at" if table == "follow_up" else "asked_at"
            rows = self.open[table] = [(rid, text, fold(text)) for rid, text in
                                       database.execute_sql(
                f"SELECT id, text FROM {table} WHERE customer_id = ? AND {moment} IS NULL "
                f"AND (conversation_id IS NULL OR conversation_id != ?) "
                f"ORDER BY created_at, id", (self.conv.customer_id, self.conv.id))]
        done = self.closed[table]
        return [r for r in rows if r[2].startswith(wanted) and r[0] not in done]

    def close(self, item: CapturedItem) -> tuple[str | None, CaptureWarning | None]:
        """(text of what it closed, or None when nothing was open; a warning if ambiguous)."""
        wanted = fold(item.text)
        table = "follow_up"
        candidates = self._candidates(table, wanted)
        if not candidates:
            table = "question"
            candidates = self._candidates(table, wanted)
        if not candidates:
            return None, None
        target = candidates[0]
        self.closed[table].append(target[0])
        if len(candidates) == 1:
            return target[1], None
        others = " | ".join(c[1] for c in candidates[1:6])
        return target[1], CaptureWarning(item.line, "close_ambiguous", (
            ("text", item.text), ("closed", target[1]), ("others", others),
            ("count", str(len(candidates) - 1))))

    def write(self) -> None:
        for table, (moment, link) in (("follow_up", ("done_at", "closed_in_id")),
                                      ("question", ("asked_at", "asked_in_id"))):
            if self.closed[table]:
                database.execute_sql(
                    f"UPDATE {table} SET {moment} = ?, {link} = ? "
                    f"WHERE id IN (SELECT value FROM json_each(?))",
                    (self.conv.happened_at, self.conv.id, _json(self.closed[table])))
