"""The note editor as a rep uses it in a meeting (DESIGN.md §4, §7, §8): type with markers and
see the preview, log with Ctrl+Enter, drafts that survive switching customer and a lost
window, and failed writes that never pretend to have saved."""

from __future__ import annotations

import peewee
import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, QEvent, QLocale, Qt
from PySide6.QtGui import QUndoStack
from typing_helpers import type_text

from relnotebook.core import conversations, customers, db, drafts
from relnotebook.core.capture import ItemKind
from relnotebook.core.changes import Kind
from relnotebook.ui import capture_preview, errors, words
from relnotebook.ui.bus import EventBus
from relnotebook.ui.capture_preview import tone
from relnotebook.ui.draft_recovery import DraftRecoveryDialog
from relnotebook.ui.note_editor import NoteEditor

NOTE = """Lunch with Zoë at Café Ørsted #Expansion #Zürich
[ ] send the quote by 2026-12-01
[them] sign the NDA due next week
[x] call back
? ask about the Ålesund office
+family: daughter Åsa marries in June
+pet: dog called Bamse
+hobby: cross-country skiing
+interest: jazz
+food: vegetarian, loves ramen
+date: birthday 14 March
+life: moved to Bergen
+detail: prefers mornings
+hot: reliability
+timeline: decides in Q1
+need: 24/7 support
+expects: weekly updates
+agenda: cut travel costs
+style: short emails, no small talk
+unsaid: hesitated about the budget
+send: article on Nordic design https://example.com/nordic
+bogus: stays text
[ ] follow up due someday"""


def _detail(kind: str, text: str) -> tuple[str, str]:
    return "detail", f"{words.detail_kind(kind)}: {text}"


def _fact(kind: str, text: str) -> tuple[str, str]:
    return "fact", f"{words.fact_kind(kind)}: {text}"


EXPECTED = [  # the preview's groups, in its order; labels as the window words them
    ("i-owe", "send the quote"), ("i-owe", "follow up due someday"),
    ("they-owe", "sign the NDA"), ("closed", "call back"),
    ("question", "ask about the Ålesund office"), ("topic", "#Expansion"), ("topic", "#Zürich"),
    _detail("family", "daughter Åsa marries in June"), _detail("pet", "dog called Bamse"),
    _detail("hobby", "cross-country skiing"), _detail("interest", "jazz"),
    _detail("food", "vegetarian, loves ramen"), _detail("date", "birthday 14 March"),
    _detail("life", "moved to Bergen"), _detail("other", "prefers mornings"),
    _fact("hot_button", "reliability"), _fact("timeline", "decides in Q1"),
    _fact("need", "24/7 support"), _fact("expectation", "weekly updates"),
    _fact("agenda", "cut travel costs"), ("style", "short emails, no small talk"),
    ("unsaid", "hesitated about the budget"), ("send", "article on Nordic design ↗"),
]


@pytest.fixture
def people(notebook):
    zoe = customers.create("Zoë Ångström", company="Nordlys")[0]
    bob = customers.create("Bob Müller")[0]
    return zoe, bob


@pytest.fixture
def shown(monkeypatch):
    """What error dialogs would have said: (message, details)."""
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(errors, "presenter", lambda _parent, msg, details: seen.append(
        (msg, details)))
    return seen


@pytest.fixture
def bus():
    return EventBus()


@pytest.fixture
def stack():
    return QUndoStack()


@pytest.fixture
def editor(qtbot, bus, stack, people, shown):
    widget = NoteEditor(bus, stack)
    qtbot.addWidget(widget)
    widget.resize(520, 760)
    widget.show()
    widget.set_customer(people[0].id)
    return widget


def _draft_body(customer_id: int) -> str | None:
    view = drafts.get(customer_id)
    return view.body if view else None


