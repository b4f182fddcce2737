"""Conversations: a logged note owns what it produced (DESIGN.md §4) — log, edit, delete,
put back, revert — and every write is whole or nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from relnotebook.core import conversations, customers, note_records, note_writer
from relnotebook.core.changes import Kind
from relnotebook.core.clock import noon_utc
from relnotebook.core.errors import NotFound, ValidationError
from relnotebook.core.models import (
    ALL_MODELS,
    Conversation,
    ConversationParticipant,
    ConversationTopic,
    Customer,
    FollowUp,
    PersonalDetail,
    Question,
    SalesFact,
    StyleNote,
    ThoughtfulThing,
    Topic,
    Unsaid,
)

ON = date(2026, 11, 20)  # a Friday

EVERY_MARKER = """\
Kick-off in Łódź with Zoë — #pricing and #Zürich-Büro
- [ ] send the quote by Friday
* [them] send the PO due 2026-12-01
1. [x] call back about the Ñandú demo
? who signs off the budget
+family: daughter Åsa marries in June
+pet: dog called Bjørn
+hobby: football (Malmö FF)
+interest: jazz
+food: vegetarian, loves smørrebrød
+date: birthday 14 March
+life: moved to Malmö
+detail: left-handed
+hot: uptime über alles
+timeline: decides in Q2
+need: SSO for 200 seats
+expects: answers within a day
+agenda: cut costs by 10 %
+style: formal, brief; no small talk
+unsaid: hesitated when price came up
+send: article on Ørsted https://example.com/ørsted
+wish: an unknown marker stays text
"""


def add(name: str, **fields) -> int:
    return customers.create(name, **fields)[0].id


def dump() -> dict[str, list[dict]]:
    """Every row of every table, as plain dicts: what "restores exactly" compares."""
    return {m._meta.table_name: list(m.select().order_by(m.id).dicts()) for m in ALL_MODELS}


def log(customer_id: int, body: str, at: date | datetime = ON, **kw) -> conversations.Logged:
    return conversations.log(customer_id, body, at=at, **kw)


@pytest.fixture
def zoe(notebook) -> int:
    return add("Zoë Ångström", company="Ångström AB")


@pytest.fixture
def jurgen(notebook) -> int:
    return add("Jürgen Müller", company="Ångström AB")


# --- logging --------------------------------------------------------------------------------


def test_log_every_marker(zoe):
    logged = log(zoe, EVERY_MARKER, channel="meeting", minutes=25, planned_minutes=30,
                 talk="them", started_by="me", mood="warm", milestone=True)
    conv = logged.conversation
    cid = conv.id
    moment = noon_utc(ON)
    assert (conv.customer_id, conv.customer_name, conv.day, conv.happened_at) == (
        zoe, "Zoë Ångström", ON, moment)
    assert (conv.channel, conv.minutes, conv.planned_minutes, conv.talk, conv.started_by,
            conv.mood, conv.milestone, conv.reached) == (
        "meeting", 25, 30, "them", "me", "warm", True, True)
    assert conv.body == EVERY_MARKER
    assert conv.summary == "Kick-off in Łódź with Zoë — #pricing and #Zürich-Büro"
    assert conv.topics == ("pricing", "Zürich-Büro")
    assert [w.code for w in logged.warnings] == ["unknown_marker"]

    def rows(model):
        found = list(model.select().where(model.customer == zoe).order_by(model.id))
        assert all(r.conversation_id == cid for r in found), model
        return found

    assert [(f.owner, f.text, f.due, f.done_at, f.closed_in_id) for f in rows(FollowUp)] == [
        ("me", "send the quote", date(2026, 11, 27), None, None),
        ("them", "send the PO", date(2026, 12, 1), None, None),
        ("me", "call back about the Ñandú demo", None, moment, cid),  # nothing open: done
    ]
    assert [(q.text, q.asked_in_id) for q in rows(Question)] == [
        ("who signs off the budget", None)]
    assert [(d.kind, d.text, d.day, d.month, d.mentioned_at) for d in rows(PersonalDetail)] == [
        ("family", "daughter Åsa marries in June", None, None, moment),
        ("pet", "dog called Bjørn", None, None, moment),
        ("hobby", "football (Malmö FF)", None, None, moment),
        ("interest", "jazz", None, None, moment),
        ("food", "vegetarian, loves smørrebrød", None, None, moment),
        ("date", "birthday 14 March", 14, 3, moment),
        ("life", "moved to Malmö", None, None, moment),
        ("other", "left-handed", None, None, moment),
    ]
    assert [(f.kind, f.text, f.confirmed_at, f.assumed) for f in rows(SalesFact)] == [
        ("hot_button", "uptime über alles", moment, False),
        ("timeline", "decides in Q2", moment, False),
        ("need", "SSO for 200 seats", moment, False),
        ("expectation", "answers within a day", moment, False),
        ("agenda", "cut costs by 10 %", moment, False),
    ]
    assert [s.text for s in rows(StyleNote)] == ["formal, brief; no small talk"]
    assert [u.text for u in rows(Unsaid)] == ["hesitated when price came up"]
    assert [(t.text, t.url, t.status) for t in rows(ThoughtfulThing)] == [
        ("article on Ørsted", "https://example.com/ørsted", "idea")]
    assert sorted(t.fold for t in Topic.select()) == ["pricing", "zurich-buro"]
    assert ConversationTopic.select().where(ConversationTopic.conversation == cid).count() == 2

    kinds = [(r.kind, r.text, r.due) for r in logged.records]
    assert kinds[:2] == [("topic", "pricing", None), ("topic", "Zürich-Büro", None)]
    assert ("i-owe", "send the quote", date(2026, 11, 27)) in kinds
    assert ("they-owe", "send the PO", date(2026, 12, 1)) in kinds
    assert ("closed", "call back about the Ñandú demo", None) in kinds
    assert {r.kind for r in logged.records} == {
        "topic", "i-owe", "they-owe", "closed", "question", "detail", "fact", "style",
        "unsaid", "send"}
    assert len(logged.records) == 2 + 3 + 1 + 8 + 5 + 3
    assert logged.changes.customers == {zoe}
    assert {Kind.CONVERSATION, Kind.FOLLOWUP, Kind.DETAIL}.issubset(logged.changes.kinds)


def test_summary_rule(zoe):
    body = "\n   \n[ ] call back\n#pricing\n  - Budget talk, round two  \n? who decides"
    conv = log(zoe, body).conversation
    assert conv.summary == "Budget talk, round two"
    assert log(zoe, "[ ] only markers\n? here").conversation.summary == ""
    edited = conversations.edit(conv.id, "New first line\n" + body)
    assert edited.conversation.summary == "New first line"


def test_log_validates_and_writes_nothing(zoe):
    for kw, code in (({"channel": "pigeon"}, "bad_channel"), ({"talk": "all"}, "bad_talk"),
                     ({"minutes": -1}, "bad_minutes"), ({"minutes": "ten"}, "bad_minutes"),
                     ({"started_by": "you"}, "bad_started_by")):
        with pytest.raises(ValidationError) as info:
            log(zoe, "[ ] x", **kw)
        assert info.value.code == code
    with pytest.raises(NotFound):
        log(zoe + 99, "[ ] x")
    with pytest.raises(NotFound):
        log(zoe, "[ ] x", with_ids=[zoe + 99])
    assert Conversation.select().count() == 0
    assert FollowUp.select().count() == 0


def test_participants_share_the_conversation(zoe, jurgen):
    third = add("Kari Sæther")
    logged = log(zoe, "Joint review #roadmap", with_ids=[jurgen, zoe, jurgen])
    conv = logged.conversation
    assert conv.participants == ((jurgen, "Jürgen Müller"),)
    assert [c.id for c in conversations.timeline(zoe)] == [conv.id]
    assert [c.id for c in conversations.timeline(jurgen)] == [conv.id]
    assert conversations.timeline(third) == ()
    assert conversations.count_for(jurgen) == 1
    assert logged.changes.customers == {zoe, jurgen}
    assert Customer.get_by_id(jurgen).last_reached_at == noon_utc(ON)
    assert Customer.get_by_id(third).last_reached_at is None

    edited = conversations.edit(conv.id, with_ids=[third])
    assert edited.changes.customers == {zoe, jurgen, third}
    assert conversations.timeline(jurgen) == ()
    assert [c.id for c in conversations.timeline(third)] == [conv.id]
    assert Customer.get_by_id(jurgen).last_reached_at is None
    assert Customer.get_by_id(third).last_reached_at == noon_utc(ON)


def test_timeline_is_newest_first(zoe):
    first = log(zoe, "one", at=ON).conversation.id
    third = log(zoe, "three", at=ON + timedelta(days=2)).conversation.id
    second = log(zoe, "two", at=ON + timedelta(days=1)).conversation.id
    assert [c.id for c in conversations.timeline(zoe)] == [third, second, first]
    assert [c.id for c in conversations.timeline(zoe, limit=1, offset=1)] == [second]
    with pytest.raises(NotFound):
        conversations.get(third + 100)


def test_last_reached_ignores_unanswered_attempts(zoe):
    reached = log(zoe, "good talk", at=ON).conversation
    assert Customer.get_by_id(zoe).last_reached_at == noon_utc(ON)
    later = log(zoe, "", at=ON + timedelta(days=3), reached=False).conversation
    assert not later.reached
    assert Customer.get_by_id(zoe).last_reached_at == noon_utc(ON)
    conversations.edit(later.id, reached=True)
    assert Customer.get_by_id(zoe).last_reached_at == noon_utc(ON + timedelta(days=3))
    conversations.delete(later.id)
    assert Customer.get_by_id(zoe).last_reached_at == noon_utc(ON)
    conversations.delete(reached.id)
    assert Customer.get_by_id(zoe).last_reached_at is None


# --- [x] closes ---------------------------------------------------------------------------


def test_close_takes_the_oldest_open_followup_mine_or_theirs(zoe, jurgen):
    log(jurgen, "[ ] send the brochure")  # another customer's: never touched
    log(zoe, "[them] send the PO", at=ON)
    log(zoe, "[ ] send the quote", at=ON + timedelta(days=1))
    closing = log(zoe, "[x] SEND", at=ON + timedelta(days=2))
    po = FollowUp.get(FollowUp.text == "send the PO")
    assert po.done_at == noon_utc(ON + timedelta(days=2))
    assert po.closed_in_id == closing.conversation.id
    assert FollowUp.get(FollowUp.text == "send the quote").done_at is None
    assert FollowUp.get(FollowUp.text == "send the brochure").done_at is None
    assert [(r.kind, r.text) for r in closing.records] == [("closed", "send the PO")]
    [warning] = closing.warnings
    assert warning.code == "close_ambiguous"
    assert warning.param("closed") == "send the PO"
    assert warning.param("others") == "send the quote"
    assert warning.param("count") == "1"
    # No own follow-up was recorded for that [x].
    assert FollowUp.select().where(FollowUp.conversation == closing.conversation.id).count() == 0
    again = log(zoe, "[x] send", at=ON + timedelta(days=3))
    assert again.warnings == ()
    assert FollowUp.get(FollowUp.text == "send the quote").closed_in_id == (
        again.conversation.id)


def test_close_matches_folded_prefix(zoe):
    log(zoe, "[ ] Angebot für Müller schicken")
    closing = log(zoe, "[x] angebot fur muller", at=ON + timedelta(days=1))
    assert FollowUp.get().closed_in_id == closing.conversation.id


def test_close_falls_back_to_an_open_question(zoe):
    log(zoe, "? who signs off the budget\n? who else")
    asked = Question.get(Question.text == "who signs off the budget")
    asked.asked_at = noon_utc(ON)
    asked.save()
    log(zoe, "? who signs off the budget")  # a second, still open, asked again later
    closing = log(zoe, "[x] who signs", at=ON + timedelta(days=1))
    open_one = Question.select().where(Question.text == "who signs off the budget").order_by(
        Question.id)[1]
    assert open_one.asked_in_id == closing.conversation.id
    assert open_one.asked_at == noon_utc(ON + timedelta(days=1))
    assert Question.get(Question.text == "who else").asked_in_id is None
    assert closing.warnings == ()


def test_close_with_nothing_open_records_a_done_followup(zoe):
    closing = log(zoe, "[x] sent the Ørsted article", at=ON)
    done = FollowUp.get()
    assert (done.owner, done.text, done.done_at, done.closed_in_id, done.conversation_id) == (
        "me", "sent the Ørsted article", noon_utc(ON), closing.conversation.id,
        closing.conversation.id)


# --- edit -------------------------------------------------------------------------------------


def test_edit_keeps_state_of_unchanged_records(zoe):
    logged = log(zoe, "Call\n[ ] send the quote by Friday\n[ ] call Bob\n? budget owner\n"
                      "+hobby: chess")
    quote = FollowUp.get(FollowUp.text == "send the quote")
    ticked_at = datetime(2026, 11, 21, 9, 30)
    FollowUp.update(done_at=ticked_at).where(FollowUp.id == quote.id).execute()
    question = Question.get()
    Question.update(asked_at=ticked_at).where(Question.id == question.id).execute()
    hobby = PersonalDetail.get()

    edited = conversations.edit(
        logged.conversation.id,
        "Call, revised\n[ ] send the quote by Friday\n[ ] call Rob\n? budget owner\n"
        "+hobby: chess\n+pet: cat")
    assert edited.conversation.summary == "Call, revised"
    kept = FollowUp.get_by_id(quote.id)
    assert (kept.done_at, kept.due) == (ticked_at, date(2026, 11, 27))
    assert Question.get_by_id(question.id).asked_at == ticked_at
    assert PersonalDetail.get(PersonalDetail.kind == "hobby").id == hobby.id
    assert FollowUp.get_or_none(FollowUp.text == "call Bob") is None
    rob = FollowUp.get(FollowUp.text == "call Rob")
    assert rob.done_at is None and rob.conversation_id == logged.conversation.id
    assert PersonalDetail.get(PersonalDetail.kind == "pet").text == "cat"
    assert edited.before is not None
    assert [(r.kind, r.text) for r in edited.records] == [
        ("i-owe", "send the quote"), ("i-owe", "call Rob"), ("question", "budget owner"),
        ("detail", "chess"), ("detail", "cat")]


def test_edit_changing_the_date_rereads_due_phrases(zoe):
    logged = log(zoe, "[ ] send the quote by Friday\n[them] sign due in 2 weeks\n"
                      "[ ] plain by next week", at=ON)
    ids = {f.text: f.id for f in FollowUp.select()}
    assert {f.text: f.due for f in FollowUp.select()} == {
        "send the quote": date(2026, 11, 27), "sign": date(2026, 12, 4),
        "plain": date(2026, 11, 23)}
    later = date(2026, 11, 27)  # a Friday: the next Friday is a week on
    edited = conversations.edit(logged.conversation.id, at=later)
    assert edited.conversation.day == later
    assert {f.text: f.due for f in FollowUp.select()} == {
        "send the quote": date(2026, 12, 4), "sign": date(2026, 12, 11),
        "plain": date(2026, 11, 30)}
    assert {f.text: f.id for f in FollowUp.select()} == ids  # the same records, re-dated


def test_edit_changing_the_date_moves_what_was_mentioned(zoe):
    logged = log(zoe, "+hobby: chess\n+need: SSO\n[x] nothing open yet", at=ON)
    later = ON + timedelta(days=5)
    conversations.edit(logged.conversation.id, at=later)
    assert PersonalDetail.get().mentioned_at == noon_utc(later)
    assert SalesFact.get().confirmed_at == noon_utc(later)
    assert FollowUp.get().done_at == noon_utc(later)


def test_edit_other_fields_and_validation(zoe):
    conv = log(zoe, "[ ] a").conversation
    edited = conversations.edit(conv.id, channel="video", minutes=12, milestone=True)
    assert (edited.conversation.channel, edited.conversation.minutes,
            edited.conversation.milestone) == ("video", 12, True)
    assert edited.records == ()
    with pytest.raises(ValidationError) as info:
        conversations.edit(conv.id, summary="x")
    assert info.value.code == "unknown_field"
    with pytest.raises(ValidationError):
        conversations.edit(conv.id, channel="fax")
    with pytest.raises(NotFound):
        conversations.edit(conv.id + 100, "x")


def test_edit_replaces_a_close(zoe):
    log(zoe, "[ ] send the quote\n[ ] book the room")
    closing = log(zoe, "[x] send the quote", at=ON + timedelta(days=1)).conversation
    conversations.edit(closing.id, "[x] book the room")
    assert FollowUp.get(FollowUp.text == "send the quote").done_at is None
    assert FollowUp.get(FollowUp.text == "book the room").closed_in_id == closing.id


# --- delete, put back, revert ------------------------------------------------------------------


def test_delete_removes_records_and_reopens_what_it_closed(zoe, jurgen):
    first = log(zoe, "[ ] send the quote\n? budget owner\n#pricing").conversation
    second = log(zoe, "Follow-up call #pricing #security\n[x] send the quote\n[x] budget\n"
                      "[ ] new task\n+pet: cat", at=ON + timedelta(days=1),
                 with_ids=[jurgen]).conversation
    assert FollowUp.get(FollowUp.text == "send the quote").closed_in_id == second.id
    state, changes = conversations.delete(second.id)
    assert changes.customers == {zoe, jurgen}
    assert Conversation.get_or_none(Conversation.id == second.id) is None
    quote = FollowUp.get(FollowUp.text == "send the quote")
    assert (quote.done_at, quote.closed_in_id) == (None, None)
    question = Question.get()
    assert (question.asked_at, question.asked_in_id) == (None, None)
    assert FollowUp.get_or_none(FollowUp.text == "new task") is None
    assert PersonalDetail.select().count() == 0
    assert ConversationParticipant.select().count() == 0
    assert sorted(t.name for t in Topic.select()) == ["pricing"]  # #security was only there
    assert conversations.timeline(jurgen) == ()
    assert Customer.get_by_id(zoe).last_reached_at == noon_utc(ON)
    assert state.conversation_id == second.id
    with pytest.raises(NotFound):
        conversations.delete(second.id)
    conversations.delete(first.id)
    assert Topic.select().count() == 0


def _story(zoe: int, jurgen: int) -> tuple[int, int, int]:
    """Three conversations that close, share and participate in each other's records."""
    first = log(zoe, "Intro #pricing\n[ ] send the quote\n[them] send the PO\n? budget owner",
                at=ON).conversation.id
    middle = log(zoe, "Review #pricing #Sicherheit\n[x] send the quote\n[x] budget\n"
                      "[ ] book the demo by Friday\n+family: son Øyvind\n+need: SSO\n"
                      "+style: brief\n+unsaid: price\n+send: book https://example.com\n"
                      "[x] nothing matches this", at=ON + timedelta(days=1),
                 with_ids=[jurgen]).conversation.id
    last = log(zoe, "Demo #Sicherheit\n[x] book the demo", at=ON + timedelta(days=2),
               reached=False).conversation.id
    FollowUp.update(done_at=datetime(2026, 11, 23, 8)).where(
        FollowUp.text == "send the PO").execute()
    return first, middle, last


