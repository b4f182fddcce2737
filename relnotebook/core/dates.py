"""Dates that people type into notes: due phrases and day/month mentions.

Everything here is relative to a date passed in (the conversation's date), never to "now":
a note logged a week late must still mean what it meant when it was typed (DESIGN §3, §4).
The functions are pure and never raise on any ``str``; what they cannot read confidently
they answer with ``None`` rather than guess (a numeric ``3/4`` could be March or April).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0,
    "tuesday": 1, "tue": 1, "tues": 1,
    "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}

_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1,
    "february": 2, "feb": 2,
    "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "may": 5,
    "june": 6, "jun": 6,
    "july": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}

# Longest names first, so "march" is tried before "mar" and the regex never stops short.
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
# ASCII digits only: a day written in another script's digits is not something we can vouch for.
_DAY = r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>[0-9]{4})(?![0-9]))?"
_DAY_MONTH = re.compile(
    rf"(?<![0-9])\b{_DAY}\.?\s+(?P<month>{_MONTH_ALT})\b\.?{_YEAR}", re.IGNORECASE
)
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH_ALT})\b\.?\s+{_DAY}(?!\w){_YEAR}", re.IGNORECASE
)
_ISO = re.compile(r"(?<![0-9])(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})(?![0-9])")
_IN_N = re.compile(r"in (?P<n>[0-9]{1,7}|an?) (?P<unit>day|week|month)s?")
_END_OF = re.compile(r"end of (?:the )?(?P<next>next )?month")
_TRAILING = ".,;!"
# A leap year, so that "29 February" without a year is accepted as a real day.
_LEAP_YEAR = 2000


def parse_due_phrase(phrase: str, on: dt.date) -> dt.date | None:
    """The date a due phrase means, counted from ``on``; ``None`` when it is not a due phrase.

    Callers try a phrase and keep it as plain text when this returns ``None`` ("send it by
    email"), so anything unexpected, including dates out of range, answers ``None``.
    """
    text = " ".join(phrase.strip().rstrip(_TRAILING).split()).lower()
    if not text:
        return None
    try:
        return _due(text, on)
    except (OverflowError, ValueError):
        return None


def _due(text: str, on: dt.date) -> dt.date | None:
    """Dispatch on the phrase's form; raises Overflow/ValueError for out-of-range dates."""
    if text == "today":
        return on
    if text == "tomorrow":
        return on + dt.timedelta(days=1)
    if text in _WEEKDAYS:
        return _next_weekday(on, _WEEKDAYS[text])
    if text == "next week":
        return _next_weekday(on, 0)
    if match := _END_OF.fullmatch(text):
        year, month = _shift_month(on.year, on.month, 1 if match["next"] else 0)
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    if match := _IN_N.fullmatch(text):
        count = 1 if match["n"] in ("a", "an") else int(match["n"])
        unit = match["unit"]
        if unit == "day":
            return on + dt.timedelta(days=count)
        if unit == "week":
            return on + dt.timedelta(weeks=count)
        return add_months(on, count)
    if match := _ISO.fullmatch(text):
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        if match := pattern.fullmatch(text):
            day, month, year = int(match["day"]), _MONTHS[match["month"].lower()], match["year"]
            if year is not None:
                return dt.date(int(year), month, day)
            return next_occurrence(day, month, on)
    return None


def _next_weekday(on: dt.date, weekday: int) -> dt.date:
    """The next ``weekday`` strictly after ``on``: "by Friday" said on a Friday means next week."""
    return on + dt.timedelta(days=(weekday - on.weekday() - 1) % 7 + 1)


def _shift_month(year: int, month: int, count: int) -> tuple[int, int]:
    """(year, month) ``count`` months later; the year may fall outside ``date``'s range."""
    total = month - 1 + count
    return year + total // 12, total % 12 + 1


def add_months(on: dt.date, count: int) -> dt.date:
    """``on`` plus ``count`` months, clamped to the month's last day (Jan 31 + 1 → Feb 28/29).

    Clamping rather than spilling over matches what people mean by "in a month".
    Raises ``ValueError`` past year 9999.
    """
    year, month = _shift_month(on.year, on.month, count)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise ValueError("year out of range")
    return dt.date(year, month, min(on.day, calendar.monthrange(year, month)[1]))


def next_occurrence(day: int, month: int, on: dt.date) -> dt.date | None:
    """The first ``day``/``month`` on or after ``on``; ``None`` if there is none before 9999.

    29 February looks up to eight years ahead (2096 → 2104 skips a century year).
    """
    for year in range(on.year, on.year + 9):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate >= on:
            return candidate
    return None


def parse_day_month(text: str) -> tuple[int, int, int | None] | None:
    """The first valid (day, month, year-or-None) mentioned anywhere in ``text``.

    Birthdays are usually told without a year, so a year is optional; "29 February" without
    one is valid (somebody was born on it). An impossible day ("31 April") is skipped.
    """
    found = [
        (match.start(), kind, match)
        for kind, pattern in (("iso", _ISO), ("dm", _DAY_MONTH), ("md", _MONTH_DAY))
        for match in pattern.finditer(text)
    ]
    found.sort(key=lambda entry: entry[0])
    for _start, kind, match in found:
        day = int(match["day"])
        month = int(match["month"]) if kind == "iso" else _MONTHS[match["month"].lower()]
        year = int(match["year"]) if match["year"] is not None else None
        if _valid(day, month, year):
            return day, month, year
    return None


def _valid(day: int, month: int, year: int | None) -> bool:
    """Whether the day exists (in any leap year when the year is unknown)."""
    if not 1 <= month <= 12:
        return False
    if year is None:
        return 1 <= day <= calendar.monthrange(_LEAP_YEAR, month)[1]
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True
