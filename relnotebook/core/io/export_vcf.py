"""Exporting customers as vCard 3.0 (RFC 2426), one file, that other address books read.

Plain vCard 3.0 carries names, company, title, emails, phones, addresses, URLs, the note,
categories (tags), the photo and a birthday with a year. Where it has no words, this app
writes ``X-`` properties that other readers skip and ``vcard_import`` reads back, so an
exported card re-imports unchanged:

- ``X-ANNIVERSARY`` (as Evolution and KAddressBook write it), ``X-ABRELATEDNAMES`` (family);
- ``X-RELNOTEBOOK-DETAIL;TYPE=<kind>[;X-DATE=<YYYY-MM-DD|--MMDD>]:<text>`` for every other
  personal detail (a birthday without a year among them);
- ``X-RELNOTEBOOK-LABEL;X-KIND=<kind>;X-INDEX=<n>[;X-PREF=1]:<label>`` where a contact
  point's label is not one of vCard's TYPE words (URLs take no TYPE at all).

No ``itemN.`` groups: strict 3.0 validators reject a card that groups some lines only.
The UID is the customer's uuid, so importing the file back merges instead of duplicating.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..models import ContactPoint, Customer, CustomerTag, PersonalDetail, Tag
from .export_files import write_file
from .vcard_import import label_from_types

_TYPES = {"email": {"home", "work"},
          "phone": {"home", "work", "cell", "fax", "pager", "car", "video", "isdn", "bbs",
                    "modem", "pcs", "msg"},
          "address": {"home", "work"}}
_PROPERTY = {"email": "EMAIL", "phone": "TEL", "address": "ADR", "url": "URL",
             "social": "X-SOCIALPROFILE"}
_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


@dataclass
class Card:
    """One customer and what a contact file carries about them."""

    customer: Any
    points: list[Any] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    details: list[Any] = field(default_factory=list)


def cards(customer_ids: Iterable[int] | None = None) -> Iterator[Card]:
    """Customers with their contact points, tags and details; a few queries in all."""
    ids = None if customer_ids is None else list(customer_ids)
    for start in range(0, len(ids) if ids is not None else 1, 500):
        chunk = ids[start:start + 500] if ids is not None else None

        def only(model: Any, chunk: list[int] | None = chunk) -> Any:
            query = model.select().order_by(model.id)
            return query if chunk is None else query.where(model.customer.in_(chunk))

        found: dict[int, Card] = {}
        query = Customer.select().order_by(Customer.name_fold, Customer.id)
        for c in query if chunk is None else query.where(Customer.id.in_(chunk)):
            found[c.id] = Card(c)
        for point in only(ContactPoint):
            found[point.customer_id].points.append(point)
        for detail in only(PersonalDetail):
            found[detail.customer_id].details.append(detail)
        links = CustomerTag.select(CustomerTag.customer, Tag.name).join(Tag).order_by(Tag.fold)
        if chunk is not None:
            links = links.where(CustomerTag.customer.in_(chunk))
        for cid, name in links.tuples():
            found[cid].tags.append(name)
        yield from found.values()


def escape(text: str) -> str:
    text = _CONTROL.sub("", _BREAKS.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n")))
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold_line(line: str, limit: int = 75) -> str:
    """Fold at ``limit`` octets (never inside a character), CRLF-terminated."""
    out, current, size = [], [], 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > (limit if not out else limit - 1):
            out.append("".join(current))
            current, size = [], 0
        current.append(ch)
        size += width
    out.append("".join(current))
    return "\r\n ".join(out) + "\r\n"


def _date(day: int | None, month: int | None, year: int | None) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}{day:02d}"


def _image_type(data: bytes) -> str:
    for magic, name in ((b"\xff\xd8", "JPEG"), (b"\x89PNG", "PNG"), (b"GIF8", "GIF")):
        if data.startswith(magic):
            return f";TYPE={name}"
    return ""


def vcard(card: Card) -> str:
    c = card.customer
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Relationship Notebook//relnotebook//EN",
             f"UID:{c.uuid}",
             "N:" + ";".join(escape(v) for v in (c.family_name, c.given_name, "", c.prefix, "")),
             f"FN:{escape(c.full_name)}"]
    if c.nickname:
        lines.append(f"NICKNAME:{escape(c.nickname)}")
    if c.company or c.department:
        lines.append(f"ORG:{escape(c.company)}" + (f";{escape(c.department)}"
                                                    if c.department else ""))
        if c.company == c.full_name and not (c.given_name or c.family_name):
            lines.append("X-ABSHOWAS:COMPANY")
    if c.title:
        lines.append(f"TITLE:{escape(c.title)}")
    lines += _points(card.points)
    if c.about:
        lines.append(f"NOTE:{escape(c.about)}")
    if card.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in card.tags))
    lines += _details(card.details)
    if c.photo:
        photo = bytes(c.photo)
        lines.append(f"PHOTO;ENCODING=b{_image_type(photo)}:"
                     + base64.b64encode(photo).decode("ascii"))
    lines.append(f"REV:{c.updated_at:%Y%m%dT%H%M%SZ}" if hasattr(c.updated_at, "year")
                 else "REV:19700101T000000Z")
    lines.append("END:VCARD")
    return "".join(fold_line(line) for line in lines)


def _points(points: list[Any]) -> list[str]:
    lines, labels, seen = [], [], {}
    for p in points:
        index = seen[p.kind] = seen.get(p.kind, -1) + 1
        allowed = _TYPES.get(p.kind)
        types: list[str] = []
        if allowed is not None:
            words = ["cell" if w == "mobile" else w for w in p.label.lower().split()]
            types = [w for w in words if w in allowed]
        exact = allowed is not None and label_from_types(types) == p.label
        params = ",".join(types + (["pref"] if p.preferred and allowed is not None else []))
        value = f";;{escape(p.value)};;;;" if p.kind == "address" else escape(p.value)
        lines.append(f"{_PROPERTY[p.kind]}{';TYPE=' + params if params else ''}:{value}")
        if not exact and (p.label or p.preferred):
            pref = ";X-PREF=1" if p.preferred and allowed is None else ""
            labels.append(f"X-RELNOTEBOOK-LABEL;X-KIND={p.kind};X-INDEX={index}{pref}:"
                          f"{escape(p.label)}")
    return lines + labels


def _details(details: list[Any]) -> list[str]:
    lines = []
    for d in details:
        dated = bool(d.month and d.day)
        if d.kind == "date" and d.text == "birthday" and dated and d.year:
            lines.append(f"BDAY:{_date(d.day, d.month, d.year)}")
        elif d.kind == "date" and d.text == "anniversary" and dated and d.year:
            lines.append(f"X-ANNIVERSARY:{_date(d.day, d.month, d.year)}")
        elif d.kind == "family" and not dated:
            lines.append(f"X-ABRELATEDNAMES:{escape(d.text)}")
        else:
            when = f";X-DATE={_date(d.day, d.month, d.year)}" if dated else ""
            lines.append(f"X-RELNOTEBOOK-DETAIL;TYPE={d.kind}{when}:{escape(d.text)}")
    return lines


def export(path: str | os.PathLike[str], customer_ids: Iterable[int] | None = None) -> int:
    """Write every customer (or those given) to one .vcf; returns how many."""
    count = [0]

    def chunks() -> Iterator[str]:
        for card in cards(customer_ids):
            count[0] += 1
            yield vcard(card)

    write_file(Path(path), chunks())
    return count[0]
