"""This app's own JSON: the values of every table, and importing an export back.

The format (``schema_version`` 1; written by ``export_json``)::

    {"format": "relnotebook-export", "schema_version": 1, "notebook_version": 3,
     "exported_at": "2026-05-01T09:30:00Z", "scope": "notebook" | "customer",
     "tables": {"customer": [{"uuid": "...", "created_at": "...", ...}, ...], ...}}

``tables`` holds every table of DESIGN.md §3 by its SQL name, parents before children. A row
is its columns by field name, without the integer id: a reference to another row is that
row's ``uuid`` (``"customer": "0190..."``), moments are naive UTC ISO 8601, days ISO dates,
amounts decimal strings, the photo base64, flags true/false. Readers ignore what they do not
know, so later versions may add keys.

Importing into an empty notebook restores every row as it was (same uuids, same values).
Into a notebook that has customers it merges: a row whose uuid is already there is left as
it is; a customer that matches one of the notebook's (uuid, email, phone, or name and
company) merges like a contact card (``merge.py``), and their conversations and records
that are not there yet are added to them; a topic or tag joins the one of the same name; a
customer whose uuid was erased here stays erased.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from peewee import (
    BlobField,
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    Field,
    ForeignKeyField,
    IntegerField,
)

from .. import record_rules as rules
from ..conversations import CHANNELS, STARTED_BY, TALK
from ..customers import CONTACT_KINDS
from ..models import (
    ALL_MODELS,
    BaseModel,
    ContactPoint,
    Customer,
    CustomerTag,
    Draft,
    Erasure,
    PersonalDetail,
    Setting,
    StyleProfile,
    Tag,
    Topic,
)
from ..text import fold
from . import (
    TEXT_FIELDS,
    ContactData,
    PointData,
    Problem,
    clean_text,
    decode_text,
    insert_rows,
    problem,
)

FORMAT = "relnotebook-export"
SCHEMA_VERSION = 1
_DERIVED = {"name_fold", "company_fold"}  # recomputed, never trusted from a file
_CHOICES = {  # values the app words by list: a file cannot bring others in
    ("conversation", "channel"): CHANNELS, ("conversation", "talk"): TALK,
    ("conversation", "started_by"): STARTED_BY, ("follow_up", "owner"): ("me", "them"),
    ("contact_point", "kind"): CONTACT_KINDS, ("personal_detail", "kind"): rules.DETAIL_KINDS,
    ("sales_fact", "kind"): rules.FACT_KINDS, ("thoughtful_thing", "status"): rules.THING_STATUS,
    ("style_profile", "formality"): rules.FORMALITY, ("style_profile", "pace"): rules.PACE,
    ("style_profile", "preferred_channel"): rules.STYLE_CHANNELS}


def fields(model: type[BaseModel]) -> list[Field]:
    return [f for f in model._meta.sorted_fields if f.name != "id"]


def encode(f: Field, value: Any) -> Any:
    if value is None or isinstance(value, str | int) and not isinstance(f, BooleanField):
        return value
    if isinstance(f, BlobField):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(f, BooleanField):
        return bool(value)
    return value.isoformat() if isinstance(value, datetime | date) else str(value)


class _Bad(ValueError):
    """A value that does not fit its column (the field's name is the message)."""


def decode(f: Field, raw: Any) -> Any:
    """A field's value from JSON, checked; raises ``_Bad``."""
    if raw is None:
        if f.null:
            return None
        raise _Bad(f.name)
    try:
        if isinstance(f, ForeignKeyField):
            if isinstance(raw, str) and 0 < len(raw) <= 64:
                return raw
        elif isinstance(f, BooleanField):
            if isinstance(raw, bool) or raw in (0, 1):
                return bool(raw)
        elif isinstance(f, IntegerField):
            if isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) < 2**62:
                return raw
        elif isinstance(f, DecimalField):
            value = Decimal(str(raw))
            if value.is_finite() and abs(value) < Decimal(10) ** 12:
                return value
        elif isinstance(f, DateTimeField):
            moment = datetime.fromisoformat(raw)
            return moment if moment.tzinfo is None else \
                moment.astimezone(UTC).replace(tzinfo=None)
        elif isinstance(f, DateField):
            return date.fromisoformat(raw)
        elif isinstance(f, BlobField):
            return base64.b64decode(raw, validate=True)
        elif isinstance(raw, str):
            return clean_text(raw)
    except (TypeError, ValueError, InvalidOperation, OverflowError, binascii.Error):
        pass
    raise _Bad(f.name)


