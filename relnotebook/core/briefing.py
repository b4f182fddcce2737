"""The before-you-call brief (DESIGN.md §5): one customer, as of the end of one day.

Frozen dataclasses of kinds, dates and numbers (words: ``brief_render``, or the window's
``tr()``); empty sections are empty tuples or ``None``. Rules shared with today's list live in
``agenda.py``. Records dated after ``today`` are left out: a record a note produced is dated by
its conversation, others by their own moment; a follow-up done (question asked) later is open.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import takewhile
from typing import Any

from . import briefing_sql
from .agenda import ImportantDate, checkin_due, day_starts, important_date
from .briefing_sql import Conv, Customer, Record, conv_row, day_of, moment, options, record_row
from .cadence import status as cadence_status
from .clock import local_day
from .errors import NotFound

FACT_KINDS = ("hot_button", "timeline", "need", "expectation", "agenda")
HEADER_DATE_DAYS = 30  # the header names an important date this many days ahead
_RECORD_KINDS = ("detail", "followup", "question", "fact", "style_note", "unsaid", "thing")


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


def brief_for(customer_id: int, today: date) -> Brief:
    """Everything a rep reads before calling ``customer_id``, as of the end of ``today``."""
    return _Builder(customer_id, today).build()


class _Builder:
    """The rules, applied to the rows of one ``briefing_sql`` statement (a second one only
    for a history whose newest conversations are a long run of unanswered attempts)."""

    def __init__(self, customer_id: int, today: date) -> None:
        self.today = today
        self.cutoff = day_starts(today + timedelta(days=1))
        rows = briefing_sql.fetch(customer_id, self.cutoff)
        if not rows["customer"]:
            raise NotFound("customer", id=customer_id)
        cid, _, created, name, *c = rows["customer"][0]
        self.c = Customer(cid, moment(created), name, c[0], c[1], c[2], bool(c[3]), c[4],
                           day_of(c[5]), c[6], c[7])
        self.opts = options(rows["setting"])
        window = self.opts["recent_conversations"]
        # Visible conversations, newest first: the head of them (see briefing_sql).
        head = [conv_row(r) for r in rows["head"]]
        if len(head) >= briefing_sql.HEAD and (
                window > len(head) or sum(c.reached for c in head) < window):
            more = briefing_sql.fetch(customer_id, self.cutoff, head=briefing_sql.HEAD_ALL,
                                      conversations_only=True)
            head, rows["topic"] = [conv_row(r) for r in more["head"]], more["topic"]
        self.convs = sorted(head, key=lambda c: (c.happened_at, c.id), reverse=True)
        self.reached = [c for c in self.convs if c.reached]  # the newest of them at least
        aggs = rows["agg"]  # own conversations, then those as a participant
        firsts = [moment(a[2]) for a in aggs if a[2] is not None]
        self.first_reached = min(firsts) if firsts else None
        self.logged = [int(m) for a in aggs if a[3] for m in a[3].split(",")]
        self.milestones = sorted((Conv(i, moment(at), ch, bool(r), talk, m, summary, True)
                                  for a in aggs
                                  for i, at, summary, ch, r, talk, m in json.loads(a[4])),
                                 key=lambda c: (c.happened_at, c.id))
        self.topic_links = sorted(rows["topic"])  # (link id, ..., name, conversation id)
        self.rows = {kind: [record_row(r) for r in rows[kind]] for kind in _RECORD_KINDS}
        self.profile = rows["profile"][0] if rows["profile"] else None
        self.purchases = sorted((r for r in rows["purchase"] if day_of(r[4]) <= today),
                                key=lambda r: (day_of(r[4]), r[0]))

    def _ref(self, c: Conv) -> ConversationRef:
        on = local_day(c.happened_at)
        return ConversationRef(c.id, on, (self.today - on).days, c.channel, c.summary, c.minutes)

    def _moment(self, r: Record, own: datetime) -> datetime:
        """A mention or confirmation: its own moment when true today, else its conversation's."""
        return own if own < self.cutoff or r.conv_at is None else r.conv_at

    def _records(self, kind: str) -> list[Record]:
        """The customer's records of ``kind`` dated up to today, by id."""
        return sorted((r for r in self.rows[kind] if r.made < self.cutoff),
                      key=lambda r: r.id)

    def build(self) -> Brief:
        details = self._records("detail")
        upcoming = self._upcoming(details)
        purchases = [self._purchase(p) for p in self.purchases]
        return Brief(
            self.today, self._header(upcoming), self._reminders(),
            self._style(), self._ref(self.reached[0]) if self.reached else None,
            *self._pick_up(), self._topics(), self._details(details), upcoming,
            self._facts(), self._unsaid(), *self._thoughtful(),
            purchases[-1] if purchases else None, len(purchases),
            self._checkin(purchases), self._story(purchases),
        )

    def _header(self, upcoming: tuple[ImportantDate, ...]) -> Header:
        c, last = self.c, (self.reached[0] if self.reached else None)
        state = cadence_status(c.cadence_days, c.key_client,
                               self.opts["key_client_cadence_days"],
                               last.happened_at if last else None, c.created_at)
        soon = next((d for d in upcoming if d.days_until <= HEADER_DATE_DAYS), None)
        last_day = local_day(last.happened_at) if last else None
        return Header(c.id, c.uuid, c.full_name, c.company, c.title, c.key_client,
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
        p = self.profile or (None, None, None, "", "", "", "", "", None, "", None, "")
        notes_text, formality, pace, channel, best, planned, lead, small, avoid = p[3:12]
        notes = [line.strip() for line in (notes_text or "").splitlines() if line.strip()]
        notes += [n.text for n in reversed(self._records("style_note"))]
        return Style(
            formality, pace, channel, best,
            planned or self.opts["default_call_minutes"], not planned,
            float(statistics.median(self.logged)) if self.logged else None, len(self.logged),
            None if small is None else bool(small), avoid, lead, tuple(notes),
        )

    def _pick_up(self) -> tuple[tuple[OpenFollowUp, ...], tuple[OpenFollowUp, ...],
                                tuple[Note, ...]]:
        open_items = []
        for f in self._records("followup"):
            owner, due, done_at = f.c[0], day_of(f.c[1]), f.c[2]
            if done_at is not None and moment(done_at) < self.cutoff:
                continue
            overdue = (self.today - due).days if due else None
            open_items.append((f.made, OpenFollowUp(f.id, f.text, owner, due, overdue,
                                                    local_day(f.made))))
        open_items.sort(key=lambda p: (p[1].due is None, p[1].due or date.max, p[0], p[1].id))
        questions = [q for q in self._records("question")
                     if q.c[0] is None or moment(q.c[0]) >= self.cutoff]
        questions.sort(key=lambda q: (q.made, q.id))
        return (
            tuple(f for _, f in open_items if f.owner != "them"),
            tuple(f for _, f in open_items if f.owner == "them"),
            tuple(Note(q.id, q.text, local_day(q.made)) for q in questions),
        )

    def _topics(self) -> tuple[TopicMention, ...]:
        recent = self.convs[:self.opts["recent_conversations"]]
        if not recent:
            return ()
        order = {c.id: i for i, c in enumerate(recent)}
        links = [(conv_id, name) for _, _, _, name, conv_id, *_ in self.topic_links
                 if conv_id in order]
        found: dict[str, list[Any]] = {}
        for conv_id, name in sorted(links, key=lambda link: order[link[0]]):
            entry = found.setdefault(name.casefold(), [name, recent[order[conv_id]], 0])
            entry[2] += 1
        return tuple(TopicMention(n, local_day(c.happened_at), times)
                     for n, c, times in found.values())

    def _details(self, rows: list[Record]) -> tuple[Detail, ...]:
        dated = [(self._moment(d, moment(d.c[4])), d) for d in rows]
        dated.sort(key=lambda p: (p[0], p[1].id), reverse=True)
        return tuple(Detail(d.id, d.c[0], d.text, local_day(m)) for m, d in dated)

    def _upcoming(self, rows: list[Record]) -> tuple[ImportantDate, ...]:
        found = (important_date(d.id, d.text, d.c[0], d.c[1], d.c[2], d.c[3], self.today)
                 for d in rows)
        return tuple(sorted((d for d in found if d), key=lambda d: (d.next_on, d.detail_id)))

    def _facts(self) -> tuple[Fact, ...]:
        stale = self.opts["fact_stale_days"]
        facts = []
        for f in self._records("fact"):
            kind, confirmed, assumed = f.c[0], moment(f.c[1]), bool(f.c[2])
            day = local_day(self._moment(f, confirmed))
            age = (self.today - day).days
            facts.append(Fact(f.id, kind, f.text, day, age, assumed, assumed or age > stale))
        rank = {k: i for i, k in enumerate(FACT_KINDS)}
        facts.sort(key=lambda f: (rank.get(f.kind, len(rank)), f.kind, f.age_days, -f.id))
        return tuple(facts)

    def _unsaid(self) -> tuple[Note, ...]:
        notes = [Note(u.id, u.text, local_day(u.made)) for u in self._records("unsaid")]
        return tuple(sorted(notes, key=lambda n: (n.on, n.id), reverse=True))

    def _thoughtful(self) -> tuple[tuple[Thing, ...], Thing | None]:
        ideas, sent = [], []
        for t in self._records("thing"):
            url, status, sent_at, reaction = t.c[0], t.c[1], t.c[2], t.c[3]
            sent_at = moment(sent_at) if sent_at is not None else None
            noted = local_day(t.made)
            was_sent = status == "sent" and (sent_at is None or sent_at < self.cutoff)
            thing = Thing(t.id, t.text, url, local_day(sent_at) if was_sent and sent_at
                          else None, was_sent, reaction if was_sent else "", noted)
            (sent if was_sent else ideas).append(thing)
        ideas.sort(key=lambda t: (t.noted_on, t.id), reverse=True)
        sent.sort(key=lambda t: (t.sent_on or t.noted_on, t.id), reverse=True)
        return tuple(ideas), sent[0] if sent else None

    def _purchase(self, row: tuple[Any, ...]) -> PurchaseInfo:
        pid, _, _, description, on, amount, currency, *_ = row
        on = day_of(on)
        return PurchaseInfo(pid, on, (self.today - on).days, Decimal(str(amount)), currency,
                            description)

    def _checkin(self, purchases: list[PurchaseInfo]) -> CheckIn | None:
        last_reached = local_day(self.reached[0].happened_at) if self.reached else None
        threshold, delay = self.opts["purchase_threshold"], self.opts["purchase_checkin_days"]
        large = [p for p in purchases if p.amount >= Decimal(str(threshold))
                 and p.on <= self.today - timedelta(days=delay)]
        if not large:
            return None
        newest = max(large, key=lambda p: (p.on, p.amount, p.id))
        due = checkin_due(newest.on, newest.amount, last_reached, self.today, threshold, delay)
        return CheckIn(newest, due, (self.today - due).days) if due else None

    def _story(self, purchases: list[PurchaseInfo]) -> Story:
        first = self.first_reached
        return Story(self.c.met_on, self.c.met_where, self.c.introduced_by,
                     local_day(first) if first else None,
                     purchases[0] if purchases else None,
                     tuple(self._ref(c) for c in self.milestones))
