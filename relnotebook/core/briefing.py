"""The before-you-call brief (DESIGN.md §5): one customer, as of the end of one day.

Frozen dataclasses of kinds, dates and numbers (words: ``brief_render``, or the window's
``tr()``); empty sections are empty tuples or ``None``. Rules shared with today's list live in
``agenda.py``. Records dated after ``today`` are left out: a record a note produced is dated by
its conversation, others by their own moment; a follow-up done (question asked) later is open.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import takewhile
from typing import Any, NamedTuple

from . import settings
from .agenda import ImportantDate, checkin_due, day_starts, important_date
from .cadence import status as cadence_status
from .clock import local_day
from .db import database
from .errors import NotFound
from .models import (
    Conversation,
    ConversationParticipant,
    ConversationTopic,
    Customer,
    FollowUp,
    PersonalDetail,
    Purchase,
    Question,
    SalesFact,
    StyleNote,
    StyleProfile,
    ThoughtfulThing,
    Topic,
    Unsaid,
)

FACT_KINDS = ("hot_button", "timeline", "need", "expectation", "agenda")
HEADER_DATE_DAYS = 30  # the header names an important date this many days ahead


@dataclass(frozen=True)
class Header:
    customer_id: int
    uuid: str
    full_name: str
    company: str
    title: str
    key_client: bool
    last_talked: date | None  # the last *reached* conversation
    days_since_talked: int | None
    last_channel: str  # "" when never reached
    cadence_days: int | None  # None: no cadence (not a key client, none of their own)
    cadence_due: date | None  # the clock runs from last_talked, else the customer's creation
    cadence_days_until: int | None  # > 0 due in N days, 0 due today, < 0 overdue by -N days
    next_date: ImportantDate | None  # the soonest within HEADER_DATE_DAYS


@dataclass(frozen=True)
class Reminder:
    """``talk_most``: ``talk == "me"`` in ``count`` of the last ``out_of`` reached conversations;
    ``unanswered``: the last ``count`` attempts, ``since`` the first, on ``channels``."""

    kind: str  # talk_most / unanswered
    count: int
    out_of: int | None = None
    since: date | None = None
    channels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Style:
    formality: str
    pace: str
    preferred_channel: str
    best_time: str
    planned_minutes: int | None  # the profile's, else the notebook default
    planned_is_default: bool
    typical_minutes: float | None  # median of logged minutes
    logged_count: int  # conversations with logged minutes
    small_talk: bool | None
    avoid_topics: str
    lead_notes: str
    notes: tuple[str, ...]  # profile notes, then +style: notes newest first


@dataclass(frozen=True)
class ConversationRef:
    conversation_id: int
    on: date
    days_ago: int
    channel: str
    summary: str
    minutes: int | None


@dataclass(frozen=True)
class OpenFollowUp:
    id: int
    text: str
    owner: str  # me / them
    due: date | None
    days_overdue: int | None  # today - due: > 0 overdue, 0 due today, < 0 due later
    created_on: date


@dataclass(frozen=True)
class Note:
    """An open question (``on``: when it was noted) or an unsaid entry."""

    id: int
    text: str
    on: date


@dataclass(frozen=True)
class TopicMention:
    name: str
    on: date  # the newest recent conversation that mentioned it
    times: int  # in how many of the recent conversations


@dataclass(frozen=True)
class Detail:
    id: int
    kind: str
    text: str
    mentioned_on: date  # dated details (birthdays...) are also in Brief.upcoming


@dataclass(frozen=True)
class Fact:
    id: int
    kind: str  # one of FACT_KINDS
    text: str
    confirmed_on: date
    age_days: int
    assumed: bool
    needs_confirm: bool  # assumed, or older than the fact_stale_days setting


@dataclass(frozen=True)
class Thing:
    id: int
    text: str
    url: str
    sent_on: date | None  # None: still an idea (or sent, date unknown, see ``sent``)
    sent: bool
    reaction: str
    noted_on: date


@dataclass(frozen=True)
class PurchaseInfo:
    id: int
    on: date
    days_ago: int
    amount: Decimal
    currency: str
    description: str


@dataclass(frozen=True)
class CheckIn:
    purchase: PurchaseInfo
    due_on: date
    days_overdue: int


@dataclass(frozen=True)
class Story:
    met_on: date | None
    met_where: str
    introduced_by: str
    first_talked: date | None
    first_purchase: PurchaseInfo | None
    milestones: tuple[ConversationRef, ...]  # oldest first: a story reads forwards


@dataclass(frozen=True)
class Brief:
    today: date
    header: Header
    reminders: tuple[Reminder, ...]  # ride in the header: talk_most, then unanswered
    style: Style
    # Pick up where you left off
    last_conversation: ConversationRef | None  # the last reached one
    i_owe: tuple[OpenFollowUp, ...]  # by due date (overdue first), undated last, then oldest
    they_owe: tuple[OpenFollowUp, ...]
    questions: tuple[Note, ...]  # open (not asked yet), oldest first
    topics: tuple[TopicMention, ...]  # of the recent conversations, newest first
    # Personal
    details: tuple[Detail, ...]  # most recently mentioned first
    upcoming: tuple[ImportantDate, ...]  # every remembered date, soonest first
    their_agenda: tuple[Fact, ...]  # in FACT_KINDS order, newest first within a kind
    unsaid: tuple[Note, ...]  # newest first
    ideas: tuple[Thing, ...]  # thoughtful things not sent yet, newest first
    last_sent: Thing | None
    last_purchase: PurchaseInfo | None
    purchase_count: int
    checkin: CheckIn | None  # a post-purchase check-in that is due
    story: Story


class _Conv(NamedTuple):
    """What the brief reads of a conversation."""

    id: int
    happened_at: datetime
    channel: str
    reached: bool
    talk: str
    minutes: int | None
    summary: str
    milestone: bool


def _moment(value: Any) -> datetime:
    """A stored moment (naive UTC text, as peewee writes it) as a datetime."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def brief_for(customer_id: int, today: date) -> Brief:
    """Everything a rep reads before calling ``customer_id``, as of the end of ``today``."""
    return _Builder(customer_id, today).build()


