"""Duplicates and the import plan: read everything first, then write in one short transaction.

``plan_import(paths)`` reads every file (vCard, CSV or this app's JSON, told apart by their
content), matches each contact against the notebook and against the contacts read before
it, and says for each card or row: *new*; *merged* into whom, matched how, adding what;
*unchanged* (everything it holds is there already); or *skipped* with file, line and
reason. It writes nothing. ``apply(plan)`` writes the plan in one transaction: all of it
commits, or nothing does.

A contact matches a customer with the same uuid (a vCard this app exported), email, phone
number (its digits) or folded name and company, in that order. Merging follows
``shared/testdata/contacts/README.md``: what the notebook has wins; new emails, phones,
addresses, tags and details are added; empty fields are filled (importing twice: no change).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from peewee import Case, PeeweeException

from .. import db
from ..changes import Changes, Kind
from ..clock import utc_now
from ..ids import new_uuid
from ..models import ContactPoint, Customer, CustomerTag, PersonalDetail, Tag
from ..text import fold
from . import (
    MERGE,
    NEW,
    SKIP,
    TEXT_FIELDS,
    UNCHANGED,
    ContactData,
    DetailData,
    FileRead,
    ImportCancelled,
    ImportFailed,
    ImportPlan,
    ImportReport,
    PlanItem,
    PointData,
    Problem,
    csv_import,
    insert_rows,
    json_io,
    norm,
    read_files,
    rows_for,
    vcard_import,
)
from .match_index import MatchIndex

_FILL = tuple(f for f in TEXT_FIELDS if f != "full_name")


@dataclass
class _Merge:
    fields: dict[str, Any] = field(default_factory=dict)
    points: list[PointData] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    details: list[Any] = field(default_factory=list)


@dataclass
class _Work:
    new: list[ContactData] = field(default_factory=list)
    merges: dict[int, _Merge] = field(default_factory=dict)
    json: list[json_io.JsonWork] = field(default_factory=list)
    # fold and norm, remembering the strings of this import (a contact's are needed when
    # it is matched, absorbed and written): the index's, not the index itself, which may
    # hold every customer's keys.
    fold: Callable[[str], str] = fold
    norm: Callable[[str, str], str] = norm


def plan_import(paths: Sequence[str | os.PathLike[str]],
                mapping: Mapping[str, str] | Iterable[tuple[str, str]] | None = None, *,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> ImportPlan:
    """Read ``paths`` and decide everything; writes nothing. See the module docstring.

    ``mapping``: CSV columns by field (``{"email": "E-Mail"}`` or pairs; ``phone:mobile``
    takes a label); it wins over what a file's headers suggest. ``progress(done, total)``
    is called now and then; ``cancelled()`` returning True stops with ``ImportCancelled``.
    """
    pairs = mapping.items() if isinstance(mapping, Mapping) else (mapping or ())
    checked = csv_import.check_mapping(pairs)
    loaded = read_files(paths)
    total = sum(vcard_import.count_cards(d) if k == "vcard" else csv_import.count_rows(d)
                for _, k, d in loaded if isinstance(d, bytes))
    done = [0]

    def tick() -> None:
        done[0] += 1
        if done[0] % 100 == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            if progress is not None:
                progress(min(done[0], total), total)

    try:
        return _plan(loaded, checked, tick)
    except PeeweeException as exc:
        raise ImportFailed.because(exc) from exc


def _plan(loaded: list[tuple[str, str, bytes | Problem]], mapping: list[tuple[str, str]],
          tick: Callable[[], None]) -> ImportPlan:
    # Every vCard and CSV file is read first, so the duplicate check loads only the
    # customers their contacts could match (see match_index); JSON matches as it reads.
    reads: dict[int, FileRead] = {
        i: vcard_import.read(name, data, tick) if kind == "vcard"
        else csv_import.read(name, data, mapping, tick)
        for i, (name, kind, data) in enumerate(loaded)
        if isinstance(data, bytes) and kind != "json"}
    has_json = any(isinstance(d, bytes) and k == "json" for _, k, d in loaded)
    index = MatchIndex(None if has_json else [c for r in reads.values() for c in r.contacts])
    work = _Work(fold=index.fold, norm=index.norm)
    items: list[PlanItem | None] = []
    warnings: list[Problem] = []
    files = []
    pending: list[tuple[int | None, ContactData, Any, str, int]] = []  # slot, contact, target
    for i, (name, kind, data) in enumerate(loaded):
        if not isinstance(data, bytes):
            items.append(PlanItem.skipped(data))
            continue
        if kind == "json":
            doc, bad = json_io.load(name, data)
            if bad is not None or doc is None:
                items.append(PlanItem.skipped(bad))  # type: ignore[arg-type]
                continue
            read = json_io.plan(name, doc, lambda c: index.match(c, db_only=True), tick)
            files.append((name, "json", ()))
            items.extend(PlanItem(NEW, name, None, c.full_name) for c in read.new)
            items.extend(PlanItem.skipped(p) for p in read.skipped)
            warnings.extend(read.warnings)
            pending.extend((None, c, target, how, read.extra.get(c.uuid, 0))
                           for c, target, how in read.matched)
            work.json.append(read.work)  # type: ignore[arg-type]
            continue
        result = reads[i]
        files.append((name, result.fmt, result.columns))
        warnings.extend(p for p in result.problems if p.code == "no_such_column")
        items.extend(PlanItem.skipped(p) for p in result.problems if p.code != "no_such_column")
        for contact in result.contacts:
            warnings.extend(contact.warnings)
            hit = index.match(contact)
            if hit is None:
                contact.uuid = contact.uuid or new_uuid()
                work.new.append(contact)
                index.add(contact, contact)
                items.append(PlanItem(NEW, name, contact.line, contact.full_name))
            else:
                pending.append((len(items), contact, hit[0], hit[1], 0))
                index.add(contact, hit[0])
                items.append(None)
    states = _load(sorted({t for _, _, t, _, _ in pending if isinstance(t, int)}))
    for slot, contact, target, how, extra in pending:
        tick()
        into = states[target] if isinstance(target, int) else target
        shown = into.company not in ("", into.full_name)
        label = f"{into.full_name} ({into.company})" if shown else into.full_name
        adds = _absorb(contact, into, work.merges.setdefault(target, _Merge())
                       if isinstance(target, int) else _Merge(), work)
        adds += [f"{extra} records"] if extra else []
        item = PlanItem(MERGE if adds else UNCHANGED, contact.file, contact.line or None,
                        contact.full_name, how, target=label, adds=tuple(adds))
        if slot is None:
            items.append(item)
        else:
            items[slot] = item
    return ImportPlan(tuple(i for i in items if i is not None), tuple(warnings),
                      tuple(files), work)


def _load(ids: list[int]) -> dict[int, ContactData]:
    """The notebook's side of a merge, as contacts (a photo only as "there is one")."""
    found: dict[int, ContactData] = {}
    columns = [getattr(Customer, f) for f in TEXT_FIELDS]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for cid, met_on, has_photo, *values in Customer.select(
                Customer.id, Customer.met_on, Customer.photo.is_null(False), *columns
        ).where(Customer.id.in_(chunk)).tuples():
            found[cid] = ContactData("", 0, met_on=met_on, photo=b"1" if has_photo else None,
                                     **dict(zip(TEXT_FIELDS, values, strict=True)))
        for cid, kind, value, label, preferred in ContactPoint.select(
                ContactPoint.customer, ContactPoint.kind, ContactPoint.value, ContactPoint.label,
                ContactPoint.preferred).where(ContactPoint.customer.in_(chunk)).tuples():
            found[cid].points.append(PointData(kind, value, label, bool(preferred)))
        for cid, tag in CustomerTag.select(CustomerTag.customer, Tag.name).join(Tag).where(
                CustomerTag.customer.in_(chunk)).tuples():
            found[cid].tags.append(tag)
        for cid, *detail in PersonalDetail.select(
                PersonalDetail.customer, PersonalDetail.kind, PersonalDetail.text,
                PersonalDetail.day, PersonalDetail.month, PersonalDetail.year
        ).where(PersonalDetail.customer.in_(chunk)).tuples():
            found[cid].details.append(DetailData(*detail))
    return found


