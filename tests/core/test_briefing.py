"""The before-you-call brief (DESIGN §5), on fixed dates, and its three renderings."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from dated_notebook import CREATED, TODAY, add_customer, day, talk

from relnotebook.core import brief_render, conversations, customers, settings
from relnotebook.core.agenda import next_date
from relnotebook.core.briefing import Brief, brief_for
from relnotebook.core.clock import noon_utc
from relnotebook.core.errors import NotFound
from relnotebook.core.models import (
    Conversation,
    FollowUp,
    PersonalDetail,
    Purchase,
    Question,
    SalesFact,
    StyleNote,
    StyleProfile,
    ThoughtfulThing,
    Unsaid,
)


def record(model: Any, cid: int, conv: Conversation | None = None, text: str = "x",
           **fields: Any) -> Any:
    """A note record; without a conversation it is dated by ``created_at`` (default: CREATED)."""
    fields.setdefault("created_at", noon_utc(CREATED))
    return model.create(customer=cid, conversation=conv, text=text, **fields)


def brief(cid: int, today: date = TODAY) -> Brief:
    return brief_for(cid, today)


# --- header ----------------------------------------------------------------------------------


def test_header_names_the_customer_and_the_last_reached_conversation(notebook):
    cid = add_customer(company="Acme AB", title="Head of Purchasing")
    talk(cid, day(-12), channel="meeting", summary="Kickoff")
    talk(cid, day(-2), channel="call", reached=False)  # an attempt is not "talked"
    h = brief(cid).header
    assert (h.full_name, h.company, h.title) == ("Zoë Ångström", "Acme AB", "Head of Purchasing")
    assert (h.last_talked, h.days_since_talked, h.last_channel) == (day(-12), 12, "meeting")


def test_header_without_any_conversation(notebook):
    h = brief(add_customer()).header
    assert (h.last_talked, h.days_since_talked, h.last_channel) == (None, None, "")
    assert h.cadence_days is None and h.next_date is None


def test_header_important_date_within_30_days(notebook):
    cid = add_customer()
    record(PersonalDetail, cid, text="birthday 9 April", kind="date", day=9, month=4,
           mentioned_at=noon_utc(CREATED))
    record(PersonalDetail, cid, text="anniversary 20 March", kind="date", day=20, month=3,
           mentioned_at=noon_utc(CREATED))
    h = brief(cid).header
    assert h.next_date is not None
    assert (h.next_date.text, h.next_date.next_on, h.next_date.days_until) == (
        "anniversary 20 March", date(2026, 3, 20), 10)
    assert brief(cid, date(2026, 3, 21)).header.next_date.days_until == 19  # 9 April
    assert brief(cid, date(2026, 3, 9)).header.next_date.next_on == date(2026, 3, 20)


def test_no_important_date_in_header_after_30_days(notebook):
    cid = add_customer()
    record(PersonalDetail, cid, text="birthday", kind="date", day=10, month=4,
           mentioned_at=noon_utc(CREATED))
    assert brief(cid).header.next_date is None  # 31 days ahead
    assert brief(cid, day(1)).header.next_date.days_until == 30


# --- cadence ---------------------------------------------------------------------------------


def cadence(cid: int, today: date = TODAY) -> tuple[int | None, date | None, int | None]:
    h = brief(cid, today).header
    return h.cadence_days, h.cadence_due, h.cadence_days_until


def test_key_client_defaults_to_90_days_and_is_due_today_exactly_at_cadence(notebook):
    cid = add_customer(key_client=True)
    talk(cid, day(-90))
    assert cadence(cid) == (90, TODAY, 0)
    assert cadence(cid, day(-1)) == (90, TODAY, 1)
    assert cadence(cid, day(3)) == (90, TODAY, -3)


def test_key_client_default_follows_the_setting(notebook):
    cid = add_customer(key_client=True)
    talk(cid, day(-90))
    settings.set("key_client_cadence_days", 60)
    assert cadence(cid) == (60, day(-30), -30)


def test_own_cadence_wins(notebook):
    cid = add_customer(key_client=True, cadence_days=30)
    talk(cid, day(-40))
    assert cadence(cid) == (30, day(-10), -10)
    assert cadence(add_customer("Other", cadence_days=14)) == (14, CREATED + timedelta(14),
                                                               (CREATED - TODAY).days + 14)


def test_reached_restarts_the_clock_unanswered_does_not(notebook):
    cid = add_customer(key_client=True)
    talk(cid, day(-100))
    talk(cid, day(-5), reached=False)
    assert cadence(cid) == (90, day(-10), -10)
    talk(cid, day(-1))
    assert cadence(cid) == (90, day(89), 89)


def test_without_conversation_the_clock_runs_from_creation(notebook):
    cid = add_customer(key_client=True, created=day(-95))
    assert cadence(cid) == (90, day(-5), -5)


def test_no_cadence_for_ordinary_customers(notebook):
    cid = add_customer()
    talk(cid, day(-400))
    assert cadence(cid) == (None, None, None)


# --- reminders -------------------------------------------------------------------------------


def test_talked_most_in_3_of_the_last_5_reached_conversations(notebook):
    cid = add_customer()
    for n, who in enumerate(["me", "me", "me", "me", "them", "me", "them", "me"]):
        talk(cid, day(-40 + n), talk=who)  # oldest first; the last five: them me them me + me
    talk(cid, day(-1), reached=False, talk="me")  # attempts do not count
    reminders = {r.kind: r for r in brief(cid).reminders}
    assert "talk_most" in reminders
    assert (reminders["talk_most"].count, reminders["talk_most"].out_of) == (3, 5)


def test_no_talk_reminder_at_2_of_5(notebook):
    cid = add_customer()
    for n, who in enumerate(["me", "me", "me", "them", "me", "them", "both", "me"]):
        talk(cid, day(-40 + n), talk=who)
    assert [r.kind for r in brief(cid).reminders] == []


def test_unanswered_attempts_since_the_first_of_them(notebook):
    cid = add_customer()
    talk(cid, day(-30))
    talk(cid, day(-20), reached=False, channel="call")
    talk(cid, day(-10), reached=False, channel="email")
    talk(cid, day(-5), reached=False, channel="call")
    (reminder,) = brief(cid).reminders
    assert (reminder.kind, reminder.count, reminder.since) == ("unanswered", 3, day(-20))
    assert reminder.channels == ("call", "email")


def test_one_unanswered_attempt_is_no_reminder(notebook):
    cid = add_customer()
    talk(cid, day(-30), reached=False)
    talk(cid, day(-20))
    talk(cid, day(-10), reached=False)
    assert brief(cid).reminders == ()


# --- how they like to talk -------------------------------------------------------------------


def test_style_profile_typical_length_and_notes(notebook):
    cid = add_customer()
    StyleProfile.create(customer=cid, formality="formal", pace="all-business",
                        preferred_channel="email", best_time="mornings", planned_minutes=20,
                        small_talk=False, avoid_topics="politics", lead_notes="ask first",
                        notes="numbers first")
    for n, minutes in enumerate([10, 30, 25, None]):
        talk(cid, day(-10 + n), minutes=minutes)
    talk(cid, day(-1), minutes=90, reached=False)  # an attempt has no length
    conv = talk(cid, day(-2))
    record(StyleNote, cid, conv, "prefers short calls")
    s = brief(cid).style
    assert (s.formality, s.pace, s.preferred_channel, s.best_time) == (
        "formal", "all-business", "email", "mornings")
    assert (s.planned_minutes, s.planned_is_default) == (20, False)
    assert (s.typical_minutes, s.logged_count) == (25, 3)  # median of 10, 25, 30
    assert (s.small_talk, s.avoid_topics, s.lead_notes) == (False, "politics", "ask first")
    assert s.notes == ("numbers first", "prefers short calls")


def test_typical_length_is_the_median_of_an_even_count(notebook):
    cid = add_customer()
    for n, minutes in enumerate([10, 20, 40, 15]):
        talk(cid, day(-10 + n), minutes=minutes)
    assert brief(cid).style.typical_minutes == 17.5


def test_planned_minutes_default_from_the_setting(notebook):
    cid = add_customer()
    s = brief(cid).style
    assert (s.planned_minutes, s.planned_is_default, s.typical_minutes) == (15, True, None)


# --- pick up where you left off --------------------------------------------------------------


def test_pick_up_last_summary_and_open_followups_split_and_ordered(notebook):
    cid = add_customer()
    older = talk(cid, day(-30), summary="First call")
    last = talk(cid, day(-7), summary="Talked rollout", channel="video")
    talk(cid, day(-1), reached=False, summary="no answer")
    record(FollowUp, cid, older, "undated", owner="me")
    record(FollowUp, cid, last, "due later", owner="me", due=day(5))
    record(FollowUp, cid, last, "due today", owner="me", due=TODAY)
    record(FollowUp, cid, older, "overdue a lot", owner="me", due=day(-3))
    record(FollowUp, cid, last, "overdue same day, newer", owner="me", due=day(-3))
    record(FollowUp, cid, older, "done", owner="me", due=day(-20),
           done_at=noon_utc(day(-7)), closed_in=last)
    record(FollowUp, cid, last, "send the PO", owner="them", due=day(-1))
    record(Question, cid, older, "who signs off?")
    record(Question, cid, older, "asked already", asked_in=last, asked_at=noon_utc(day(-7)))
    b = brief(cid)
    assert b.last_conversation is not None
    assert (b.last_conversation.summary, b.last_conversation.on,
            b.last_conversation.channel, b.last_conversation.days_ago) == (
        "Talked rollout", day(-7), "video", 7)
    assert [(f.text, f.days_overdue) for f in b.i_owe] == [
        ("overdue a lot", 3), ("overdue same day, newer", 3), ("due today", 0),
        ("due later", -5), ("undated", None)]
    assert [(f.text, f.owner, f.days_overdue) for f in b.they_owe] == [
        ("send the PO", "them", 1)]
    assert [q.text for q in b.questions] == ["who signs off?"]
    assert b.i_owe[0].created_on == day(-30)


# --- last topics -----------------------------------------------------------------------------


def test_last_topics_of_the_recent_five_conversations_newest_first(notebook):
    cid = add_customer()
    bodies = ["#ancient", "#pricing", "#rollout", "#pricing #golf", "nothing", "#rollout"]
    for n, body in enumerate(bodies):
        conversations.log(cid, body, at=day(-60 + 10 * n))
    topics = brief(cid).topics
    assert [(t.name, t.on, t.times) for t in topics] == [
        ("rollout", day(-10), 2), ("pricing", day(-30), 2), ("golf", day(-30), 1)]


# --- personal --------------------------------------------------------------------------------


def test_personal_details_most_recently_mentioned_first_and_upcoming_dates(notebook):
    cid = add_customer()
    first = talk(cid, day(-50))
    second = talk(cid, day(-5))
    record(PersonalDetail, cid, first, "daughter's wedding in June", kind="family",
           mentioned_at=noon_utc(day(-50)))
    record(PersonalDetail, cid, second, "plays golf", kind="hobby",
           mentioned_at=noon_utc(day(-5)))
    record(PersonalDetail, cid, first, "birthday 1 March", kind="date", day=1, month=3,
           mentioned_at=noon_utc(day(-50)))
    record(PersonalDetail, cid, first, "birthday of son 12 March", kind="family", day=12,
           month=3, mentioned_at=noon_utc(day(-50)))
    b = brief(cid)
    assert [d.text for d in b.details][0] == "plays golf"
    assert {d.text for d in b.details[1:]} == {
        "daughter's wedding in June", "birthday 1 March", "birthday of son 12 March"}
    assert [(d.text, d.next_on, d.days_until) for d in b.upcoming] == [
        ("birthday of son 12 March", date(2026, 3, 12), 2),
        ("birthday 1 March", date(2027, 3, 1), 356)]


def test_birthday_on_29_february(notebook):
    cid = add_customer()
    record(PersonalDetail, cid, text="birthday 29 February", kind="date", day=29, month=2,
           mentioned_at=noon_utc(CREATED))
    (non_leap,) = brief(cid, date(2026, 2, 20)).upcoming
    assert (non_leap.next_on, non_leap.days_until) == (date(2026, 2, 28), 8)
    (leap,) = brief(cid, date(2028, 2, 20)).upcoming
    assert (leap.next_on, leap.days_until) == (date(2028, 2, 29), 9)
    (after,) = brief(cid, date(2026, 3, 1)).upcoming
    assert after.next_on == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("day_", "month", "year", "today", "expected"),
    [
        (14, 3, None, date(2026, 3, 14), date(2026, 3, 14)),  # today counts
        (14, 3, None, date(2026, 3, 15), date(2027, 3, 14)),
        (14, 3, 1980, date(2026, 3, 1), date(2026, 3, 14)),  # a birth year recurs
        (1, 5, 2027, date(2026, 3, 1), date(2027, 5, 1)),  # a date still to come is once
        (29, 2, None, date(2027, 1, 1), date(2027, 2, 28)),
        (29, 2, None, date(2028, 1, 1), date(2028, 2, 29)),
        (29, 2, 1992, date(2026, 2, 1), date(2026, 2, 28)),
        (31, 4, None, date(2026, 1, 1), None),  # no such day
        (31, 12, None, date(2026, 12, 31), date(2026, 12, 31)),
    ],
)
def test_next_date(day_, month, year, today, expected):
    assert next_date(day_, month, year, today) == expected


# --- their agenda ----------------------------------------------------------------------------


def test_sales_facts_by_kind_with_age_and_confirm(notebook):
    cid = add_customer()
    record(SalesFact, cid, text="Q3", kind="timeline", confirmed_at=noon_utc(day(-200)))
    record(SalesFact, cid, text="uptime", kind="hot_button", confirmed_at=noon_utc(day(-10)))
    record(SalesFact, cid, text="cheap", kind="need", confirmed_at=noon_utc(day(-10)),
           assumed=True)
    record(SalesFact, cid, text="exactly stale", kind="expectation",
           confirmed_at=noon_utc(day(-180)))
    record(SalesFact, cid, text="one day past", kind="agenda", confirmed_at=noon_utc(day(-181)))
    facts = [(f.kind, f.text, f.age_days, f.needs_confirm) for f in brief(cid).their_agenda]
    assert facts == [
        ("hot_button", "uptime", 10, False),
        ("timeline", "Q3", 200, True),
        ("need", "cheap", 10, True),
        ("expectation", "exactly stale", 180, False),
        ("agenda", "one day past", 181, True),
    ]


def test_fact_age_follows_the_setting(notebook):
    cid = add_customer()
    record(SalesFact, cid, text="Q3", kind="timeline", confirmed_at=noon_utc(day(-31)))
    settings.set("fact_stale_days", 30)
    assert brief(cid).their_agenda[0].needs_confirm


# --- unsaid, thoughtful things, purchases ----------------------------------------------------


def test_unsaid_and_thoughtful_things(notebook):
    cid = add_customer()
    old, new = talk(cid, day(-20)), talk(cid, day(-2))
    record(Unsaid, cid, old, "avoided the budget")
    record(Unsaid, cid, new, "hesitated on timing")
    record(ThoughtfulThing, cid, old, "recipe book", url="https://example.com/book")
    record(ThoughtfulThing, cid, old, "article", status="sent", sent_at=noon_utc(day(-15)),
           reaction="loved it")
    record(ThoughtfulThing, cid, old, "older gift", status="sent", sent_at=noon_utc(day(-19)))
    b = brief(cid)
    assert [(u.text, u.on) for u in b.unsaid] == [("hesitated on timing", day(-2)),
                                                  ("avoided the budget", day(-20))]
    assert [(t.text, t.url) for t in b.ideas] == [("recipe book", "https://example.com/book")]
    assert b.last_sent is not None
    assert (b.last_sent.text, b.last_sent.sent_on, b.last_sent.reaction) == (
        "article", day(-15), "loved it")


def purchase(cid: int, on: date, amount: str, currency: str = "EUR",
             description: str = "licences") -> Purchase:
    return Purchase.create(customer=cid, date=on, amount=Decimal(amount), currency=currency,
                           description=description)


def test_purchases_last_one_and_checkin_after_a_large_one(notebook):
    cid = add_customer()
    talk(cid, day(-30))
    purchase(cid, day(-25), "200.00", description="pilot")
    purchase(cid, day(-14), "12500.00")
    b = brief(cid)
    assert b.last_purchase is not None and b.purchase_count == 2
    assert (b.last_purchase.amount, b.last_purchase.currency, b.last_purchase.days_ago) == (
        Decimal("12500.00"), "EUR", 14)
    assert b.checkin is not None
    assert (b.checkin.purchase.on, b.checkin.due_on, b.checkin.days_overdue) == (
        day(-14), TODAY, 0)
    assert brief(cid, day(-1)).checkin is None  # 13 days after: not yet


def test_no_checkin_after_a_reached_conversation_or_below_threshold(notebook):
    cid = add_customer()
    purchase(cid, day(-20), "5000.00")
    talk(cid, day(-20))  # the day of the sale does not count as checking in
    assert brief(cid).checkin is not None
    talk(cid, day(-19), reached=False)
    assert brief(cid).checkin is not None
    talk(cid, day(-18))
    assert brief(cid).checkin is None
    small = add_customer("Small")
    purchase(small, day(-20), "999.99")
    assert brief(small).checkin is None
    settings.set("purchase_threshold", 900)
    assert brief(small).checkin is not None


# --- our story -------------------------------------------------------------------------------


def test_our_story(notebook):
    cid = add_customer(met_on=date(2019, 5, 3), met_where="Web Summit", introduced_by="Ola")
    talk(cid, date(2019, 5, 1), reached=False)
    talk(cid, date(2019, 5, 3), summary="Met at the booth")
    talk(cid, date(2021, 1, 4), summary="Signed the frame contract", milestone=True,
         channel="visit")
    talk(cid, date(2020, 2, 1), summary="First order", milestone=True)
    purchase(cid, date(2020, 2, 1), "2000.00", description="pilot")
    purchase(cid, date(2021, 1, 4), "20000.00")
    story = brief(cid).story
    assert (story.met_on, story.met_where, story.introduced_by) == (
        date(2019, 5, 3), "Web Summit", "Ola")
    assert story.first_talked == date(2019, 5, 3)
    assert story.first_purchase is not None
    assert (story.first_purchase.on, story.first_purchase.description) == (
        date(2020, 2, 1), "pilot")
    assert [(m.on, m.summary, m.channel) for m in story.milestones] == [
        (date(2020, 2, 1), "First order", "call"),
        (date(2021, 1, 4), "Signed the frame contract", "visit")]


# --- as of today -----------------------------------------------------------------------------


def test_records_after_today_are_left_out(notebook):
    cid = add_customer(key_client=True)
    past = talk(cid, day(-10), summary="past", talk="me")
    later = talk(cid, day(1), summary="tomorrow", milestone=True)
    record(FollowUp, cid, later, "from tomorrow's call", due=day(-1))
    record(FollowUp, cid, None, "typed tomorrow", created_at=noon_utc(day(1)), due=day(-1))
    record(FollowUp, cid, past, "done tomorrow", due=day(-1), done_at=noon_utc(day(1)),
           closed_in=later)
    record(Question, cid, past, "asked tomorrow", asked_in=later, asked_at=noon_utc(day(1)))
    record(Question, cid, later, "noted tomorrow")
    record(PersonalDetail, cid, later, "new hobby", kind="hobby",
           mentioned_at=noon_utc(day(1)))
    record(SalesFact, cid, later, "later fact", kind="need", confirmed_at=noon_utc(day(1)))
    record(Unsaid, cid, later, "later unsaid")
    purchase(cid, day(1), "50000.00")
    b = brief(cid)
    assert b.header.last_talked == day(-10)
    assert b.header.cadence_due == day(80)
    assert b.last_conversation is not None and b.last_conversation.summary == "past"
    assert [f.text for f in b.i_owe] == ["done tomorrow"]
    assert [q.text for q in b.questions] == ["asked tomorrow"]
    assert b.details == () and b.their_agenda == () and b.unsaid == ()
    assert b.last_purchase is None and b.story.milestones == ()
    assert brief(cid, day(1)).last_conversation.summary == "tomorrow"


def test_a_conversation_late_in_the_evening_is_still_today(notebook):
    cid = add_customer()
    Conversation.create(customer=cid, happened_at=noon_utc(TODAY) + timedelta(hours=11,
                                                                            minutes=59))
    assert brief(cid).header.last_talked == TODAY


def test_participants_see_the_conversation_too(notebook):
    main = add_customer("Main Person")
    other = add_customer("Other Person")
    conversations.log(main, "Joint meeting #budget", at=day(-3), channel="meeting",
                      with_ids=[other])
    b = brief(other)
    assert b.header.last_talked == day(-3)
    assert [t.name for t in b.topics] == ["budget"]


def test_unknown_customer(notebook):
    with pytest.raises(NotFound):
        brief_for(12345, TODAY)


# --- end to end with the capture syntax ------------------------------------------------------


NOTE = """Kickoff at their office
#pricing #rollout
[ ] send the price list by 2026-03-07
[ ] book the demo due 2026-03-10
[them] send the PO by 2026-03-05
? who signs off
+family: daughter's wedding in June
+date: birthday 14 March
+hot: uptime
+timeline: Q3 rollout
+style: numbers first
+unsaid: hesitated on budget
+send: vegetarian recipe book https://example.com/book
"""


@pytest.fixture
def logged(notebook) -> int:
    cid = add_customer(company="Acme AB", title="Head of Purchasing", key_client=True,
                       met_where="Web Summit", introduced_by="Ola")
    conversations.log(cid, "Intro call #pricing", at=date(2025, 12, 1), minutes=20, talk="me",
                      milestone=True)
    conversations.log(cid, NOTE, at=date(2026, 2, 26), minutes=30, talk="me", channel="meeting")
    conversations.log(cid, "Follow-up\n[x] send the price", at=date(2026, 3, 2), minutes=10,
                      talk="me")
    conversations.log(cid, "tried", at=date(2026, 3, 4), reached=False)
    conversations.log(cid, "tried again", at=date(2026, 3, 6), reached=False, channel="email")
    purchase(cid, date(2026, 2, 1), "12500.00")
    StyleProfile.create(customer=cid, formality="formal", pace="all-business",
                        preferred_channel="email", planned_minutes=20, small_talk=False)
    return cid


def test_every_section_filled_from_logged_notes(logged):
    b = brief(logged)
    assert b.header.last_talked == date(2026, 3, 2)
    assert b.header.next_date is not None and b.header.next_date.next_on == date(2026, 3, 14)
    assert {r.kind for r in b.reminders} == {"talk_most", "unanswered"}
    assert b.style.typical_minutes == 20 and b.style.notes == ("numbers first",)
    assert [f.text for f in b.i_owe] == ["book the demo"]  # the price list was closed
    assert b.i_owe[0].days_overdue == 0
    assert [(f.text, f.days_overdue) for f in b.they_owe] == [("send the PO", 5)]
    assert [q.text for q in b.questions] == ["who signs off"]
    assert [t.name for t in b.topics] == ["pricing", "rollout"]
    assert {d.kind for d in b.details} == {"family", "date"}
    assert [(f.kind, f.confirmed_on, f.needs_confirm) for f in b.their_agenda] == [
        ("hot_button", date(2026, 2, 26), False), ("timeline", date(2026, 2, 26), False)]
    assert [u.text for u in b.unsaid] == ["hesitated on budget"]
    assert [(t.text, t.url) for t in b.ideas] == [("vegetarian recipe book",
                                                   "https://example.com/book")]
    assert b.last_purchase is not None and b.checkin is None  # talked since the purchase
    assert [m.summary for m in b.story.milestones] == ["Intro call #pricing"]


def test_text_rendering_reads_like_a_brief(logged):
    text = brief_render.to_text(brief(logged))
    lines = text.splitlines()
    assert lines[0] == "Zoë Ångström"
    assert "Head of Purchasing, Acme AB · key client" in lines
    assert "Last talked 8 days ago (2026-03-02, call)" in lines
    assert "Coming up in 4 days (2026-03-14): birthday 14 March" in lines
    assert "! You did most of the talking in 3 of the last 3 conversations: let them lead." \
        in lines
    assert any(line.startswith("! 2 unanswered attempts since 2026-03-04") for line in lines)
    for heading in ("HOW THEY LIKE TO TALK", "PICK UP WHERE YOU LEFT OFF", "LAST TOPICS",
                    "PERSONAL", "THEIR AGENDA", "UNSAID", "THOUGHTFUL THINGS", "PURCHASES",
                    "OUR STORY"):
        assert heading in lines
    assert "- send the PO: overdue by 5 days (2026-03-05)" in lines
    assert "- book the demo: due today" in lines
    assert "Call length: plan 20 min; usually 20 min (3 conversations logged)" in text
    assert max(len(line) for line in lines) < 100


def test_empty_sections_are_left_out(notebook):
    cid = add_customer()
    text = brief_render.to_text(brief(cid))
    assert text == "Zoë Ångström\nNot talked yet\n"
    markdown = brief_render.to_markdown(brief(cid))
    assert "##" not in markdown


def test_markdown_headings(logged):
    markdown = brief_render.to_markdown(brief(logged))
    assert markdown.startswith("# Zoë Ångström\n")
    assert "\n## Pick up where you left off\n" in markdown
    assert "\n## Our story\n" in markdown


def test_json_rendering(logged):
    data = json.loads(brief_render.to_json(brief(logged)))
    assert data["schema_version"] == 1 and data["as_of"] == "2026-03-10"
    assert data["customer"]["full_name"] == "Zoë Ångström"
    assert data["customer"]["uuid"] == customers.get(logged).uuid
    assert data["pick_up"]["they_owe"][0] == {
        "text": "send the PO", "owner": "them", "due": "2026-03-05", "days_overdue": 5,
        "created_on": "2026-02-26"}
    assert data["purchases"]["last"]["amount"] == "12500.00"
    assert data["header"]["cadence_days"] == 90

    def keys(value: Any) -> set[str]:
        if isinstance(value, dict):
            return set(value) | {k for v in value.values() for k in keys(v)}
        if isinstance(value, list):
            return {k for v in value for k in keys(v)}
        return set()

    assert not {k for k in keys(data) if k == "id" or k.endswith("_id")}  # uuids only


def test_checkin_and_confirm_wording(notebook):
    cid = add_customer()
    purchase(cid, day(-20), "12500.00")
    record(SalesFact, cid, text="Q3", kind="timeline", assumed=True,
           confirmed_at=noon_utc(day(-3)))
    text = brief_render.to_text(brief(cid))
    assert ("! Check in: no call since they bought 12,500.00 EUR (licences) on 2026-02-18"
            " (overdue by 6 days)") in text
    assert "- Last: 12,500.00 EUR (licences) on 2026-02-18, 20 days ago (1 purchase in all)" \
        in text
    assert "- Purchase timeline: Q3 (3 days ago, assumed) — confirm" in text


def test_brief_is_a_frozen_snapshot(notebook):
    b = brief(add_customer())
    with pytest.raises(AttributeError):
        b.header.full_name = "x"  # type: ignore[misc]
    assert isinstance(b.header.uuid, str)
