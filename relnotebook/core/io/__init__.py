"""Contacts in and out (issue 7): vCard / CSV / JSON import, and every export.

Import is two steps so that the write is short (DESIGN.md §8): ``merge.plan_import(paths)``
reads and checks every file and decides, per card or row, *new*, *merged* (into whom, and
what it adds), *unchanged* (already there) or *skipped* (with file, line and reason), without
writing anything; ``merge.apply(plan)`` then writes it all in one transaction.

The readers (``vcard_import``, ``csv_import``, ``json_io``) turn bytes into ``ContactData``
and ``Problem`` values and never raise on what a file holds: whatever a file contains, the
only exception an import raises is ``ImportFailed`` (or ``StorageError`` re-worded as one).

This module holds the shared vocabulary only; it imports none of its submodules.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from peewee import Model

from ..changes import Changes
from ..db import database
from ..errors import NotebookError
from ..note_writer import insert_rows as _insert_many
from ..text import fold


class ImportFailed(NotebookError):
    """An import that could not be planned or written; nothing was written."""

    code = "import_failed"

    @classmethod
    def because(cls, exc: BaseException) -> ImportFailed:
        """A database failure as an import failure (disk full, read-only... keep their code)."""
        from ..storage_errors import classify

        known = classify(exc)
        if known is not None:
            return cls(known.code, **known.params)
        return cls("write_failed", detail=str(exc)[:200])


class ImportCancelled(ImportFailed):
    code = "import_cancelled"


class ExportFailed(NotebookError):
    """An export that could not be written (folder missing, disk full...)."""

    code = "export_failed"


@dataclass(frozen=True)
class Problem:
    """Why a card or row was skipped, or a warning about one that was read.

    ``line`` is the 1-based line where the card or row starts (None: the whole file).
    ``code`` names the reason; ``params`` fill it (the faces word it).
    """

    file: str
    line: int | None
    code: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def where(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"

    def param(self, key: str, default: str = "") -> str:
        return dict(self.params).get(key, default)


def problem(file: str, line: int | None, code: str, **params: Any) -> Problem:
    return Problem(file, line, code, tuple((k, str(v)[:300]) for k, v in params.items()))


@dataclass
class PointData:
    kind: str  # email, phone, address, url, social
    value: str
    label: str = ""
    preferred: bool = False


@dataclass
class DetailData:
    kind: str  # a PersonalDetail kind: family, date, hobby...
    text: str
    day: int | None = None
    month: int | None = None
    year: int | None = None

    def key(self) -> tuple[Any, ...]:
        return (self.kind, self.text.casefold(), self.day, self.month, self.year)


TEXT_FIELDS = ("full_name", "given_name", "family_name", "prefix", "nickname", "company",
               "department", "title", "about")
"""Customer text fields a contact file can carry (merging fills the empty ones)."""


@dataclass
class ContactData:
    """One card or row as read, before it meets the notebook."""

    file: str
    line: int
    full_name: str = ""
    given_name: str = ""
    family_name: str = ""
    prefix: str = ""
    nickname: str = ""
    company: str = ""
    department: str = ""
    title: str = ""
    about: str = ""
    uuid: str = ""  # a UID that is one of ours (a vCard this app exported)
    photo: bytes | None = None
    met_on: date | None = None
    points: list[PointData] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    details: list[DetailData] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def finish(self) -> bool:
        """Clean every value and settle the name; False when nothing names the contact."""
        for name in TEXT_FIELDS:
            value = clean_text(getattr(self, name))
            if name != "about":
                value = " ".join(value.split())
            setattr(self, name, value.strip())
        self.points = [p for p in self.points if _clean_point(p)]
        self.tags = [t for t in (" ".join(clean_text(t).split()) for t in self.tags) if t]
        for d in self.details:
            d.text = clean_text(d.text).strip()
        self.details = [d for d in self.details if d.text]
        if not self.full_name:
            self.full_name = " ".join(
                p for p in (self.given_name, self.family_name) if p) or self.nickname
        if not self.full_name:
            self.full_name = self.company  # a company-only card is named after its company
        if not self.full_name:
            first = next((p.value for p in self.points if p.kind in ("email", "phone")), "")
            self.full_name = first
        return bool(self.full_name)


def _clean_point(point: PointData) -> bool:
    point.value = clean_text(point.value).strip()
    if point.kind != "address":
        point.value = " ".join(point.value.split())
    point.label = " ".join(clean_text(point.label).split())
    return bool(point.value)


def clean_text(value: Any) -> str:
    """A string the database can store: no NULs, no lone surrogates, ``\\n`` line ends."""
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    if "\x00" in value:
        value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


_MONTHS = {m: i for i, names in enumerate((
    ("jan", "january", "januar", "janvier", "enero"), ("feb", "february", "februar", "fevrier"),
    ("mar", "march", "marz", "mars", "marzo"), ("apr", "april", "avril", "abril"),
    ("may", "mai", "mayo"), ("jun", "june", "juni", "juin", "junio"),
    ("jul", "july", "juli", "juillet", "julio"), ("aug", "august", "aout", "agosto"),
    ("sep", "sept", "september", "septembre", "septiembre"),
    ("oct", "october", "oktober", "octobre", "octubre"),
    ("nov", "november", "novembre", "noviembre"),
    ("dec", "december", "dezember", "decembre", "diciembre"),
), start=1) for m in names}
_ISO = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[t ].*)?$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})$")
_WORDS = re.compile(r"^(?:(\d{1,2})\.?\s+([^\W\d_]+)\.?|([^\W\d_]+)\.?\s+(\d{1,2})),?"
                    r"(?:\s+(\d{4}))?$")

DayMonthYear = tuple[int, int, int | None]


def parse_date(text: str, *, omit_year: bool = False) -> DayMonthYear | None:
    """A birthday-like date as (day, month, year or None), or None when it is not one.

    Reads ISO (``1979-04-23``, ``19790423``), no year (``--0312``, ``--03-12``), numeric
    ``7/14/1982`` (month first, as Outlook and Google write; day first when the first number
    cannot be a month, and always with dots: ``14.7.1982``) and ``12 Jan 2024`` / ``Jan 12,
    2024``. ``0/0/00`` and other impossible dates are None. Years 1604 (Apple's "no year")
    and earlier than 1 count as no year.
    """
    from datetime import date as _date

    text = " ".join(str(text).split()).strip().casefold()
    day = month = year = None
    if m := _ISO.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _NO_YEAR.match(text):
        month, day = int(m[1]), int(m[2])
    elif m := _NUMERIC.match(text):
        first, second, year = int(m[1]), int(m[3]), int(m[4])
        if len(m[4]) == 2:
            year += 2000 if year <= _date.today().year % 100 else 1900
        month, day = (second, first) if m[2] == "." or first > 12 else (first, second)
    elif m := _WORDS.match(text):
        day = int(m[1] or m[4])
        month = _MONTHS.get(fold(m[2] or m[3]), 0)
        year = int(m[5]) if m[5] else None
    else:
        return None
    if omit_year or (year is not None and (year <= 1604 or year > 9999)):
        year = None
    try:
        _date(year or 2000, month, day)
    except (ValueError, TypeError):
        return None
    return day, month, year


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_text(data: bytes) -> tuple[str, bool]:
    """Text of a file and whether it was one clean encoding (else decode line by line)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, "replace"), True
    sample = data[:400]
    if len(sample) >= 4:
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        half = len(sample) // 2
        if odd > half * 0.4 and even < half * 0.1:
            return data.decode("utf-16-le", "replace"), True
        if even > half * 0.4 and odd < half * 0.1:
            return data.decode("utf-16-be", "replace"), True
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        return "", False


