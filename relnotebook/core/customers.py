"""Customers: create, edit, find by name, list, archive.

Name matching (DESIGN.md §6) is shared by the CLI and every place a user types a name: an
exact full-name match wins; otherwise the unique prefix of the folded full name or of any
word in it. Archived customers are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from . import settings
from .cadence import status as cadence_status
from .changes import Changes, Kind
from .clock import local_day, utc_now
from .db import database, write
from .errors import AmbiguousName, NotFound, ValidationError
from .models import ContactPoint, Customer
from .text import fold, words

CONTACT_KINDS = ("email", "phone", "address", "url", "social")
EDITABLE = (
    "full_name", "given_name", "family_name", "prefix", "nickname", "company", "department",
    "title", "key_client", "cadence_days", "met_on", "met_where", "introduced_by", "about",
    "archived", "photo",
)


@dataclass(frozen=True)
class CustomerView:
    id: int
    uuid: str
    full_name: str
    given_name: str
    family_name: str
    prefix: str
    nickname: str
    company: str
    department: str
    title: str
    key_client: bool
    cadence_days: int | None
    met_on: date | None
    met_where: str
    introduced_by: str
    about: str
    archived: bool
    has_photo: bool
    created_at: datetime
    last_reached_at: datetime | None

    @property
    def label(self) -> str:
        """``Name (Company)``: how candidates are listed when a name is ambiguous."""
        return f"{self.full_name} ({self.company})" if self.company else self.full_name


@dataclass(frozen=True)
class ContactView:
    id: int
    kind: str
    label: str
    value: str
    preferred: bool


@dataclass(frozen=True)
class CustomerRow:
    """One line of the customer list: display values only, computed once per refresh."""

    id: int
    full_name: str
    company: str
    key_client: bool
    last_talked: date | None
    due: date | None
    archived: bool

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


def _moment(value: Any) -> datetime | None:
    """A stored moment (text as peewee writes it, or already a datetime) as a datetime."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def _view(c: Customer) -> CustomerView:
    return CustomerView(
        c.id, c.uuid, c.full_name, c.given_name, c.family_name, c.prefix, c.nickname,
        c.company, c.department, c.title, bool(c.key_client), c.cadence_days, c.met_on,
        c.met_where, c.introduced_by, c.about, bool(c.archived), c.photo is not None,
        c.created_at, c.last_reached_at,
    )


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError("unknown_field", fields=", ".join(sorted(unknown)))
    out = dict(fields)
    for key in ("full_name", "given_name", "family_name", "prefix", "nickname", "company",
                "department", "title", "met_where", "introduced_by", "about"):
        if key in out:
            out[key] = (out[key] or "").strip()
    if "full_name" in out:
        if not out["full_name"]:
            raise ValidationError("empty_name")
        out["name_fold"] = fold(out["full_name"])
    if "company" in out:
        out["company_fold"] = fold(out["company"])
    if out.get("cadence_days") is not None:
        try:
            days = int(out["cadence_days"])
        except (TypeError, ValueError) as exc:
            raise ValidationError("bad_cadence", value=str(out["cadence_days"])) from exc
        if days <= 0 or days > 3650:
            raise ValidationError("bad_cadence", value=str(days))
        out["cadence_days"] = days
    return out


def full_name(customer_id: int) -> str:
    """Just the name (the note editor's title on every customer opened): one raw statement
    instead of the whole view with its contacts."""
    row = database.execute_sql("SELECT full_name FROM customer WHERE id = ?",
                               (customer_id,)).fetchone()
    if row is None:
        raise NotFound("customer", id=customer_id)
    return row[0]


_VIEW_SQL = (
    "SELECT id, uuid, full_name, given_name, family_name, prefix, nickname, company, department,"
    " title, key_client, cadence_days, met_on, met_where, introduced_by, about, archived,"
    " photo IS NOT NULL, created_at, last_reached_at FROM customer WHERE id = ?")


