"""``clock.local_day`` remembers days per moment; a changed time zone must not be answered
from the old zone's days (a laptop that travels, a ``TZ`` set by a test)."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest

from relnotebook.core import clock


@pytest.fixture
def zone(monkeypatch):
    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def test_local_day_follows_the_time_zone(zone):
    late_utc = datetime(2026, 3, 10, 23, 30)  # 23:30 UTC
    zone("UTC")
    assert clock.local_day(late_utc) == date(2026, 3, 10)
    zone("Asia/Tokyo")  # UTC+9: already the 11th
    assert clock.local_day(late_utc) == date(2026, 3, 11)
    zone("America/New_York")  # UTC-4 in March after DST: still the 10th
    assert clock.local_day(late_utc) == date(2026, 3, 10)