@dataclass
class FileRead:
    """What one file gave: its contacts, what was skipped, and how it was read."""

    file: str
    fmt: str  # vcard, google, outlook, linkedin, csv (any other CSV), json
    contacts: list[ContactData] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: tuple[tuple[str, str], ...] = ()  # CSV: (field, column) pairs used


NEW, MERGE, UNCHANGED, SKIP = "new", "merge", "unchanged", "skip"


@dataclass(frozen=True)
class PlanItem:
    """One card or row and what the import does with it (the preview's line)."""

    action: str  # new, merge, unchanged, skip
    file: str
    line: int | None
    name: str
    reason: str = ""  # skip: why (a code); merge/unchanged: matched by uuid/email/phone/name
    params: tuple[tuple[str, str], ...] = ()
    target: str = ""  # merge/unchanged: the customer, "Name (Company)"
    adds: tuple[str, ...] = ()  # merge: what it adds ("email x@y.example", "title", "tag X")

    @property
    def where(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"

    @classmethod
    def skipped(cls, p: Problem) -> PlanItem:
        return cls(SKIP, p.file, p.line, p.param("name"), p.code, p.params)


@dataclass(frozen=True)
class ImportPlan:
    items: tuple[PlanItem, ...]
    warnings: tuple[Problem, ...]  # about cards that were read (a line dropped, a date)
    files: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]  # (file, format, columns)
    work: Any = field(repr=False, compare=False)  # merge._Work: what apply writes

    def count(self, action: str) -> int:
        return sum(1 for item in self.items if item.action == action)

    @property
    def importable(self) -> bool:
        """Something could be read (even if all of it is already there)."""
        return any(item.action != SKIP for item in self.items)


