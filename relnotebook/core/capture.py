"""Quick capture: meeting notes as typed -> the records they mention (DESIGN §4).

A pure function, so the editor can re-run it on every keystroke for the live preview and the
service can re-run it whenever a logged note is edited. It never raises on any ``str``: notes
are typed fast, pasted from anywhere and must never be lost to a parser error. Problems come
back as warnings with a code and parameters; the window and the CLI word them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from relnotebook.core.dates import parse_day_month, parse_due_phrase


class ItemKind(StrEnum):
    """What a captured line becomes; the values are the words the CLI prints."""

    TOPIC = "topic"
    I_OWE = "i-owe"
    THEY_OWE = "they-owe"
    CLOSE = "closed"
    QUESTION = "question"
    DETAIL = "detail"
    FACT = "fact"
    STYLE = "style"
    UNSAID = "unsaid"
    SEND = "send"


@dataclass(frozen=True, slots=True)
class CapturedItem:
    """One record a note mentions, with the line it came from (for the preview's highlight)."""

    kind: ItemKind
    text: str
    line: int
    due: dt.date | None = None
    subkind: str | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class CaptureWarning:
    """Something the writer probably meant differently; a code plus parameters, never words."""

    line: int
    code: str
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str, default: str = "") -> str:
        """The value of one parameter, so callers need not unpack the pairs."""
        for key, value in self.params:
            if key == name:
                return value
        return default


@dataclass(frozen=True, slots=True)
class CaptureResult:
    """Everything one note produced: its summary line, its items and its warnings."""

    summary: str
    items: tuple[CapturedItem, ...]
    warnings: tuple[CaptureWarning, ...]

    def of_kind(self, *kinds: ItemKind) -> tuple[CapturedItem, ...]:
        """The items of the given kinds, still in line order."""
        return tuple(item for item in self.items if item.kind in kinds)


_DETAIL_MARKERS = {
    "family": "family", "pet": "pet", "hobby": "hobby", "interest": "interest",
    "food": "food", "date": "date", "life": "life", "detail": "other",
}
_FACT_MARKERS = {
    "hot": "hot_button", "timeline": "timeline", "need": "need",
    "expects": "expectation", "agenda": "agenda",
}
_SIMPLE_MARKERS = {"style": ItemKind.STYLE, "unsaid": ItemKind.UNSAID, "send": ItemKind.SEND}
_BOXES = {"": ItemKind.I_OWE, "them": ItemKind.THEY_OWE, "x": ItemKind.CLOSE}

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Indentation, then an optional "- ", "* " or "1. " list bullet (a BOM may open a pasted file).
_PREFIX = re.compile(r"[\s\ufeff]*(?:(?:[-*]|[0-9]{1,3}\.)(?:\s+|$))?")
_MARKER = re.compile(
    r"(?P<box>\[\s*(?P<inner>x|them|)\s*\])"
    r"|(?P<question>\?)(?=\s|$)"
    r"|(?P<plus>\+(?P<word>[^\W\d_][\w-]*):)",
    re.IGNORECASE,
)
_DUE_WORD = re.compile(r"(?<=\s)(?P<word>by|due)\s+(?=\S)", re.IGNORECASE)
# The scheme is bounded so that a long hyphenated word cannot make the scan quadratic.
_URL = re.compile(r"[a-z][a-z0-9+.-]{0,30}://\S+", re.IGNORECASE)
_HTTP_URL = re.compile(r"\bhttps?://\S+", re.IGNORECASE)
_URL_TAIL = ".,;:!?'\">"
_TOPIC_BODY = re.compile(r"[\w-]*")
_TOPIC_SEPARATORS = frozenset(",;")
# No due phrase that parses is longer; stops a huge line of "by by by" going quadratic.
_MAX_DUE_PHRASE = 64


def parse(text: str, on: dt.date) -> CaptureResult:
    """Read a note typed on ``on`` (the conversation's date, which due phrases count from).

    Lines break at ``\r\n``, ``\r`` or ``\n`` only, numbered from 1, as an editor shows
    them. Items come in line order (a marker line's own item before the topics it names).
    """
    items: list[CapturedItem] = []
    warnings: list[CaptureWarning] = []
    seen_topics: set[str] = set()
    summary = ""
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        topics = _topics_in(line)
        is_marker = _read_marker(line, number, on, items, warnings)
        for _start, _end, name in topics:
            key = unicodedata.normalize("NFC", name).casefold()
            if key not in seen_topics:
                seen_topics.add(key)
                items.append(CapturedItem(ItemKind.TOPIC, name, number))
        if not summary and not is_marker:
            summary = _summary_candidate(line, topics)
    return CaptureResult(summary, tuple(items), tuple(warnings))


def _read_marker(
    line: str, number: int, on: dt.date, items: list[CapturedItem], warnings: list[CaptureWarning]
) -> bool:
    """Append the line's marker item (or warning); True when the line is a marker line.

    An unknown ``+word:`` is not a marker line: it stays plain text, so it may be the summary.
    """
    match = _MARKER.match(line, _prefix_end(line))
    if match is None:
        return False
    marker = match.group(0)
    body = line[match.end():].strip()
    kind: ItemKind
    subkind: str | None = None
    if match["box"] is not None:
        kind = _BOXES[match["inner"].lower()]
    elif match["question"] is not None:
        kind = ItemKind.QUESTION
    else:
        word = match["word"].lower()
        if word in _DETAIL_MARKERS:
            kind, subkind = ItemKind.DETAIL, _DETAIL_MARKERS[word]
        elif word in _FACT_MARKERS:
            kind, subkind = ItemKind.FACT, _FACT_MARKERS[word]
        elif word in _SIMPLE_MARKERS:
            kind = _SIMPLE_MARKERS[word]
        else:
            warnings.append(CaptureWarning(number, "unknown_marker", (("marker", marker),)))
            return False
    if not body:
        warnings.append(CaptureWarning(number, "empty_marker", (("marker", marker),)))
        return True
    items.append(_item(kind, subkind, body, number, on, warnings))
    return True


