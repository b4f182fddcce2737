"""When a customer is due for contact (DESIGN.md §5).

The clock runs from the last *reached* conversation, or from the customer's creation when
there is none; an unanswered attempt does not restart it. Key clients default to the
notebook's ``key_client_cadence_days``; a customer's own cadence always wins. Shared by the
customer list, the brief and today's agenda so the three never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .clock import local_day


def effective_cadence(own_days: int | None, key_client: bool, key_default: int) -> int | None:
    if own_days:
        return own_days
    return key_default if key_client else None


@dataclass(frozen=True)
class CadenceStatus:
    cadence_days: int
    since: date  # the day the clock started: last reached conversation, else creation
    due: date

    def days_until(self, today: date) -> int:
        """Positive: due in N days; 0: due today; negative: overdue by -N days."""
        return (self.due - today).days


def status(
    own_days: int | None,
    key_client: bool,
    key_default: int,
    last_reached_at: datetime | None,
    created_at: datetime,
) -> CadenceStatus | None:
    days = effective_cadence(own_days, key_client, key_default)
    if not days:
        return None
    since = local_day(last_reached_at or created_at)
    return CadenceStatus(days, since, since + timedelta(days=days))
