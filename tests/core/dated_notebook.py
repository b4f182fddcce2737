"""Building a notebook on fixed dates, for the brief and agenda tests.

Rows are written straight through the models (with a chosen creation day and a conversation
at noon local time) so each test states exactly the history a rule looks at.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from relnotebook.core import customers
from relnotebook.core.clock import noon_utc
from relnotebook.core.models import Conversation, Customer

TODAY = date(2026, 3, 10)  # 2026 is not a leap year
CREATED = date(2025, 1, 1)


def day(offset: int) -> date:
    """``offset`` days after TODAY (negative: before)."""
    return TODAY + timedelta(days=offset)


def add_customer(name: str = "Zoë Ångström", created: date = CREATED, **fields: Any) -> int:
    view, _ = customers.create(name, **fields)
    Customer.update(created_at=noon_utc(created)).where(Customer.id == view.id).execute()
    return view.id


def talk(cid: int, on: date, **fields: Any) -> Conversation:
    """A conversation at noon on ``on``; keeps ``last_reached_at`` as the service does."""
    conv = Conversation.create(customer=cid, happened_at=noon_utc(on), **fields)
    last = (Conversation.select().where((Conversation.customer == cid) & Conversation.reached)
            .order_by(Conversation.happened_at.desc()).first())
    Customer.update(last_reached_at=last.happened_at if last else None).where(
        Customer.id == cid).execute()
    return conv
