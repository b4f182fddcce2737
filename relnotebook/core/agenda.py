"""Who to call today, and why (DESIGN.md §5): ``for_day(today)``.

Each customer to contact comes with every reason that applies, as a kind with parameters
(the window words them through ``tr()``, the CLI in plain English):

========================  ==================================================================
kind                      params
========================  ==================================================================
followup_due              followup_id, text, due, days_overdue (>= 0): a follow-up I owe,
                          due today or overdue
cadence                   cadence_days, due, days_overdue (>= 0), last_talked (date or None:
                          never reached; the clock then runs from the customer's creation)
purchase_checkin          purchase_id, amount (Decimal), currency, description, purchase_date,
                          due, days_overdue (>= 0)
important_date            detail_id, text, kind (the detail's kind), day, month, year (or
                          None), next_on, days_until (0..7)
their_followup_overdue    followup_id, text, due, days_overdue (>= 1): a nudge
========================  ==================================================================

Entries are ordered by days overdue (most first; an important date counts as minus its
days until), then key clients first, then name. Archived customers never appear.

Everything is "as of ``today``" like the brief: conversations after the end of that local day
do not count, follow-ups noted after it do not exist yet, nor do later purchases.

Speed (100,000 customers, 1,000,000 conversations): about ten set-based queries over the
whole notebook, never one per customer; rows come back raw (peewee's per-value conversion
costs seconds at that size). The clock is ``Customer.last_reached_at``; only customers whose
stored one lies after ``today`` (none, when ``today`` is today) get it recomputed from the
conversations, in two grouped queries.
"""

from __future__ import annotations

import calendar
import functools
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from peewee import JOIN, fn

from . import settings
from .cadence import status as cadence_status
from .clock import to_utc, utc_now
from .db import database
from .models import (
    Conversation,
    ConversationParticipant,
    Customer,
    FollowUp,
    PersonalDetail,
    Purchase,
)

IMPORTANT_DATE_DAYS = 7  # an important date from today to this many days ahead (inclusive)
_OR_CHUNK = 50  # cadence values per query: keeps the SQL expression shallow


class ReasonKind(StrEnum):
    FOLLOWUP_DUE = "followup_due"
    CADENCE = "cadence"
    PURCHASE_CHECKIN = "purchase_checkin"
    IMPORTANT_DATE = "important_date"
    THEIR_FOLLOWUP_OVERDUE = "their_followup_overdue"


_KIND_ORDER = {kind: i for i, kind in enumerate(ReasonKind)}


@dataclass(frozen=True)
class Reason:
    kind: ReasonKind
    days_overdue: int  # how pressing: days overdue, or minus the days until a date
    params: tuple[tuple[str, Any], ...]

    def param(self, name: str, default: Any = None) -> Any:
        for key, value in self.params:
            if key == name:
                return value
        return default

    def as_dict(self) -> dict[str, Any]:
        return dict(self.params)


@dataclass(frozen=True)
class ImportantDate:
    """A remembered date (a PersonalDetail with a day and month) and when it next comes."""

    detail_id: int
    text: str
    kind: str  # the detail's kind: date, family, ...
    day: int
    month: int
    year: int | None
    next_on: date
    days_until: int  # 0 = today


@dataclass(frozen=True)
class AgendaEntry:
    customer_id: int
    full_name: str
    company: str
    key_client: bool
    days_overdue: int  # the most pressing reason's
    reasons: tuple[Reason, ...]  # in ReasonKind order, most overdue first within a kind


# --- rules shared with the brief -------------------------------------------------------------


def day_starts(day: date) -> datetime:
    """The first moment (naive UTC) of a local day; "as of ``day``" means before ``day + 1``."""
    return to_utc(datetime.combine(day, time(0, 0)))


def next_date(day: int, month: int, year: int | None, today: date) -> date | None:
    """When a remembered date next comes, on or after ``today``.

    Without a year (most birthdays) or with a year already past (a birth year, a wedding),
    it recurs every year, and 29 February falls on 28 February in other years. A date with a
    year still to come is that one day. ``None`` for an impossible date.
    """
    if not 1 <= month <= 12 or day < 1:
        return None
    if year is not None:
        try:
            once = date(year, month, day)
        except ValueError:
            return None
        if once >= today:
            return once
    for candidate_year in (today.year, today.year + 1):
        last = calendar.monthrange(candidate_year, month)[1]
        if day > last and not (month == 2 and day == 29):
            return None
        candidate = date(candidate_year, month, min(day, last))
        if candidate >= today:
            return candidate
    return None


