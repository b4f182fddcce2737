"""The brief and the timeline as read in one SQL statement each (issue 9): what the rows the
statement returns must still mean, case by case, where the ORM version read each table on
its own (see ``core/briefing_sql.py``).

The rules themselves are tested in test_briefing.py; these are the cases the statement
could get wrong: a history longer than the conversations it reads first, conversations the
customer was present at, records dated by someone else's conversation, settings read with
the brief, a customer without a style profile, and a timeline page's topics and people.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from dated_notebook import TODAY, add_customer, day, talk
from playhouse.test_utils import count_queries

from relnotebook.core import briefing_sql, conversations, settings
from relnotebook.core.briefing import Reminder, Style, brief_for
from relnotebook.core.clock import noon_utc
from relnotebook.core.models import (
    ConversationParticipant,
    FollowUp,
    PersonalDetail,
    Purchase,
    Question,
    SalesFact,
    Setting,
    StyleNote,
    ThoughtfulThing,
    Unsaid,
)

HEAD = briefing_sql.HEAD


def _queries(action) -> int:
    with count_queries() as counter:
        action()
    return counter.count


def test_a_run_of_unanswered_attempts_longer_than_the_head(notebook):
    """The newest conversations are all attempts: the reached ones before them, the talk
    balance and the whole streak still come out, with one more statement."""
    cid = add_customer(key_client=True)
    for n, who in enumerate(["them", "me", "me", "them", "me", "me"]):
        talk(cid, day(-200 + n), talk=who, minutes=10 + n, summary=f"reached {n}")
    attempts = HEAD + 5
    for n in range(attempts):
        talk(cid, day(-attempts + n), reached=False, channel="email" if n % 2 else "call")
    b = brief_for(cid, TODAY)
    assert b.header.last_talked == day(-195)
    assert b.last_conversation is not None and b.last_conversation.summary == "reached 5"
    assert b.reminders == (
        Reminder("talk_most", 4, 5),
        Reminder("unanswered", attempts, None, day(-attempts), ("call", "email")))
    assert (b.style.typical_minutes, b.style.logged_count) == (12.5, 6)
    assert b.story.first_talked == day(-200)
    assert _queries(lambda: brief_for(cid, TODAY)) == 2


def test_recent_conversations_set_beyond_the_head(notebook):
    settings.set("recent_conversations", 40)
    cid = add_customer()
    for n in range(45):  # the newest 40 (5 to 44): "me" on the odd ones and the 6th, 21
        talk(cid, day(-45 + n), talk="me" if n % 2 or n == 6 else "them")
    (reminder,) = brief_for(cid, TODAY).reminders
    assert (reminder.kind, reminder.count, reminder.out_of) == ("talk_most", 21, 40)


def test_conversations_they_were_present_at_count_everywhere(notebook):
    """Minutes, the first talk, milestones, topics and records of a conversation logged
    under another customer, with this one present."""
    them = add_customer("Present Person")
    host = add_customer("Host Person")
    talk(them, day(-20), minutes=10, summary="own call")
    shared = talk(host, day(-30), minutes=30, milestone=True, summary="joint visit",
                  channel="visit")
    ConversationParticipant.create(conversation=shared, customer=them)
    detail = PersonalDetail.create(customer=them, conversation=shared, text="likes sailing",
                                   kind="hobby", mentioned_at=noon_utc(day(-30)),
                                   created_at=noon_utc(day(-1)))
    b = brief_for(them, TODAY)
    assert (b.style.typical_minutes, b.style.logged_count) == (20.0, 2)
    assert b.story.first_talked == day(-30)
    assert [(m.summary, m.on, m.channel) for m in b.story.milestones] == [
        ("joint visit", day(-30), "visit")]
    assert [(d.id, d.mentioned_on) for d in b.details] == [(detail.id, day(-30))]
    assert b.header.last_talked == day(-20)


def test_records_are_dated_by_their_conversation_only_when_it_is_the_customers(notebook):
    cid = add_customer()
    stranger = add_customer("Someone Else")
    tomorrow_theirs = talk(cid, day(1))
    tomorrow_stranger = talk(stranger, day(1))
    typed = {"created_at": noon_utc(day(-3))}
    # Dated by the customer's own conversation, tomorrow: not in today's brief.
    for model, extra in ((FollowUp, {"owner": "me"}), (Question, {}), (StyleNote, {}),
                         (Unsaid, {}), (ThoughtfulThing, {}),
                         (SalesFact, {"kind": "need", "confirmed_at": noon_utc(day(-3))}),
                         (PersonalDetail, {"kind": "hobby", "mentioned_at": noon_utc(day(-3))})):
        model.create(customer=cid, conversation=tomorrow_theirs, text="later", **typed, **extra)
        # A conversation that is not theirs dates nothing: typed three days ago, it shows.
        model.create(customer=cid, conversation=tomorrow_stranger, text="typed", **typed,
                     **extra)
    b = brief_for(cid, TODAY)
    sections = (b.i_owe, b.questions, b.unsaid, b.ideas, b.their_agenda, b.details)
    assert [[x.text for x in s] for s in sections] == [["typed"]] * len(sections)
    assert b.style.notes == ("typed",)
    assert b.i_owe[0].created_on == day(-3)
    assert brief_for(cid, day(1)).style.notes == ("typed", "later")  # newest first


def test_closed_later_is_still_open_today(notebook):
    cid = add_customer()
    conv = talk(cid, day(-5))
    later = noon_utc(day(2))
    FollowUp.create(customer=cid, conversation=conv, text="done later", owner="them",
                    done_at=later)
    FollowUp.create(customer=cid, conversation=conv, text="done", owner="them",
                    done_at=noon_utc(day(-1)))
    Question.create(customer=cid, conversation=conv, text="asked later", asked_at=later)
    ThoughtfulThing.create(customer=cid, conversation=conv, text="sent later", status="sent",
                           sent_at=later)
    Purchase.create(customer=cid, date=day(3), amount=Decimal("99.50"), currency="EUR",
                    description="later")
    b = brief_for(cid, TODAY)
    assert [f.text for f in b.they_owe] == ["done later"]
    assert [q.text for q in b.questions] == ["asked later"]
    assert [(t.text, t.sent) for t in b.ideas] == [("sent later", False)]
    assert b.last_sent is None and b.last_purchase is None and b.purchase_count == 0
    after = brief_for(cid, day(3))
    assert after.they_owe == () and after.questions == ()
    assert after.last_sent is not None and after.last_sent.sent_on == day(2)
    assert after.last_purchase is not None and after.last_purchase.amount == Decimal("99.50")


def test_settings_are_read_with_the_brief(notebook):
    cid = add_customer()
    for n in range(4):
        conversations.log(cid, f"Call #topic{n}", at=day(-10 + n))
    settings.set("default_call_minutes", 25)
    settings.set("recent_conversations", 2)
    b = brief_for(cid, TODAY)
    assert b.style.planned_minutes == 25 and b.style.planned_is_default
    assert [t.name for t in b.topics] == ["topic3", "topic2"]
    # A damaged value is the default, as settings.get_all() has it.
    Setting.update(value='"many"').where(Setting.key == "recent_conversations").execute()
    assert [t.name for t in brief_for(cid, TODAY).topics] == [
        "topic3", "topic2", "topic1", "topic0"]


def test_a_customer_without_a_style_profile(notebook):
    cid = add_customer()
    talk(cid, day(-1), minutes=12)
    assert brief_for(cid, TODAY).style == Style(
        "", "", "", "", settings.get("default_call_minutes"), True, 12.0, 1, None, "", "", ())


def test_a_timeline_page_with_topics_and_the_others_present(notebook):
    host = add_customer("Host Person")
    bea, abe = add_customer("Bea Present"), add_customer("Abe Present")
    first = conversations.log(host, "Kickoff #zeta #alpha #mid", at=day(-3),
                              with_ids=[bea, abe]).conversation
    for n in range(5):
        conversations.log(host, f"Call {n}", at=datetime.combine(day(-2), time(9 + n)))
    page = conversations.timeline(host, limit=2, offset=4)
    assert [c.summary for c in page] == ["Call 0", "Kickoff #zeta #alpha #mid"]
    assert page[1].topics == ("zeta", "alpha", "mid")
    assert page[1].participants == tuple(sorted(((bea, "Bea Present"), (abe, "Abe Present"))))
    assert page[1] == conversations.get(first.id)
    (theirs,) = conversations.timeline(abe)
    assert (theirs.id, theirs.customer_id, theirs.customer_name) == (
        first.id, host, "Host Person")
    assert (conversations.count_for(host), conversations.count_for(abe)) == (6, 1)
    assert conversations.timeline(host, limit=10, offset=6) == ()
    assert len(conversations.timeline(host, offset=1)) == 5
