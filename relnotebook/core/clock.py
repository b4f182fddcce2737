"""Moments and days.

Moments are stored as naive UTC datetimes; "N days ago" and due dates count calendar days
in local time. A date given without a time means 12:00 local that day, so that a note dated
"2026-11-02" stays on the 2nd in every time zone a laptop travels through.
"""

from __future__ import annotations

import time as _time
from datetime import UTC, date, datetime, time
from functools import lru_cache


def utc_now() -> datetime:
    """Now, as the naive UTC value the database stores."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def to_utc(moment: datetime) -> datetime:
    """A local (naive) or aware moment as naive UTC."""
    if moment.tzinfo is None:
        moment = moment.astimezone()  # naive means local time
    return moment.astimezone(UTC).replace(tzinfo=None)


def to_local(moment_utc: datetime) -> datetime:
    """A stored naive-UTC moment as a naive local datetime."""
    return moment_utc.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def local_day(moment_utc: datetime) -> date:
    """The local calendar day of a stored moment.

    Remembered per moment and time zone: a brief or a timeline page asks for the days of
    the same few hundred moments on every customer opened, at ~4 µs of time zone
    arithmetic each. The zone's names are in the key, so a changed ``TZ`` (``tzset``) is
    never answered from the old zone's days.
    """
    return _local_day(moment_utc, _time.tzname)


@lru_cache(maxsize=16_384)
def _local_day(moment_utc: datetime, _zone: tuple[str, str]) -> date:
    return to_local(moment_utc).date()


def noon_utc(day: date) -> datetime:
    """12:00 local on ``day``, as naive UTC: what a date without a time means."""
    return to_utc(datetime.combine(day, time(12, 0)))


def end_of_day_utc(day: date) -> datetime:
    """The last moment of a local day, as naive UTC: records "as of" a day include all of it."""
    return to_utc(datetime.combine(day, time(23, 59, 59)))


def today() -> date:
    return datetime.now().date()
