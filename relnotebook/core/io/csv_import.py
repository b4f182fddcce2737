"""Reading contact CSV files: Google (old and current headers), Outlook, LinkedIn, and any
other CSV through a column mapping.

Every header is folded (core/text.py) and looked up: known names (in English and the
common European spellings) say what a column holds; Google's numbered groups (``E-mail 2 -
Value``) and Outlook's address parts (``Business City``) are recognised by pattern. A user's
mapping (``--map field=Column``; the window's mapping step) wins over every guess. The
delimiter (``,`` ``;`` tab ``|``) and the header row (LinkedIn writes notes above it) are
whichever make the most headers known. ``:::`` separates several values in one cell;
Google's ``* `` marks the primary one. Line numbers are those of the row's first line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable

from ..text import fold
from . import (
    ContactData,
    DetailData,
    FileRead,
    ImportFailed,
    PointData,
    decode_text,
    parse_date,
    problem,
)

FIELDS = ("name", "given_name", "middle_name", "family_name", "prefix", "nickname", "company",
          "department", "title", "about", "email", "phone", "address", "url", "birthday",
          "anniversary", "tags", "hobby", "family", "met_on")
"""What a column can be mapped to; email, phone, address, url and family take a label too:
``phone:mobile=Handy``."""

_SIMPLE = {"given_name", "middle_name", "family_name", "prefix", "nickname", "company",
           "department", "title"}


def _aliases() -> dict[str, str]:
    table = {
        "name": "name, full name, display name, contact name, contact, nom complet, navn, namn,"
                " naam, nome, nombre completo, imie i nazwisko, kontakt",
        "given_name": "given name, first name, vorname, prenom, nombre, fornavn, fornamn,"
                      " voornaam",
        "middle_name": "additional name, middle name, second name",
        "family_name": "family name, last name, surname, nachname, nom de famille, apellidos,"
                       " apellido, efternavn, efternamn, achternaam",
        "prefix": "name prefix, prefix, salutation, anrede",
        "nickname": "nickname, spitzname",
        "company": "company, organization, organisation, organization name, company name, firma,"
                   " unternehmen, societe, entreprise, empresa, bedrijf, account, account name",
        "department": "department, organization department, abteilung, dept",
        "title": "job title, position, organization title, role, funktion, titel, cargo, poste,"
                 " title",
        "about": "notes, note, notiz, notizen, bemerkung, bemerkungen, comment, comments,"
                 " remarks, description, kommentar, anmerkungen",
        "birthday": "birthday, geburtstag, date of birth, dob, birth date, birthdate,"
                    " anniversaire, cumpleanos, fodselsdag, fodelsedag, verjaardag",
        "anniversary": "anniversary, jahrestag",
        "tags": "tags, categories, category, kategorie, kategorien, group membership, labels,"
                " groups",
        "hobby": "hobby, hobbies",
        "email": "email, e-mail, mail, email address, e-mail address, e-mail-adresse, courriel,"
                 " correo, correo electronico, e-post, primary email, e-mail 2 address,"
                 " e-mail 3 address",
        "phone": "phone, telephone, telefon, tel, tel., telefono, phone number, telefonnummer,"
                 " telefoon",
        "phone:mobile": "mobile, mobile phone, cell, cell phone, handy, mobil, mobiltelefon,"
                        " portable, movil, mobile number",
        "phone:work": "business phone, business phone 2, work phone",
        "phone:home": "home phone, home phone 2",
        "phone:work fax": "business fax",
        "phone:home fax": "home fax",
        "phone:other": "other phone",
        "phone:main": "primary phone, company main phone",
        "phone:pager": "pager",
        "phone:car": "car phone",
        "address": "address, adresse, anschrift, direccion, street address, postal address",
        "url": "website, web, url, homepage, web page, webseite",
        "family:spouse": "spouse",
        "family:children": "children",
    }
    return {fold(a.strip()): target for target, names in table.items()
            for a in names.split(",") if a.strip()}


_ALIAS = _aliases()
_GOOGLE = re.compile(r"^(e-mail|phone|address|website|relation|event|organization|im) (\d+) - "
                     r"(type|label|value|formatted|street|city|po box|region|postal code|country"
                     r"|extended address|name|title|department)$")
_OUTLOOK_ADDRESS = re.compile(r"^(business|home|other) (street|street 2|street 3|city|state|"
                              r"postal code|country/region|country|po box)$")
_PART = {"street 2": "street", "street 3": "street", "state": "region",
         "country/region": "country", "extended address": "extended"}
_DELIMITERS = (",", ";", "\t", "|")
_GOOGLE_GROUPS = {"mycontacts", "my contacts", "starred"}
_ZERO_DATE = re.compile(r"^[0\W_]*$")


def check_mapping(mapping: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    pairs = []
    for target, column in mapping:
        base = target.split(":", 1)[0].strip().lower()
        if base not in FIELDS or (":" in target and base not in
                                  ("email", "phone", "address", "url", "family")):
            raise ImportFailed("bad_mapping_field", field=target, allowed=", ".join(FIELDS))
        label = target.split(":", 1)[1].strip().lower() if ":" in target else ""
        pairs.append((f"{base}:{label}" if label else base, column))
    return pairs


def _target(header: str, fmt: str) -> str | None:
    h = fold(header)
    if fmt == "outlook" and h == "title":
        return "prefix"
    if fmt == "linkedin" and h == "url":
        return "url:linkedin"
    if fmt == "linkedin" and h == "connected on":
        return "met_on"
    if m := _GOOGLE.match(h):
        return f"g:{m[1]}:{m[2]}:{_PART.get(m[3], m[3])}"
    if m := _OUTLOOK_ADDRESS.match(h):
        return f"a:{m[1]}:{_PART.get(m[2], m[2])}"
    return _ALIAS.get(h)


def _format(headers: list[str]) -> str:
    h = {fold(x) for x in headers}
    if "connected on" in h and "first name" in h:
        return "linkedin"
    if any(x.startswith(("e-mail 1 - ", "phone 1 - ")) for x in h) or "group membership" in h:
        return "google"
    if {"first name", "last name"} <= h and h & {"e-mail address", "business phone",
                                                "mobile phone", "job title", "categories"}:
        return "outlook"
    return "csv"


def _rows(text: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        yield start, row
        start = reader.line_num + 1


def _choose(text: str, user: set[str]) -> tuple[str, int, list[str]]:
    """(delimiter, line of the header row, headers): what makes the most headers known."""
    best: tuple[tuple[int, int], str, int, list[str]] = ((-1, -1), ",", 1, [])
    for delimiter in _DELIMITERS:
        rows = []
        try:
            for number, row in _rows(text, delimiter):
                rows.append((number, row))
                if len(rows) >= 30:
                    break
        except csv.Error:
            continue
        widths = [len(r) for _, r in rows if any(c.strip() for c in r)]
        for number, row in rows:
            known = sum(1 for c in row if c.strip() and (_target(c, "csv") or c in user))
            steady = sum(1 for w in widths if w == len(row))
            score = (known, steady if len(row) > 1 else 0)
            if score > best[0]:
                best = (score, delimiter, number, row)
    return best[1], best[2], best[3]


def read(file: str, data: bytes, mapping: list[tuple[str, str]] | None = None,
         tick: Callable[[], None] = lambda: None) -> FileRead:
    text, clean = decode_text(data)
    if not clean:
        text = data.decode("windows-1252", "replace")
    text = text.replace("\x00", "")
    user = {column for _, column in mapping or ()}
    delimiter, header_line, headers = _choose(text, user)
    fmt = _format(headers)
    result = FileRead(file, fmt)
    targets: dict[int, str] = {}
    for i, header in enumerate(headers):
        if (target := _target(header, fmt)) is not None:
            targets[i] = target
    folded = [fold(h) for h in headers]
    for target, column in mapping or ():
        if column in headers:
            index = headers.index(column)
        elif fold(column) in folded:
            index = folded.index(fold(column))
        else:
            result.problems.append(problem(file, None, "no_such_column", column=column,
                                           columns=", ".join(headers)[:200]))
            continue
        for i, t in list(targets.items()):
            if t == target:
                del targets[i]
        targets[index] = target
    names = {"name", "given_name", "family_name", "company", "email", "nickname"}
    if not any(t.split(":")[0] in names or t.startswith("g:e-mail") for t in targets.values()):
        result.problems.append(problem(file, header_line, "unknown_columns",
                                       columns=", ".join(headers)[:200]))
        return result
    result.columns = tuple((t, headers[i]) for i, t in sorted(targets.items()))
    try:
        for number, row in _rows(text, delimiter):
            if number <= header_line or not any(c.strip() for c in row):
                continue
            tick()
            contact = _Row(file, number, fmt).build(
                (targets[i], cell) for i, cell in enumerate(row) if i in targets)
            if contact.finish():
                result.contacts.append(contact)
            else:
                result.problems.append(problem(file, number, "no_name"))
    except csv.Error as exc:
        result.problems.append(problem(file, None, "csv_error", detail=str(exc)[:200]))
    return result


def count_rows(data: bytes) -> int:
    return data.count(b"\n") + 1


def sample(data: bytes, rows: int = 5) -> tuple[list[str], list[list[str]], list[str]]:
    """The header row, the first ``rows`` rows as ``read`` would see them, and a guess per
    column (a mapping field such as ``email`` or ``phone:mobile``, or ""): the window's
    column-mapping step shows them."""
    text, clean = decode_text(data)
    text = (text if clean else data.decode("windows-1252", "replace")).replace("\x00", "")
    delimiter, header_line, headers = _choose(text, set())
    found: list[list[str]] = []
    try:
        for number, row in _rows(text, delimiter):
            if len(found) >= rows:
                break
            if number > header_line and any(c.strip() for c in row):
                found.append(row)
    except csv.Error:
        pass
    guesses = [t if (t := _target(h, "csv")) and t.split(":")[0] in FIELDS else ""
               for h in headers]
    return headers, found, guesses


def _split(value: str, *seps: str) -> list[str]:
    parts = [value]
    for sep in (":::", *seps):
        parts = [piece for part in parts for piece in part.split(sep)]
    return [p.strip() for p in parts if p.strip()]


class _Row:
    def __init__(self, file: str, line: int, fmt: str) -> None:
        self.c = ContactData(file, line)
        self.fmt = fmt
        self.middle = ""
        self.groups: dict[tuple[str, str], dict[str, str]] = {}

    def build(self, cells: Iterable[tuple[str, str]]) -> ContactData:
        for target, cell in cells:
            value = cell.strip()
            if value:
                self._cell(target, value)
        self._groups()
        c = self.c
        if not c.full_name:
            c.full_name = " ".join(p for p in (c.given_name, self.middle, c.family_name) if p)
        return c

    def _cell(self, target: str, value: str) -> None:
        c = self.c
        base, _, label = target.partition(":")
        if base == "name":
            c.full_name = c.full_name or value
        elif base == "middle_name":
            self.middle = self.middle or value
        elif base in _SIMPLE:
            if not getattr(c, base):
                setattr(c, base, value)
        elif base == "about":
            c.about = f"{c.about}\n{value}" if c.about else value
        elif base in ("email", "phone", "address", "url"):
            seps = (";", ",") if base == "email" else ()
            for v in _split(value, *seps):
                c.points.append(PointData(base, v, label))
        elif base == "tags":
            seps = () if self.fmt == "google" else (";", ",")
            for tag in _split(value, *seps):
                tag = tag.lstrip("*").strip()
                if fold(tag) not in _GOOGLE_GROUPS and not fold(tag).startswith("imported on"):
                    c.tags.append(tag)
        elif base in ("birthday", "anniversary"):
            self._date(base, value)
        elif base == "hobby":
            c.details.extend(DetailData("hobby", v) for v in _split(value))
        elif base == "family":
            c.details.extend(DetailData("family", f"{v} ({label})" if label else v)
                             for v in _split(value))
        elif base == "met_on":
            parsed = parse_date(value)
            if parsed and parsed[2]:
                from datetime import date

                c.met_on = date(parsed[2], parsed[1], parsed[0])
        elif base == "g":
            kind, number, part = label.split(":")
            self._part((kind, number), part, value)
        elif base == "a":
            group, part = label.split(":")
            self._part((f"address {group}", "0"), part, value)

    def _part(self, key: tuple[str, str], part: str, value: str) -> None:
        parts = self.groups.setdefault(key, {})
        parts[part] = f"{parts[part]}, {value}" if part == "street" and part in parts else value

    def _date(self, text: str, value: str) -> None:
        if _ZERO_DATE.match(value):
            return  # Outlook's 0/0/00: no date
        parsed = parse_date(value)
        if parsed is None:
            self.c.details.append(DetailData("date", f"{text}: {value}"))
            self.c.warnings.append(problem(self.c.file, self.c.line, "bad_date", value=value))
        else:
            self.c.details.append(DetailData("date", text, *parsed))

    def _groups(self) -> None:
        c = self.c
        kinds = {"e-mail": "email", "phone": "phone", "website": "url", "im": "social"}
        places = {"address business": "work", "address home": "home", "address other": "other"}
        for (kind, number), parts in sorted(self.groups.items(),
                                            key=lambda kv: (kv[0][0], int(kv[0][1]))):
            raw = parts.get("type") or parts.get("label") or ""
            preferred = raw.startswith("*")
            label = places.get(kind) or raw.lstrip("*").strip().lower()
            if kind in kinds:
                for i, v in enumerate(_split(parts.get("value", ""))):
                    c.points.append(PointData(kinds[kind], v, label, preferred and i == 0))
            elif kind.startswith("address"):
                if address := _address(parts):
                    c.points.append(PointData("address", address, label, preferred))
            elif kind == "organization" and number == "1":
                c.company = c.company or parts.get("name", "")
                c.title = c.title or parts.get("title", "")
                c.department = c.department or parts.get("department", "")
            elif kind == "relation":
                c.details.extend(DetailData("family", f"{v} ({label})" if label else v)
                                 for v in _split(parts.get("value", "")))
            elif kind == "event" and parts.get("value"):
                self._date(label or "date", parts["value"])


def _address(parts: dict[str, str]) -> str:
    place = " ".join(p for p in (parts.get("postal code", ""), parts.get("city", "")) if p)
    pieces = [parts.get("po box", ""), parts.get("extended", ""), parts.get("street", ""),
              place, parts.get("region", ""), parts.get("country", "")]
    if any(pieces):
        return ", ".join(" ".join(p.split()) for p in pieces if p.strip())
    lines = parts.get("formatted", "").splitlines()
    return ", ".join(" ".join(line.split()) for line in lines if line.strip())