@pytest.mark.parametrize("which", [0, 1, 2])
def test_put_back_restores_exactly(zoe, jurgen, which):
    ids = _story(zoe, jurgen)
    before = dump()
    state, _ = conversations.delete(ids[which])
    assert dump() != before
    changes = conversations.put_back(state)
    assert zoe in changes.customers
    assert dump() == before
    # ...and can be deleted and put back again.
    state, _ = conversations.delete(ids[which])
    conversations.put_back(state)
    assert dump() == before


def test_put_back_in_reverse_order(zoe, jurgen):
    ids = _story(zoe, jurgen)
    before = dump()
    states = [conversations.delete(cid)[0] for cid in ids]
    assert Conversation.select().count() == 0
    assert Topic.select().count() == 0
    for state in reversed(states):
        conversations.put_back(state)
    assert dump() == before


def test_put_back_after_the_topic_came_back(zoe):
    """A topic deleted with its conversation and used again since: put back links to it."""
    first = log(zoe, "Intro #pricing #budget").conversation.id
    log(zoe, "#other", at=ON + timedelta(days=1))  # keeps the ids of `first` from coming back
    state, _ = conversations.delete(first)
    again = log(zoe, "Again #Pricing", at=ON + timedelta(days=2)).conversation.id
    conversations.put_back(state)
    assert sorted(t.fold for t in Topic.select()) == ["budget", "other", "pricing"]
    assert sorted(conversations.get(first).topics, key=str.lower) == ["budget", "Pricing"]
    assert conversations.get(again).topics == ("Pricing",)
    conversations.delete(again)
    assert conversations.get(first).topics == ("Pricing", "budget")


