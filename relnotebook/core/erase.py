"""Erasing a customer: every trace of them, readable nowhere in the file (DESIGN.md §8).

``erase_customer(customer_id)``:

1. turns on ``PRAGMA secure_delete`` for this connection, so every page or cell SQLite
   frees is overwritten with zeros instead of left behind;
2. in one transaction deletes every row that refers to them: contact points, style, tags
   (and a tag or topic nobody else uses), their conversations with the topics' links and
   the other people's presence in them, their presence in other people's conversations,
   every record, purchases, the draft; the search index forgets each row through its
   triggers; their uuid is recorded in ``Erasure`` so that a restored backup erases them
   again (``backup.reapply_erasures``);
3. merges the search index into one segment (FTS5 ``optimize``): the tokens of the deleted
   rows are dropped, not only marked deleted;
4. ``VACUUM`` rebuilds the file from the live rows only. secure_delete cannot reach what was
   freed *before* it was on: an earlier edit of the customer's note or a merge of the
   search index leaves old copies in free pages, and only a rebuild drops those. (Debian's
   SQLite has secure_delete on by default, python.org's Windows and macOS builds do not;
   the erase test turns it off while it fills the notebook, and without the VACUUM it
   finds the marker in free pages.) It takes a few seconds on a large notebook;
5. ``PRAGMA wal_checkpoint(TRUNCATE)`` copies everything into the main file and empties the
   write-ahead log, where the old pages would otherwise stay readable.

The draft's fallback file in the data folder (``drafts.py``) is removed too. When another
connection is reading (the window open beside the CLI), the checkpoint cannot finish; the
result says so and the next checkpoint completes it.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from dataclasses import dataclass

from peewee import PeeweeException

from .changes import Changes, Kind
from .db import database, write
from .errors import NotFound
from .models import (
    NOTE_RECORDS,
    ContactPoint,
    Conversation,
    ConversationParticipant,
    ConversationTopic,
    Customer,
    CustomerTag,
    Draft,
    Erasure,
    FollowUp,
    Purchase,
    Question,
    StyleProfile,
    Tag,
    Topic,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EraseResult:
    uuid: str
    name: str
    vacuumed: bool  # False: the file could not be rebuilt (busy, no room): old copies may stay
    checkpointed: bool  # False: a reader kept old pages in the WAL (a later checkpoint ends it)
    changes: Changes

    @property
    def complete(self) -> bool:
        return self.vacuumed and self.checkpointed


def erase_customer(customer_id: int, *, vacuum: bool = True) -> EraseResult:
    """Remove a customer and every trace of them; see the module docstring."""
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        raise NotFound("customer", id=customer_id)
    uuid, name = customer.uuid, customer.full_name
    previous = database.execute_sql("PRAGMA secure_delete").fetchone()[0]
    database.execute_sql("PRAGMA secure_delete = ON")
    try:
        others = _delete_everything(customer_id, uuid)
        _remove_draft_file(uuid)
        changes = _changes(customer_id, others)
        if database.in_transaction():  # inside a caller's transaction: it finishes the job
            return EraseResult(uuid, name, False, False, changes)
        _optimize_search()
        vacuumed = False
        if vacuum:
            try:
                database.execute_sql("VACUUM")
                vacuumed = True
            except (PeeweeException, sqlite3.Error):
                log.warning("erase: VACUUM failed; old copies may remain", exc_info=True)
        busy, _, _ = database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        database.execute_sql(f"PRAGMA secure_delete = {int(previous)}")
    return EraseResult(uuid, name, vacuumed, not busy, changes)


def _changes(customer_id: int, others: set[int]) -> Changes:
    kinds = [k for k in Kind if k not in (Kind.SETTING, Kind.EVERYTHING)]
    return Changes.of({customer_id, *others}, *kinds)


def _delete_everything(customer_id: int, uuid: str) -> set[int]:
    with write():
        convs = [c for (c,) in Conversation.select(Conversation.id).where(
            Conversation.customer == customer_id).tuples()]
        part = ConversationParticipant
        others = {c for (c,) in part.select(part.customer).where(
            part.conversation.in_(convs) | (part.customer == customer_id)).tuples()}
        others |= {c for (c,) in Conversation.select(Conversation.customer).join(
            part, on=(part.conversation == Conversation.id)).where(
            part.customer == customer_id).tuples()}
        others.discard(customer_id)
        topics = [t for (t,) in ConversationTopic.select(ConversationTopic.topic).where(
            ConversationTopic.conversation.in_(convs)).tuples()]
        tags = [t for (t,) in CustomerTag.select(CustomerTag.tag).where(
            CustomerTag.customer == customer_id).tuples()]
        FollowUp.update(closed_in=None).where(FollowUp.closed_in.in_(convs)).execute()
        Question.update(asked_in=None).where(Question.asked_in.in_(convs)).execute()
        for model in NOTE_RECORDS:
            model.delete().where((model.customer == customer_id)
                                 | model.conversation.in_(convs)).execute()
        ConversationTopic.delete().where(ConversationTopic.conversation.in_(convs)).execute()
        part.delete().where(part.conversation.in_(convs) | (part.customer == customer_id)
                            ).execute()
        for model in (ContactPoint, StyleProfile, Purchase, Draft, CustomerTag):
            model.delete().where(model.customer == customer_id).execute()
        Conversation.delete().where(Conversation.id.in_(convs)).execute()
        Customer.delete().where(Customer.id == customer_id).execute()
        used_topics = ConversationTopic.select(ConversationTopic.topic)
        Topic.delete().where(Topic.id.in_(topics) & ~Topic.id.in_(used_topics)).execute()
        used_tags = CustomerTag.select(CustomerTag.tag)
        Tag.delete().where(Tag.id.in_(tags) & ~Tag.id.in_(used_tags)).execute()
        if not Erasure.select().where(Erasure.customer_uuid == uuid).exists():
            Erasure.create(customer_uuid=uuid)
        if others:
            from .conversations import refresh_last_reached

            refresh_last_reached(others)
    return others


def _remove_draft_file(uuid: str) -> None:
    from . import paths
    from .drafts import SUFFIX

    with contextlib.suppress(OSError):
        (paths.drafts_dir() / f"{uuid}{SUFFIX}").unlink(missing_ok=True)


def _optimize_search() -> None:
    from . import search

    try:
        search.optimize()
    except (PeeweeException, sqlite3.Error):  # no index (an old file): nothing to merge
        log.warning("erase: search index optimize failed", exc_info=True)