def important_date(detail_id: int, text: str, kind: str, day: int | None, month: int | None,
                   year: int | None, today: date) -> ImportantDate | None:
    when = next_date(day, month, year, today) if day and month else None
    if when is None:
        return None
    return ImportantDate(detail_id, text, kind, day, month, year, when, (when - today).days)


def checkin_due(purchase_on: date, amount: Decimal | float, last_reached: date | None,
                today: date, threshold: float, delay_days: int) -> date | None:
    """The day a post-purchase check-in fell due, or ``None`` when none is due by ``today``.

    Due ``delay_days`` after a purchase at or above ``threshold`` (any currency) while no
    reached conversation came *after* the purchase day (that day's own call is the sale).
    """
    if Decimal(str(amount)) < Decimal(str(threshold)):
        return None
    if last_reached is not None and last_reached > purchase_on:
        return None
    due = purchase_on + timedelta(days=delay_days)
    return due if due <= today else None


# --- today's list ----------------------------------------------------------------------------


def for_day(today: date, *, followups_only: bool = False) -> tuple[AgendaEntry, ...]:
    """Every customer to contact on ``today``, each with every reason that applies.

    ``followups_only``: only the follow-up reasons, for the tray reminders, which show
    nothing else; at 100,000 customers that is a quarter of the whole agenda's second.
    """
    opts = settings.get_all()
    cutoff = day_starts(today + timedelta(days=1))
    late = _reached_as_of(cutoff)
    found: dict[int, list[Reason]] = {}
    people: dict[int, tuple[Any, ...]] = {}
    sources = [_followups(today, cutoff, late)]
    if not followups_only:
        sources = [_cadence(today, cutoff, opts["key_client_cadence_days"], late), *sources,
                   _checkins(today, cutoff, opts, late), _dates(today, cutoff)]
    for source in sources:
        for row, reason in source:
            cid = row[0]
            if cid in found:
                found[cid].append(reason)
            else:
                found[cid], people[cid] = [reason], row
    entries = []
    for cid, reasons in found.items():
        if len(reasons) > 1:
            reasons.sort(key=lambda r: (_KIND_ORDER[r.kind], -r.days_overdue))
        _, name, company, key, fold = people[cid]
        entry = AgendaEntry(cid, name, company, bool(key),
                            max(r.days_overdue for r in reasons), tuple(reasons))
        entries.append((-entry.days_overdue, not entry.key_client, fold, cid, entry))
    entries.sort(key=lambda e: e[:4])
    return tuple(e[4] for e in entries)


_WHO = (Customer.id, Customer.full_name, Customer.company, Customer.key_client,
        Customer.name_fold)
_ACTIVE = Customer.archived == False  # noqa: E712 - peewee expression


def _rows(query: Any) -> list[tuple[Any, ...]]:
    """Raw rows: at tens of thousands of rows, peewee's per-value conversion costs seconds."""
    return database.execute(query).fetchall()


