"""The Ctrl+K palette over the real window: type two letters, see the newest hits, arrows and
Enter open the customer scrolled to the conversation or the detail; nothing typed is an error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from typing_helpers import type_text
from window_helpers import shown_window

from relnotebook.core import conversations, customers, search
from relnotebook.core.changes import Kind
from relnotebook.core.clock import today
from relnotebook.ui.search_palette import HitRole, SearchPalette, SearchResultsModel
from relnotebook.ui.timeline import PAGE, Role

HOCKEY = "Season talk\n+family: son plays #hockey on Saturdays\n[ ] send the tickets by Friday\n"


@pytest.fixture
def people(notebook):
    tom, _ = customers.create("Tom Berg", company="Berg Tools")
    asa, _ = customers.create("Åsa Sæther", company="Fjellstue Packaging")
    old = today() - timedelta(days=400)
    hockey = conversations.log(tom.id, HOCKEY, at=old).conversation.id
    conversations.log(tom.id, "Weekly check-in", at=today() - timedelta(days=7))
    conversations.log(asa.id, "Lunch in Bergen, she loves sailing", at=today())
    return {"tom": tom.id, "asa": asa.id, "hockey": hockey}


@pytest.fixture
def busy(people):
    """Tom's hockey talk sits on the timeline's second page."""
    old = today() - timedelta(days=400)
    for n in range(PAGE + 5):
        conversations.log(people["tom"], f"Check-in {n}", at=old + timedelta(days=n + 1))
    return people


@pytest.fixture
def window(qtbot, notebook, people):
    return shown_window(qtbot, notebook)


@pytest.fixture
def palette(qtbot, window) -> SearchPalette:
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    found = window.findChild(QWidget, "searchPalette")
    assert isinstance(found, SearchPalette)
    qtbot.waitUntil(found.isVisible)
    return found


def typed(qtbot, palette: SearchPalette, text: str) -> None:
    """Replace the query with ``text``, one key at a time, and wait for its results."""
    palette.edit.selectAll()
    qtbot.keyClick(palette.edit, Qt.Key.Key_Backspace)
    type_text(palette.edit, text)
    qtbot.waitUntil(lambda: palette.searched_text == text)


def hits(palette: SearchPalette) -> list:
    return [palette.model.hit(r) for r in range(palette.model.rowCount())]


def test_ctrl_k_shows_the_palette_and_escape_closes_it(qtbot, window, palette):
    shown = window.customer_id
    assert palette.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert QApplication.focusWidget() is palette.edit
    assert palette.geometry().intersects(window.geometry())  # over the window
    type_text(palette.edit, "hockey")
    qtbot.waitUntil(lambda: palette.model.rowCount() > 0)
    assert window.list_panel.search.text() == ""  # the list's own filter is left alone
    qtbot.keyClick(palette.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not palette.isVisible())
    assert window.customer_id == shown  # Escape opens nothing


def test_one_letter_shows_nothing_two_letters_show_the_newest_hits(qtbot, palette, people):
    type_text(palette.edit, "h")
    assert palette.model.rowCount() == 0
    assert not palette.results.isVisible()
    assert "two letters" in palette.hint.text()
    type_text(palette.edit, "o")
    qtbot.waitUntil(lambda: palette.model.rowCount() > 0)
    found = hits(palette)
    assert len(found) <= 50
    assert [h.at for h in found] == sorted((h.at for h in found), reverse=True)
    assert any(h.conversation_id == people["hockey"] for h in found)
    assert palette.results.isVisible()
    assert palette.results.currentIndex().row() == 0  # Enter opens the newest at once
    type_text(palette.edit, "ckey")
    qtbot.waitUntil(lambda: palette.edit.text() == "hockey" and
                    {h.kind for h in hits(palette)} == {Kind.CONVERSATION, Kind.DETAIL})


@pytest.mark.parametrize("query", ["saether", "Sæther", "SÆTH", "åsa sæ", "fjellstue"])
def test_non_ascii_and_folded_queries_find_the_customer(qtbot, palette, people, query):
    typed(qtbot, palette, query)
    qtbot.waitUntil(lambda: palette.model.rowCount() > 0)
    first = palette.model.hit(0)
    assert first.customer_id == people["asa"]
    assert first.customer_name == "Åsa Sæther"
    assert first.spans, "the matched words are marked for the delegate"


def test_down_and_enter_open_the_customer_at_that_conversation(qtbot, busy, window, palette):
    people = busy
    window.open_customer(people["asa"])
    typed(qtbot, palette, "hockey")
    rows = hits(palette)
    assert sorted(h.kind for h in rows) == [Kind.CONVERSATION, Kind.DETAIL]
    assert palette.current_hit() == rows[0]
    qtbot.keyClick(palette.edit, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is palette.edit  # arrows move, the focus stays
    assert palette.current_hit() == rows[1]
    qtbot.keyClick(palette.edit, Qt.Key.Key_Down)  # the last row stays chosen
    assert palette.current_hit() == rows[1]
    if rows[1].kind is not Kind.CONVERSATION:
        qtbot.keyClick(palette.edit, Qt.Key.Key_Up)
    assert palette.current_hit().kind is Kind.CONVERSATION
    with qtbot.waitSignal(window.bus.reveal_requested):
        qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert not palette.isVisible()
    assert window.customer_id == people["tom"]
    timeline = window.timeline
    current = timeline.currentIndex()
    assert current.data(Role.CONVERSATION_ID) == people["hockey"]
    assert current.row() >= PAGE  # loaded page after page until it was there
    assert current.data(Role.EXPANDED) is True
    qtbot.waitUntil(lambda: timeline.viewport().rect().intersects(timeline.visualRect(current)))
    assert QApplication.focusWidget() is timeline


def test_a_personal_detail_opens_its_customer_and_is_pointed_at(qtbot, window, palette,
                                                                people):
    typed(qtbot, palette, "son plays hock")
    detail = next(r for r in range(palette.model.rowCount())
                  if palette.model.hit(r).kind is Kind.DETAIL)
    while palette.results.currentIndex().row() < detail:
        qtbot.keyClick(palette.edit, Qt.Key.Key_Down)
    qtbot.keyClick(palette.edit, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: window.customer_id == people["tom"])
    assert "son plays #hockey" in window.brief.textCursor().selectedText()
    assert QApplication.focusWidget() is window.brief
    # the note it came from is shown in the timeline too
    assert window.timeline.currentIndex().data(Role.CONVERSATION_ID) == people["hockey"]
    assert window.timeline.currentIndex().data(Role.EXPANDED) is True
    assert not window.brief.reveal("detail", 10**6)  # not in the brief: nothing pointed at


def test_a_follow_up_and_a_customer_hit_open_their_customer(qtbot, window, palette, people):
    typed(qtbot, palette, "tickets")
    assert palette.model.hit(0).kind is Kind.FOLLOWUP
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.customer_id == people["tom"])
    assert "send the tickets" in window.brief.textCursor().selectedText()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(palette.isVisible)
    assert palette.edit.selectedText() == "tickets"  # the last query, ready to be replaced
    typed(qtbot, palette, "Åsa")
    assert palette.model.hit(0).kind is Kind.CUSTOMER
    with qtbot.waitSignal(window.bus.customer_opened):
        qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert window.customer_id == people["asa"]


def test_after_a_slow_query_keystrokes_are_coalesced_and_enter_does_not_wait(
        qtbot, window, palette, people):
    palette.last_ms = 500.0  # as if the notebook had answered slowly
    type_text(palette.edit, "sail")
    assert palette.timer.isActive() and palette.searched_text != "sail"
    qtbot.waitUntil(lambda: palette.searched_text == "sail")  # the timer fired
    assert palette.model.hit(0).customer_id == people["asa"]
    palette.last_ms = 500.0
    type_text(palette.edit, "ing")
    assert palette.timer.isActive()
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)  # answered at once, then opened
    assert palette.searched_text == "sailing" and not palette.isVisible()
    qtbot.waitUntil(lambda: window.customer_id == people["asa"])


HOSTILE = ['"', "(", "AND", "c++", "a:b", '"(', "o'neil", "NEAR(", "*", ")) OR", "-", "^x",
           '"a" AND "', "  ", "\\", "%_", "hockey AND", "hockey:", "ÆØÅ", "x" * 600]


def test_hostile_input_shows_no_error(qtbot, window, palette):
    for query in HOSTILE:
        typed(qtbot, palette, query)
        assert palette.isVisible(), query
        assert not any(isinstance(w, QMessageBox) and w.isVisible()
                       for w in QApplication.topLevelWidgets()), query
        if palette.model.rowCount() == 0:
            assert palette.hint.isVisible() and palette.hint.text(), query
            qtbot.keyClick(palette.edit, Qt.Key.Key_Return)  # Enter on nothing is nothing
            assert palette.isVisible()
    typed(qtbot, palette, '(hockey "')
    assert palette.model.rowCount() == 2  # stray syntax is just text around the word


def test_no_results_says_so_and_escape_closes(qtbot, palette):
    typed(qtbot, palette, "zebra")
    assert palette.model.rowCount() == 0
    assert palette.hint.text() == "No notes mention “zebra”."
    qtbot.keyClick(palette.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not palette.isVisible())


def test_results_follow_a_write_made_while_the_palette_is_open(qtbot, window, palette,
                                                               people):
    typed(qtbot, palette, "zebra")
    window.bus.publish(conversations.log(people["asa"], "She rides a zebra").changes)
    qtbot.waitUntil(lambda: palette.model.rowCount() == 1)


def test_the_hits_model_passes_the_model_tester(qtmodeltester, notebook, people):
    model = SearchResultsModel()
    model.set_hits(search.search("hockey"))
    assert model.rowCount() == 2
    index = model.index(next(r for r in range(2) if model.hit(r).kind is Kind.CONVERSATION))
    assert index.data(HitRole.KIND) == "conversation"
    assert index.data(HitRole.CONVERSATION_ID) == people["hockey"]
    assert index.data(HitRole.CUSTOMER_ID) == people["tom"]
    assert "Tom Berg (Berg Tools)" in index.data()
    assert model.roleNames()[int(HitRole.SNIPPET)] == b"snippet"
    qtmodeltester.check(model)
    qtmodeltester.check(model, force_py=True)
    model.set_hits(())
    qtmodeltester.check(model)
