"""Fixtures shared by the window's tests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from relnotebook.core import clock, conversations, customers
from relnotebook.core.models import FollowUp


@pytest.fixture
def promised(notebook) -> tuple[int, int]:
    """A customer who was promised a quote 3 days ago; (customer id, follow-up id)."""
    today = clock.today()
    cid = customers.create("Priya Raman", company="Tata Motors")[0].id
    conversations.log(cid, f"Kick-off\n[ ] send the quote due {today - timedelta(days=3)}",
                      at=today - timedelta(days=10))
    fid = FollowUp.get(FollowUp.customer == cid).id  # the test's own look-up of the id
    return cid, fid