class _Builder:
    def __init__(self, customer_id: int, today: date) -> None:
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            raise NotFound("customer", id=customer_id)
        self.c, self.today = customer, today
        self.cutoff = day_starts(today + timedelta(days=1))
        self.opts = settings.get_all()
        with_them = ConversationParticipant.select(ConversationParticipant.conversation).where(
            ConversationParticipant.customer == customer_id)
        fields = (Conversation.id, Conversation.happened_at, Conversation.channel,
                  Conversation.reached, Conversation.talk, Conversation.minutes,
                  Conversation.summary, Conversation.milestone)
        # Raw rows, not model instances: a customer may have thousands of conversations,
        # and building a model (and parsing its moment with strptime) costs ~20 µs a row.
        convs = [_Conv(i, _moment(at), ch, bool(r), talk, m, summary, bool(ms))
                 for query in (Conversation.select(*fields)
                               .where(Conversation.customer == customer_id),
                               Conversation.select(*fields).where(Conversation.id.in_(with_them)))
                 for i, at, ch, r, talk, m, summary, ms in database.execute(query)]
        self.moments = {c.id: c.happened_at for c in convs}
        # Visible conversations, newest first.
        self.convs = sorted((c for c in convs if c.happened_at < self.cutoff),
                            key=lambda c: (c.happened_at, c.id), reverse=True)
        self.reached = [c for c in self.convs if c.reached]

    def _ref(self, c: _Conv) -> ConversationRef:
        on = local_day(c.happened_at)
        return ConversationRef(c.id, on, (self.today - on).days, c.channel, c.summary, c.minutes)

    def _moment(self, conv_id: int | None, own: datetime) -> datetime:
        """A mention or confirmation: its own moment when true today, else its conversation's."""
        if own < self.cutoff or conv_id not in self.moments:
            return own
        return self.moments[conv_id]

    def _records(self, model: Any, *still: Any) -> list[Any]:
        """The customer's records of ``model`` dated up to today; ``still``: SQL conditions
        that keep only those that matter (closed follow-ups are most of them)."""
        rows = model.select().where(model.customer == self.c.id, *still).order_by(model.id)
        return [r for r in rows if self._when(r) < self.cutoff]

    def _when(self, record: Any) -> datetime:
        """When a record came to be: its conversation's moment, else when it was typed in."""
        return self.moments.get(record.conversation_id, record.created_at)

    def build(self) -> Brief:
        details = self._records(PersonalDetail)
        upcoming = self._upcoming(details)
        purchases = [p for p in Purchase.select().where(Purchase.customer == self.c.id)
                     .order_by(Purchase.date, Purchase.id) if p.date <= self.today]
        return Brief(
            self.today, self._header(upcoming), self._reminders(),
            self._style(), self._ref(self.reached[0]) if self.reached else None,
            *self._pick_up(), self._topics(), self._details(details), upcoming,
            self._facts(), self._unsaid(), *self._thoughtful(),
            self._purchase(purchases[-1]) if purchases else None, len(purchases),
            self._checkin(purchases), self._story(purchases),
        )

    def _header(self, upcoming: tuple[ImportantDate, ...]) -> Header:
        c, last = self.c, (self.reached[0] if self.reached else None)
        state = cadence_status(c.cadence_days, bool(c.key_client),
                               self.opts["key_client_cadence_days"],
                               last.happened_at if last else None, c.created_at)
        soon = next((d for d in upcoming if d.days_until <= HEADER_DATE_DAYS), None)
        last_day = local_day(last.happened_at) if last else None
        return Header(c.id, c.uuid, c.full_name, c.company, c.title, bool(c.key_client),
                      last_day, (self.today - last_day).days if last_day else None,
                      last.channel if last else "", state and state.cadence_days,
                      state and state.due, state and state.days_until(self.today), soon)

    def _reminders(self) -> tuple[Reminder, ...]:
        found = []
        window = self.opts["recent_conversations"]  # 5: "3 of the last 5" is a majority
        recent = self.reached[:window]
        mine = sum(1 for c in recent if c.talk == "me")
        if mine >= window // 2 + 1:
            found.append(Reminder("talk_most", mine, len(recent)))
        streak = list(takewhile(lambda c: not c.reached, self.convs))
        if len(streak) >= 2:
            found.append(Reminder("unanswered", len(streak), None,
                                  local_day(streak[-1].happened_at),
                                  tuple(dict.fromkeys(c.channel for c in reversed(streak)))))
        return tuple(found)

    def _style(self) -> Style:
        p = StyleProfile.get_or_none(StyleProfile.customer == self.c.id) or StyleProfile()
        logged = [c.minutes for c in self.reached if c.minutes]
        notes = [line.strip() for line in (p.notes or "").splitlines() if line.strip()]
        notes += [n.text for n in reversed(self._records(StyleNote))]
        return Style(
            p.formality, p.pace, p.preferred_channel, p.best_time,
            p.planned_minutes or self.opts["default_call_minutes"], not p.planned_minutes,
            float(statistics.median(logged)) if logged else None, len(logged),
            p.small_talk, p.avoid_topics, p.lead_notes, tuple(notes),
        )

    def _pick_up(self) -> tuple[tuple[OpenFollowUp, ...], tuple[OpenFollowUp, ...],
                                tuple[Note, ...]]:
        open_items = []
        for f in self._records(FollowUp, FollowUp.done_at.is_null(True) |
                               (FollowUp.done_at >= self.cutoff)):
            if f.done_at is not None and f.done_at < self.cutoff:
                continue
            made = self._when(f)
            overdue = (self.today - f.due).days if f.due else None
            open_items.append((made, OpenFollowUp(f.id, f.text, f.owner, f.due, overdue,
                                                  local_day(made))))
        open_items.sort(key=lambda p: (p[1].due is None, p[1].due or date.max, p[0], p[1].id))
        questions = [
            (self._when(q), q) for q in self._records(
                Question, Question.asked_at.is_null(True) | (Question.asked_at >= self.cutoff))
            if q.asked_at is None or q.asked_at >= self.cutoff
        ]
        questions.sort(key=lambda p: (p[0], p[1].id))
        return (
            tuple(f for _, f in open_items if f.owner != "them"),
            tuple(f for _, f in open_items if f.owner == "them"),
            tuple(Note(q.id, q.text, local_day(m)) for m, q in questions),
        )

    def _topics(self) -> tuple[TopicMention, ...]:
        recent = self.convs[:self.opts["recent_conversations"]]
        if not recent:
            return ()
        order = {c.id: i for i, c in enumerate(recent)}
        links = (ConversationTopic.select(ConversationTopic.conversation, Topic.name)
                 .join(Topic).where(ConversationTopic.conversation.in_(list(order)))
                 .order_by(ConversationTopic.id).tuples())
        found: dict[str, list[Any]] = {}
        for conv_id, name in sorted(links, key=lambda link: order[link[0]]):
            entry = found.setdefault(name.casefold(), [name, recent[order[conv_id]], 0])
            entry[2] += 1
        return tuple(TopicMention(n, local_day(c.happened_at), times)
                     for n, c, times in found.values())

    def _details(self, rows: list[PersonalDetail]) -> tuple[Detail, ...]:
        dated = [(self._moment(d.conversation_id, d.mentioned_at), d) for d in rows]
        dated.sort(key=lambda p: (p[0], p[1].id), reverse=True)
        return tuple(Detail(d.id, d.kind, d.text, local_day(m)) for m, d in dated)

    def _upcoming(self, rows: list[PersonalDetail]) -> tuple[ImportantDate, ...]:
        found = (important_date(d.id, d.text, d.kind, d.day, d.month, d.year, self.today)
                 for d in rows)
        return tuple(sorted((d for d in found if d), key=lambda d: (d.next_on, d.detail_id)))

    def _facts(self) -> tuple[Fact, ...]:
        stale = self.opts["fact_stale_days"]
        facts = []
        for f in self._records(SalesFact):
            day = local_day(self._moment(f.conversation_id, f.confirmed_at))
            age = (self.today - day).days
            facts.append(Fact(f.id, f.kind, f.text, day, age, bool(f.assumed),
                              bool(f.assumed) or age > stale))
        rank = {k: i for i, k in enumerate(FACT_KINDS)}
        facts.sort(key=lambda f: (rank.get(f.kind, len(rank)), f.kind, f.age_days, -f.id))
        return tuple(facts)

    def _unsaid(self) -> tuple[Note, ...]:
        notes = [Note(u.id, u.text, local_day(self._when(u)))
                 for u in self._records(Unsaid)]
        return tuple(sorted(notes, key=lambda n: (n.on, n.id), reverse=True))

    def _thoughtful(self) -> tuple[tuple[Thing, ...], Thing | None]:
        ideas, sent = [], []
        for t in self._records(ThoughtfulThing):
            noted = local_day(self._when(t))
            was_sent = t.status == "sent" and (t.sent_at is None or t.sent_at < self.cutoff)
            thing = Thing(t.id, t.text, t.url, local_day(t.sent_at) if was_sent and t.sent_at
                          else None, was_sent, t.reaction if was_sent else "", noted)
            (sent if was_sent else ideas).append(thing)
        ideas.sort(key=lambda t: (t.noted_on, t.id), reverse=True)
        sent.sort(key=lambda t: (t.sent_on or t.noted_on, t.id), reverse=True)
        return tuple(ideas), sent[0] if sent else None

    def _purchase(self, p: Purchase) -> PurchaseInfo:
        return PurchaseInfo(p.id, p.date, (self.today - p.date).days, Decimal(p.amount),
                            p.currency, p.description)

    def _checkin(self, rows: list[Purchase]) -> CheckIn | None:
        last_reached = local_day(self.reached[0].happened_at) if self.reached else None
        threshold, delay = self.opts["purchase_threshold"], self.opts["purchase_checkin_days"]
        large = [p for p in rows if p.amount >= Decimal(str(threshold))
                 and p.date <= self.today - timedelta(days=delay)]
        if not large:
            return None
        newest = max(large, key=lambda p: (p.date, p.amount, p.id))
        due = checkin_due(newest.date, newest.amount, last_reached, self.today, threshold, delay)
        return CheckIn(self._purchase(newest), due, (self.today - due).days) if due else None

    def _story(self, purchases: list[Purchase]) -> Story:
        oldest = self.reached[-1] if self.reached else None
        milestones = tuple(self._ref(c) for c in reversed(self.convs) if c.milestone)
        return Story(self.c.met_on, self.c.met_where, self.c.introduced_by,
                     local_day(oldest.happened_at) if oldest else None,
                     self._purchase(purchases[0]) if purchases else None, milestones)