def decode_row(model: type[BaseModel], raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _Bad("row")
    row: dict[str, Any] = {}
    for f in fields(model):
        if f.name in _DERIVED:
            continue
        if f.name in raw:
            row[f.name] = decode(f, raw[f.name])
            if row[f.name] not in _CHOICES.get((model._meta.table_name, f.name), (row[f.name],)):
                raise _Bad(f.name)
        elif f.default is not None:
            row[f.name] = f.default() if callable(f.default) else f.default
        elif f.null:
            row[f.name] = None
        else:
            raise _Bad(f.name)
    if model is Customer:
        if not row["full_name"].strip():
            raise _Bad("full_name")
        row["name_fold"], row["company_fold"] = fold(row["full_name"]), fold(row["company"])
    if model in (Topic, Tag):
        row["fold"] = fold(row["name"])
        if not row["fold"]:
            raise _Bad("name")
    return row


def _unique_columns(model: type[BaseModel]) -> list[str]:
    return [f.name for f in fields(model) if f.unique]


@dataclass
class JsonWork:
    """Rows to insert, table by table (references still uuids), and how uuids map here."""

    file: str
    full: bool
    rows: list[tuple[type[BaseModel], list[dict[str, Any]]]] = field(default_factory=list)
    remap: dict[str, dict[str, int]] = field(default_factory=dict)  # table -> uuid -> local id
    settings: list[str] = field(default_factory=list)  # keys replaced (full restore)


@dataclass
class JsonRead:
    file: str
    new: list[ContactData] = field(default_factory=list)
    matched: list[tuple[ContactData, int, str]] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    extra: dict[str, int] = field(default_factory=dict)  # matched uuid -> records it brings
    work: JsonWork | None = None


def load(file: str, data: bytes) -> tuple[dict[str, Any] | None, Problem | None]:
    text, clean = decode_text(data)
    try:
        doc = json.loads(text if clean else data.decode("utf-8", "replace"))
    except (ValueError, RecursionError) as exc:
        return None, problem(file, None, "bad_json", detail=str(exc)[:200])
    if not isinstance(doc, dict) or doc.get("format") != FORMAT \
            or not isinstance(doc.get("tables"), dict):
        return None, problem(file, None, "not_our_json")
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version > SCHEMA_VERSION:
        return None, problem(file, None, "json_too_new", version=version)
    return doc, None


def lookup(model: type[BaseModel], column: Any, values: list[Any]) -> dict[Any, int]:
    """``{value: id}`` of the rows whose ``column`` is one of ``values`` (500 at a time)."""
    found: dict[Any, int] = {}
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        found.update(model.select(column, model.id).where(column.in_(chunk)).tuples())
    return found


def plan(file: str, doc: dict[str, Any], match: Callable[[ContactData], tuple[int, str] | None],
         tick: Callable[[], None]) -> JsonRead:
    """Decide every row of an export: insert, join a local row, or leave out."""
    result = JsonRead(file)
    full = not (Customer.select().exists() or Tag.select().exists()
                or Topic.select().exists() or Erasure.select().exists())
    work = result.work = JsonWork(file, full)
    erased = {u for (u,) in Erasure.select(Erasure.customer_uuid).tuples()}
    tables: dict[str, list[dict[str, Any]]] = {}
    for model in ALL_MODELS:
        name = model._meta.table_name
        raws = doc["tables"].get(name) or []
        rows = tables[name] = []
        seen: dict[str, set[Any]] = {column: set() for column in _unique_columns(model)}
        for index, raw in enumerate(raws if isinstance(raws, list) else []):
            try:
                row = decode_row(model, raw)
                if any(row[c] in values for c, values in seen.items() if row[c] is not None):
                    raise _Bad("duplicate")
            except _Bad as exc:
                code = "bad_customer" if model is Customer else "bad_row"
                target = result.skipped if model is Customer else result.warnings
                target.append(problem(file, None, code, table=name, row=index + 1, field=exc))
                continue
            for column, values in seen.items():
                values.add(row[column])
            rows.append(row)
    present = {m._meta.table_name: set(lookup(m, m.uuid, [r["uuid"] for r in tables[
        m._meta.table_name]])) for m in ALL_MODELS}
    merged = work.remap.setdefault("customer", {})
    local = lookup(Customer, Customer.uuid, [r["uuid"] for r in tables["customer"]])
    points: dict[str, list[PointData]] = {}
    for p in tables["contact_point"]:
        points.setdefault(p["customer"], []).append(
            PointData(p["kind"], p["value"], p["label"], p["preferred"]))
    names = {t["uuid"]: t["name"] for t in tables["tag"]}
    tags: dict[str, list[str]] = {}
    for link in tables["customer_tag"]:
        if link["tag"] in names:
            tags.setdefault(link["customer"], []).append(names[link["tag"]])
    for row in tables["customer"]:
        tick()
        uuid = row["uuid"]
        contact = ContactData(file, 0, uuid=uuid, photo=row.get("photo"),
                              met_on=row.get("met_on"), points=points.get(uuid, []),
                              tags=tags.get(uuid, []),
                              **{f: row.get(f) or "" for f in TEXT_FIELDS})
        contact.finish()
        hit = (local[uuid], "uuid") if uuid in local else match(contact)
        if uuid in erased:
            result.skipped.append(problem(file, None, "erased", name=row["full_name"]))
        elif hit is None:
            result.new.append(contact)
        else:
            merged[uuid] = hit[0]
            result.matched.append((contact, *hit))
    if not full:
        for model in (Topic, Tag):
            folds = lookup(model, model.fold, [r["fold"] for r in tables[model._meta.table_name]])
            work.remap[model._meta.table_name] = {
                r["uuid"]: folds[r["fold"]] for r in tables[model._meta.table_name]
                if r["fold"] in folds}
    _choose_rows(result, tables, present, erased)
    return result


def _choose_rows(result: JsonRead, tables: dict[str, list[dict[str, Any]]],
                 present: dict[str, set[str]], erased: set[str]) -> None:
    work = result.work
    assert work is not None
    merged = work.remap["customer"]
    coming: dict[str, set[str]] = {}
    skip_customers = erased | set(merged)
    local_details = _detail_keys(list(merged.values())) if merged else set()
    styled = {c for (c,) in StyleProfile.select(StyleProfile.customer).where(
        StyleProfile.customer.in_(list(merged.values()))).tuples()} if merged else set()
    drafted = {c for (c,) in Draft.select(Draft.customer).tuples()}
    settings = {k for (k,) in Setting.select(Setting.key).tuples()}
    for model in ALL_MODELS:
        name = model._meta.table_name
        keep = []
        for row in tables[name]:
            if row["uuid"] in present[name] or name in work.remap and row["uuid"] in \
                    work.remap[name] or (name == "customer" and row["uuid"] in skip_customers):
                continue
            if not _references_ok(model, row, work, present, coming):
                continue
            owner = merged.get(row.get("customer")) if isinstance(row.get("customer"), str) \
                else None
            if owner is not None and model in (ContactPoint, CustomerTag):
                continue  # merged like a contact card
            if owner is not None and model is PersonalDetail and (
                    owner, row["kind"], row["text"].casefold(), row["day"], row["month"],
                    row["year"]) in local_details:
                continue
            if owner is not None and model is StyleProfile and owner in styled:
                continue
            if model is Draft and (owner or row["customer"]) in drafted:
                continue
            if model is Erasure and row["customer_uuid"] in erased:
                continue
            if model is Setting and row["key"] in settings:
                if not work.full:
                    continue
                work.settings.append(row["key"])
            if owner is not None:
                result.extra[row["customer"]] = result.extra.get(row["customer"], 0) + 1
            keep.append(row)
        if not work.full and model in (Topic, Tag):
            used = {r["topic" if model is Topic else "tag"]
                    for r in tables["conversation_topic" if model is Topic else "customer_tag"]}
            keep = [r for r in keep if r["uuid"] in used]
        coming[name] = {r["uuid"] for r in keep}
        work.rows.append((model, keep))


def _references_ok(model: type[BaseModel], row: dict[str, Any], work: JsonWork,
                   present: dict[str, set[str]], coming: dict[str, set[str]]) -> bool:
    for f in fields(model):
        if not isinstance(f, ForeignKeyField) or row.get(f.name) is None:
            continue
        table = f.rel_model._meta.table_name
        uuid = row[f.name]
        if uuid in work.remap.get(table, {}) or uuid in coming.get(table, set()):
            continue
        if uuid not in present.get(table, set()) and not lookup(f.rel_model, f.rel_model.uuid,
                                                                 [uuid]):
            if not f.null:
                return False
            row[f.name] = None
    return True


def _detail_keys(customer_ids: list[int]) -> set[tuple[Any, ...]]:
    d, keys = PersonalDetail, set()
    for start in range(0, len(customer_ids), 500):
        keys.update((c, k, t.casefold(), day, m, y) for c, k, t, day, m, y in d.select(
            d.customer, d.kind, d.text, d.day, d.month, d.year).where(
            d.customer.in_(customer_ids[start:start + 500])).tuples())
    return keys


def apply(work: JsonWork) -> set[int]:
    """Insert the chosen rows (inside the import's transaction); returns customers touched."""
    touched: set[int] = set()
    if work.settings:
        Setting.delete().where(Setting.key.in_(work.settings)).execute()
    for model, rows in work.rows:
        if not rows:
            continue
        name = model._meta.table_name
        fks = [f for f in fields(model) if isinstance(f, ForeignKeyField)]
        ids: dict[str, dict[str, int]] = {}
        for f in fks:
            table = f.rel_model._meta.table_name
            wanted = list({r[f.name] for r in rows if r.get(f.name) is not None})
            ids[f.name] = lookup(f.rel_model, f.rel_model.uuid, wanted)
            ids[f.name].update(work.remap.get(table, {}))
        ready = []
        for row in rows:
            out = dict(row)
            for f in fks:
                if out.get(f.name) is not None:
                    out[f.name] = ids[f.name].get(out[f.name])
            if any(out.get(f.name) is None and not f.null for f in fks):
                continue
            ready.append(out)
        links = name in ("customer_tag", "conversation_topic", "conversation_participant")
        for start in range(0, len(ready), 200):
            if links:  # a pair already linked is fine: keep the one that is there
                model.insert_many(ready[start:start + 200]).on_conflict_ignore().execute()
            else:
                insert_rows(model, ready[start:start + 200])
        touched.update(r["customer"] for r in ready if isinstance(r.get("customer"), int))
        if model is Customer:
            touched.update(lookup(Customer, Customer.uuid, [r["uuid"] for r in ready]).values())
    if not work.full and touched:
        from ..conversations import refresh_last_reached

        refresh_last_reached(touched)
    return touched
