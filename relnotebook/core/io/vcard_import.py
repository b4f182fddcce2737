"""Reading vCards 2.1, 3.0 and 4.0 (vobject parses; this module survives what it cannot).
Before vobject sees a card, this module:
- decodes the bytes: a byte-order mark (UTF-8/16/32), BOM-less UTF-16, else UTF-8, else line
  by line the line's own ``CHARSET`` or windows-1252 (old Outlook files mix them);
- cuts the file into cards by ``BEGIN:VCARD``/``END:VCARD``, keeping line numbers, so one
  broken card (no END, garbage inside) is reported with its line and the others still import;
- joins QUOTED-PRINTABLE soft line breaks and decodes the value in its ``CHARSET``;
- turns unindented base64 lines (vCard 2.1 photos) into folded lines, and drops a line that
  is not a property (with a warning naming the line).
Then vobject parses the card and ``_Reader`` maps it onto ``ContactData``: FN/N (a card with
neither is named after its ORG), ORG (company; department), TITLE, NICKNAME, NOTE, every
EMAIL/TEL/ADR/URL/IMPP/X-SOCIALPROFILE with its TYPE or ``itemN.X-ABLabel``, BDAY and
ANNIVERSARY (also without a year), related names as family details, CATEGORIES as tags and
PHOTO (binary, base64 or a ``data:`` URI). ``X-RELNOTEBOOK-*`` properties are what this app's
own export writes where vCard 3.0 has no words (see ``export_vcf``).
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
import urllib.parse
import uuid as uuidlib
from collections.abc import Callable, Iterator
from typing import Any

from ..record_rules import DETAIL_KINDS
from . import (
    ContactData,
    DetailData,
    FileRead,
    PointData,
    Problem,
    clean_text,
    decode_text,
    parse_date,
    problem,
)

_BEGIN = re.compile(r"^\s*BEGIN\s*:\s*VCARD\s*$", re.I)
_END = re.compile(r"^\s*END\s*:\s*VCARD\s*$", re.I)
_PROPERTY = re.compile(r"^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?[;:]")
_HEAD = re.compile(r'^((?:[^:"]|"[^"]*")*):(.*)$', re.S)  # a colon inside quotes is a value
_BASE64_LINE = re.compile(r"^[A-Za-z0-9+/=]+$")
_CHARSET = re.compile(rb"CHARSET=\"?([A-Za-z0-9_.:-]+)", re.I)
MAX_PHOTO = 4 * 1024 * 1024

# TYPE words that say where or what a contact point is, in the order a label names them.
_LABEL_WORDS = {"home": "home", "work": "work", "other": "other", "main": "main",
                "cell": "mobile", "mobile": "mobile", "iphone": "iphone", "fax": "fax",
                "pager": "pager", "car": "car", "video": "video", "text": "text",
                "textphone": "textphone", "isdn": "isdn", "bbs": "bbs", "modem": "modem",
                "pcs": "pcs", "school": "school"}
_ORDER = list(dict.fromkeys(_LABEL_WORDS.values()))
_NOISE = {"internet", "x400", "voice", "pref", "uri", "postal", "parcel", "dom", "intl", "msg",
          "text/plain", ""}
_APPLE_LABELS = {"homefax": "home fax", "workfax": "work fax", "otherfax": "other fax",
                 "homepage": "homepage"}
# Related names become family details: property -> label (None: its TYPE or X-ABLabel says).
_RELATED: dict[str, str | None] = {
    "related": None, "x-abrelatednames": None,
    **dict.fromkeys(("x-spouse", "x-evolution-spouse", "x-ms-spouse",
                     "x-kaddressbook-x-spousename"), "spouse"),
    **dict.fromkeys(("x-assistant", "x-evolution-assistant",
                     "x-kaddressbook-x-assistantsname"), "assistant"),
    **dict.fromkeys(("x-manager", "x-evolution-manager", "x-kaddressbook-x-managersname"),
                    "manager")}


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(raw.split(b":", 1)[0])
    return _decode_charset(raw, m.group(1).decode("ascii") if m else "windows-1252")


def _decode_charset(raw: bytes, charset: str) -> str:
    for name in (charset, "utf-8"):
        try:
            return raw.decode(name)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return raw.decode("windows-1252", "replace")


def split_lines(data: bytes) -> list[str]:
    text, clean = decode_text(data)
    if clean:
        return re.split(r"\r\n|\r|\n", text)
    return [_decode_line(raw.rstrip(b"\r")) for raw in data.split(b"\n")]


def read(file: str, data: bytes, tick: Callable[[], None] = lambda: None) -> FileRead:
    """Every card of a file as ``ContactData``, and the cards that could not be read."""
    import vobject

    result = FileRead(file, "vcard")
    contacts, problems = result.contacts, result.problems
    for card in _cards(split_lines(data), file):
        tick()
        if isinstance(card, Problem):
            problems.append(card)
            continue
        start, lines = card
        text, warnings = _prepare(file, lines)
        try:
            parsed = vobject.readOne(text, ignoreUnreadable=False)
            contact = _Reader(file, start, parsed).contact()
        except Exception as exc:  # noqa: BLE001 - vobject raises many kinds on hostile input
            detail = " ".join(f"{exc.__class__.__name__}: {exc}".split())[:200]
            problems.append(problem(file, start, "unreadable_card", detail=detail))
            continue
        contact.warnings.extend(warnings)
        if contact.finish():
            contacts.append(contact)
        else:
            problems.append(problem(file, start, "no_name"))
    return result


def count_cards(data: bytes) -> int:
    return len(re.findall(rb"(?im)^\s*BEGIN\s*:\s*VCARD", data)) or 1


def _cards(lines: list[str], file: str) -> Iterator[tuple[int, list[tuple[int, str]]] | Problem]:
    start: int | None = None
    body: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        if _BEGIN.match(line):
            if start is not None:
                yield problem(file, start, "no_end", next=number)
            start, body = number, []
        elif start is not None:
            if _END.match(line):
                yield start, body
                start = None
            else:
                body.append((number, line))
    if start is not None:
        yield problem(file, start, "no_end", next="")


def _prepare(file: str, lines: list[tuple[int, str]]) -> tuple[str, list[Problem]]:
    out = ["BEGIN:VCARD"]
    warnings: list[Problem] = []
    in_base64 = False
    i = 0
    while i < len(lines):
        number, line = lines[i]
        i += 1
        if not line.strip():
            in_base64 = False
            continue
        if line[0] in " \t":
            if len(out) > 1:
                out.append(line)
            continue
        if not _PROPERTY.match(line) or ":" not in line:
            if in_base64 and _BASE64_LINE.match(line.strip()):
                out.append(" " + line.strip())
            else:
                warnings.append(problem(file, number, "bad_line", text=line.strip()[:60]))
            continue
        quoted = _HEAD.match(line) if '"' in line else None
        head, value = quoted.groups() if quoted else line.split(":", 1)
        upper = head.upper()
        in_base64 = "BASE64" in upper or bool(re.search(r";ENCODING=B(;|$)", upper))
        if "QUOTED-PRINTABLE" in upper:
            while value.endswith("=") and i < len(lines) and not _END.match(lines[i][1]):
                value = value[:-1] + lines[i][1]
                i += 1
            line = _decode_qp(head, value)
        out.append(line)
    out.append("END:VCARD")
    return "\r\n".join(out) + "\r\n", warnings


def _decode_qp(head: str, value: str) -> str:
    params = head.split(";")
    keep, charset = [params[0]], "utf-8"
    for param in params[1:]:
        upper = param.strip().upper()
        if upper in ("ENCODING=QUOTED-PRINTABLE", "QUOTED-PRINTABLE"):
            continue
        if upper.startswith("CHARSET="):
            charset = param.split("=", 1)[1].strip().strip('"')
            continue
        keep.append(param)
    raw = quopri.decodestring(value.encode("utf-8", "replace"))
    text = _decode_charset(raw, charset)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return ";".join(keep) + ":" + text


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value if _text(v))
    if isinstance(value, bytes):
        return ""
    return clean_text(value).strip() if value is not None else ""


def _types(line: Any) -> list[str]:
    params = getattr(line, "params", {}) or {}
    words: list[str] = []
    for value in list(params.get("TYPE", [])) + list(getattr(line, "singletonparams", []) or []):
        words.extend(w.strip().strip('"').lower() for w in str(value).split(","))
    return [w for w in words if w]


def label_from_types(types: list[str]) -> str:
    """The label a list of TYPE words gives (``CELL,VOICE`` → ``mobile``)."""
    known = {_LABEL_WORDS[t] for t in types if t in _LABEL_WORDS}
    words = [w for w in _ORDER if w in known]
    for t in types:
        t = t[2:] if t.startswith("x-") else t
        if t not in _LABEL_WORDS and t not in _NOISE and t not in words:
            words.append(t)
    return " ".join(words)


def _apple_label(value: str) -> str:
    m = re.fullmatch(r"_\$!<(.*)>!\$_", value.strip())
    if not m:
        return value.strip()
    inner = m.group(1).strip().lower()
    return _APPLE_LABELS.get(inner, inner)


def _preferred(line: Any, types: list[str]) -> bool:
    params = getattr(line, "params", {}) or {}
    return "pref" in types or "1" in [str(v).strip() for v in params.get("PREF", [])]


class _Reader:
    def __init__(self, file: str, line: int, card: Any) -> None:
        self.card = card
        self.c = ContactData(file, line)
        self.labels = {ln.group.lower(): _apple_label(_text(ln.value))
                       for ln in self._all("x-ablabel") if ln.group}

    def _all(self, name: str) -> list[Any]:
        return list(self.card.contents.get(name, []))

    def _first(self, name: str) -> Any:
        lines = self._all(name)
        return lines[0].value if lines else None

    def _label(self, line: Any) -> tuple[str, bool]:
        types = _types(line)
        group = (line.group or "").lower()
        label = self.labels.get(group) or label_from_types(types)
        return label, _preferred(line, types)

    def contact(self) -> ContactData:
        c = self.c
        c.full_name = _text(self._first("fn"))
        n = self._first("n")
        if n is not None and not isinstance(n, str):
            c.given_name = _text(getattr(n, "given", ""))
            c.family_name = _text(getattr(n, "family", ""))
            c.prefix = _text(getattr(n, "prefix", ""))
            if not c.full_name:
                c.full_name = " ".join(_text(getattr(n, part, "")) for part in
                                       ("given", "additional", "family")).strip()
        org = self._first("org")
        parts = [_text(p) for p in (org if isinstance(org, list) else [org])]
        c.company = parts[0] if parts else ""
        c.department = ", ".join(p for p in parts[1:] if p)
        c.title = _text(self._first("title"))
        c.nickname = _text(self._first("nickname"))
        c.about = "\n".join(_text(ln.value) for ln in self._all("note") if _text(ln.value))
        uid = _text(self._first("uid"))
        try:
            c.uuid = str(uuidlib.UUID(uid)) if len(uid) == 36 else ""
        except ValueError:
            c.uuid = ""
        self._points()
        self._dates()
        self._related()
        self._tags()
        self._photo()
        return c

    def _points(self) -> None:
        for name, kind in (("email", "email"), ("tel", "phone"), ("adr", "address"),
                           ("url", "url"), ("x-socialprofile", "social"), ("impp", "social")):
            for line in self._all(name):
                value = _address(line.value) if kind == "address" else _text(line.value)
                if kind == "email" and value.lower().startswith("mailto:"):
                    value = value[7:]
                if kind == "phone" and value.lower().startswith("tel:"):
                    value = urllib.parse.unquote(value[4:]).split(";")[0]
                label, preferred = self._label(line)
                if kind == "social" and not label and ":" in value:
                    label = value.split(":", 1)[0].lower()
                self.c.points.append(PointData(kind, value, label, preferred))
        by_kind: dict[str, list[PointData]] = {}
        for point in self.c.points:
            by_kind.setdefault(point.kind, []).append(point)
        for line in self._all("x-relnotebook-label"):
            kind, index = _param(line, "X-KIND"), _param(line, "X-INDEX")
            points = by_kind.get(kind, [])
            if index.isdigit() and int(index) < len(points):
                points[int(index)].label = _text(line.value)
                if _param(line, "X-PREF"):
                    points[int(index)].preferred = _param(line, "X-PREF") == "1"

    def _date(self, text: str, value: Any, *, omit_year: bool = False) -> None:
        raw = _text(value)
        if not raw:
            return
        parsed = parse_date(raw, omit_year=omit_year)
        if parsed is None:
            self.c.details.append(DetailData("date", f"{text}: {raw}"))
        else:
            self.c.details.append(DetailData("date", text, *parsed))

    def _dates(self) -> None:
        for line in self._all("bday"):
            self._date("birthday", line.value, omit_year=bool(_param(line, "X-APPLE-OMIT-YEAR")))
        for name in ("anniversary", "x-anniversary", "x-evolution-anniversary",
                     "x-ms-anniversary"):
            for line in self._all(name):
                self._date("anniversary", line.value)
        for line in self._all("x-abdate"):
            label = self.labels.get((line.group or "").lower()) or "date"
            self._date(label, line.value, omit_year=bool(_param(line, "X-APPLE-OMIT-YEAR")))
        for line in self._all("x-relnotebook-detail"):
            kind = _param(line, "TYPE").lower()
            kind = kind if kind in DETAIL_KINDS else "other"
            day = month = year = None
            when = _param(line, "X-DATE")
            if when and (parsed := parse_date(when)):
                day, month, year = parsed
            self.c.details.append(DetailData(kind, _text(line.value), day, month, year))

    def _related(self) -> None:
        for name in _RELATED:
            for line in self._all(name):
                who = _text(line.value)
                if name == "related" and ":" in who and _param(line, "VALUE") != "text":
                    continue  # a URI (urn:uuid:..., https://...): nobody to name
                label = _RELATED[name] or self._label(line)[0]
                if label == "contact":
                    label = ""
                text = f"{who} ({label})" if label and who else who
                self.c.details.append(DetailData("family", text))

    def _tags(self) -> None:
        for line in self._all("categories"):
            values = line.value if isinstance(line.value, list) else str(line.value).split(",")
            self.c.tags.extend(_text(v) for v in values)

    def _photo(self) -> None:
        for line in self._all("photo"):
            value = line.value
            if isinstance(value, str):
                value = _data_uri(value.replace("\\,", ","))
            if isinstance(value, bytes) and 0 < len(value) <= MAX_PHOTO:
                self.c.photo = value
                return
            if isinstance(value, bytes) and value:
                self.c.warnings.append(problem(self.c.file, self.c.line, "photo_too_large"))


def _param(line: Any, name: str) -> str:
    values = (getattr(line, "params", {}) or {}).get(name, [])
    return str(values[0]).strip().strip('"') if values else ""


def _data_uri(text: str) -> bytes | None:
    m = re.match(r"^data:[^,]*?;base64,(.*)$", text.strip(), re.S | re.I)
    if not m:
        return None
    try:
        return base64.b64decode("".join(m.group(1).split()), validate=False)
    except (binascii.Error, ValueError):
        return None


def _address(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    parts = {k: _text(getattr(value, k, "")) for k in
             ("box", "extended", "street", "city", "region", "code", "country")}
    place = " ".join(p for p in (parts["code"], parts["city"]) if p)
    pieces = [parts["box"], parts["extended"], parts["street"], place, parts["region"],
              parts["country"]]
    return ", ".join(_lines(p) for p in pieces if p)


def _lines(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())
