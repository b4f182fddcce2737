"""Who to call today, and why (DESIGN §5): each reason on fixed dates, with its boundaries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from dated_notebook import CREATED, TODAY, add_customer, day, talk

from relnotebook.core import agenda, brief_render, conversations, customers, settings
from relnotebook.core.agenda import AgendaEntry, Reason, ReasonKind, for_day
from relnotebook.core.clock import noon_utc
from relnotebook.core.db import database
from relnotebook.core.models import Conversation, Customer, FollowUp, PersonalDetail, Purchase


def followup(cid: int, text: str, due: date | None, owner: str = "me",
             conv: Conversation | None = None, **fields: Any) -> FollowUp:
    fields.setdefault("created_at", noon_utc(CREATED))
    return FollowUp.create(customer=cid, conversation=conv, text=text, due=due, owner=owner,
                           **fields)


def detail(cid: int, text: str, day_: int, month: int, year: int | None = None,
           conv: Conversation | None = None) -> PersonalDetail:
    return PersonalDetail.create(customer=cid, conversation=conv, text=text, kind="date",
                                 day=day_, month=month, year=year,
                                 mentioned_at=noon_utc(CREATED), created_at=noon_utc(CREATED))


def buy(cid: int, on: date, amount: str, description: str = "licences") -> Purchase:
    return Purchase.create(customer=cid, date=on, amount=Decimal(amount), currency="EUR",
                           description=description)


def reasons(today: date = TODAY) -> dict[str, list[Reason]]:
    """Reasons of the day by customer name."""
    return {e.full_name: list(e.reasons) for e in for_day(today)}


def only(name: str, today: date = TODAY) -> Reason:
    (reason,) = reasons(today)[name]
    return reason


# --- a follow-up I owe -----------------------------------------------------------------------


def test_followup_due_today_and_overdue(notebook):
    cid = add_customer("Ann")
    due_today = followup(cid, "send the quote", TODAY)
    reason = only("Ann")
    assert reason.kind == ReasonKind.FOLLOWUP_DUE
    assert reason.as_dict() == {"followup_id": due_today.id, "text": "send the quote",
                                "due": TODAY, "days_overdue": 0}
    assert only("Ann", day(3)).param("days_overdue") == 3
    assert "Ann" not in reasons(day(-1))  # due tomorrow: not yet


def test_followups_only_keeps_the_followup_reasons_and_nothing_else(notebook):
    ann, bob = add_customer("Ann"), add_customer("Bob", key_client=True)
    followup(ann, "send the quote", TODAY - timedelta(days=2))
    followup(bob, "they send the PO", TODAY - timedelta(days=5), owner="them")
    detail(ann, "birthday", TODAY.day, TODAY.month)
    full = for_day(TODAY)
    assert {r.kind for e in full for r in e.reasons} > {ReasonKind.FOLLOWUP_DUE,
                                                         ReasonKind.IMPORTANT_DATE}
    kinds = (ReasonKind.FOLLOWUP_DUE, ReasonKind.THEIR_FOLLOWUP_OVERDUE)
    expected = [(e.full_name, r) for e in full for r in e.reasons if r.kind in kinds]
    found = [(e.full_name, r) for e in for_day(TODAY, followups_only=True) for r in e.reasons]
    assert sorted(found, key=repr) == sorted(expected, key=repr)
    assert len(found) == 2


def test_followup_done_or_undated_is_no_reason(notebook):
    cid = add_customer("Ann")
    followup(cid, "no date", None)
    followup(cid, "done", day(-3), done_at=noon_utc(day(-1)))
    assert reasons() == {}


def test_followup_as_of_today(notebook):
    cid = add_customer("Ann")
    later = talk(cid, day(2))
    followup(cid, "noted in a later call", day(-1), conv=later)
    followup(cid, "typed in later", day(-1), created_at=noon_utc(day(1)))
    followup(cid, "done only later", day(-1), done_at=noon_utc(day(2)), closed_in=later)
    assert [r.param("text") for r in reasons()["Ann"]] == ["done only later"]


# --- a follow-up they owe --------------------------------------------------------------------


def test_their_followup_is_a_nudge_once_overdue(notebook):
    cid = add_customer("Ann")
    followup(cid, "send the PO", TODAY, owner="them")
    assert "Ann" not in reasons()  # due today: they still have today
    reason = only("Ann", day(1))
    assert reason.kind == ReasonKind.THEIR_FOLLOWUP_OVERDUE
    assert (reason.param("text"), reason.param("due"), reason.param("days_overdue")) == (
        "send the PO", TODAY, 1)


# --- cadence ---------------------------------------------------------------------------------


def test_cadence_due_exactly_at_cadence_for_key_clients(notebook):
    cid = add_customer("Key", key_client=True)
    talk(cid, day(-90))
    reason = only("Key")
    assert reason.kind == ReasonKind.CADENCE
    assert reason.as_dict() == {"cadence_days": 90, "due": TODAY, "days_overdue": 0,
                                "last_talked": day(-90)}
    assert "Key" not in reasons(day(-1))
    assert only("Key", day(5)).param("days_overdue") == 5


def test_cadence_own_value_wins_and_setting_changes_the_default(notebook):
    own = add_customer("Own", key_client=True, cadence_days=30)
    talk(own, day(-30))
    key = add_customer("Key", key_client=True)
    talk(key, day(-60))
    plain = add_customer("Plain")
    talk(plain, day(-1000))
    assert set(reasons()) == {"Own"}
    settings.set("key_client_cadence_days", 60)
    assert set(reasons()) == {"Own", "Key"}
    assert only("Key").param("cadence_days") == 60


def test_cadence_unanswered_does_not_restart_the_clock(notebook):
    cid = add_customer("Key", key_client=True)
    talk(cid, day(-95))
    talk(cid, day(-2), reached=False)
    assert only("Key").param("days_overdue") == 5
    talk(cid, day(-1))
    assert "Key" not in reasons()


def test_cadence_runs_from_creation_without_conversations(notebook):
    add_customer("New", created=day(-10), cadence_days=10)
    add_customer("Newer", created=day(-9), cadence_days=10)
    reason = only("New")
    assert (reason.param("days_overdue"), reason.param("last_talked")) == (0, None)
    assert "Newer" not in reasons()


def test_cadence_as_of_a_past_day_ignores_later_conversations(notebook):
    cid = add_customer("Key", key_client=True)
    talk(cid, day(-100))
    talk(cid, day(3))  # stored last_reached_at is after TODAY
    assert only("Key").param("days_overdue") == 10
    assert only("Key").param("last_talked") == day(-100)
    assert "Key" not in reasons(day(3))


def test_cadence_as_of_counts_participations(notebook):
    main = add_customer("Main")
    guest = add_customer("Guest", key_client=True)
    conversations.log(guest, "old call", at=day(-100))
    conversations.log(main, "joint meeting", at=day(-20), with_ids=[guest])
    conversations.log(guest, "later call", at=day(5))
    assert "Guest" not in reasons()  # the joint meeting 20 days ago counts for the guest
    assert Customer.get_by_id(guest).last_reached_at > noon_utc(TODAY)


# --- post-purchase check-in ------------------------------------------------------------------


def test_checkin_after_the_delay_with_no_reached_conversation_since(notebook):
    cid = add_customer("Buyer")
    talk(cid, day(-14))  # the sale itself, on the purchase day
    buy(cid, day(-14), "1000.00")
    reason = only("Buyer")
    assert reason.kind == ReasonKind.PURCHASE_CHECKIN
    assert reason.as_dict() == {
        "purchase_id": Purchase.get().id, "amount": Decimal("1000.00"), "currency": "EUR",
        "description": "licences", "purchase_date": day(-14), "due": TODAY, "days_overdue": 0}
    assert "Buyer" not in reasons(day(-1))  # 13 days after
    assert only("Buyer", day(10)).param("days_overdue") == 10


def test_checkin_boundaries(notebook):
    small = add_customer("Small")
    buy(small, day(-30), "999.99")
    called = add_customer("Called")
    buy(called, day(-30), "5000.00")
    talk(called, day(-29))
    tried = add_customer("Tried")
    buy(tried, day(-30), "5000.00")
    talk(tried, day(-29), reached=False)
    later = add_customer("Later")
    buy(later, day(-30), "5000.00")
    talk(later, day(2))  # after TODAY: does not count yet
    assert set(reasons()) == {"Tried", "Later"}
    settings.set("purchase_threshold", 900)
    settings.set("purchase_checkin_days", 31)
    assert set(reasons()) == set()
    assert set(reasons(day(1))) == {"Small", "Tried", "Later"}


def test_checkin_names_the_newest_large_purchase(notebook):
    cid = add_customer("Buyer")
    buy(cid, day(-60), "3000.00", "first")
    buy(cid, day(-20), "8000.00", "second")
    buy(cid, day(-20), "2000.00", "same day, smaller")
    buy(cid, day(-5), "9000.00", "too recent")
    buy(cid, day(-2), "10.00", "small")
    reason = only("Buyer")
    assert (reason.param("description"), reason.param("amount")) == ("second", Decimal("8000"))


# --- important dates -------------------------------------------------------------------------


def test_important_date_within_seven_days_including_today(notebook):
    cid = add_customer("Ann")
    detail(cid, "birthday 10 March", 10, 3)
    detail(cid, "anniversary 17 March", 17, 3, 2001)
    detail(cid, "too far: 18 March", 18, 3)
    found = reasons()["Ann"]
    assert [r.kind for r in found] == [ReasonKind.IMPORTANT_DATE] * 2
    assert [(r.param("text"), r.param("next_on"), r.param("days_until")) for r in found] == [
        ("birthday 10 March", TODAY, 0), ("anniversary 17 March", day(7), 7)]
    assert found[1].param("year") == 2001 and found[1].param("kind") == "date"
    assert [r.param("text") for r in reasons(day(1))["Ann"]] == [
        "anniversary 17 March", "too far: 18 March"]


def test_important_date_crossing_the_year(notebook):
    cid = add_customer("Ann")
    detail(cid, "new year's day", 1, 1)
    reason = only("Ann", date(2026, 12, 28))
    assert (reason.param("next_on"), reason.param("days_until")) == (date(2027, 1, 1), 4)


@pytest.mark.parametrize(
    ("today", "next_on"),
    [
        (date(2026, 2, 25), date(2026, 2, 28)),  # not a leap year: falls on 28 February
        (date(2026, 2, 28), date(2026, 2, 28)),
        (date(2028, 2, 25), date(2028, 2, 29)),  # a leap year
        (date(2028, 2, 22), date(2028, 2, 29)),
    ],
)
def test_birthday_on_29_february(notebook, today, next_on):
    cid = add_customer("Leap")
    detail(cid, "birthday 29 February", 29, 2)
    reason = only("Leap", today)
    assert (reason.param("next_on"), reason.param("days_until")) == (
        next_on, (next_on - today).days)


def test_29_february_not_listed_on_1_march_nor_too_early(notebook):
    cid = add_customer("Leap")
    detail(cid, "birthday 29 February", 29, 2)
    assert reasons(date(2026, 3, 1)) == {}
    assert reasons(date(2028, 2, 21)) == {}  # 8 days ahead


def test_a_dated_event_to_come_happens_once(notebook):
    cid = add_customer("Ann")
    detail(cid, "moves office 2026-03-12", 12, 3, 2026)
    detail(cid, "trade fair 2027-03-13", 13, 3, 2027)
    assert [r.param("text") for r in reasons()["Ann"]] == ["moves office 2026-03-12"]


def test_important_date_mentioned_after_today_is_left_out(notebook):
    cid = add_customer("Ann")
    later = talk(cid, day(2))
    detail(cid, "birthday 12 March", 12, 3, conv=later)
    assert reasons() == {}
    assert only("Ann", day(2)).param("days_until") == 0


# --- the list --------------------------------------------------------------------------------


def test_every_reason_of_a_customer_in_one_entry(notebook):
    cid = add_customer("Zoë Ångström", company="Acme AB", key_client=True)
    talk(cid, day(-95))
    followup(cid, "send the quote", day(-2))
    followup(cid, "send the PO", day(-4), owner="them")
    buy(cid, day(-80), "20000.00")
    detail(cid, "birthday 12 March", 12, 3)
    (entry,) = for_day(TODAY)
    assert (entry.full_name, entry.company, entry.key_client) == (
        "Zoë Ångström", "Acme AB", True)
    assert [r.kind for r in entry.reasons] == list(ReasonKind)
    assert entry.days_overdue == 66  # the check-in: due 14 days after day -80
    text = brief_render.agenda_to_text(for_day(TODAY))
    assert text.splitlines() == [
        "Zoë Ångström (Acme AB) · key client",
        "  - follow-up overdue by 2 days: send the quote",
        "  - time to call: overdue by 5 days (every 90 days, last talked 2025-12-05)",
        "  - check in after their purchase of 20,000.00 EUR (licences) on 2025-12-20:"
        " no call since",
        "  - coming up in 2 days (2026-03-12): birthday 12 March",
        "  - nudge: they promised \"send the PO\", overdue by 4 days (2026-03-06)",
    ]


def test_order_by_days_overdue_then_key_clients_then_name(notebook):
    for name, key, overdue in [("Bea", False, 3), ("Cem", True, 3), ("Abe", False, 3),
                               ("Dan", False, 10), ("Eve", True, 0)]:
        cid = add_customer(name, key_client=key)
        talk(cid, day(-1))  # so that cadence is not a reason here
        followup(cid, "call back", day(-overdue))
    birthday = add_customer("Fay")
    detail(birthday, "birthday", TODAY.day + 2, TODAY.month)
    assert [(e.full_name, e.days_overdue) for e in for_day(TODAY)] == [
        ("Dan", 10), ("Cem", 3), ("Abe", 3), ("Bea", 3), ("Eve", 0), ("Fay", -2)]


def test_archived_customers_never_appear(notebook):
    cid = add_customer("Gone", key_client=True)
    talk(cid, day(-400))
    followup(cid, "x", day(-1))
    followup(cid, "y", day(-5), owner="them")
    buy(cid, day(-30), "9000.00")
    detail(cid, "birthday", TODAY.day, TODAY.month)
    assert len(reasons()["Gone"]) == 5
    customers.archive(cid)
    assert for_day(TODAY) == ()


def test_empty_notebook(notebook):
    assert for_day(TODAY) == ()
    assert brief_render.agenda_to_text(()) == ""


def test_entries_are_frozen(notebook):
    followup(add_customer("Ann"), "x", TODAY)
    (entry,) = for_day(TODAY)
    assert isinstance(entry, AgendaEntry)
    with pytest.raises(AttributeError):
        entry.days_overdue = 3  # type: ignore[misc]


def test_query_count_does_not_grow_with_customers(notebook, monkeypatch):
    """Set-based: a handful of queries for the whole notebook, never one per customer."""
    def populate(start: int, count: int) -> None:
        for n in range(start, start + count):
            cid = add_customer(f"Customer {n}", key_client=n % 2 == 0, cadence_days=None)
            talk(cid, day(-100 - n))
            talk(cid, day(3))  # after TODAY: the as-of clock is recomputed
            followup(cid, "x", day(-n % 5))
            followup(cid, "y", day(-3), owner="them", done_at=noon_utc(day(4)))
            buy(cid, day(-20 - n), "5000.00")
            detail(cid, "birthday", (TODAY + timedelta(days=n % 7)).day, TODAY.month)

    def count_queries() -> int:
        calls = []
        original = database.execute_sql

        def counting(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
            calls.append(sql)
            return original(sql, params, *args, **kwargs)

        monkeypatch.setattr(database, "execute_sql", counting)
        for_day(TODAY)
        monkeypatch.setattr(database, "execute_sql", original)
        return len(calls)

    populate(0, 5)
    few = count_queries()
    populate(5, 45)
    assert len(for_day(TODAY)) == 50
    assert count_queries() == few
    assert few <= 15


def test_important_date_helper():
    found = agenda.important_date(7, "birthday", "date", 29, 2, None, date(2027, 2, 27))
    assert found is not None
    assert (found.next_on, found.days_until, found.detail_id) == (date(2027, 2, 28), 1, 7)
    assert agenda.important_date(7, "no day", "date", None, 2, None, TODAY) is None
