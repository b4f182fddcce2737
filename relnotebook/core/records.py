"""What the customer card edits: style, personal details, sales facts, purchases, thoughtful
things, tags, contact points, and deleting a customer altogether.

Every write is one transaction and returns ``Changes`` plus what undo needs: an update
returns the previous values of the fields it changed (undo calls the same update with them);
a delete returns a ``Snapshot`` of the raw rows, and ``restore(snapshot)`` puts them back
exactly (same ids, uuids and timestamps), which is also how an undone "add" is redone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from . import settings, snapshot
from .changes import Changes, Kind
from .clock import utc_now
from .conversations import refresh_last_reached
from .db import database, write
from .errors import NotFound
from .models import (
    NOTE_RECORDS,
    BaseModel,
    ContactPoint,
    Conversation,
    ConversationParticipant,
    ConversationTopic,
    Customer,
    CustomerTag,
    Draft,
    PersonalDetail,
    Purchase,
    SalesFact,
    StyleProfile,
    Tag,
    ThoughtfulThing,
    Topic,
)
from .record_rules import STYLE_FIELDS, clean, clean_style
from .snapshot import Snapshot
from .text import fold

# The tables a card record lives in, by the name the services use, with what they change.
_TABLES: dict[str, tuple[type[BaseModel], Kind]] = {
    "contact": (ContactPoint, Kind.CONTACT), "detail": (PersonalDetail, Kind.DETAIL),
    "fact": (SalesFact, Kind.FACT), "purchase": (Purchase, Kind.PURCHASE),
    "thing": (ThoughtfulThing, Kind.THING),
}
_KIND_OF_TABLE = {m._meta.table_name: k for m, k in _TABLES.values()} | {
    "customer_tag": Kind.TAG, "style_profile": Kind.STYLE, "customer": Kind.CUSTOMER}
_ALL_KINDS = tuple(k for k in Kind if k not in (Kind.SETTING, Kind.EVERYTHING))


@dataclass(frozen=True)
class StyleView:
    formality: str = ""
    pace: str = ""
    preferred_channel: str = ""
    best_time: str = ""
    planned_minutes: int | None = None
    lead_notes: str = ""
    small_talk: bool | None = None
    avoid_topics: str = ""
    notes: str = ""


@dataclass(frozen=True)
class DetailView:
    id: int
    kind: str
    text: str
    day: int | None
    month: int | None
    year: int | None
    mentioned_at: datetime
    conversation_id: int | None


@dataclass(frozen=True)
class FactView:
    id: int
    kind: str
    text: str
    confirmed_at: datetime
    assumed: bool
    conversation_id: int | None


@dataclass(frozen=True)
class PurchaseView:
    id: int
    date: date
    amount: Decimal
    currency: str
    description: str


@dataclass(frozen=True)
class ThingView:
    id: int
    text: str
    url: str
    status: str
    sent_at: datetime | None
    reaction: str
    conversation_id: int | None


def _row(table: str, row_id: int) -> Any:
    model = _TABLES[table][0]
    row = model.get_or_none(model.id == row_id)
    if row is None:
        raise NotFound(table, id=row_id)
    return row


def _customer(customer_id: int) -> Customer:
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        raise NotFound("customer", id=customer_id)
    return customer


def _add(table: str, customer_id: int, fields: dict[str, Any]) -> tuple[int, Changes]:
    values = clean(table, fields)
    with write():
        _customer(customer_id)
        row = _TABLES[table][0].create(customer=customer_id, **values)
    return row.id, Changes.of(customer_id, _TABLES[table][1])


def _update(table: str, row_id: int, fields: dict[str, Any]) -> tuple[dict[str, Any], Changes]:
    values = clean(table, fields)  # a day, month or year brings the other two along
    with write():
        row = _row(table, row_id)
        previous = {k: getattr(row, k) for k in values}
        model = _TABLES[table][0]
        model.update(**values, updated_at=utc_now()).where(model.id == row_id).execute()
    return previous, Changes.of(row.customer_id, _TABLES[table][1])


def _delete(table: str, row_id: int) -> tuple[Snapshot, Changes]:
    model = _TABLES[table][0]
    with write():
        row = _row(table, row_id)
        rows = snapshot.take(model.select().where(model.id == row_id))
        snapshot.delete_rows(rows)
    return rows, Changes.of(row.customer_id, _TABLES[table][1])


def restore(rows: Snapshot) -> Changes:
    """Put back what a delete (or an undone add) took away, exactly as it was."""
    with write():
        snapshot.restore(rows)
    return _snapshot_changes(rows)


def _snapshot_changes(rows: Snapshot) -> Changes:
    customers: set[int] = set()
    kinds: set[Kind] = set()
    for table, table_rows in rows.rows:
        kinds.add(_KIND_OF_TABLE.get(table, Kind.CUSTOMER))
        for r in table_rows:
            customers.add(r["id"] if table == "customer" else r.get("customer"))
    return Changes.of({c for c in customers if c is not None}, *kinds)


# --- style profile ---------------------------------------------------------------------------


def style(customer_id: int) -> StyleView:
    row = StyleProfile.get_or_none(StyleProfile.customer == customer_id)
    if row is None:
        return StyleView()
    values = {f: getattr(row, f) for f in STYLE_FIELDS}
    values["small_talk"] = None if row.small_talk is None else bool(row.small_talk)
    return StyleView(**values)


def update_style(customer_id: int, **fields: Any) -> tuple[dict[str, Any], Changes]:
    """Change the style profile (made on first write); returns the previous values."""
    values = clean_style(fields)
    with write():
        _customer(customer_id)
        row = StyleProfile.get_or_none(StyleProfile.customer == customer_id)
        if row is None:
            row = StyleProfile.create(customer=customer_id)
        previous = {k: getattr(row, k) for k in values}
        StyleProfile.update(**values, updated_at=utc_now()).where(
            StyleProfile.id == row.id).execute()
    return previous, Changes.of(customer_id, Kind.STYLE)


def call_defaults(customer_id: int) -> tuple[int, str]:
    """(planned minutes, preferred channel or "") of a new note to the customer: the note
    editor reads them on every customer opened, so one raw statement, not two models."""
    row = database.execute_sql("SELECT planned_minutes, preferred_channel FROM style_profile "
                               "WHERE customer_id = ?", (customer_id,)).fetchone()
    minutes, channel = row if row else (None, "")
    return (int(minutes) if minutes else int(settings.get("default_call_minutes"))), channel or ""


def planned_minutes_for(customer_id: int) -> int:
    """The customer's planned call length, else the notebook's default."""
    minutes = (StyleProfile.select(StyleProfile.planned_minutes)
               .where(StyleProfile.customer == customer_id).scalar())
    return int(minutes) if minutes else int(settings.get("default_call_minutes"))


# --- personal details, sales facts, purchases, thoughtful things, contacts -------------------


def details(customer_id: int) -> tuple[DetailView, ...]:
    q = (PersonalDetail.select().where(PersonalDetail.customer == customer_id)
         .order_by(PersonalDetail.mentioned_at.desc(), PersonalDetail.id.desc()))
    return tuple(DetailView(r.id, r.kind, r.text, r.day, r.month, r.year, r.mentioned_at,
                            r.conversation_id) for r in q)


def add_detail(customer_id: int, kind: str, text: str, day: int | None = None,
               month: int | None = None, year: int | None = None) -> tuple[int, Changes]:
    return _add("detail", customer_id, dict(kind=kind, text=text, day=day, month=month,
                                            year=year))


def update_detail(detail_id: int, **fields: Any) -> tuple[dict[str, Any], Changes]:
    return _update("detail", detail_id, fields)


def delete_detail(detail_id: int) -> tuple[Snapshot, Changes]:
    return _delete("detail", detail_id)


def facts(customer_id: int) -> tuple[FactView, ...]:
    q = (SalesFact.select().where(SalesFact.customer == customer_id)
         .order_by(SalesFact.kind, SalesFact.confirmed_at.desc(), SalesFact.id.desc()))
    return tuple(FactView(r.id, r.kind, r.text, r.confirmed_at, bool(r.assumed),
                          r.conversation_id) for r in q)


def add_fact(customer_id: int, kind: str, text: str, assumed: bool = False
             ) -> tuple[int, Changes]:
    return _add("fact", customer_id, dict(kind=kind, text=text, assumed=assumed))


def update_fact(fact_id: int, **fields: Any) -> tuple[dict[str, Any], Changes]:
    return _update("fact", fact_id, fields)


def confirm_fact(fact_id: int) -> tuple[dict[str, Any], Changes]:
    """They said it again: confirmed now, no longer assumed."""
    return _update("fact", fact_id, dict(confirmed_at=utc_now(), assumed=False))


def delete_fact(fact_id: int) -> tuple[Snapshot, Changes]:
    return _delete("fact", fact_id)


def purchases(customer_id: int) -> tuple[PurchaseView, ...]:
    q = (Purchase.select().where(Purchase.customer == customer_id)
         .order_by(Purchase.date.desc(), Purchase.id.desc()))
    return tuple(PurchaseView(r.id, r.date, Decimal(r.amount).quantize(Decimal("0.01")),
                              r.currency, r.description)
                 for r in q)


def add_purchase(customer_id: int, day: date | str, amount: Any, currency: str = "",
                 description: str = "") -> tuple[int, Changes]:
    return _add("purchase", customer_id, dict(date=day, amount=amount, currency=currency,
                                              description=description))


def update_purchase(purchase_id: int, **fields: Any) -> tuple[dict[str, Any], Changes]:
    return _update("purchase", purchase_id, fields)


def delete_purchase(purchase_id: int) -> tuple[Snapshot, Changes]:
    return _delete("purchase", purchase_id)


def things(customer_id: int) -> tuple[ThingView, ...]:
    q = (ThoughtfulThing.select().where(ThoughtfulThing.customer == customer_id)
         .order_by(ThoughtfulThing.status, ThoughtfulThing.created_at.desc(),
                   ThoughtfulThing.id.desc()))
    return tuple(ThingView(r.id, r.text, r.url, r.status, r.sent_at, r.reaction,
                           r.conversation_id) for r in q)


def add_thing(customer_id: int, text: str, url: str = "") -> tuple[int, Changes]:
    return _add("thing", customer_id, dict(text=text, url=url))


def update_thing(thing_id: int, **fields: Any) -> tuple[dict[str, Any], Changes]:
    return _update("thing", thing_id, fields)


def mark_sent(thing_id: int, sent_at: datetime | None = None) -> tuple[dict[str, Any], Changes]:
    return _update("thing", thing_id, dict(status="sent", sent_at=sent_at or utc_now()))


def set_reaction(thing_id: int, reaction: str) -> tuple[dict[str, Any], Changes]:
    return _update("thing", thing_id, dict(reaction=reaction))


def delete_thing(thing_id: int) -> tuple[Snapshot, Changes]:
    return _delete("thing", thing_id)


def add_contact(customer_id: int, kind: str, value: str, label: str = "",
                preferred: bool = False) -> tuple[int, Changes]:
    return _add("contact", customer_id, dict(kind=kind, value=value, label=label,
                                             preferred=preferred))


def update_contact(contact_id: int, **fields: Any) -> tuple[dict[str, Any], Changes]:
    return _update("contact", contact_id, fields)


def delete_contact(contact_id: int) -> tuple[Snapshot, Changes]:
    return _delete("contact", contact_id)


# --- tags ------------------------------------------------------------------------------------


def tags(customer_id: int) -> tuple[str, ...]:
    q = (Tag.select(Tag.name).join(CustomerTag).where(CustomerTag.customer == customer_id)
         .order_by(Tag.fold))
    return tuple(name for (name,) in q.tuples())


def all_tags() -> tuple[str, ...]:
    return tuple(name for (name,) in Tag.select(Tag.name).order_by(Tag.fold).tuples())


def set_tags(customer_id: int, names: Iterable[str]) -> tuple[tuple[str, ...], Changes]:
    """Make the customer's tags exactly ``names`` (folded unique); returns the previous tags."""
    wanted: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        if name and fold(name) not in wanted:
            wanted[fold(name)] = name
    with write():
        _customer(customer_id)
        previous = tags(customer_id)
        links = {link.tag.fold: link for link in CustomerTag.select(CustomerTag, Tag)
                 .join(Tag).where(CustomerTag.customer == customer_id)}
        for key, link in links.items():
            if key not in wanted:
                link.delete_instance()
                if not CustomerTag.select().where(CustomerTag.tag == link.tag_id).exists():
                    Tag.delete().where(Tag.id == link.tag_id).execute()
        for key, name in wanted.items():
            if key not in links:
                tag = Tag.get_or_none(Tag.fold == key) or Tag.create(name=name, fold=key)
                CustomerTag.create(customer=customer_id, tag=tag.id)
    return previous, Changes.of(customer_id, Kind.TAG)