def _item(
    kind: ItemKind,
    subkind: str | None,
    body: str,
    number: int,
    on: dt.date,
    warnings: list[CaptureWarning],
) -> CapturedItem:
    """Build the item for one marker line, pulling out what its kind carries."""
    if kind in (ItemKind.I_OWE, ItemKind.THEY_OWE):
        text, due, unparsed = _split_due(body, on)
        if unparsed is not None:
            warnings.append(CaptureWarning(number, "unparsed_due", (("phrase", unparsed),)))
        return CapturedItem(kind, text, number, due=due)
    if kind is ItemKind.DETAIL:
        found = parse_day_month(body)
        if found is None:
            return CapturedItem(kind, body, number, subkind=subkind)
        day, month, year = found
        return CapturedItem(kind, body, number, subkind=subkind, day=day, month=month, year=year)
    if kind is ItemKind.SEND:
        text, url = _split_url(body)
        return CapturedItem(kind, text, number, url=url)
    return CapturedItem(kind, body, number, subkind=subkind)


def _split_due(body: str, on: dt.date) -> tuple[str, dt.date | None, str | None]:
    """(text without the due phrase, due date, phrase to warn about) for a follow-up.

    Tries "by"/"due" from the right, so "call by phone by Friday" keeps "by phone"; only a
    phrase that parses is removed, so "send it by email" stays as typed.
    """
    candidates = list(_DUE_WORD.finditer(body))
    for match in reversed(candidates):
        phrase = body[match.end():]
        if len(phrase) > _MAX_DUE_PHRASE:
            break
        due = parse_due_phrase(phrase, on)
        if due is None:
            continue
        text = body[: match.start()].rstrip().rstrip(",;").rstrip()
        if text:
            return text, due, None
    dues = [match for match in candidates if match["word"].lower() == "due"]
    unparsed = body[dues[-1].end():].strip() if dues else None
    return body, None, unparsed


def _split_url(body: str) -> tuple[str, str | None]:
    """(the rest of the text, the first http(s) URL) for a thoughtful thing to send."""
    match = _HTTP_URL.search(body)
    if match is None:
        return body, None
    url = match.group(0).rstrip(_URL_TAIL)
    if url.endswith(")") and "(" not in url:
        url = url[:-1]
    end = match.start() + len(url)
    before, after = body[: match.start()].rstrip(), body[end:].lstrip()
    return f"{before} {after}".strip(), url


def _prefix_end(line: str) -> int:
    """Where a line's content starts, after indentation and a list bullet."""
    match = _PREFIX.match(line)
    return match.end() if match else 0


def _topics_in(line: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each ``#topic`` in a line, in order.

    Letters and combining marks of any script count (``\\w`` alone would cut "Zürich" typed
    with a combining umlaut, or any Devanagari word). ``C#``, ``#2``, ``x/#frag`` and
    anything inside a URL stay text.
    """
    found: list[tuple[int, int, str]] = []
    if "#" not in line:
        return found
    urls = [match.span() for match in _URL.finditer(line)]
    url_index = 0
    position = line.find("#")
    while position != -1:
        while url_index < len(urls) and urls[url_index][1] <= position:
            url_index += 1
        in_url = url_index < len(urls) and urls[url_index][0] <= position
        end = _topic_end(line, position + 1)
        name = line[position + 1 : end].rstrip("-_")
        if (
            name
            and not in_url
            and not _blocks_topic(line[position - 1] if position else "")
            and any(unicodedata.category(char).startswith("L") for char in name)
        ):
            found.append((position, end, name))
        position = line.find("#", position + 1)
    return found


def _topic_end(line: str, index: int) -> int:
    """Where a topic name starting at ``index`` ends: word chars, ``-`` and combining marks."""
    while True:
        body = _TOPIC_BODY.match(line, index)
        index = body.end() if body else index
        if index < len(line) and unicodedata.category(line[index]).startswith("M"):
            index += 1
            continue
        return index


def _blocks_topic(char: str) -> bool:
    """A ``#`` right after a letter, digit, mark or ``/`` is not a topic (C#, 2#, /#frag)."""
    return char == "/" or (bool(char) and unicodedata.category(char)[0] in "LMN")


def _summary_candidate(line: str, topics: list[tuple[int, int, str]]) -> str:
    """The line as a summary, or "" when it is blank or holds nothing but topics.

    Kept as typed except for surrounding whitespace and a leading list bullet.
    """
    after_bullet = line[_prefix_end(line) :]
    content = after_bullet.strip()
    if not content or not topics:
        return content
    offset = len(line) - len(after_bullet.lstrip())
    rest = list(content)
    for start, end, _name in topics:
        for index in range(max(start - offset, 0), min(end - offset, len(rest))):
            rest[index] = " "
    if all(char.isspace() or char in _TOPIC_SEPARATORS for char in rest):
        return ""
    return content