@dataclass(frozen=True)
class ImportReport:
    added: int
    merged: int
    unchanged: int
    skipped: int
    customer_ids: frozenset[int]
    changes: Changes


def norm(kind: str, value: str) -> str:
    """What makes two contact points the same: case-less email, a phone's digits."""
    if kind == "email":
        return value.strip().casefold()
    if kind == "phone":
        digits = re.sub(r"\D", "", value)
        if value.strip().startswith("+") or digits.startswith("00"):
            digits = "+" + digits.removeprefix("00")
        return digits if len(digits.lstrip("+")) >= 5 else fold(value)
    return fold(value)


def family_key(full_name: str, family_name: str, company: str) -> str:
    """A person's family name, or the last word of a name that is not a company's or email."""
    words = fold(full_name).split()
    if family_name or len(words) < 2 or "@" in full_name or fold(full_name) == fold(company):
        return fold(family_name)
    return words[-1]


def rows_for(model: type[Model], rows: list[dict[str, Any]]) -> tuple[str, list[list[Any]]]:
    """An INSERT for many rows and their values as the database takes them (defaults and
    ``db_value`` applied as peewee would): made before a write begins, sent in one go inside
    it (peewee's ``insert_many`` spent 90% of a 10,000-card import composing SQL)."""
    columns = [f for f in model._meta.sorted_fields if f.name != "id"]
    defaults = {f.name: f.default for f in columns if f.default is not None}
    values = []
    for row in rows:
        out = []
        for f in columns:
            value = row[f.name] if f.name in row else defaults.get(f.name)
            out.append(f.db_value(value() if callable(value) else value))
        values.append(out)
    names = ", ".join(f'"{f.column_name}"' for f in columns)
    marks = ", ".join([database.param] * len(columns))
    return f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES ({marks})', values


def insert_rows(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (field name -> value, defaults and ``db_value`` as peewee applies
    them), many per statement (``note_writer.insert_rows``), never one statement per row:
    once a transaction has written the search index, FTS5 starts every later statement by
    flushing its pending terms into a new segment, so a statement per row (executemany)
    wrote and then merged a segment per row (issue 9)."""
    if rows:
        _insert_many(model, rows, returning=None)


MAX_FILE = 512 * 1024 * 1024


def read_files(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[str, str, bytes | Problem]]:
    """(name, kind, bytes) per file, kind told by content first (vcard, json, csv); a file
    that cannot be read gives its ``Problem`` instead of bytes."""
    loaded: list[tuple[str, str, bytes | Problem]] = []
    for raw in paths:
        path = Path(raw)
        try:
            if path.stat().st_size > MAX_FILE:
                raise OSError("file too large")
            data = path.read_bytes()
        except OSError as exc:
            loaded.append((path.name, "", problem(path.name, None, "unreadable_file",
                                                  detail=exc.strerror or str(exc))))
            continue
        head = data[:4096].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").replace(b"\x00", b"")
        suffix = path.suffix.lower()
        kind = "vcard" if head[:11].upper() == b"BEGIN:VCARD" or suffix in (".vcf", ".vcard") \
            else "json" if head[:1] == b"{" or suffix == ".json" else "csv"
        loaded.append((path.name, kind, data))
    return loaded