def _absorb(c: ContactData, into: ContactData, merge: _Merge, work: _Work) -> list[str]:
    """Add to ``into`` what contact ``c`` has and it lacks (``into`` wins); list the adds."""
    norm, fold = work.norm, work.fold
    adds = []
    for name in (*_FILL, "photo", "met_on"):
        value = getattr(c, name)
        if value and not getattr(into, name):
            setattr(into, name, value)
            merge.fields[name] = value
            adds.append(name)
    have = {(p.kind, norm(p.kind, p.value)) for p in into.points}
    preferred = {p.kind for p in into.points if p.preferred}
    for p in c.points:
        if (p.kind, norm(p.kind, p.value)) not in have:
            have.add((p.kind, norm(p.kind, p.value)))
            point = PointData(p.kind, p.value, p.label, p.preferred and p.kind not in preferred)
            preferred |= {p.kind} if point.preferred else set()
            into.points.append(point)
            merge.points.append(point)
            adds.append(f"{p.kind} {p.value}")
    tags = {fold(t) for t in into.tags}
    for tag in c.tags:
        if fold(tag) not in tags:
            tags.add(fold(tag))
            into.tags.append(tag)
            merge.tags.append(tag)
            adds.append(f"tag {tag}")
    keys = {d.key() for d in into.details}
    dated = {d.text.casefold() for d in into.details if d.kind == "date" and d.month}
    for d in c.details:
        if d.key() not in keys and not (d.kind == "date" and d.month and
                                        d.text.casefold() in dated):
            keys.add(d.key())
            dated |= {d.text.casefold()} if d.kind == "date" and d.month else set()
            into.details.append(d)
            merge.details.append(d)
            adds.append(f"{d.kind} {d.text}")
    return adds