def test_revert_restores_the_pre_edit_state_and_returns_redo(zoe, jurgen):
    first, middle, last = _story(zoe, jurgen)
    before = dump()
    third = add("Kari Sæther")
    before_third = dump()
    edited = conversations.edit(
        middle, "Review, corrected #Kosten\n[x] book\n[ ] book the demo by Friday\n"
                "+family: son Øyvind\n? new question", at=ON + timedelta(days=3),
        with_ids=[third], channel="video")
    after = dump()
    assert after != before_third
    redo, changes = conversations.revert(edited.before)
    assert changes.customers >= {zoe, jurgen, third}
    assert dump() == before_third
    again, _ = conversations.revert(redo)
    assert dump() == after
    conversations.revert(again)
    assert dump() == before_third
    assert {k: v for k, v in dump().items() if k != "customer"} == {
        k: v for k, v in before.items() if k != "customer"}


def test_topics_only_used_by_a_deleted_conversation_are_removed(zoe):
    keep = log(zoe, "#shared #mine").conversation.id
    gone = log(zoe, "#Shared #only-here", at=ON + timedelta(days=1)).conversation.id
    conversations.delete(gone)
    assert sorted(t.fold for t in Topic.select()) == ["mine", "shared"]
    conversations.edit(keep, "no topics any more")
    assert Topic.select().count() == 0


# --- all or nothing ----------------------------------------------------------------------------


def test_failing_log_leaves_nothing_half_written(zoe, jurgen, monkeypatch):
    """The log path writes a table at a time (``note_writer.insert_rows``): the third
    insert of the note's records fails after the conversation, its participants, topics
    and links are written."""
    before = dump()
    real = note_writer.insert_rows
    calls = {"n": 0}

    def flaky(model, rows, returning="id"):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk on fire")
        return real(model, rows, returning)

    monkeypatch.setattr(note_writer, "insert_rows", flaky)
    with pytest.raises(RuntimeError):
        log(zoe, EVERY_MARKER, with_ids=[jurgen])
    assert calls["n"] == 3
    assert Conversation.select().count() == 0
    assert dump() == before


def test_failing_edit_leaves_the_conversation_as_it_was(zoe, monkeypatch):
    log(zoe, "[ ] send the quote")
    conv = log(zoe, "First\n[x] send\n? q", at=ON + timedelta(days=1)).conversation
    before = dump()

    def broken(conv, item):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(note_records, "_create", broken)
    with pytest.raises(RuntimeError):
        conversations.edit(conv.id, "Second #new\n? other question", at=ON)
    assert dump() == before
