"""Conversations: log a note, edit it, delete it, and put it all back (undo).

A conversation owns what its note produced (DESIGN.md §4): logging stores the note as typed
and every record capture extracts, in one transaction. Editing re-runs capture: records
whose text did not change keep their state (done, asked, snoozed), the rest are replaced.
Deleting removes the records and reopens what its ``[x]`` lines closed. Undo works on a
``ConversationState``: the raw rows of the conversation's graph plus what it had closed,
so putting it back restores exactly what was there (ids, uuids, timestamps, ticks).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from . import capture, snapshot
from .capture import CaptureWarning
from .changes import Changes, Kind
from .clock import local_day, noon_utc, to_utc, utc_now
from .db import database, write
from .errors import NotFound, ValidationError
from .ids import new_uuid
from .models import (
    NOTE_RECORDS,
    Conversation,
    ConversationParticipant,
    ConversationTopic,
    Customer,
    Topic,
)
from .note_records import apply_capture, close_states, reapply_closes, reopen_closed_by
from .note_writer import NewConversation, capture_new, insert_rows

CHANNELS = ("call", "meeting", "video", "email", "visit", "message")
TALK = ("", "them", "both", "me")
STARTED_BY = ("", "me", "them")


@dataclass(frozen=True)
class ConversationView:
    id: int
    uuid: str
    customer_id: int
    customer_name: str
    happened_at: datetime  # naive UTC
    day: date  # local calendar day
    channel: str
    reached: bool
    started_by: str
    talk: str
    minutes: int | None
    planned_minutes: int | None
    summary: str
    body: str
    mood: str
    milestone: bool
    topics: tuple[str, ...]
    participants: tuple[tuple[int, str], ...]  # the others present: (customer id, name)


@dataclass(frozen=True)
class LoggedRecord:
    """One line of what a log produced, as the CLI prints it: ``<kind>: <text> [due <date>]``."""

    kind: str
    text: str
    due: date | None = None
    subkind: str | None = None


@dataclass(frozen=True)
class ConversationState:
    """Everything a conversation is, to put back on undo (see module docstring)."""

    conversation_id: int
    rows: snapshot.Snapshot
    closes: tuple[tuple[str, int, datetime | None], ...]  # (table, id, done_at/asked_at)
    customers: frozenset[int]


@dataclass(frozen=True)
class Logged:
    conversation: ConversationView
    records: tuple[LoggedRecord, ...]
    warnings: tuple[CaptureWarning, ...]
    changes: Changes
    before: ConversationState | None = None  # set by edit(): what undo puts back


def _moment(at: datetime | date | None) -> datetime:
    if at is None:
        return utc_now()
    if isinstance(at, datetime):
        return to_utc(at)
    return noon_utc(at)


def _validate(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    if "channel" in out and out["channel"] not in CHANNELS:
        raise ValidationError("bad_channel", channel=str(out["channel"]), allowed=CHANNELS)
    if "talk" in out:
        out["talk"] = out["talk"] or ""
        if out["talk"] not in TALK:
            raise ValidationError("bad_talk", talk=str(out["talk"]))
    if "started_by" in out:
        out["started_by"] = out["started_by"] or ""
        if out["started_by"] not in STARTED_BY:
            raise ValidationError("bad_started_by", value=str(out["started_by"]))
    for key in ("minutes", "planned_minutes"):
        if out.get(key) is not None:
            try:
                out[key] = int(out[key])
            except (TypeError, ValueError) as exc:
                raise ValidationError("bad_minutes", value=str(out[key])) from exc
            if out[key] < 0 or out[key] > 24 * 60:
                raise ValidationError("bad_minutes", value=str(out[key]))
    if "at" in out:
        out["happened_at"] = _moment(out.pop("at"))
    return out


def log(
    customer_id: int,
    body: str,
    *,
    at: datetime | date | None = None,
    channel: str = "call",
    reached: bool = True,
    minutes: int | None = None,
    planned_minutes: int | None = None,
    talk: str = "",
    started_by: str = "",
    mood: str = "",
    milestone: bool = False,
    with_ids: Sequence[int] = (),
) -> Logged:
    """Log a conversation and everything its note says, in one transaction.

    A constant number of statements whatever the note holds (see ``capture_new``); the view
    returned is built from what was written, not read back.
    """
    fields = _validate(dict(channel=channel, talk=talk, started_by=started_by, minutes=minutes,
                            planned_minutes=planned_minutes, at=at))
    body = body.replace("\x00", "")
    at_utc = fields["happened_at"]
    result = capture.parse(body, local_day(at_utc))  # pure: parsed before taking the lock
    others = [o for o in dict.fromkeys(with_ids) if o != customer_id]
    row = dict(uuid=new_uuid(), customer=customer_id, reached=reached, summary=result.summary,
               body=body, mood=mood, milestone=milestone, **fields)
    with write():
        names = _names([customer_id, *others])
        conv_id = insert_rows(Conversation, [row])[0][0]
        insert_rows(ConversationParticipant, [dict(conversation=conv_id, customer=o)
                                              for o in others])
        topics, records, warnings = capture_new(
            NewConversation(conv_id, customer_id, at_utc), result)
        affected = {customer_id, *others}
        refresh_last_reached(affected)
    view = ConversationView(
        conv_id, row["uuid"], customer_id, names[customer_id], at_utc, local_day(at_utc),
        row["channel"], bool(reached), row["started_by"], row["talk"], row["minutes"],
        row["planned_minutes"], result.summary, body, mood, bool(milestone), topics,
        tuple(sorted((o, names[o]) for o in others)))
    return Logged(view, records, result.warnings + warnings, _changes(affected))


def edit(conversation_id: int, body: str | None = None, *, with_ids: Sequence[int] | None = None,
         **fields: Any) -> Logged:
    """Change a logged conversation; a changed body re-runs capture (module docstring)."""
    allowed = {"at", "channel", "reached", "minutes", "planned_minutes", "talk", "started_by",
               "mood", "milestone"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError("unknown_field", fields=", ".join(sorted(unknown)))
    values = _validate(fields)
    with write():
        before = _state(conversation_id)
        conv = Conversation.get_by_id(conversation_id)
        old_day = local_day(conv.happened_at)
        affected = set(before.customers)
        if with_ids is not None:
            others = _participants(conv.customer_id, with_ids)
            ConversationParticipant.delete().where(
                ConversationParticipant.conversation == conv.id).execute()
            for other in others:
                ConversationParticipant.create(conversation=conv, customer=other)
            affected |= set(others)
        new_body = conv.body if body is None else body.replace("\x00", "")
        new_day = local_day(values.get("happened_at", conv.happened_at))
        records: tuple[LoggedRecord, ...] = ()
        warnings: tuple[CaptureWarning, ...] = ()
        if body is not None or new_day != old_day:
            result = capture.parse(new_body, new_day)
            values["summary"] = result.summary
            values["body"] = new_body
            Conversation.update(**values, updated_at=utc_now()).where(
                Conversation.id == conv.id).execute()
            conv = Conversation.get_by_id(conversation_id)
            records, extra = apply_capture(conv, result, previous=before)
            warnings = result.warnings + extra
        elif values:
            Conversation.update(**values, updated_at=utc_now()).where(
                Conversation.id == conv.id).execute()
        refresh_last_reached(affected)
    return Logged(get(conversation_id), records, warnings, _changes(affected), before)


def delete(conversation_id: int) -> tuple[ConversationState, Changes]:
    """Delete a conversation and what its note produced; reopen what it closed."""
    with write():
        state = _state(conversation_id)
        _drop(state)
        refresh_last_reached(state.customers)
    return state, _changes(state.customers)


def put_back(state: ConversationState) -> Changes:
    """Undo a delete: the conversation and its records exactly as they were."""
    with write():
        _put(state)
        refresh_last_reached(state.customers)
    return _changes(state.customers)


def revert(state: ConversationState) -> tuple[ConversationState, Changes]:
    """Undo an edit: replace the conversation's current graph by ``state``.

    Returns the state it replaced, which is what a redo puts back.
    """
    with write():
        current = _state(state.conversation_id)
        _drop(current)
        _put(state)
        affected = current.customers | state.customers
        refresh_last_reached(affected)
    return current, _changes(affected)


def get(conversation_id: int) -> ConversationView:
    views = _views(Conversation.select().where(Conversation.id == conversation_id))
    if not views:
        raise NotFound("conversation", id=conversation_id)
    return views[0]


# A page of the timeline in one statement (the window reads one on every customer click, so
# it must cost one round trip and no model instance whatever the history; issue 9). The own
# conversations walk the (customer_id, happened_at) index backwards and stop at the page's
# end; UNION drops a conversation listed both ways. Topics (in the order they were linked)
# and the others present come as JSON arrays.
_PAGE_SQL = """WITH page(id, happened_at) AS (
 SELECT * FROM (SELECT id, happened_at FROM conversation WHERE customer_id = :cid
  ORDER BY happened_at DESC, id DESC LIMIT :upto)
 UNION SELECT c.id, c.happened_at FROM conversation_participant p
  JOIN conversation c ON c.id = p.conversation_id WHERE p.customer_id = :cid
 ORDER BY happened_at DESC, id DESC LIMIT :limit OFFSET :offset)