def get(customer_id: int) -> CustomerView:
    """One raw statement (the header reads it on every customer opened: peewee's query
    building cost a millisecond), without the photo's bytes (``photo`` reads those)."""
    row = database.execute_sql(_VIEW_SQL, (customer_id,)).fetchone()
    if row is None:
        raise NotFound("customer", id=customer_id)
    (cid, uuid, name, given, family, prefix, nickname, company, department, title, key,
     cadence, met_on, met_where, introduced_by, about, archived, has_photo, created,
     reached) = row
    return CustomerView(
        cid, uuid, name, given, family, prefix, nickname, company, department, title,
        bool(key), cadence, date.fromisoformat(met_on) if isinstance(met_on, str) else met_on,
        met_where, introduced_by, about, bool(archived), bool(has_photo),
        _moment(created), _moment(reached))


def create(
    full_name: str,
    *,
    email: str = "",
    phone: str = "",
    **fields: Any,
) -> tuple[CustomerView, Changes]:
    """Add a customer (and an email/phone when given), in one transaction."""
    values = _clean({"full_name": full_name, **fields})
    values.setdefault("company_fold", "")
    with write():
        customer = Customer.create(**values)
        for kind, value in (("email", email), ("phone", phone)):
            if value and value.strip():
                ContactPoint.create(customer=customer, kind=kind, value=value.strip(),
                                    preferred=True)
    return _view(customer), Changes.of(customer.id, Kind.CUSTOMER, Kind.CONTACT)


def update(customer_id: int, **fields: Any) -> tuple[dict[str, Any], Changes]:
    """Change fields; returns the previous values of what changed (for undo) and Changes."""
    values = _clean(fields)
    with write():
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            raise NotFound("customer", id=customer_id)
        previous = {k: getattr(customer, k) for k in fields}
        values["updated_at"] = utc_now()
        Customer.update(**values).where(Customer.id == customer_id).execute()
    return previous, Changes.of(customer_id, Kind.CUSTOMER)


def archive(customer_id: int, archived: bool = True) -> Changes:
    return update(customer_id, archived=archived)[1]


def photo(customer_id: int) -> bytes | None:
    row = Customer.select(Customer.photo).where(Customer.id == customer_id).first()
    return bytes(row.photo) if row is not None and row.photo is not None else None


def contacts(customer_id: int) -> tuple[ContactView, ...]:
    query = (ContactPoint.select().where(ContactPoint.customer == customer_id)
             .order_by(ContactPoint.kind, ContactPoint.preferred.desc(), ContactPoint.id))
    return tuple(ContactView(c.id, c.kind, c.label, c.value, bool(c.preferred)) for c in query)


def add_contact(customer_id: int, kind: str, value: str, label: str = "",
                preferred: bool = False) -> tuple[ContactView, Changes]:
    if kind not in CONTACT_KINDS:
        raise ValidationError("bad_contact_kind", kind=kind)
    if not value.strip():
        raise ValidationError("empty_contact", kind=kind)
    with write():
        get(customer_id)
        point = ContactPoint.create(customer=customer_id, kind=kind, value=value.strip(),
                                    label=label.strip(), preferred=preferred)
    view = ContactView(point.id, kind, point.label, point.value, preferred)
    return view, Changes.of(customer_id, Kind.CONTACT)


def remove_contact(contact_id: int) -> Changes:
    with write():
        point = ContactPoint.get_or_none(ContactPoint.id == contact_id)
        if point is None:
            raise NotFound("contact", id=contact_id)
        point.delete_instance()
    return Changes.of(point.customer_id, Kind.CONTACT)


def find(name: str, *, include_archived: bool = False) -> CustomerView:
    """Resolve a typed name to one customer (DESIGN.md §6), or raise NotFound/AmbiguousName."""
    return get(resolve_id(name, include_archived=include_archived))


