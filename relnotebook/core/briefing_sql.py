"""What the brief reads, in one SQL statement (``briefing`` applies the rules to the rows).

Selecting a customer must paint within a frame at 100,000 customers (issue 9). Built with
peewee, the brief cost about twelve queries of ~1 ms of query building each, and read every
conversation of the customer (2,000 for the busiest) into Python. Here one raw statement
returns every kind of row the brief needs, as a ``UNION ALL`` of arms of one shape
(``kind, id, conv_at, at, text, c1..c8``), so its cost is one round trip whatever the number
of conversations:

- the customer, their style profile, the notebook settings, their purchases;
- their records (details, open follow-ups, open questions, facts, style notes, unsaid
  notes, thoughtful things), each with the moment of its conversation (``conv_at``, NULL
  when the conversation is not one of theirs: the record is then dated by itself);
- the newest ``HEAD`` conversations up to the cutoff (own or as a participant) with the
  topics of each, and an aggregate row for the own ones and one for those as a participant:
  the first reached moment, the logged minutes of every reached conversation (for the
  median) and the milestones (as JSON), in one pass over the history instead of loading it.

The newest ``HEAD`` conversations hold everything the rules look at near the top of the
history (last reached, talk balance, the unanswered streak, recent topics) unless a customer
has a very long run of unanswered attempts; ``briefing`` then asks for every conversation
(``HEAD_ALL``). Moments are compared as the stored text (``YYYY-MM-DD HH:MM:SS``), as peewee
stores and compares them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any, NamedTuple

from . import settings
from .db import database

HEAD = 30  # newest conversations read: enough for recent_conversations up to 30
HEAD_ALL = -1  # SQLite's LIMIT -1: every conversation
WIDTH = 8  # the c1..c8 columns every arm fills (NULL when it has less)

# The moment of a record's conversation when the conversation is the customer's (own or as
# a participant), else NULL (what the ORM version found in its dict of conversation moments).
_CONV_AT = """(SELECT c.happened_at FROM conversation c WHERE c.id = r.conversation_id
 AND (c.customer_id = :cid OR EXISTS (SELECT 1 FROM conversation_participant p
      WHERE p.conversation_id = c.id AND p.customer_id = :cid)))"""


def _arm(kind: str, table: str, columns: str, where: str = "r.customer_id = :cid",
         conv_at: str = "NULL", alias: str = "r") -> str:
    """One ``SELECT`` of the union: ``columns`` is ``id, at, text, c1...`` (padded to WIDTH)."""
    cols = [c.strip() for c in columns.split(",")]
    cols += ["NULL"] * (3 + WIDTH - len(cols))
    return (f"SELECT '{kind}', {cols[0]}, {conv_at}, {', '.join(cols[1:])} "
            f"FROM {table} {alias} WHERE {where}")


# A conversation row: id, at = happened_at, text = summary, c1.. = the rest.
_CONV_COLS = ("id", "happened_at", "summary", "channel", "reached", "talk", "minutes",
              "milestone")
_COLS = ", ".join(_CONV_COLS)
_C_COLS = ", ".join("c." + c for c in _CONV_COLS)

# The newest conversations: the own ones walk the (customer_id, happened_at) index backwards
# and stop after ``:head``; those as a participant are few.
CONVERSATIONS = f"""head AS (SELECT {_COLS} FROM (
 SELECT * FROM (SELECT {_COLS} FROM conversation WHERE customer_id = :cid
  AND happened_at < :cut ORDER BY happened_at DESC, id DESC LIMIT :head)
 UNION ALL SELECT {_C_COLS} FROM conversation_participant p
  JOIN conversation c ON c.id = p.conversation_id
  WHERE p.customer_id = :cid AND c.happened_at < :cut)
 ORDER BY happened_at DESC, id DESC LIMIT :head)"""

# One pass over every visible conversation (own, then as a participant): at = the first
# reached moment, text = the logged minutes of the reached ones, c1 = the milestones as a
# JSON array of conversation rows (id, at, summary, channel, reached, talk, minutes).
_AGG = """SELECT 'agg', NULL, NULL, MIN({c}happened_at) FILTER (WHERE {c}reached),
 group_concat({c}minutes) FILTER (WHERE {c}reached AND {c}minutes),
 json_group_array(json_array({c}id, {c}happened_at, {c}summary, {c}channel, {c}reached,
  {c}talk, {c}minutes)) FILTER (WHERE {c}milestone), """ + ", ".join(["NULL"] * (WIDTH - 1))

_CONV_ARMS = [
    f"SELECT 'head', id, NULL, {_COLS.removeprefix('id, ')}, NULL, NULL, NULL FROM head",
    _arm("topic", "conversation_topic", "ct.id, NULL, t.name, ct.conversation_id",
         alias="ct JOIN topic t ON t.id = ct.topic_id",
         where="ct.conversation_id IN (SELECT id FROM head)"),
    _AGG.format(c="") + " FROM conversation WHERE customer_id = :cid AND happened_at < :cut",
    _AGG.format(c="c.") + " FROM conversation_participant p JOIN conversation c"
    " ON c.id = p.conversation_id WHERE p.customer_id = :cid AND c.happened_at < :cut",
]

_RECORD_ARMS = [
    _arm("customer", "customer", "id, created_at, full_name, uuid, company, title, key_client,"
         " cadence_days, met_on, met_where, introduced_by", where="r.id = :cid"),
    _arm("profile", "style_profile", "id, NULL, notes, formality, pace, preferred_channel,"
         " best_time, planned_minutes, lead_notes, small_talk, avoid_topics"),
    _arm("setting", "setting", "id, NULL, key, value", where="1", alias="notebook_setting"),
    _arm("purchase", "purchase", "id, NULL, description, date, amount, currency"),
    _arm("detail", "personal_detail", "id, created_at, text, kind, day, month, year,"
         " mentioned_at", conv_at=_CONV_AT),
    _arm("followup", "follow_up", "id, created_at, text, owner, due, done_at",
         where="r.customer_id = :cid AND (r.done_at IS NULL OR r.done_at >= :cut)",
         conv_at=_CONV_AT),
    _arm("question", "question", "id, created_at, text, asked_at",
         where="r.customer_id = :cid AND (r.asked_at IS NULL OR r.asked_at >= :cut)",
         conv_at=_CONV_AT),
    _arm("fact", "sales_fact", "id, created_at, text, kind, confirmed_at, assumed",
         conv_at=_CONV_AT),
    _arm("style_note", "style_note", "id, created_at, text", conv_at=_CONV_AT),
    _arm("unsaid", "unsaid", "id, created_at, text", conv_at=_CONV_AT),
    _arm("thing", "thoughtful_thing", "id, created_at, text, url, status, sent_at, reaction",
         conv_at=_CONV_AT),
]

EVERYTHING = "WITH " + CONVERSATIONS + "\n" + "\nUNION ALL ".join(_RECORD_ARMS + _CONV_ARMS)
ONLY_CONVERSATIONS = "WITH " + CONVERSATIONS + "\n" + "\nUNION ALL ".join(_CONV_ARMS)

Rows = dict[str, list[tuple[Any, ...]]]


def fetch(customer_id: int, cutoff: datetime, *, head: int | None = None,
          conversations_only: bool = False) -> Rows:
    """The rows of one brief by kind (``customer``, ``detail``, ``head``...), each row
    ``(id, conv_at, at, text, c1..c8)``; one statement. ``head``: how many of the newest
    conversations (default ``HEAD``, ``HEAD_ALL``: all)."""
    sql = ONLY_CONVERSATIONS if conversations_only else EVERYTHING
    params = {"cid": customer_id, "cut": str(cutoff), "head": HEAD if head is None else head}
    rows: Rows = defaultdict(list)
    for kind, *row in database.execute_sql(sql, params):
        rows[kind].append(tuple(row))
    return rows


def moment(value: str | datetime) -> datetime:
    """A stored moment (naive UTC text, as peewee writes it) as a datetime."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def day_of(value: str | date | None) -> date | None:
    """A stored day (``YYYY-MM-DD``) as a date, as peewee's DateField reads it."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


class Customer(NamedTuple):
    """What the brief reads of the customer row."""

    id: int
    created_at: datetime
    full_name: str
    uuid: str
    company: str
    title: str
    key_client: bool
    cadence_days: int | None
    met_on: date | None
    met_where: str
    introduced_by: str


class Conv(NamedTuple):
    """What the brief reads of a conversation."""

    id: int
    happened_at: datetime
    channel: str
    reached: bool
    talk: str
    minutes: int | None
    summary: str
    milestone: bool


def conv_row(row: tuple[Any, ...]) -> Conv:
    cid, _, at, summary, channel, reached, talk, minutes, milestone, *_ = row
    return Conv(cid, moment(at), channel, bool(reached), talk, minutes, summary,
                bool(milestone))


class Record(NamedTuple):
    """A record row: ``made`` is when it came to be (its conversation's
    moment, else when it was typed in); ``c`` its kind's own columns."""

    id: int
    conv_at: datetime | None
    made: datetime
    text: str
    c: tuple[Any, ...]


def record_row(row: tuple[Any, ...]) -> Record:
    rid, conv_at, created, text, *rest = row
    at = moment(conv_at) if conv_at is not None else None
    return Record(rid, at, at or moment(created), text, tuple(rest))


def options(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """``settings.get_all()`` from the setting rows the brief's statement read."""
    return settings.from_stored({row[3]: row[4] for row in sorted(rows)})
