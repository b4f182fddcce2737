"""Exporting customers as CSV: Google Contacts' current headers, plus this app's own columns.

One row per customer. Headers follow Google's export (``Name``, ``Organization Name``,
``E-mail 1 - Label``/``E-mail 1 - Value``...; ``* `` marks the preferred one), so Google,
most address books and this app's importer read it back; ``Key Client``, ``Cadence Days``,
``Last Talked`` and ``UUID`` follow. UTF-8 with a byte-order mark (so Excel reads accents),
CRLF line ends, every field quoted where needed. Dates other than the birthday, and
details, stay in the JSON export: CSV is for spreadsheets.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator
from typing import Any

from ..clock import local_day
from .export_files import write_file
from .export_vcf import Card, cards

_HEAD = ("Name", "Given Name", "Family Name", "Name Prefix", "Nickname", "Organization Name",
         "Organization Department", "Organization Title", "Birthday", "Notes", "Labels")
_GROUPS = (("email", "E-mail", "Value"), ("phone", "Phone", "Value"),
           ("address", "Address", "Formatted"), ("url", "Website", "Value"))
_TAIL = ("Key Client", "Cadence Days", "Last Talked", "UUID")


def _birthday(card: Card) -> str:
    for d in card.details:
        if d.kind == "date" and d.text == "birthday" and d.month and d.day:
            return (f"{d.year:04d}-{d.month:02d}-{d.day:02d}" if d.year
                    else f"--{d.month:02d}-{d.day:02d}")
    return ""


def _row(card: Card, widths: dict[str, int]) -> list[Any]:
    c = card.customer
    row: list[Any] = [c.full_name, c.given_name, c.family_name, c.prefix, c.nickname, c.company,
                      c.department, c.title, _birthday(card), c.about, " ::: ".join(card.tags)]
    for kind, _, _ in _GROUPS:
        points = [p for p in card.points if p.kind == kind]
        for i in range(widths[kind]):
            if i < len(points):
                p = points[i]
                row += [("* " if p.preferred else "") + p.label, p.value]
            else:
                row += ["", ""]
    last = c.last_reached_at
    row += ["yes" if c.key_client else "", c.cadence_days or "",
            local_day(last).isoformat() if hasattr(last, "year") else "", c.uuid]
    return row


def export(path: str | os.PathLike[str], customer_ids: Iterable[int] | None = None) -> int:
    """Write every customer (or those given) to one CSV file; returns how many."""
    all_cards = list(cards(customer_ids))
    widths = {kind: max((sum(1 for p in card.points if p.kind == kind) for card in all_cards),
                        default=0) for kind, _, _ in _GROUPS}
    header = list(_HEAD)
    for kind, word, value in _GROUPS:
        for i in range(1, widths[kind] + 1):
            header += [f"{word} {i} - Label", f"{word} {i} - {value}"]
    header += _TAIL

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for row in [header] + [_row(card, widths) for card in all_cards]:
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    write_file(path, lines(), bom=True)
    return len(all_cards)