def _moment(value: Any) -> datetime | None:
    """A stored moment as a datetime (SQLite hands back text)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _reached_as_of(cutoff: datetime) -> dict[int, datetime | None]:
    """The last reached conversation before ``cutoff`` of customers whose stored one is later."""
    late = Customer.select(Customer.id).where(Customer.last_reached_at >= cutoff)
    result: dict[int, datetime | None] = {cid: None for (cid,) in _rows(late)}
    if not result:
        return result
    reached = (Conversation.reached == True) & (Conversation.happened_at < cutoff)  # noqa: E712
    main = (Conversation.select(Conversation.customer, fn.MAX(Conversation.happened_at))
            .where(reached & Conversation.customer.in_(late)).group_by(Conversation.customer))
    other = (ConversationParticipant
             .select(ConversationParticipant.customer, fn.MAX(Conversation.happened_at))
             .join(Conversation).where(reached & ConversationParticipant.customer.in_(late))
             .group_by(ConversationParticipant.customer))
    for query in (main, other):
        for cid, value in _rows(query):
            moment = _moment(value)
            known = result[cid]
            if moment is not None and (known is None or moment > known):
                result[cid] = moment
    return result


def _cadence(today: date, cutoff: datetime, key_default: int,
             late: dict[int, datetime | None]) -> Iterator[tuple[tuple[Any, ...], Reason]]:
    """Customers whose cadence is due: SQL narrows per cadence value, ``cadence.py`` decides.

    One pass over the customer table: the clock's start, ``COALESCE(last_reached_at,
    created_at)``, is no index's key, which is right here (an index range per cadence value
    would visit most customers several times over).
    """
    since = fn.COALESCE(Customer.last_reached_at, Customer.created_at)

    def overdue(days: int) -> Any:
        # Due when the clock's local day <= today - days, i.e. it started before this moment.
        return since < day_starts(today - timedelta(days=days - 1))

    values = sorted(d for (d,) in _rows(Customer.select(Customer.cadence_days).distinct()
                                        .where(_ACTIVE & (Customer.cadence_days > 0))))
    terms = [(Customer.cadence_days == d) & overdue(d) for d in values]
    no_own = Customer.cadence_days.is_null() | (Customer.cadence_days <= 0)
    terms.append(no_own & (Customer.key_client == True) & overdue(key_default))  # noqa: E712
    if late:  # their stored clock is later than today: ``late`` holds the one as of today
        terms.append(Customer.last_reached_at >= cutoff)
    fields = (*_WHO, Customer.cadence_days, Customer.last_reached_at, Customer.created_at)
    seen: set[int] = set()
    for start in range(0, len(terms), _OR_CHUNK):
        where = functools.reduce(operator.or_, terms[start:start + _OR_CHUNK])
        for row in _rows(Customer.select(*fields).where(_ACTIVE & where)):
            cid = row[0]
            if cid in seen:
                continue
            seen.add(cid)
            last = late[cid] if cid in late else _moment(row[6])
            state = cadence_status(row[5], bool(row[3]), key_default, last, _moment(row[7]))
            if state is None or state.days_until(today) > 0:
                continue
            days = -state.days_until(today)
            yield row[:5], Reason(ReasonKind.CADENCE, days, (
                ("cadence_days", state.cadence_days), ("due", state.due), ("days_overdue", days),
                ("last_talked", state.since if last else None)))


def _followups(today: date, cutoff: datetime, late: dict[int, datetime | None]
               ) -> Iterator[tuple[tuple[Any, ...], Reason]]:
    """Open follow-ups due by today (mine) or before today (theirs), noted by today.

    Follow-ups done after ``today`` were still open on it; they only exist when ``today`` is
    in the past (or the notebook holds conversations dated later), and only then does the
    query asks for them: ``done_at IS NULL`` alone can use an index on (done_at, due).
    Nearly every follow-up ever noted is due before today, so the index on ``due`` alone
    would cost a row lookup per follow-up: ``COALESCE(due, due)`` keeps the planner off it
    (a plain scan is ~10x cheaper at 800,000 follow-ups).
    """
    origin = Conversation.alias()
    noted = ((FollowUp.conversation.is_null() & (FollowUp.created_at < cutoff))
             | (origin.happened_at < cutoff))
    open_then = FollowUp.done_at.is_null()
    if late or cutoff <= utc_now():
        open_then |= FollowUp.done_at >= cutoff
    query = (FollowUp.select(*_WHO, FollowUp.id, FollowUp.owner, FollowUp.text, FollowUp.due)
             .join(Customer, on=FollowUp.customer == Customer.id)
             .join(origin, JOIN.LEFT_OUTER, on=FollowUp.conversation == origin.id)
             .where(open_then & (fn.COALESCE(FollowUp.due, FollowUp.due) <= today) & noted
                    & _ACTIVE))
    for row in _rows(query):
        fid, owner, text, due = row[5], row[6], row[7], _day(row[8])
        days = (today - due).days
        if owner == "them" and days < 1:
            continue
        kind = (ReasonKind.THEIR_FOLLOWUP_OVERDUE if owner == "them"
                else ReasonKind.FOLLOWUP_DUE)
        yield row[:5], Reason(kind, days, (("followup_id", fid), ("text", text),
                                           ("due", due), ("days_overdue", days)))


def _checkins(today: date, cutoff: datetime, opts: dict[str, Any],
              late: dict[int, datetime | None]) -> Iterator[tuple[tuple[Any, ...], Reason]]:
    """Large purchases with no reached conversation after them, past the check-in delay.

    Only a customer's newest large purchase old enough can be the one: if a conversation
    came after it, it came after every earlier one too. One grouped query finds it for
    every customer; the few that are due get their purchase's details in a second one.
    """
    threshold, delay = opts["purchase_threshold"], opts["purchase_checkin_days"]
    latest_day = today - timedelta(days=delay)
    large = (Purchase.amount >= threshold) & (Purchase.date <= latest_day)
    newest = (Purchase.select(Purchase.customer, fn.MAX(Purchase.date).alias("newest"))
              .where(large).group_by(Purchase.customer))
    # No reached conversation after the purchase means none after ``latest_day`` either.
    quiet = (Customer.last_reached_at.is_null()
             | (Customer.last_reached_at < day_starts(latest_day + timedelta(days=1))))
    if late:
        quiet |= Customer.last_reached_at >= cutoff
    query = (Customer.select(Customer.id, Customer.last_reached_at, newest.c.newest)
             .join(newest, on=newest.c.customer_id == Customer.id).where(_ACTIVE & quiet))
    bounds: dict[date, datetime] = {}  # a purchase day -> when the day after it starts
    candidates: dict[int, date] = {}
    for cid, last, value in _rows(query):
        day = _day(value)
        last = late[cid] if cid in late else _moment(last)
        if day not in bounds:
            bounds[day] = day_starts(day + timedelta(days=1))
        if last is None or last < bounds[day]:  # not reached after the purchase day
            candidates[cid] = day
    ids = sorted(candidates)
    for start in range(0, len(ids), 500):
        details = (Purchase.select(*_WHO, Purchase.id, Purchase.date, Purchase.amount,
                                   Purchase.currency, Purchase.description)
                   .join(Customer, on=Purchase.customer == Customer.id)
                   .where(Purchase.customer.in_(ids[start:start + 500]) & large)
                   .order_by(Purchase.customer, Purchase.amount.desc(), Purchase.id.desc()))
        done: set[int] = set()
        for row in _rows(details):
            cid, day = row[0], _day(row[6])
            if cid in done or day != candidates[cid]:
                continue
            done.add(cid)  # several large purchases that day: the largest speaks for them
            due = day + timedelta(days=delay)
            yield row[:5], Reason(ReasonKind.PURCHASE_CHECKIN, (today - due).days, (
                ("purchase_id", row[5]), ("amount", Decimal(str(row[7]))),
                ("currency", row[8]), ("description", row[9]), ("purchase_date", day),
                ("due", due), ("days_overdue", (today - due).days)))


def _dates(today: date, cutoff: datetime) -> Iterator[tuple[tuple[Any, ...], Reason]]:
    """Remembered dates (birthdays...) from today to IMPORTANT_DATE_DAYS ahead."""
    days = [today + timedelta(days=n) for n in range(IMPORTANT_DATE_DAYS + 1)]
    pairs = {(d.month, d.day) for d in days}
    if any(d.month == 2 and d.day == 28 and not calendar.isleap(d.year) for d in days):
        pairs.add((2, 29))  # falls on 28 February this year
    origin = Conversation.alias()
    on_days = functools.reduce(operator.or_, [
        (PersonalDetail.month == m) & (PersonalDetail.day == d) for m, d in sorted(pairs)])
    noted = ((PersonalDetail.conversation.is_null() & (PersonalDetail.mentioned_at < cutoff))
             | (origin.happened_at < cutoff))
    query = (PersonalDetail.select(*_WHO, PersonalDetail.id, PersonalDetail.text,
                                   PersonalDetail.kind, PersonalDetail.day,
                                   PersonalDetail.month, PersonalDetail.year)
             .join(Customer, on=PersonalDetail.customer == Customer.id)
             .join(origin, JOIN.LEFT_OUTER, on=PersonalDetail.conversation == origin.id)
             .where(on_days & noted & _ACTIVE).order_by(PersonalDetail.id))
    for row in _rows(query):
        found = important_date(*row[5:], today)
        if found is None or found.days_until > IMPORTANT_DATE_DAYS:
            continue
        yield row[:5], Reason(ReasonKind.IMPORTANT_DATE, -found.days_until, tuple(
            (name, getattr(found, name)) for name in (
                "detail_id", "text", "kind", "day", "month", "year", "next_on", "days_until")))
