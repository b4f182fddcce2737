"""Guards for the window's speed at 100,000 customers (issue 9): list models load with a
constant number of queries (never one per row), and painting rows runs no query at all."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playhouse.test_utils import count_queries
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack

from relnotebook.core import conversations, customers, db
from relnotebook.ui.brief_panel import BriefPanel
from relnotebook.ui.bus import EventBus
from relnotebook.ui.customer_model import CustomerListModel
from relnotebook.ui.timeline import FIRST_PAGE, TimelineModel

DAY = date(2026, 3, 2)
NOTE = "Call about #pricing\n[ ] send the quote by Friday\n? ask about volumes"
ROLES = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
         Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.AccessibleTextRole,
         *range(Qt.ItemDataRole.UserRole + 1, Qt.ItemDataRole.UserRole + 8)]


@pytest.fixture
def fast(notebook):
    db.database.pragma("synchronous", "off")  # counts queries, not durability
    return notebook


def _queries(action) -> int:
    with count_queries() as counter:
        action()
    return counter.count


def _every_cell(model) -> None:
    from PySide6.QtCore import QAbstractListModel

    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
    for row in range(model.rowCount()):
        for column in range(columns):
            index = model.index(row, column)
            for role in ROLES:
                model.data(index, role)


def test_customer_list_loads_1_or_50_customers_with_the_same_queries(qtbot, fast):
    model = CustomerListModel()
    first = customers.create("Customer 0", company="Acme")[0].id
    conversations.log(first, NOTE, at=DAY)
    one = _queries(model.reload)
    for n in range(1, 50):
        cid = customers.create(f"Customer {n}", company=f"Company {n}")[0].id
        conversations.log(cid, NOTE, at=DAY - timedelta(days=n))
    fifty = _queries(model.reload)
    assert model.rowCount() == 50
    assert fifty == one
    assert _queries(lambda: model.set_query("custom")) == one
    assert _queries(lambda: _every_cell(model)) == 0


def _customer_with(n: int) -> int:
    cid = customers.create(f"Has {n}")[0].id
    for i in range(n):
        conversations.log(cid, NOTE, at=DAY - timedelta(days=i))
    return cid


def test_timeline_loads_1_or_50_conversations_with_the_same_queries(qtbot, fast):
    few, many = _customer_with(1), _customer_with(50)
    model = TimelineModel()
    counts = [_queries(lambda c=c: model.set_customer(c)) for c in (few, many)]
    assert model.rowCount() == FIRST_PAGE
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 50
    assert counts[0] == counts[1]
    assert _queries(lambda: _every_cell(model)) == 0


def test_brief_panel_shows_1_or_50_conversations_with_the_same_queries(qtbot, fast):
    few, many = _customer_with(1), _customer_with(50)
    panel = BriefPanel(EventBus(), QUndoStack())
    qtbot.addWidget(panel)
    counts = [_queries(lambda c=c: panel.set_customer(c)) for c in (few, many)]
    assert panel.brief is not None
    assert counts[0] == counts[1]