def resolve_id(name: str, *, include_archived: bool = False) -> int:
    wanted = fold(name)
    if not wanted:
        raise ValidationError("empty_name")
    query = Customer.select(Customer.id, Customer.full_name, Customer.company,
                            Customer.name_fold)
    if not include_archived:
        query = query.where(Customer.archived == False)  # noqa: E712 - peewee expression
    exact = list(query.where(Customer.name_fold == wanted))
    if len(exact) == 1:
        return exact[0].id
    if not exact:
        exact = _by_label(query, name)
        if len(exact) == 1:
            return exact[0].id
    if len(exact) > 1:
        raise AmbiguousName(name=name, candidates=[_label(c) for c in exact])
    # Prefix of the whole folded name, or of any word in it. The SQL narrows by the first
    # word's prefix anywhere; Python applies the exact rule.
    first = wanted.split(" ")[0]
    like = query.where(Customer.name_fold.contains(first)).limit(5000)
    matches = [c for c in like if _prefix_match(c.name_fold, wanted)]
    if len(matches) == 1:
        return matches[0].id
    if not matches:
        raise NotFound("customer_name", name=name)
    raise AmbiguousName(name=name, candidates=[_label(c) for c in matches[:20]])


def _prefix_match(name_fold: str, wanted: str) -> bool:
    """``wanted`` starts the name, or one of its words (and may run on into the next ones).

    Words are taken both as typed between spaces ("smith-jones", "o'brien") and as letters
    and digits only ("smith", "jones", "brien"), so either way of typing a name finds it.
    """
    if name_fold.startswith(wanted):
        return True
    for parts in (name_fold.split(" "), words(name_fold)):
        if any(" ".join(parts[i:]).startswith(wanted) for i in range(len(parts))):
            return True
    return False


def _by_label(query: Any, text: str) -> list[Customer]:
    """The customers a candidate copied from an "ambiguous" message names: "Name (Company)".
    Either part may hold parentheses, so each " (" is tried as the split, first one first."""
    text = text.strip()
    at = text.find(" (") if text.endswith(")") else -1
    while at > 0:
        named, company = fold(text[:at]), fold(text[at + 2:-1])
        found = list(query.where((Customer.name_fold == named)
                                 & (Customer.company_fold == company)))
        if found:
            return found
        at = text.find(" (", at + 1)
    return []


def _label(c: Customer) -> str:
    return f"{c.full_name} ({c.company})" if c.company else c.full_name


def list_rows(
    query: str = "",
    *,
    sort: str = "name",
    include_archived: bool = False,
    descending: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[CustomerRow, ...]:
    """Customers for the list: ``query`` is a folded substring of name or company.

    One SELECT for all rows (no query per row); the cadence is computed in Python from
    the denormalised ``last_reached_at``. ``sort``: name, last_contact, due.

    ``limit``/``offset`` page the name order in SQL (``descending``: Z to A), so the
    window shows the first page of 100,000 customers without reading them all; they are
    ignored for the other orders, which need every row.
    """
    key_default = settings.get("key_client_cadence_days")
    select = Customer.select(
        Customer.id, Customer.full_name, Customer.company, Customer.key_client,
        Customer.cadence_days, Customer.last_reached_at, Customer.created_at, Customer.archived,
    )
    if not include_archived:
        select = select.where(Customer.archived == False)  # noqa: E712
    wanted = fold(query)
    if wanted:
        select = select.where(
            Customer.name_fold.contains(wanted) | Customer.company_fold.contains(wanted)
        )
    if sort == "name":
        order = (Customer.name_fold.desc(), Customer.id.desc()) if descending \
            else (Customer.name_fold, Customer.id)
        select = select.order_by(*order)
        if limit is not None:
            select = select.limit(limit).offset(offset)
    else:
        select = select.order_by(Customer.name_fold, Customer.id)
    rows = []
    # Raw values (peewee's converters parse each moment with strptime: ~20 µs a row).
    for cid, name, company, key, own, last, created, archived in database.execute(select):
        last, created = _moment(last), _moment(created)
        state = cadence_status(own, bool(key), key_default, last, created)
        rows.append(CustomerRow(cid, name, company, bool(key),
                                local_day(last) if last else None,
                                state.due if state else None, bool(archived)))
    if sort == "last_contact":
        rows.sort(key=lambda r: r.last_talked or date.min, reverse=True)
    elif sort == "due":
        rows.sort(key=lambda r: (r.due is None, r.due or date.max))
    return tuple(rows)