def test_without_customer_the_editor_is_disabled_with_a_hint(qtbot, bus, notebook):
    widget = NoteEditor(bus, None)
    qtbot.addWidget(widget)
    assert widget.objectName() == "noteEditor"
    assert not widget.form.isEnabled()
    assert not widget.hint.isHidden()
    assert widget.findChild(type(widget.preview), "capturePreview") is widget.preview
    assert widget.save_button.objectName() == "saveNoteButton"


def test_typing_every_marker_fills_the_preview_and_ctrl_enter_logs_it(editor, qtbot, bus,
                                                                      people, stack):
    zoe, _bob = people
    type_text(editor.note, NOTE)
    assert editor.text() == NOTE
    qtbot.waitUntil(lambda: [(k, t) for k, t, _ in editor.preview.entries()
                             if k != "warning"] == EXPECTED)
    entries = editor.preview.entries()
    when = {t: when for _k, t, when in entries}
    assert when["send the quote"] == QLocale().toString(QDate(2026, 12, 1), "ddd d MMM")
    assert when["sign the NDA"] and not when["follow up due someday"]
    assert when[_detail("date", "birthday 14 March")[1]] == words.day_month(14, 3)
    warnings = [t for k, t, _ in entries if k == "warning"]
    assert len(warnings) == 2
    assert "+bogus:" in warnings[0] and "Line 22" in warnings[0]
    assert "someday" in warnings[1] and "Line 23" in warnings[1]

    with qtbot.waitSignal(bus.changed) as changed, qtbot.waitSignal(editor.logged) as logged:
        qtbot.keyClick(editor.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert changed.args[0].concerns(zoe.id, Kind.CONVERSATION)
    [conv] = conversations.timeline(zoe.id)
    assert conv.body == NOTE and conv.summary == "Lunch with Zoë at Café Ørsted #Expansion #Zürich"
    assert set(conv.topics) == {"Expansion", "Zürich"}
    assert logged.args[0].conversation.id == conv.id
    kinds = [r.kind for r in logged.args[0].records]
    assert kinds.count(ItemKind.DETAIL.value) == 8
    assert editor.text() == ""
    assert editor.status_text().startswith("Saved ")
    assert drafts.get(zoe.id) is None
    assert stack.count() == 1 and stack.undoText() == "Log conversation"


def test_undo_of_a_log_gives_the_note_back_as_a_draft_and_redo_logs_it_again(editor, qtbot,
                                                                                people, stack):
    zoe, _bob = people
    type_text(editor.note, "Short call about the renewal\n[ ] send the price list")
    editor.save_button.click()
    assert len(conversations.timeline(zoe.id)) == 1
    stack.undo()
    assert conversations.timeline(zoe.id) == ()
    assert _draft_body(zoe.id) == "Short call about the renewal\n[ ] send the price list"
    assert editor.text() == "Short call about the renewal\n[ ] send the price list"
    stack.redo()
    assert len(conversations.timeline(zoe.id)) == 1
    assert drafts.get(zoe.id) is None and editor.text() == ""


def test_the_draft_autosaves_within_the_timer(editor, qtbot, people):
    zoe, _bob = people
    type_text(editor.note, "Met at the fair — Zoë's new office in Tromsø")
    qtbot.waitUntil(lambda: _draft_body(zoe.id) == "Met at the fair — Zoë's new office in Tromsø",
                    timeout=3000)
    assert editor.status_text().startswith("Draft saved ")


def test_switching_customer_mid_note_and_back_restores_the_draft(editor, qtbot, people):
    zoe, bob = people
    type_text(editor.note, "Zoë: budget talk, ½ done")
    editor.channel.setCurrentIndex(editor.channel.findData("meeting"))
    editor.set_customer(bob.id)  # no wait: switching saves at once
    assert _draft_body(zoe.id) == "Zoë: budget talk, ½ done"
    assert editor.text() == "" and editor.title.text() == "Bob Müller"
    assert editor.channel.currentData() == "call"
    type_text(editor.note, "Bob: Grüße aus Köln")
    editor.set_customer(zoe.id)
    assert editor.text() == "Zoë: budget talk, ½ done"
    assert editor.channel.currentData() == "meeting"
    assert _draft_body(bob.id) == "Bob: Grüße aus Köln"
    editor.set_customer(bob.id)
    assert editor.text() == "Bob: Grüße aus Köln"


def test_a_lost_window_s_draft_is_offered_back_with_its_customer(qtbot, bus, people, shown):
    zoe, _bob = people
    first = NoteEditor(bus, None)
    first.set_customer(zoe.id)
    type_text(first.note, "Ærlig talt: they want a pilot\n[them] send the specs")
    qtbot.waitUntil(lambda: drafts.get(zoe.id) is not None, timeout=3000)
    first.deleteLater()  # destroyed without logging
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(first)

    second = NoteEditor(bus, None)
    qtbot.addWidget(second)
    bus.customer_opened.connect(second.set_customer)  # as the window does
    [pending] = drafts.pending()
    assert (pending.customer_id, pending.customer_name) == (zoe.id, "Zoë Ångström")
    dialog = DraftRecoveryDialog(bus, second)
    qtbot.addWidget(dialog)
    [(name, saved, first_line)] = dialog.rows()
    assert name == "Zoë Ångström" and first_line == "Ærlig talt: they want a pilot"
    assert saved[:4].isdigit()
    with qtbot.waitSignal(bus.customer_opened) as opened:
        dialog.open_button.click()
    assert opened.args == [zoe.id]
    assert second.text() == "Ærlig talt: they want a pilot\n[them] send the specs"


def test_recovery_dialog_discards_only_after_asking(qtbot, bus, people):
    zoe, bob = people
    drafts.save(zoe.id, "keep me")
    drafts.save(bob.id, "drop me")
    dialog = DraftRecoveryDialog(bus)
    qtbot.addWidget(dialog)
    answers = [False, True]
    dialog.ask = lambda _parent, _question: answers.pop(0)
    dialog.select([d.customer_id for d in dialog.drafts()].index(bob.id))
    dialog.discard_button.click()
    assert _draft_body(bob.id) == "drop me"
    dialog.discard_button.click()
    assert drafts.get(bob.id) is None
    assert [d.body for d in dialog.drafts()] == ["keep me"]
    dialog.keep_button.click()
    assert _draft_body(zoe.id) == "keep me"


def test_a_failed_log_keeps_the_text_writes_the_fallback_file_and_never_says_saved(
        editor, qtbot, people, shown, monkeypatch):
    zoe, _bob = people

    def disk_full(*_args, **_kwargs):
        raise peewee.OperationalError("database or disk is full")

    monkeypatch.setattr(conversations, "log", disk_full)
    monkeypatch.setattr(drafts, "_store", disk_full)  # the disk is full for drafts too
    type_text(editor.note, "Pricing call — Zoë wants 5 % off\n[ ] check with finance")
    editor.save_button.click()
    assert editor.text() == "Pricing call — Zoë wants 5 % off\n[ ] check with finance"
    assert "Saved" not in editor.status_text()
    assert "disk is full" in editor.status_text()
    [(message, details)] = shown
    assert "not saved" in message and "disk is full" in message
    assert "database or disk is full" in details
    path = drafts.paths.drafts_dir() / f"{zoe.uuid}.txt"
    assert str(path) in message
    assert path.read_text(encoding="utf-8") == editor.text()
    assert conversations.timeline(zoe.id) == ()


def test_a_really_full_notebook_fails_the_log_and_keeps_everything(editor, qtbot, people, shown):
    zoe, _bob = people
    pages = db.database.execute_sql("PRAGMA page_count").fetchone()[0]
    db.database.execute_sql(f"PRAGMA max_page_count = {pages}")
    body = "Long workshop notes\n" + "\n".join(f"+need: requirement {i} " + "x" * 80
                                              for i in range(200))
    editor.note.setPlainText(body)
    editor.save()
    assert editor.text() == body and "Saved" not in editor.status_text()
    assert "disk is full" in shown[0][0]
    db.database.execute_sql("PRAGMA max_page_count = 1073741823")
    assert conversations.timeline(zoe.id) == ()
    assert drafts.get(zoe.id).body == body


def test_autosave_on_a_read_only_notebook_goes_to_the_file(editor, qtbot, people):
    zoe, _bob = people
    db.database.execute_sql("PRAGMA query_only = ON")
    try:
        with qtbot.waitSignal(editor.draft_saved, timeout=3000) as saved:
            type_text(editor.note, "Read-only? Ça marche quand même")
    finally:
        db.database.execute_sql("PRAGMA query_only = OFF")
    result = saved.args[0]
    assert result.error == "read_only" and result.fallback_path is not None
    assert result.fallback_path.read_text(encoding="utf-8") == "Read-only? Ça marche quand même"
    assert str(result.fallback_path) in editor.status_text()
    assert editor.text() == "Read-only? Ça marche quand même"


def test_the_timer_starts_on_the_first_keystroke_and_fills_minutes(editor, qtbot, people,
                                                                   monkeypatch):
    zoe, _bob = people
    now = [1000.0]
    monkeypatch.setattr(capture_preview, "_monotonic", lambda: now[0])
    assert editor.planned.value() == 15
    assert editor.timer.label.text() == "00:00 / 15:00"
    type_text(editor.note, "Ca")
    now[0] += 7 * 60 + 12
    editor.timer.show_time()
    assert editor.timer.label.text() == "07:12 / 15:00"
    now[0] += 9 * 60
    editor.timer.show_time()
    assert editor.timer.label.text() == "16:12 / 15:00"
    colour = editor.timer.label.palette().color(editor.timer.label.foregroundRole())
    assert colour == tone(editor, "warning")
    logged = editor.save()
    assert logged.conversation.minutes == 17
    assert logged.conversation.planned_minutes == 15
    assert editor.timer.label.text() == "00:00 / 15:00"


def test_others_present_complete_resolve_and_show_unknown_names(editor, qtbot, people):
    zoe, bob = people
    type_text(editor.with_edit, "mul")
    completer = editor.with_edit._completer
    assert completer.completionCount() == 1
    assert completer.currentIndex().data() == "Bob Müller"
    completer.activated[type(completer.currentIndex())].emit(completer.currentIndex())
    assert editor.with_edit.text() == "Bob Müller, "
    editor.with_edit.setText("Bob Müller, Nobody Here")
    type_text(editor.note, "Joint meeting")
    assert editor.save() is None
    assert not editor.with_edit.error.isHidden()
    assert "Nobody Here" in editor.with_edit.error.text()
    assert conversations.timeline(zoe.id) == ()
    editor.with_edit.setText("bob")
    logged = editor.save()
    assert logged.conversation.participants == ((bob.id, "Bob Müller"),)
    assert [c.id for c in conversations.timeline(bob.id)] == [logged.conversation.id]



def test_opening_a_customer_fills_their_name_style_and_draft_in_a_few_statements(
        editor, qtbot, people):
    """The editor reads what it shows for each customer opened with a few raw statements
    (it took eight peewee queries, ~6 ms of every click on the list at 100,000 customers)."""
    from playhouse.test_utils import count_queries

    from relnotebook.core import records

    zoe, bob = people
    records.update_style(bob.id, preferred_channel="video", planned_minutes="40")
    drafts.save(bob.id, "half-written note")
    with count_queries() as counter:
        editor.set_customer(bob.id)
    assert counter.count <= 4
    assert editor.title.text() == "Bob Müller"
    assert (editor.channel.currentData(), editor.planned.value()) == ("video", 40)
    assert editor.text() == "half-written note"
    editor.set_customer(zoe.id)  # no style profile: the notebook's defaults
    assert (editor.title.text(), editor.channel.currentData(), editor.planned.value()) == (
        "Zoë Ångström", "call", 15)
