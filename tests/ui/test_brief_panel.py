"""The brief panel: every section of DESIGN.md §5 from a note with every capture marker,
overdue items highlighted, ticking off in place (undoable), Copy brief."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QGuiApplication, QUndoStack
from PySide6.QtWidgets import QTextBrowser

from relnotebook.core import conversations, customers, records
from relnotebook.core.changes import Changes, Kind
from relnotebook.core.clock import today
from relnotebook.ui.brief_panel import BriefPanel, CustomerHeader, colours
from relnotebook.ui.bus import EventBus

EARLIER = "Intro call about samples\n[ ] call back about the samples\n"
EVERY_MARKER = """Kraków fair follow-up, went well #trade-fair #budżet
- [ ] send the revised quote due in 2 weeks
* [them] send the purchase order by end of next month
1. [x] call back
? which budget line pays for it
+family: daughter Zoë gets married in June
+pet: a dog called Łatka
+hobby: sails on the Vistula
+interest: Chopin
+food: vegetarian
+date: birthday 14 March
+life: moved to Gdańsk last year
+detail: prefers tea
+hot: delivery within 48 hours
+timeline: decides in Q3
+need: fewer stock-outs
+expects: one invoice a month
+agenda: wants to consolidate suppliers
+style: short and to the point
+unsaid: hesitated when I mentioned the price
+send: the Chopin biography https://example.com/chopin
"""


@pytest.fixture
def maria(notebook):
    view, _ = customers.create("Maria Wiśniewska", company="Wisła Foods", title="Buyer",
                               key_client=True)
    customers.update(view.id, met_where="the Poznań trade fair", introduced_by="Jan")
    records.update_style(view.id, formality="formal", pace="all-business",
                         preferred_channel="video", planned_minutes=20, small_talk=False)
    conversations.log(view.id, EARLIER, at=today() - timedelta(days=40))
    conversations.log(view.id, EVERY_MARKER, at=today() - timedelta(days=20), channel="meeting",
                      minutes=35, talk="them", milestone=True)
    records.add_purchase(view.id, today() - timedelta(days=60), Decimal("12500"), "EUR",
                         "two cooling units")
    return view.id


@pytest.fixture
def panel(qtbot, maria):
    widget = BriefPanel(EventBus(), QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(900, 1400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_customer(maria)
    return widget


def section(panel: BriefPanel, title: str) -> str:
    """The text from the heading ``title`` to the next heading."""
    text = panel.toPlainText()
    headings = ["How they like to talk", "Pick up where you left off", "Last topics",
                "Personal", "Their agenda", "Unsaid", "Thoughtful things", "Purchases",
                "Our story"]
    start = text.index(title)
    ends = [text.find(h, start + len(title)) for h in headings]
    ends = [e for e in ends if e > start]
    return text[start:min(ends) if ends else len(text)]


@pytest.mark.parametrize("columns", [1, 2])
def test_every_section_shows_what_the_note_captured(qtbot, panel, columns):
    panel.resize(500 if columns == 1 else 1400, 1600)
    qtbot.waitUntil(lambda: panel._columns == columns)
    text = panel.toPlainText()
    assert "Last talked" in text and "20 days ago" in text
    talk = section(panel, "How they like to talk")
    assert "Formal, all business" in talk and "video call" in talk and "20 min" in talk
    assert "No small talk" in talk and "short and to the point" in talk
    pick = section(panel, "Pick up where you left off")
    assert "Kraków fair follow-up, went well" in pick
    assert "I owe" in pick and "send the revised quote" in pick and "overdue by 6 days" in pick
    assert "They owe" in pick and "send the purchase order" in pick
    assert "call back about the samples" not in pick  # closed by [x]
    assert "Questions to ask" in pick and "which budget line pays for it" in pick
    topics = section(panel, "Last topics")
    assert "#trade\u2011fair" in topics and "#budżet" in topics  # a chip does not break
    personal = section(panel, "Personal")
    for detail in ("daughter Zoë gets married in June", "a dog called Łatka",
                   "sails on the Vistula", "Chopin", "vegetarian", "birthday 14 March",
                   "moved to Gdańsk last year", "prefers tea"):
        assert detail in personal
    agenda = section(panel, "Their agenda")
    for fact in ("Hot button", "delivery within 48 hours", "Purchase timeline",
                 "decides in Q3", "fewer stock-outs", "one invoice a month",
                 "wants to consolidate suppliers"):
        assert fact in agenda
    assert "hesitated when I mentioned the price" in section(panel, "Unsaid")
    assert "the Chopin biography" in section(panel, "Thoughtful things")
    purchases = section(panel, "Purchases")
    assert "12,500.00 EUR" in purchases and "two cooling units" in purchases
    story = section(panel, "Our story")
    assert "the Poznań trade fair" in story and "introduced by Jan" in story
    assert "Kraków fair follow-up" in story  # the milestone


def test_overdue_items_are_in_the_palette_red(panel):
    """Checked on the laid-out text, as drawn: the style sheet must reach the document."""
    red = colours(panel.palette()).negative
    found = panel.document().find("overdue by 6 days")
    assert not found.isNull()
    assert found.charFormat().foreground().color().name() == red
    assert found.charFormat().fontWeight() > QFont.Weight.Normal
    plain = panel.document().find("send the revised quote")
    assert plain.charFormat().foreground().color().name() != red


def anchor_point(browser: QTextBrowser, href: str) -> QPoint:
    """Where a link with ``href`` is drawn, in viewport coordinates (what a user aims at)."""
    size = browser.viewport().size()
    for y in range(0, size.height(), 3):
        for x in range(0, size.width() // 2, 3):
            if browser.anchorAt(QPoint(x, y)) == href:
                return QPoint(x + 2, y + 2)
    raise AssertionError(f"no link {href} on screen")


def open_followup_id(panel: BriefPanel, text: str) -> int:
    return next(f.id for f in panel.brief.i_owe if f.text.startswith(text))


def test_ticking_a_follow_up_in_the_brief_and_undo(qtbot, panel):
    fid = open_followup_id(panel, "send the revised quote")
    point = anchor_point(panel, f"tick:followup:{fid}")
    with qtbot.waitSignal(panel.brief_shown):
        qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert "send the revised quote" not in section(panel, "Pick up where you left off")
    assert panel.undo_stack.undoText().startswith("Tick off follow-up")
    with qtbot.waitSignal(panel.brief_shown):
        panel.undo_stack.undo()
    assert "send the revised quote" in section(panel, "Pick up where you left off")


def test_ticking_a_question(qtbot, panel):
    qid = panel.brief.questions[0].id
    with qtbot.waitSignal(panel.brief_shown):
        qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton,
                         pos=anchor_point(panel, f"tick:question:{qid}"))
    assert "Questions to ask" not in panel.toPlainText()


def test_copy_brief_puts_the_text_on_the_clipboard(panel):
    copied = panel.copy_brief()
    assert QGuiApplication.clipboard().text() == copied
    assert copied.startswith("Maria Wiśniewska")
    assert "send the revised quote" in copied


def test_refreshes_only_when_the_shown_customer_changed(qtbot, panel, maria):
    with qtbot.assertNotEmitted(panel.brief_shown):
        panel.bus.publish(Changes.of(maria + 1, Kind.FOLLOWUP))
        panel.bus.publish(Changes.of(maria, Kind.DRAFT))
    with qtbot.waitSignal(panel.brief_shown):
        panel.bus.publish(Changes.of(maria, Kind.DETAIL))


def test_no_customer_and_empty_customer(qtbot, panel):
    panel.set_customer(None)
    assert "Choose a customer" in panel.toPlainText()
    view, _ = customers.create("Nobody Yet")
    panel.set_customer(view.id)
    assert "Not talked yet" in panel.toPlainText()


def test_header_names_the_customer(qtbot, maria):
    header = CustomerHeader()
    qtbot.addWidget(header)
    header.show_customer(maria)
    assert header.name.text().startswith("Maria Wiśniewska")
    assert "★" in header.name.text()
    assert "Buyer" in header.role.text() and "Wisła Foods" in header.role.text()


def test_ticking_by_keyboard(qtbot, panel):
    """Tab walks the links of the brief; Enter follows one (the first tick: I owe)."""
    panel.setFocus()
    first_owed = panel.brief.i_owe[0].text
    qtbot.keyClick(panel, Qt.Key.Key_Tab)  # the last conversation's date link
    qtbot.keyClick(panel, Qt.Key.Key_Tab)  # the first I-owe checkbox
    with qtbot.waitSignal(panel.brief_shown):
        qtbot.keyClick(panel, Qt.Key.Key_Return)
    assert first_owed not in [f.text for f in panel.brief.i_owe]


MANY_DETAILS = "Long lunch\n" + "".join(f"+hobby: hobby number {i:02d}\n" for i in range(14))


def test_a_long_section_is_folded_and_a_click_unfolds_it(qtbot, panel, maria):
    """Eight rows and a "Show N more" link; clicking it shows every row, until another
    customer is shown. The text forms (Copy brief) stay complete."""
    conversations.log(maria, MANY_DETAILS, at=today() - timedelta(days=1))
    panel.resize(600, 1800)  # one column, the link on screen
    qtbot.waitUntil(lambda: panel._columns == 1)
    panel.refresh()
    personal = section(panel, "Personal")
    shown = [i for i in range(14) if f"hobby number {i:02d}" in personal]
    assert 0 < len(shown) < 8  # one row is the birthday: upcoming dates come first
    dated = {d.detail_id for d in panel.brief.upcoming}
    rows = len(panel.brief.upcoming) + sum(d.id not in dated for d in panel.brief.details)
    assert f"Show {rows - 8} more…" in personal
    assert all(f"hobby number {i:02d}" in panel.copy_brief() for i in range(14))
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton,
                     pos=anchor_point(panel, "more:personal"))
    qtbot.waitUntil(lambda: "more…" not in section(panel, "Personal"))
    assert all(f"hobby number {i:02d}" in section(panel, "Personal") for i in range(14))
    other, _ = customers.create("Someone Else")
    panel.set_customer(other.id)
    panel.set_customer(maria)
    assert "more…" in section(panel, "Personal")


def test_revealing_a_folded_record_unfolds_its_section(qtbot, panel, maria):
    conversations.log(maria, MANY_DETAILS, at=today() - timedelta(days=1))
    panel.refresh()
    oldest = min(panel.brief.details, key=lambda d: d.mentioned_on)
    assert oldest.text not in section(panel, "Personal")
    assert panel.reveal("detail", oldest.id)
    assert oldest.text in section(panel, "Personal")
    assert panel.textCursor().selectedText().startswith(oldest.text[:20])


def test_their_agenda_leads_with_the_newest_fact_of_each_kind(qtbot, panel, maria):
    note = "Budget talk\n" + "".join(f"+hot: hot button {i:02d}\n" for i in range(12))
    conversations.log(maria, note, at=today() - timedelta(days=1))
    panel.refresh()
    lines = [line for line in section(panel, "Their agenda").splitlines()[1:] if line.strip()]
    kinds = [line.split(":")[0].strip(" •") for line in lines[:5]]
    assert kinds == ["Hot button", "Purchase timeline", "Need", "Expects", "On their agenda"]
    assert "more…" in lines[-1]