def apply(plan: ImportPlan, *, cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Write the plan in one transaction; on any failure nothing is written. Every value is
    made ready before the transaction begins, so the notebook is locked only while it is sent.
    """
    try:
        ready = _ready(plan.work)
        with db.write():
            touched = _write(plan.work, ready, cancelled or (lambda: False))
    except ImportFailed:
        raise
    except (PeeweeException, OSError, ValueError, OverflowError) as exc:
        raise ImportFailed.because(exc) from exc
    kinds = (Kind.CUSTOMER, Kind.CONTACT, Kind.TAG, Kind.DETAIL)
    changes = Changes.everything() if any(w.full for w in plan.work.json) \
        else Changes.of(touched, *kinds) if touched else Changes()
    return ImportReport(plan.count(NEW), plan.count(MERGE), plan.count(UNCHANGED),
                        plan.count(SKIP), frozenset(touched), changes)


def _chunks(rows: list[Any], cancelled: Callable[[], bool], size: int = 200) -> Iterable[Any]:
    for start in range(0, len(rows), size):
        if cancelled():
            raise ImportCancelled()
        yield rows[start:start + size]


def _ready(work: _Work) -> dict[str, Any]:
    """Rows to insert, as values; ``owners`` name each row's customer (a new one's uuid, or
    the id of the one it merges into), resolved once the new customers have ids."""
    norm, fold = work.norm, work.fold
    now = utc_now()
    stamp = {"created_at": now, "updated_at": now}
    owners = [(c.uuid, c) for c in work.new] + [
        (cid, m) for cid, m in work.merges.items() if m.fields or m.points or m.tags or m.details]
    ready: dict[str, Any] = {"now": now, "stamp": stamp, "customers": rows_for(Customer, [
        {"uuid": c.uuid, "full_name": c.full_name, "name_fold": fold(c.full_name),
         "company_fold": fold(c.company), "photo": c.photo, "met_on": c.met_on, **stamp,
         **{f: getattr(c, f) for f in _FILL}} for c in work.new])}
    points = [(o, p) for o, owner in owners for p in owner.points]
    ready[ContactPoint] = [o for o, _ in points], [(p.kind, norm(p.kind, p.value)) for _, p in
                                                   points], rows_for(ContactPoint, [
        {"kind": p.kind, "value": p.value, "label": p.label, "preferred": p.preferred, **stamp}
        for _, p in points])
    details = [(o, d) for o, owner in owners for d in owner.details]
    ready[PersonalDetail] = [o for o, _ in details], [None] * len(details), rows_for(
        PersonalDetail, [{"kind": d.kind, "text": d.text, "day": d.day, "month": d.month,
                          "year": d.year, "mentioned_at": now, **stamp} for _, d in details])
    ready["tags"] = [(o, fold(t), t) for o, owner in owners for t in owner.tags if fold(t)]
    return ready


def _write(work: _Work, ready: dict[str, Any], cancelled: Callable[[], bool]) -> set[int]:
    touched: set[int] = set()
    for json_work in work.json:
        touched |= json_io.apply(json_work)
    _insert_many(*ready["customers"], cancelled)
    ids: dict[Any, int] = json_io.lookup(Customer, Customer.uuid, [c.uuid for c in work.new])
    ids.update(json_io.lookup(Customer, Customer.id, list(work.merges)))  # those still there
    merges = [cid for cid, m in work.merges.items()
              if cid in ids and (m.fields or m.points or m.tags or m.details)]
    for cid in merges:
        if work.merges[cid].fields:
            Customer.update(_fill(work.merges[cid].fields, ready["now"])).where(
                Customer.id == cid).execute()
    have = {(cid, kind, norm(kind, value)) for cid, kind, value in ContactPoint.select(
        ContactPoint.customer, ContactPoint.kind, ContactPoint.value).where(
        ContactPoint.customer.in_(merges)).tuples()}
    for model in (ContactPoint, PersonalDetail):
        owners, keys, (sql, values) = ready[model]
        position = [f.name for f in model._meta.sorted_fields if f.name != "id"].index("customer")
        rows = []
        for owner, key, row in zip(owners, keys, values, strict=True):
            if owner not in ids or key is not None and (ids[owner], *key) in have:
                continue  # its customer is gone, or the point is there already
            row[position] = ids[owner]
            rows.append(row)
            if key is not None:
                have.add((ids[owner], *key))
        _insert_many(sql, rows, cancelled)
    tagged = [(ids[o], key, name) for o, key, name in ready["tags"] if o in ids]
    names = {key: name for _, key, name in tagged}
    for chunk in _chunks([{"name": n, "fold": k, **ready["stamp"]} for k, n in names.items()],
                         cancelled):
        Tag.insert_many(chunk).on_conflict_ignore().execute()
    tag_ids = json_io.lookup(Tag, Tag.fold, list(names))
    linked = set(CustomerTag.select(CustomerTag.customer, CustomerTag.tag).where(
        CustomerTag.customer.in_(merges)).tuples())
    links = []
    for cid, key, _ in tagged:
        if (cid, tag_ids[key]) not in linked:
            linked.add((cid, tag_ids[key]))
            links.append({"customer": cid, "tag": tag_ids[key], **ready["stamp"]})
    for chunk in _chunks(links, cancelled):
        insert_rows(CustomerTag, chunk)
    return touched | {ids[c.uuid] for c in work.new} | set(merges)


def _insert_many(sql: str, rows: list[list[Any]], cancelled: Callable[[], bool]) -> None:
    """``rows`` for the one-row INSERT ``sql`` (``rows_for``), many rows per statement.

    Not ``executemany``: FTS5 flushes its pending terms into a new segment at the start of
    every statement of a transaction once it has been written, and its triggers made a
    statement per row write a segment per customer and detail, then merge them (issue 9:
    executemany cost 0.45 s for 4,440 customers, 200 rows a statement 0.19 s).
    """
    head, marks = sql.split(" VALUES ", 1)
    size = max(1, 8000 // (marks.count(",") + 1))  # variables per statement, well in limits
    for chunk in _chunks(rows, cancelled, size):
        db.database.execute_sql(f"{head} VALUES {', '.join([marks] * len(chunk))}",
                                [value for row in chunk for value in row])


def _fill(values: dict[str, Any], now: Any) -> dict[Any, Any]:
    """SET clauses that fill a field only while it is still empty (the notebook wins)."""
    out: dict[Any, Any] = {Customer.updated_at: now}
    for name, value in values.items():
        column = getattr(Customer, name)
        empty = column.is_null() if name in ("photo", "met_on") else (column == "")
        out[column] = Case(None, [(empty, value)], column)
        if name == "company":
            out[Customer.company_fold] = Case(None, [(empty, fold(value))],
                                              Customer.company_fold)
    return out