# --- a whole customer ------------------------------------------------------------------------


def delete_customer(customer_id: int) -> tuple[Snapshot, Changes]:
    """Delete a customer and everything about them; the snapshot brings it all back."""
    with write():
        _customer(customer_id)
        convs = Conversation.select(Conversation.id).where(Conversation.customer == customer_id)
        conv_ids = [c for (c,) in convs.tuples()]
        part = ConversationParticipant
        others = {c for (c,) in part.select(part.customer).where(
            part.conversation.in_(conv_ids) & (part.customer != customer_id)).tuples()}
        rows = snapshot.take(
            Customer.select().where(Customer.id == customer_id),
            *(m.select().where(m.customer == customer_id)
              for m in (ContactPoint, StyleProfile, Purchase, Draft, CustomerTag)),
            Conversation.select().where(Conversation.id.in_(conv_ids)),
            part.select().where(part.conversation.in_(conv_ids) | (part.customer == customer_id)),
            Topic.select().where(Topic.id.in_(ConversationTopic.select(ConversationTopic.topic)
                                              .where(ConversationTopic.conversation.in_(conv_ids)))),
            ConversationTopic.select().where(ConversationTopic.conversation.in_(conv_ids)),
            *(m.select().where(m.customer == customer_id) for m in NOTE_RECORDS),
        )
        topic_ids = list(rows.ids(Topic))
        Customer.delete().where(Customer.id == customer_id).execute()
        used = ConversationTopic.select(ConversationTopic.topic)
        Topic.delete().where(Topic.id.in_(topic_ids) & ~Topic.id.in_(used)).execute()
        refresh_last_reached(others)
    return rows, Changes.of({customer_id, *others}, *_ALL_KINDS)


def restore_customer(rows: Snapshot) -> Changes:
    """Undo ``delete_customer``: the customer and all their records exactly as they were."""
    existing = {t for (t,) in Topic.select(Topic.id).where(
        Topic.id.in_(list(rows.ids(Topic)))).tuples()}
    kept = Snapshot(tuple(
        (table, tuple(r for r in table_rows if table != "topic" or r["id"] not in existing))
        for table, table_rows in rows.rows))
    with write():
        snapshot.restore(kept)
        part_rows = dict(rows.rows).get("conversation_participant", ())
        others = {r["customer"] for r in part_rows}
        refresh_last_reached(others)
    customer_ids = rows.ids(Customer)
    return Changes.of(set(customer_ids) | others, *_ALL_KINDS)
