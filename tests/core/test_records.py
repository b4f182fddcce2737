"""The card's services (core/records.py): each write validated, in one transaction, and
undoable with what it returns (previous values, or a snapshot that restores exactly)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from relnotebook.core import conversations, customers, followups, records, settings
from relnotebook.core.changes import Kind
from relnotebook.core.errors import NotFound, ValidationError
from relnotebook.core.models import FollowUp, Tag


@pytest.fixture
def cid(notebook) -> int:
    return customers.create("Zoë Ångström", company="Nordlys AS")[0].id


def _code(call, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value.code


# --- style profile -------------------------------------------------------------------------


def test_style_profile_made_on_first_write_and_undone_with_previous(cid):
    assert records.style(cid) == records.StyleView()
    previous, changes = records.update_style(cid, formality="formal", pace="chatty",
                                             planned_minutes="25", small_talk=True,
                                             avoid_topics=" politics ")
    assert previous == {"formality": "", "pace": "", "planned_minutes": None,
                        "small_talk": None, "avoid_topics": ""}
    assert changes.concerns(cid, Kind.STYLE)
    view = records.style(cid)
    assert (view.formality, view.pace, view.planned_minutes, view.small_talk,
            view.avoid_topics) == ("formal", "chatty", 25, True, "politics")
    records.update_style(cid, **previous)
    assert records.style(cid) == records.StyleView()


def test_style_rejects_values_outside_their_lists(cid):
    assert _code(records.update_style, cid, formality="posh") == "bad_formality"
    assert _code(records.update_style, cid, pace="slow") == "bad_pace"
    assert _code(records.update_style, cid, preferred_channel="pigeon") == "bad_preferred_channel"
    assert _code(records.update_style, cid, planned_minutes="0") == "bad_minutes"
    assert _code(records.update_style, cid, planned_minutes="ten") == "bad_minutes"
    assert _code(records.update_style, cid, colour="red") == "unknown_field"
    assert records.style(cid) == records.StyleView()


def test_planned_minutes_fall_back_to_the_notebook_default(cid):
    assert records.planned_minutes_for(cid) == 15
    settings.set("default_call_minutes", 20)
    assert records.planned_minutes_for(cid) == 20
    records.update_style(cid, planned_minutes=30)
    assert records.planned_minutes_for(cid) == 30


# --- personal details ----------------------------------------------------------------------


@pytest.mark.parametrize(("day", "month", "year"), [
    (31, 2, None), (29, 2, 2023), (30, 2, None), (1, 13, None), (0, 5, None), (12, None, None),
    (1, 1, 0), ("x", 1, None),
])
def test_impossible_dates_are_refused(cid, day, month, year):
    assert _code(records.add_detail, cid, "date", "birthday", day, month, year) == "bad_date"
    assert records.details(cid) == ()


def test_detail_dates_without_a_year_and_leap_days(cid):
    records.add_detail(cid, "date", "birthday", 29, 2)
    records.add_detail(cid, "family", "wedding", 29, 2, 2024)
    records.add_detail(cid, "life", "moved to Oslo", None, 6, None)
    got = {d.text: (d.day, d.month, d.year) for d in records.details(cid)}
    assert got == {"birthday": (29, 2, None), "wedding": (29, 2, 2024),
                   "moved to Oslo": (None, 6, None)}


def test_detail_update_returns_previous_and_delete_restores_exactly(cid):
    detail_id, changes = records.add_detail(cid, "pet", "a dog, Rex")
    assert changes.concerns(cid, Kind.DETAIL)
    previous, _ = records.update_detail(detail_id, text="a dog, Rexy", day=3, month=4)
    assert previous == {"text": "a dog, Rex", "day": None, "month": None, "year": None}
    assert _code(records.update_detail, detail_id, kind="weather") == "bad_detail_kind"
    assert _code(records.update_detail, detail_id, text="  ") == "empty_text"
    before = records.details(cid)
    rows, _ = records.delete_detail(detail_id)
    assert records.details(cid) == ()
    records.restore(rows)
    assert records.details(cid) == before
    with pytest.raises(NotFound):
        records.update_detail(9999, text="x")


# --- sales facts ---------------------------------------------------------------------------


def test_fact_assumed_then_confirmed_and_undone(cid):
    fact_id, _ = records.add_fact(cid, "hot_button", "delivery times", assumed=True)
    (fact,) = records.facts(cid)
    assert fact.assumed
    previous, changes = records.confirm_fact(fact_id)
    assert changes.concerns(cid, Kind.FACT)
    (confirmed,) = records.facts(cid)
    assert not confirmed.assumed and confirmed.confirmed_at >= fact.confirmed_at
    records.update_fact(fact_id, **previous)
    assert records.facts(cid) == (fact,)
    assert _code(records.add_fact, cid, "whim", "x") == "bad_fact_kind"


# --- purchases -----------------------------------------------------------------------------


def test_purchase_amounts_dates_and_currency(cid):
    pid, changes = records.add_purchase(cid, date(2026, 3, 1), "1234.5", " eur ", "forklift")
    assert changes.concerns(cid, Kind.PURCHASE)
    (p,) = records.purchases(cid)
    assert (p.date, p.amount, p.currency, p.description) == (
        date(2026, 3, 1), Decimal("1234.50"), "EUR", "forklift")
    assert _code(records.add_purchase, cid, date(2026, 3, 1), "-1") == "bad_amount"
    assert _code(records.add_purchase, cid, date(2026, 3, 1), "lots") == "bad_amount"
    assert _code(records.add_purchase, cid, "2026-02-30", "5") == "bad_date"
    previous, _ = records.update_purchase(pid, amount="0")
    assert previous == {"amount": Decimal("1234.50")}
    rows, _ = records.delete_purchase(pid)
    records.restore(rows)
    assert records.purchases(cid)[0].amount == Decimal("0.00")


# --- thoughtful things ---------------------------------------------------------------------


def test_thing_sent_reaction_and_undo(cid):
    thing_id, _ = records.add_thing(cid, "Recipe book", "https://example.org/book")
    (idea,) = records.things(cid)
    assert (idea.status, idea.sent_at) == ("idea", None)
    previous, _ = records.mark_sent(thing_id)
    (sent,) = records.things(cid)
    assert sent.status == "sent" and sent.sent_at is not None
    records.set_reaction(thing_id, "loved it")
    assert records.things(cid)[0].reaction == "loved it"
    records.update_thing(thing_id, **previous)
    assert records.things(cid)[0].status == "idea"
    rows, _ = records.delete_thing(thing_id)
    assert records.things(cid) == ()
    records.restore(rows)
    assert len(records.things(cid)) == 1


# --- tags and contacts ---------------------------------------------------------------------


def test_tags_are_fold_unique_and_orphans_go(cid):
    other = customers.create("Ola Nordmann")[0].id
    previous, changes = records.set_tags(cid, ["Distributor", "distributor", " Øst  region "])
    assert previous == ()
    assert changes.concerns(cid, Kind.TAG)
    assert records.tags(cid) == ("Distributor", "Øst region")
    records.set_tags(other, ["DISTRIBUTOR"])
    assert records.tags(other) == ("Distributor",)  # the existing tag is reused
    previous, _ = records.set_tags(cid, ["vip"])
    assert previous == ("Distributor", "Øst region")
    assert set(records.all_tags()) == {"Distributor", "vip"}
    assert Tag.select().count() == 2


def test_contact_update_and_delete(cid):
    contact_id, _ = records.add_contact(cid, "email", "zoe@example.no", "work")
    previous, changes = records.update_contact(contact_id, value="zoe@nordlys.no",
                                               preferred=True)
    assert changes.concerns(cid, Kind.CONTACT)
    assert previous == {"value": "zoe@example.no", "preferred": False}
    assert _code(records.update_contact, contact_id, value=" ") == "empty_contact"
    assert _code(records.add_contact, cid, "fax", "123") == "bad_contact_kind"
    rows, _ = records.delete_contact(contact_id)
    assert customers.contacts(cid) == ()
    records.restore(rows)
    assert customers.contacts(cid)[0].value == "zoe@nordlys.no"


# --- a whole customer ----------------------------------------------------------------------


def test_delete_customer_and_restore_exactly(cid):
    other = customers.create("Ola Nordmann")[0].id
    today = date.today()
    logged = conversations.log(cid, "Talked #logistics\n[ ] send the offer by tomorrow",
                               at=today - timedelta(days=3), with_ids=[other])
    records.add_detail(cid, "food", "vegetarian")
    records.set_tags(cid, ["vip"])
    records.update_style(cid, formality="formal")
    uuid_before = customers.get(cid).uuid
    fid = FollowUp.get(FollowUp.customer == cid).id
    followups.set_done(fid)
    rows, changes = records.delete_customer(cid)
    assert changes.concerns(cid, Kind.CUSTOMER) and changes.concerns(other)
    with pytest.raises(NotFound):
        customers.get(cid)
    assert customers.get(other).last_reached_at is None
    restored = records.restore_customer(rows)
    assert restored.concerns(cid, Kind.CONVERSATION)
    assert customers.get(cid).uuid == uuid_before
    assert conversations.timeline(cid)[0].topics == ("logistics",)
    assert conversations.timeline(cid)[0].id == logged.conversation.id
    assert followups.get(fid).done_at is not None
    assert records.tags(cid) == ("vip",)
    assert records.style(cid).formality == "formal"
    assert customers.get(other).last_reached_at is not None