SELECT c.id, c.uuid, c.customer_id, coalesce(cu.full_name, ''), c.happened_at, c.channel,
 c.reached, c.started_by, c.talk, c.minutes, c.planned_minutes, c.summary, c.body, c.mood,
 c.milestone,
 (SELECT json_group_array(name) FROM (SELECT t.name FROM conversation_topic ct
   JOIN topic t ON t.id = ct.topic_id WHERE ct.conversation_id = c.id ORDER BY ct.id)),
 (SELECT json_group_array(json_array(id, full_name)) FROM (SELECT o.id, o.full_name
   FROM conversation_participant p JOIN customer o ON o.id = p.customer_id
   WHERE p.conversation_id = c.id ORDER BY p.customer_id))
FROM page JOIN conversation c ON c.id = page.id LEFT JOIN customer cu ON cu.id = c.customer_id
ORDER BY c.happened_at DESC, c.id DESC"""

# The own ones counted on the index alone, plus those with them as a participant only (a
# customer is present at most once in a conversation: a unique index).
_COUNT_SQL = """SELECT (SELECT count(*) FROM conversation WHERE customer_id = :cid)
 + (SELECT count(*) FROM conversation_participant p JOIN conversation c
    ON c.id = p.conversation_id WHERE p.customer_id = :cid AND c.customer_id <> :cid)"""


def timeline(customer_id: int, *, limit: int | None = None, offset: int = 0
             ) -> tuple[ConversationView, ...]:
    """Newest first: conversations with the customer, as main customer or one of others present.

    One statement per page (``_PAGE_SQL``); ``limit=None``: every conversation from
    ``offset`` on.
    """
    upto = -1 if limit is None else offset + limit
    params = {"cid": customer_id, "upto": upto, "limit": -1 if limit is None else limit,
              "offset": offset}
    return tuple(_page_view(row) for row in database.execute_sql(_PAGE_SQL, params))


def _page_view(row: tuple[Any, ...]) -> ConversationView:
    (cid, uuid, customer_id, name, at, channel, reached, started_by, talk, minutes, planned,
     summary, body, mood, milestone, topics, others) = row
    happened_at = at if isinstance(at, datetime) else datetime.fromisoformat(at)
    return ConversationView(
        cid, uuid, customer_id, name, happened_at, local_day(happened_at), channel,
        bool(reached), started_by, talk, minutes, planned, summary, body, mood, bool(milestone),
        tuple(json.loads(topics)), tuple((i, n) for i, n in json.loads(others)))


def count_for(customer_id: int) -> int:
    """How many conversations ``timeline`` lists (one statement)."""
    return database.execute_sql(_COUNT_SQL, {"cid": customer_id}).fetchone()[0]


# --- internals ---------------------------------------------------------------------------


def _customer(customer_id: int) -> Customer:
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        raise NotFound("customer", id=customer_id)
    return customer


def _names(customer_ids: list[int]) -> dict[int, str]:
    """Full names by id, in one query; ``NotFound`` names the first id that is not there."""
    marks = ", ".join("?" * len(customer_ids))
    names = dict(database.execute_sql(
        f"SELECT id, full_name FROM customer WHERE id IN ({marks})", customer_ids))
    for cid in customer_ids:
        if cid not in names:
            raise NotFound("customer", id=cid)
    return names


def _participants(customer_id: int, with_ids: Iterable[int]) -> list[int]:
    others = []
    for other in dict.fromkeys(with_ids):
        if other == customer_id:
            continue
        _customer(other)
        others.append(other)
    return others


def _changes(customers: Iterable[int]) -> Changes:
    return Changes.of(frozenset(customers), Kind.CONVERSATION, Kind.FOLLOWUP, Kind.QUESTION,
                      Kind.DETAIL, Kind.FACT, Kind.STYLE, Kind.UNSAID, Kind.THING,
                      Kind.CUSTOMER)


def _views(query: Any) -> tuple[ConversationView, ...]:
    convs = list(query)
    if not convs:
        return ()
    ids = [c.id for c in convs]
    topics: dict[int, list[str]] = {}
    participants: dict[int, list[tuple[int, str]]] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        for conv_id, name in (ConversationTopic.select(ConversationTopic.conversation, Topic.name)
                              .join(Topic).where(ConversationTopic.conversation.in_(chunk))
                              .order_by(ConversationTopic.id).tuples()):
            topics.setdefault(conv_id, []).append(name)
        for conv_id, cid, name in (ConversationParticipant
                                   .select(ConversationParticipant.conversation, Customer.id,
                                           Customer.full_name)
                                   .join(Customer)
                                   .where(ConversationParticipant.conversation.in_(chunk))
                                   .tuples()):
            participants.setdefault(conv_id, []).append((cid, name))
    names = dict(Customer.select(Customer.id, Customer.full_name)
                 .where(Customer.id.in_({c.customer_id for c in convs})).tuples())
    return tuple(
        ConversationView(
            c.id, c.uuid, c.customer_id, names.get(c.customer_id, ""), c.happened_at,
            local_day(c.happened_at), c.channel, bool(c.reached), c.started_by, c.talk,
            c.minutes, c.planned_minutes, c.summary, c.body, c.mood, bool(c.milestone),
            tuple(topics.get(c.id, ())), tuple(participants.get(c.id, ())),
        )
        for c in convs
    )


def _state(conversation_id: int) -> ConversationState:
    conv = Conversation.get_or_none(Conversation.id == conversation_id)
    if conv is None:
        raise NotFound("conversation", id=conversation_id)
    topic_ids = ConversationTopic.select(ConversationTopic.topic).where(
        ConversationTopic.conversation == conversation_id)
    rows = snapshot.take(
        Conversation.select().where(Conversation.id == conversation_id),
        ConversationParticipant.select().where(
            ConversationParticipant.conversation == conversation_id),
        Topic.select().where(Topic.id.in_(topic_ids)),
        ConversationTopic.select().where(ConversationTopic.conversation == conversation_id),
        *(m.select().where(m.conversation == conversation_id) for m in NOTE_RECORDS),
    )
    others = {p for (p,) in ConversationParticipant.select(ConversationParticipant.customer)
              .where(ConversationParticipant.conversation == conversation_id).tuples()}
    return ConversationState(conversation_id, rows, close_states(conversation_id),
                             frozenset({conv.customer_id, *others}))


def _drop(state: ConversationState) -> None:
    reopen_closed_by(state.conversation_id)
    topic_ids = list(state.rows.ids(Topic))
    Conversation.delete().where(Conversation.id == state.conversation_id).execute()
    _delete_orphan_topics(topic_ids)


def _put(state: ConversationState) -> None:
    topic_ids = _put_topics(state.rows)
    rows = snapshot.Snapshot(tuple(
        (table, tuple({**r, "topic": topic_ids[r["topic"]]} if table == "conversation_topic"
                      else r for r in table_rows))
        for table, table_rows in state.rows.rows if table != "topic"
    ))
    snapshot.restore(rows)
    reapply_closes(state.conversation_id, state.closes)


def _put_topics(rows: snapshot.Snapshot) -> dict[int, int]:
    """Put back the snapshot's topics; returns old id -> id now (topic names are unique, and
    a topic deleted with its conversation may have come back since under another id)."""
    mapping: dict[int, int] = {}
    for table, table_rows in rows.rows:
        if table != "topic":
            continue
        for row in table_rows:
            same = Topic.get_or_none(Topic.fold == row["fold"])
            if same is not None:
                mapping[row["id"]] = same.id
            elif Topic.get_or_none(Topic.id == row["id"]) is not None:
                fresh = {k: v for k, v in row.items() if k != "id"}
                mapping[row["id"]] = Topic.insert(fresh).execute()
            else:
                Topic.insert(row).execute()
                mapping[row["id"]] = row["id"]
    return mapping


def _delete_orphan_topics(topic_ids: list[int]) -> None:
    if not topic_ids:
        return
    used = ConversationTopic.select(ConversationTopic.topic).where(
        ConversationTopic.topic.in_(topic_ids))
    Topic.delete().where(Topic.id.in_(topic_ids) & ~Topic.id.in_(used)).execute()


_LAST_REACHED = (
    "UPDATE customer SET last_reached_at = (SELECT max(h) FROM ("
    " SELECT max(c.happened_at) AS h FROM conversation AS c"
    "  WHERE c.customer_id = customer.id AND c.reached = 1"
    " UNION ALL SELECT max(c.happened_at) FROM conversation_participant AS p"
    "  JOIN conversation AS c ON c.id = p.conversation_id"
    "  WHERE p.customer_id = customer.id AND c.reached = 1))"
    " WHERE id IN (SELECT value FROM json_each(?))")


def refresh_last_reached(customer_ids: Iterable[int]) -> None:
    """Keep ``Customer.last_reached_at`` (the list's sort key and cadence clock) exact: the
    latest reached conversation, as main customer or one of others present. One statement
    for any number of customers, each max read from an index."""
    ids = sorted(set(customer_ids))
    if ids:
        database.execute_sql(_LAST_REACHED, (json.dumps(ids),))


