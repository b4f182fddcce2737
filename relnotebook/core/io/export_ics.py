"""Exporting to iCalendar (RFC 5545): open follow-ups as VTODO, important dates as VEVENT.

- Every open follow-up (not done) of a customer who is not archived becomes a VTODO: the
  summary names the customer and the promise, ``DUE;VALUE=DATE`` carries its due date when it
  has one, ``CATEGORIES`` says who owes it ("I owe" / "They owe").
- Every personal detail with a day and a month (birthdays, anniversaries, dates told in a
  conversation) becomes an all-day VEVENT repeating yearly (``RRULE:FREQ=YEARLY``), starting
  in its year, or in 2000 when the year is not known (a leap year, so 29 February stays).
- UIDs are the rows' uuids (``<uuid>@relnotebook``): importing the file again into a
  calendar updates the entries instead of doubling them.

Written by hand (a few properties, escaped and folded as RFC 5545 says), so exporting needs
no extra package; the tests read the result back with the ``icalendar`` library.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime

from ..clock import utc_now
from ..models import Customer, FollowUp, PersonalDetail
from .export_files import write_file
from .export_vcf import fold_line

_PRODID = "-//Relationship Notebook//relnotebook//EN"


def escape(text: str) -> str:
    text = "".join(ch for ch in text.replace("\r\n", "\n").replace("\r", "\n")
                   if ch in "\n\t" or ord(ch) >= 32 and ord(ch) != 127)
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def _who(name: str, company: str) -> str:
    return f"{name} ({company})" if company and company != name else name


def _stamp(moment: object) -> str:
    return f"{moment:%Y%m%dT%H%M%SZ}" if isinstance(moment, datetime) else "19700101T000000Z"


def _todos(now: str) -> Iterator[list[str]]:
    query = (FollowUp.select(FollowUp, Customer.full_name, Customer.company)
             .join(Customer, on=(FollowUp.customer == Customer.id))
             .where(FollowUp.done_at.is_null() & (Customer.archived == False))  # noqa: E712
             .order_by(FollowUp.due.is_null(), FollowUp.due, FollowUp.id))
    for f in query:
        who = _who(f.customer.full_name, f.customer.company)
        lines = ["BEGIN:VTODO", f"UID:{f.uuid}@relnotebook", f"DTSTAMP:{now}",
                 f"CREATED:{_stamp(f.created_at)}",
                 f"SUMMARY:{escape(f.customer.full_name)}: {escape(f.text)}",
                 f"DESCRIPTION:{escape(who)}",
                 f"CATEGORIES:{'They owe' if f.owner == 'them' else 'I owe'}",
                 "STATUS:NEEDS-ACTION"]
        if f.due is not None and hasattr(f.due, "year"):
            lines.append(f"DUE;VALUE=DATE:{f.due:%Y%m%d}")
        yield lines + ["END:VTODO"]


def _events(now: str) -> Iterator[list[str]]:
    query = (PersonalDetail.select(PersonalDetail, Customer.full_name, Customer.company)
             .join(Customer, on=(PersonalDetail.customer == Customer.id))
             .where(PersonalDetail.month.is_null(False) & PersonalDetail.day.is_null(False)
                    & (Customer.archived == False))  # noqa: E712
             .order_by(PersonalDetail.month, PersonalDetail.day, PersonalDetail.id))
    for d in query:
        try:
            start = datetime(d.year or 2000, d.month, d.day)
        except (TypeError, ValueError):
            continue
        text = d.text[:1].upper() + d.text[1:]
        yield ["BEGIN:VEVENT", f"UID:{d.uuid}@relnotebook", f"DTSTAMP:{now}",
               f"DTSTART;VALUE=DATE:{start:%Y%m%d}", "RRULE:FREQ=YEARLY",
               f"SUMMARY:{escape(text)}: {escape(d.customer.full_name)}",
               f"DESCRIPTION:{escape(_who(d.customer.full_name, d.customer.company))}",
               "TRANSP:TRANSPARENT", "END:VEVENT"]


def export(path: str | os.PathLike[str]) -> int:
    """Write the calendar; returns the number of entries (to-dos plus events)."""
    now = _stamp(utc_now())
    count = [0]

    def chunks() -> Iterator[str]:
        yield from (fold_line(line) for line in ("BEGIN:VCALENDAR", "VERSION:2.0",
                                                 f"PRODID:{_PRODID}", "CALSCALE:GREGORIAN",
                                                 "X-WR-CALNAME:Relationship Notebook"))
        for block in (*_todos(now), *_events(now)):
            count[0] += 1
            yield "".join(fold_line(line) for line in block)
        yield fold_line("END:VCALENDAR")

    write_file(path, chunks())
    return count[0]
