"""The records a conversation's note produces, kept in step with its text.

Split from ``conversations.py``: this module knows how each captured item becomes a row,
how an edited note keeps the rows whose text did not change (and so their state: done,
asked, snoozed), and how ``[x]`` lines close someone else's follow-up or question.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from peewee import Model

from .capture import CapturedItem, CaptureResult, CaptureWarning, ItemKind
from .models import (
    NOTE_RECORDS,
    Conversation,
    ConversationTopic,
    FollowUp,
    PersonalDetail,
    Question,
    SalesFact,
    StyleNote,
    ThoughtfulThing,
    Topic,
    Unsaid,
)
from .text import fold

if TYPE_CHECKING:
    from .conversations import ConversationState, LoggedRecord

Moved = tuple[datetime, datetime] | None


def _row_key(row: Any) -> tuple[Any, ...]:
    """What identifies a record across edits of its note: its kind and its text."""
    if isinstance(row, FollowUp):
        if row.closed_in_id == row.conversation_id and row.done_at is not None:
            return ("closed", fold(row.text))
        return ("followup", row.owner, row.text)
    if isinstance(row, PersonalDetail):
        return ("detail", row.kind, row.text)
    if isinstance(row, SalesFact):
        return ("fact", row.kind, row.text)
    if isinstance(row, ThoughtfulThing):
        return ("send", row.text, row.url)
    return (type(row).__name__, row.text)


def _item_key(item: CapturedItem) -> tuple[Any, ...]:
    kind = item.kind
    if kind in (ItemKind.I_OWE, ItemKind.THEY_OWE):
        return ("followup", "me" if kind == ItemKind.I_OWE else "them", item.text)
    if kind == ItemKind.CLOSE:
        return ("closed", fold(item.text))
    if kind == ItemKind.DETAIL:
        return ("detail", item.subkind or "other", item.text)
    if kind == ItemKind.FACT:
        return ("fact", item.subkind, item.text)
    if kind == ItemKind.SEND:
        return ("send", item.text, item.url or "")
    names = {ItemKind.QUESTION: "Question", ItemKind.STYLE: "StyleNote",
             ItemKind.UNSAID: "Unsaid"}
    return (names[kind], item.text)


def apply_capture(
    conv: Conversation, result: CaptureResult, previous: ConversationState | None
) -> tuple[tuple[LoggedRecord, ...], tuple[CaptureWarning, ...]]:
    """Make the conversation's records match ``result`` (inside the caller's transaction)."""
    from .conversations import LoggedRecord

    _link_topics(conv, result)
    reopen_closed_by(conv.id)
    existing: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    moved = _moved(previous, conv.happened_at)
    if previous is not None:
        for model in NOTE_RECORDS:
            for row in model.select().where(model.conversation == conv.id).order_by(model.id):
                existing[_row_key(row)].append(row)
    records: list[LoggedRecord] = []
    warnings: list[CaptureWarning] = []
    for item in result.items:
        if item.kind == ItemKind.TOPIC:
            records.append(LoggedRecord("topic", item.text))
            continue
        if item.kind == ItemKind.CLOSE:
            text, warning = _close(conv, item, existing, moved)
            records.append(LoggedRecord("closed", text))
            if warning:
                warnings.append(warning)
            continue
        kept = existing.get(_item_key(item))
        if kept:
            _refresh(kept.pop(0), item, moved)
        else:
            _create(conv, item)
        records.append(LoggedRecord(str(item.kind), item.text, item.due, item.subkind))
    for rows in existing.values():
        for row in rows:
            row.delete_instance()
    return tuple(records), tuple(warnings)


def _link_topics(conv: Conversation, result: CaptureResult) -> None:
    old = [t for (t,) in ConversationTopic.select(ConversationTopic.topic)
           .where(ConversationTopic.conversation == conv.id).tuples()]
    ConversationTopic.delete().where(ConversationTopic.conversation == conv.id).execute()
    for item in result.of_kind(ItemKind.TOPIC):
        key = fold(item.text)
        topic = Topic.get_or_none(Topic.fold == key) or Topic.create(name=item.text, fold=key)
        ConversationTopic.get_or_create(conversation=conv.id, topic=topic.id)
    if old:
        used = ConversationTopic.select(ConversationTopic.topic).where(
            ConversationTopic.topic.in_(old))
        Topic.delete().where(Topic.id.in_(old) & ~Topic.id.in_(used)).execute()


def _create(conv: Conversation, item: CapturedItem) -> None:
    model, row = new_row(conv, item)
    model.create(**row)


def new_row(conv: Any, item: CapturedItem) -> tuple[type[Model], dict[str, Any]]:
    """The table and field values of the record a marker line makes (one mapping for the
    row-at-a-time edit path and the batched log path, so both write the same rows)."""
    common: dict[str, Any] = dict(customer=conv.customer_id, conversation=conv.id,
                                  text=item.text)
    kind = item.kind
    if kind in (ItemKind.I_OWE, ItemKind.THEY_OWE):
        return FollowUp, dict(owner="me" if kind == ItemKind.I_OWE else "them", due=item.due,
                              **common)
    if kind == ItemKind.DETAIL:
        return PersonalDetail, dict(kind=item.subkind or "other", day=item.day,
                                    month=item.month, year=item.year,
                                    mentioned_at=conv.happened_at, **common)
    if kind == ItemKind.FACT:
        return SalesFact, dict(kind=item.subkind, confirmed_at=conv.happened_at, **common)
    if kind == ItemKind.SEND:
        return ThoughtfulThing, dict(url=item.url or "", **common)
    simple = {ItemKind.QUESTION: Question, ItemKind.STYLE: StyleNote, ItemKind.UNSAID: Unsaid}
    return simple[kind], common


def _moved(previous: ConversationState | None, now: datetime) -> Moved:
    """(old moment, new moment) when an edit moved the conversation in time, else None."""
    if previous is None:
        return None
    for table, rows in previous.rows.rows:
        if table == "conversation" and rows and rows[0]["happened_at"] != now:
            return rows[0]["happened_at"], now
    return None


def _follow(row: Any, field: Any, moved: Moved) -> None:
    """A kept record's moment that was the conversation's own follows it to its new date
    (a moment changed since, say a fact confirmed later, stays)."""
    if moved is not None and getattr(row, field.name) == moved[0]:
        setattr(row, field.name, moved[1])
        row.save(only=[field])


def _refresh(row: Any, item: CapturedItem, moved: Moved = None) -> None:
    """A kept record takes what may change without its text changing (due date, day)."""
    if isinstance(row, FollowUp) and row.due != item.due:
        row.due = item.due
        row.save(only=[FollowUp.due])
    elif isinstance(row, PersonalDetail) and (row.day, row.month, row.year) != (
            item.day, item.month, item.year):
        row.day, row.month, row.year = item.day, item.month, item.year
        row.save(only=[PersonalDetail.day, PersonalDetail.month, PersonalDetail.year])
    if isinstance(row, PersonalDetail):
        _follow(row, PersonalDetail.mentioned_at, moved)
    elif isinstance(row, SalesFact):
        _follow(row, SalesFact.confirmed_at, moved)


def _close(conv: Conversation, item: CapturedItem, existing: dict[tuple[Any, ...], list[Any]],
           moved: Moved = None) -> tuple[str, CaptureWarning | None]:
    """``[x] text``: the oldest open follow-up (mine or theirs), else open question, of this
    customer whose folded text starts with ``text``; with none, a follow-up of mine done."""
    wanted = fold(item.text)
    not_own = (FollowUp.conversation.is_null()) | (FollowUp.conversation != conv.id)
    open_followups = [f for f in FollowUp.select().where(
        (FollowUp.customer == conv.customer_id) & FollowUp.done_at.is_null() & not_own
    ).order_by(FollowUp.created_at, FollowUp.id) if fold(f.text).startswith(wanted)]
    candidates: list[Any] = open_followups
    if not candidates:
        q_not_own = (Question.conversation.is_null()) | (Question.conversation != conv.id)
        candidates = [q for q in Question.select().where(
            (Question.customer == conv.customer_id) & Question.asked_at.is_null() & q_not_own
        ).order_by(Question.created_at, Question.id) if fold(q.text).startswith(wanted)]
    if not candidates:
        kept = existing.get(_item_key(item))
        if kept:
            _follow(kept.pop(0), FollowUp.done_at, moved)
        else:
            FollowUp.create(customer=conv.customer_id, conversation=conv.id, text=item.text,
                            owner="me", done_at=conv.happened_at, closed_in=conv.id)
        return item.text, None
    target = candidates[0]
    if isinstance(target, FollowUp):
        target.done_at, target.closed_in = conv.happened_at, conv.id
        target.save(only=[FollowUp.done_at, FollowUp.closed_in])
    else:
        target.asked_at, target.asked_in = conv.happened_at, conv.id
        target.save(only=[Question.asked_at, Question.asked_in])
    warning = None
    if len(candidates) > 1:
        others = " | ".join(c.text for c in candidates[1:6])
        warning = CaptureWarning(item.line, "close_ambiguous",
                                 (("text", item.text), ("closed", target.text),
                                  ("others", others), ("count", str(len(candidates) - 1))))
    return target.text, warning


def close_states(conversation_id: int) -> tuple[tuple[str, int, datetime | None], ...]:
    """What this conversation closed of *other* conversations' records."""
    followups = FollowUp.select(FollowUp.id, FollowUp.done_at).where(
        (FollowUp.closed_in == conversation_id)
        & ((FollowUp.conversation.is_null()) | (FollowUp.conversation != conversation_id)))
    questions = Question.select(Question.id, Question.asked_at).where(
        (Question.asked_in == conversation_id)
        & ((Question.conversation.is_null()) | (Question.conversation != conversation_id)))
    return tuple(("follow_up", f.id, f.done_at) for f in followups) + tuple(
        ("question", q.id, q.asked_at) for q in questions)


def reopen_closed_by(conversation_id: int) -> None:
    FollowUp.update(done_at=None, closed_in=None).where(
        (FollowUp.closed_in == conversation_id)
        & ((FollowUp.conversation.is_null()) | (FollowUp.conversation != conversation_id))
    ).execute()
    Question.update(asked_at=None, asked_in=None).where(
        (Question.asked_in == conversation_id)
        & ((Question.conversation.is_null()) | (Question.conversation != conversation_id))
    ).execute()


def reapply_closes(conversation_id: int,
                   closes: tuple[tuple[str, int, datetime | None], ...]) -> None:
    for table, row_id, moment in closes:
        if table == "follow_up":
            FollowUp.update(done_at=moment, closed_in=conversation_id).where(
                FollowUp.id == row_id).execute()
        else:
            Question.update(asked_at=moment, asked_in=conversation_id).where(
                Question.id == row_id).execute()

