"""Exporting to this app's JSON (the format is described in ``json_io``): the whole notebook,
or everything about one customer.

The whole notebook: every row of every table, a readable backup that imports back into an
empty notebook as the same notebook. One customer ("what do you hold about me?"): every row
that refers to them — their card, contact points, style, tags, conversations (theirs and
those they took part in, with the topics), every record, purchases and their draft — as
JSON, plus the same person in Markdown (``export_customer``).

Rows are streamed table by table, so a large notebook is never held in memory twice.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from peewee import ForeignKeyField, ModelSelect

from ..clock import utc_now
from ..migrations import LATEST_VERSION
from ..models import (
    ALL_MODELS,
    NOTE_RECORDS,
    BaseModel,
    ContactPoint,
    Conversation,
    ConversationParticipant,
    ConversationTopic,
    Customer,
    CustomerTag,
    Draft,
    Purchase,
    StyleProfile,
    Tag,
    Topic,
)
from ..text import fold
from . import ExportFailed
from .export_files import write_file
from .json_io import FORMAT, SCHEMA_VERSION, encode, fields


def _selection(customer_id: int) -> dict[str, ModelSelect]:
    """The rows that refer to one customer, table by table."""
    part = ConversationParticipant
    joined = part.select(part.conversation).where(part.customer == customer_id)
    convs = Conversation.select(Conversation.id).where(
        (Conversation.customer == customer_id) | Conversation.id.in_(joined))
    topics = ConversationTopic.select(ConversationTopic.topic).where(
        ConversationTopic.conversation.in_(convs))
    tags = CustomerTag.select(CustomerTag.tag).where(CustomerTag.customer == customer_id)
    chosen: dict[str, ModelSelect] = {
        "customer": Customer.select().where(Customer.id == customer_id),
        "conversation": Conversation.select().where(Conversation.id.in_(convs)),
        "conversation_participant": part.select().where(part.conversation.in_(convs)),
        "topic": Topic.select().where(Topic.id.in_(topics)),
        "conversation_topic": ConversationTopic.select().where(
            ConversationTopic.conversation.in_(convs)),
        "tag": Tag.select().where(Tag.id.in_(tags)),
    }
    for model in (ContactPoint, StyleProfile, Purchase, Draft, CustomerTag, *NOTE_RECORDS):
        chosen[model._meta.table_name] = model.select().where(model.customer == customer_id)
    return chosen


def _uuid_maps(models: set[type[BaseModel]]) -> dict[type[BaseModel], dict[int, str]]:
    return {m: dict(m.select(m.id, m.uuid).tuples()) for m in models}


def _rows(model: type[BaseModel], query: ModelSelect,
          uuids: dict[type[BaseModel], dict[int, str]]) -> Iterator[dict[str, Any]]:
    columns = fields(model)
    for raw in query.order_by(model.id).dicts().iterator():
        row = {}
        for f in columns:
            value = raw.get(f.name)
            if isinstance(f, ForeignKeyField):
                value = uuids[f.rel_model].get(value) if value is not None else None
            row[f.name] = encode(f, value)
        yield row


def chunks(customer_id: int | None = None) -> Iterator[str]:
    """The export as text pieces (the whole notebook, or one customer's rows)."""
    chosen = _selection(customer_id) if customer_id is not None else None
    referenced = {f.rel_model for m in ALL_MODELS for f in fields(m)
                  if isinstance(f, ForeignKeyField)}
    uuids = _uuid_maps(referenced)
    head: dict[str, Any] = {
        "format": FORMAT, "schema_version": SCHEMA_VERSION, "notebook_version": LATEST_VERSION,
        "exported_at": f"{utc_now().isoformat()}Z",
        "scope": "notebook" if customer_id is None else "customer"}
    if customer_id is not None:
        head["customer"] = uuids[Customer].get(customer_id)
    yield json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "tables": {'
    for i, model in enumerate(ALL_MODELS):
        name = model._meta.table_name
        yield f'{"," if i else ""}\n  "{name}": ['
        if chosen is None or name in chosen:
            query = model.select() if chosen is None else chosen[name]
            for j, row in enumerate(_rows(model, query, uuids)):
                yield ("," if j else "") + "\n   " + json.dumps(row, ensure_ascii=False)
        yield "\n  ]"
    yield "\n }\n}\n"


def export(path: str | os.PathLike[str], customer_id: int | None = None) -> Path:
    """Write the whole notebook (or one customer's rows) as JSON to ``path``."""
    return write_file(path, chunks(customer_id))


def file_stem(name: str) -> str:
    """A file name for a person: their folded name, letters and digits joined by dashes."""
    stem = "-".join(w for w in "".join(ch if ch.isalnum() else " " for ch in fold(name))
                    .split())
    return stem[:80] or "customer"


def export_customer(folder: str | os.PathLike[str], customer_id: int,
                    today: date | None = None) -> tuple[Path, Path]:
    """Everything about one customer into ``folder``: ``<name>.json`` and ``<name>.md``."""
    from .export_md import customer_markdown

    target = Path(folder).expanduser()
    try:
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ExportFailed("cannot_write", path=str(target),
                           detail=exc.strerror or str(exc)) from exc
    from ..customers import get

    name = get(customer_id).full_name
    stem = file_stem(name)
    json_path = export(target / f"{stem}.json", customer_id)
    md_path = write_file(target / f"{stem}.md", [customer_markdown(customer_id, today)])
    return json_path, md_path
