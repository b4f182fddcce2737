"""The customer list: folded filtering, sorting by clicking headers, keyboard, the model."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from typing_helpers import type_text

from relnotebook.core import conversations, customers
from relnotebook.core.clock import today
from relnotebook.ui.bus import EventBus
from relnotebook.ui.customer_list import CustomerListPanel
from relnotebook.ui.customer_model import Column, Role


@pytest.fixture
def people(notebook):
    """Five customers; cadences make their due dates differ."""
    made = {}
    for name, company, key, cadence, days_ago in (
        ("Jürgen Müller", "Müller Maschinenbau", False, 30, 40),  # overdue by 10
        ("Zofia Nowak", "Łódź Textiles", True, None, 20),  # key client: 90 days -> due in 70
        ("Zoë Ångström", "Nordic Light AB", False, 60, 5),  # due in 55
        ("Anna Smith", "", False, None, None),  # no cadence, never talked
        ("Bob Jones", "Acme", False, 14, 10),  # due in 4
    ):
        view, _ = customers.create(name, company=company, key_client=key, cadence_days=cadence)
        if days_ago is not None:
            conversations.log(view.id, "Catch-up call", at=today() - timedelta(days=days_ago))
        made[name] = view.id
    return made


@pytest.fixture
def panel(qtbot, people):
    widget = CustomerListPanel(EventBus())
    qtbot.addWidget(widget)
    widget.resize(600, 500)
    widget.show()
    return widget


def names(panel: CustomerListPanel) -> list[str]:
    model = panel.model
    return [model.index(r, Column.NAME).data().rstrip(" ★") for r in range(model.rowCount())]


@pytest.mark.parametrize(("typed", "expected"), [
    ("muller", ["Jürgen Müller"]),
    ("lodz", ["Zofia Nowak"]),  # the company "Łódź Textiles"
    ("angst", ["Zoë Ångström"]),
    ("ZOE", ["Zoë Ångström"]),
])
def test_typing_a_folded_name_filters_the_list(qtbot, panel, typed, expected):
    search = panel.findChild(type(panel.search), "customerSearch")
    assert search is panel.search
    with qtbot.waitSignal(panel.model.modelReset):
        type_text(search, typed)
    assert names(panel) == expected


def test_enter_in_the_filter_opens_the_first_match(qtbot, panel, people):
    type_text(panel.search, "muller")
    with qtbot.waitSignal(panel.customer_chosen) as opened:
        type_text(panel.search, "\n")
    assert opened.args == [people["Jürgen Müller"]]


def test_arrow_keys_move_and_enter_opens(qtbot, panel, people):
    panel.search.setFocus()
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)  # into the list, first row
    assert panel.table.hasFocus()
    assert panel.current_customer() == people["Anna Smith"]
    with qtbot.waitSignal(panel.customer_chosen) as moved:
        qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert moved.args == [people["Bob Jones"]]
    with qtbot.waitSignal(panel.customer_chosen) as opened:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert opened.args == [people["Bob Jones"]]


def click_header(qtbot, panel: CustomerListPanel, column: int) -> None:
    header = panel.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))


def test_sort_by_due_by_clicking_the_header(qtbot, panel):
    with qtbot.waitSignal(panel.model.modelReset):
        click_header(qtbot, panel, Column.DUE)
    assert names(panel) == ["Jürgen Müller", "Bob Jones", "Zoë Ångström", "Zofia Nowak",
                            "Anna Smith"]
    dues = [panel.model.index(r, 0).data(Role.DUE) for r in range(4)]
    assert dues == sorted(dues)
    with qtbot.waitSignal(panel.model.modelReset):
        click_header(qtbot, panel, Column.DUE)  # again: descending
    assert names(panel)[-1] == "Jürgen Müller"


def test_sort_by_last_contact_and_name(qtbot, panel):
    panel.table.sortByColumn(Column.LAST_CONTACT, Qt.SortOrder.AscendingOrder)
    assert names(panel) == ["Anna Smith", "Jürgen Müller", "Zofia Nowak", "Bob Jones",
                            "Zoë Ångström"]
    panel.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
    assert names(panel)[0] == "Anna Smith"


def test_overdue_and_key_client_markers(panel, people):
    model = panel.model
    row = model.row_of(people["Jürgen Müller"])
    due = model.index(row, Column.DUE)
    assert due.data(Role.OVERDUE) is True
    assert "⚠" in due.data()
    assert due.data(Qt.ItemDataRole.ForegroundRole) == model.overdue_colour
    key = model.index(model.row_of(people["Zofia Nowak"]), Column.NAME)
    assert key.data(Role.KEY_CLIENT) is True
    assert key.data().endswith("★")
    assert model.index(model.row_of(people["Bob Jones"]), Column.DUE).data(Role.OVERDUE) is False


def test_list_refreshes_from_the_bus(qtbot, panel):
    bus = panel.bus
    _, changes = customers.create("Łucja Łódź")
    with qtbot.waitSignal(panel.model.modelReset):
        bus.publish(changes)
    assert "Łucja Łódź" in names(panel)


def test_model_passes_the_model_tester(qtmodeltester, panel):
    qtmodeltester.check(panel.model)
    panel.model.set_query("o")
    qtmodeltester.check(panel.model)


def test_last_contact_column_counts_days(panel, people):
    model = panel.model
    row = model.row_of(people["Bob Jones"])
    assert model.index(row, Column.LAST_CONTACT).data(Role.LAST_TALKED) == \
        today() - timedelta(days=10)
    assert model.index(model.row_of(people["Anna Smith"]), Column.LAST_CONTACT).data() == "never"
    assert isinstance(model.index(row, Column.DUE).data(Role.DUE), date)


def test_a_customer_beyond_the_first_page_is_highlighted_when_opened(qtbot, notebook):
    """Opening someone from Today or the palette highlights them even deep in a long list."""
    from relnotebook.ui.bus import EventBus
    from relnotebook.ui.customer_list import CustomerListPanel
    from relnotebook.ui.customer_model import PAGE

    ids = [customers.create(f"Person {n:04d}")[0].id for n in range(PAGE * 2 + 10)]
    panel = CustomerListPanel(EventBus())
    qtbot.addWidget(panel)
    assert panel.model.rowCount() <= PAGE
    assert panel.select(ids[-1])
    current = panel.table.currentIndex()
    assert panel.model.customer_id(current.row()) == ids[-1]


def test_a_filter_keystroke_reads_one_page_whoever_is_open(qtbot, notebook):
    """Typing in the filter never reads on through the list to keep the open customer
    highlighted (at 100,000 customers that took a second per keystroke); the open
    customer stays highlighted when the first page lists them."""
    from playhouse.test_utils import count_queries

    from relnotebook.ui.bus import EventBus
    from relnotebook.ui.customer_list import CustomerListPanel
    from relnotebook.ui.customer_model import PAGE

    ids = [customers.create(f"Person {n:04d}")[0].id for n in range(PAGE * 3)]
    panel = CustomerListPanel(EventBus())
    qtbot.addWidget(panel)
    panel.resize(600, 400)
    panel.show()
    assert panel.select(ids[-1])  # deep in the list: read on to highlight them
    with count_queries() as counter:
        type_text(panel.search, "p")
    assert counter.count <= 3  # the first page (and a setting), not the pages down to them
    assert panel.current_customer() is None
    panel.search.clear()
    assert panel.select(ids[3])
    type_text(panel.search, "0003")
    assert panel.current_customer() == ids[3]


def test_reading_on_to_a_customer_reads_growing_pages(qtbot, notebook):
    """Highlighting someone deep in the list reads pages that double in size, so the
    number of reads grows with the logarithm of the distance, not with the distance."""
    from playhouse.test_utils import count_queries

    from relnotebook.ui.bus import EventBus
    from relnotebook.ui.customer_list import CustomerListPanel
    from relnotebook.ui.customer_model import PAGE

    ids = [customers.create(f"Person {n:04d}")[0].id for n in range(PAGE * 7 + 5)]
    panel = CustomerListPanel(EventBus())
    qtbot.addWidget(panel)
    with count_queries() as counter:
        assert panel.select(ids[-1])
    assert counter.count <= 8  # 250 + 500 + 1000 + 2000 rows (fixed pages: 8 reads)
    assert panel.model.customer_id(panel.table.currentIndex().row()) == ids[-1]


def test_selecting_again_after_clearing_highlights_the_row(qtbot, panel, people):
    """No customer shown clears the highlight; showing the same customer again brings it
    back (the fast path for an already-current row must not skip it)."""
    bob = people["Bob Jones"]
    assert panel.select(bob)
    assert panel.table.selectionModel().isRowSelected(panel.model.row_of(bob))
    panel.select(None)
    assert not panel.table.selectionModel().hasSelection()
    assert panel.select(bob)
    assert panel.table.selectionModel().isRowSelected(panel.model.row_of(bob))
    assert panel.current_customer() == bob
