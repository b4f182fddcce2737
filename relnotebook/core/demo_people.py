"""The demo generator: accounts, customers, their profiles, conversations and purchases.

Split out of ``demo.py``: ``_Generator`` makes every row of a demo notebook, in order, from one
``random.Random(seed)`` and hands them over in batches; it touches no database, so it can run
in a forked process (``demo_writer``). Note bodies are written by ``demo_notes``.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

from . import demo_data as D
from .demo_notes import _Notes
from .demo_rows import COLUMNS, DAY
from .errors import NotebookError
from .ids import new_uuid
from .models import (
    ContactPoint,
    Conversation,
    ConversationParticipant,
    Customer,
    CustomerTag,
    Draft,
    Erasure,
    Purchase,
    Setting,
    StyleProfile,
    Tag,
)
from .text import fold

_EPOCH = datetime(1970, 1, 1)
# Situations a day's agenda should show; the first customers get one each, so even a
# 30-customer notebook has every kind. Timeline situations exclude each other.
TIMELINES = ("overdue_followup", "post_purchase", "key_overdue", "unanswered")
FORCED = ("overdue_followup", "birthday_soon", "post_purchase", "key_overdue", "unanswered",
          "talks_too_much", "archived", "birthday_month")
_PREF_CUM = tuple(itertools.accumulate((30, 15, 12, 30, 5, 8)))
_CHANNEL_CUM = tuple(itertools.accumulate(D.CHANNEL_WEIGHTS))
_RATES = (("overdue_followup", .03), ("post_purchase", .02), ("key_overdue", .02),
          ("unanswered", .04))
_BATCH_ROWS = 60_000  # rows per transaction (and per message from a forked generator)


class DemoCancelled(NotebookError):
    """``cancel()`` answered True: the half-written file has been removed."""

    code = "cancelled"


@functools.cache
def _clock() -> list[str]:
    """" HH:MM:SS" for every second of a day: moments are formatted by two lookups."""
    return [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]


class _Generator:
    """Makes every row, in order, from one ``random.Random(seed)``; touches no database."""

    def __init__(self, deliver: Callable[[tuple, int], None], seed: int, today: date, per: int,
                 big: int, total: int) -> None:
        rng = random.Random(seed)
        self.deliver, self.rng, self.today, self.per, self.big = deliver, rng, today, per, big
        self.total = total
        self.rows: tuple[list[tuple], ...] = tuple([] for _ in COLUMNS)
        self.add = dict(zip(COLUMNS, (rows.append for rows in self.rows), strict=True))
        self.rnd = rng.random
        self.clock = _clock()
        self.base = int((datetime.combine(today, datetime.min.time()) - _EPOCH).total_seconds())
        self.ids = {m: itertools.count(1).__next__ for m in COLUMNS}
        self._days: dict[int, tuple[str, date]] = {}
        self.topics: dict[str, int] = {}
        self.tags: dict[str, int] = {}
        self.names: list[str] = []
        self.weights = list(itertools.accumulate(c.weight for c in D.CULTURES))
        self.tour = list(range(len(D.CULTURES)))
        rng.shuffle(self.tour)

    # --- small helpers -------------------------------------------------------------------

    def day(self, offset: int) -> tuple[str, date]:
        """(ISO text, date) of ``today + offset`` days, cached."""
        found = self._days.get(offset)
        if found is None:
            day = self.today + timedelta(days=offset)
            found = self._days[offset] = (day.isoformat(), day)
        return found

    def ts(self, s: int) -> str:
        """The stored text of moment ``s`` (seconds since the epoch, UTC)."""
        offset, rest = divmod(s - self.base, DAY)
        return self.day(offset)[0] + self.clock[rest]

    def pick(self, seq):  # random.choice's rejection sampling costs 4x; same determinism
        return seq[int(self.rnd() * len(seq))]

    def between(self, low: int, high: int) -> int:
        """A random int in [low, high], like ``randint``."""
        return low + int(self.rnd() * (high - low + 1))

    def uuid(self, s: int) -> str:
        return new_uuid(s * 1000, self.rng.randbytes(10))

    def row(self, model: type, s: int, *values: object, updated: str | None = None,
            id_: int | None = None) -> int:
        """Append one row created at moment ``s``; returns its id (a new one by default)."""
        new_id = self.ids[model]() if id_ is None else id_
        created = self.ts(s)
        self.add[model]((new_id, self.uuid(s), created, updated or created, *values))
        return new_id

    # --- the whole notebook --------------------------------------------------------------

    def flush(self, done: int) -> None:
        """Hand the buffered rows over (to the writer, or to the parent process)."""
        batch, self.rows = self.rows, tuple([] for _ in COLUMNS)
        self.add.update(zip(COLUMNS, (rows.append for rows in self.rows), strict=True))
        self.deliver(batch, done)

    def run(self, progress, cancel) -> None:
        total = self.total
        rng, start = self.rng, self.base - 760 * DAY
        regions = dict.fromkeys(c.region for c in D.CULTURES)
        for name in (*regions, *D.TAGS):
            self.tags[name] = self.row(Tag, start, name, fold(name))
        self.row(Setting, start, "notebook_uuid", json.dumps(self.uuid(start)))
        self.row(Setting, start, "key_client_cadence_days", json.dumps(90))
        self.row(Erasure, self.base - 40 * DAY, self.uuid(self.base - 400 * DAY))
        done, step = 0, max(1, total // 200)
        next_report = step
        while done < total:
            if cancel is not None and cancel():
                raise DemoCancelled()
            size = 2 if done == 0 else 1 if rng.random() < .65 else 2 if rng.random() < .7 else 3
            self.account(done, min(size, total - done))
            done += min(size, total - done)
            if sum(map(len, self.rows)) >= _BATCH_ROWS:
                self.flush(done)
            if progress is not None and next_report <= done < total:
                progress(done, total)
                next_report = done + step
        if total:
            yesterday = self.base - DAY + 16 * 3600
            self.row(Draft, yesterday, 1, D.DRAFT, self.ts(yesterday), self.ts(yesterday + 180))
        note = "Met someone at the fair: ask for her card and log the intro"
        self.row(Draft, self.base - 3 * DAY + 9 * 3600, None, note,
                 self.ts(self.base - 3 * DAY + 9 * 3600), self.ts(self.base - 3 * DAY + 9 * 3660))
        self.flush(total)

    def account(self, position: int, size: int) -> None:
        """One company with 1-3 contacts; colleagues sometimes sit in on each other's meetings."""
        rng = self.rng
        if self.tour:  # the first accounts visit every culture, in its own script
            culture, native = D.CULTURES[self.tour.pop()], True
        else:
            culture = D.CULTURES[bisect.bisect(self.weights, rng.random() * self.weights[-1])]
            native = False
        people = [self.person(culture, position + k, native and not k) for k in range(size)]
        company = people[0]["company"]
        shared = dict(company=company, company_fold=fold(company),
                      domain=f"{slug(rng.choice(culture.stems))}-"
                             f"{slug(rng.choice(D.INDUSTRIES))}.example")
        for p in people:
            p.update(shared)
        last: dict[int, int] = {}
        plain = [p["id"] for p in people if p["plain"]]
        for p in people:
            self.conversations(p, [c for c in plain if c != p["id"]], last)
        for p in people:
            self.emit_customer(p, last.get(p["id"]))

    def person(self, culture: D.Culture, position: int, own_script: bool) -> dict:
        rng, rnd = self.rng, self.rng.random
        flags: set[str] = set()
        if 2 <= position < 2 + len(FORCED):
            flags.add(FORCED[position - 2])
        elif position >= 2:
            flags.update(next(([n] for n, r in _RATES if rnd() < r), []))
            flags.update(n for n, r in (("birthday_soon", .01), ("birthday_month", .03),
                                        ("talks_too_much", .08), ("archived", .015)) if rnd() < r)
        female = rnd() < .5
        given, family = rng.choice(culture.given_f if female else culture.given_m), \
            rng.choice(culture.family)
        native = rnd() < culture.p_native or (own_script and culture.p_native > 0)
        form, order = (given.native, culture.order) if native else \
            (given.roman, culture.roman_order)
        g, f = form[female], (family.native if native else family.roman)[female]
        if culture.double_family and rnd() < culture.double_family:
            f = f"{f} {rng.choice(culture.family).roman[female]}"
        full = f"{g} {f}" if order == "gf" else f"{f} {g}" if order == "fg" else f + g
        if native and culture.native_companies and rnd() < .7:
            company = rng.choice(culture.native_companies)
        else:
            company = " ".join((rng.choice(culture.stems), rng.choice(D.INDUSTRIES),
                                rng.choice(culture.suffixes)))
        r = rnd()
        formality = "formal" if r < culture.formal else "informal" if r < .7 else "neutral"
        timeline = next((t for t in TIMELINES if t in flags), None)
        big = position == 0 and self.big > 0
        if big:
            count = self.big
        elif rnd() < .03 and not flags and position >= 2:
            count = rng.randint(0, 1)
        else:
            count = max(3 if flags else 1, rng.randint(self.per // 2, self.per * 3 // 2 + 1))
        call = full if native else g if formality != "formal" else ("Ms " if female else "Mr ") + f
        p = dict(id=self.ids[Customer](), culture=culture, full=full, given=g, family=f,
                 roman=(given.roman[female], family.roman[female]), native=native,
                 company=company, formality=formality, flags=flags, timeline=timeline,
                 key=big or timeline == "key_overdue" or rnd() < .12, count=count, call=call,
                 plain=not timeline and "archived" not in flags and not big and count > 0,
                 channel=rng.choices(D.CHANNELS, cum_weights=_PREF_CUM)[0],
                 minutes=rng.choice((15, 15, 20, 30, 30, 45)),
                 met_where=rng.choice(D.MET_WHERE).format(c=rng.choice(culture.cities)))
        if "talks_too_much" in flags:
            p["channel"] = "call"
        if flags & {"birthday_soon", "birthday_month"} or rnd() < .4:
            ahead = rng.randint(1, 6) if "birthday_soon" in flags else rng.randint(8, 29) \
                if "birthday_month" in flags else rng.randrange(365)
            when = self.today + timedelta(days=ahead)
            year = rng.randint(1960, 1996) if rnd() < .5 else None
            if year and (when.month, when.day) == (2, 29) and year % 4:
                year = None
            p["birthday"] = (when.day, when.month, year)
        return p

    def conversations(self, p: dict, colleagues: list[int], last: dict[int, int]) -> None:
        """The customer's conversations, each note with the records its markers produce."""
        rng, rnd, n, cid, tl = self.rng, self.rng.random, p["count"], p["id"], p["timeline"]
        pick, between = self.pick, self.between
        p["met_on"] = None
        if n == 0:
            p["created"] = self.base - between(1, 120) * DAY + 9 * 3600
            return
        if tl == "key_overdue":
            end = -between(100, 200)
        elif tl == "post_purchase":
            p["purchase_day"] = -between(15, 25)
            end = p["purchase_day"] - between(2, 25)
        elif tl == "overdue_followup":
            end = -between(9, 30)
        elif tl == "unanswered":
            end = -between(1, 10)
        else:
            end = -between(1, 70) if p["key"] else max(-600, -1 - int(rng.expovariate(1 / 35)))
        start = max(-730, end - between(min(700, max(60, n * 15)), 730))
        days = [start] + [between(start, end) for _ in range(n - 2)] + [end]
        weekday = self.today.weekday()  # Saturday -> Friday, Sunday -> Monday (or Friday)
        days = [d - 1 if (weekday + d) % 7 == 5 else d + 1 if (weekday + d) % 7 == 6 and d < end
                else d - 2 if (weekday + d) % 7 == 6 else d for d in days[-n:]]
        moments = sorted(self.base + d * DAY + 7 * 3600 + int(rnd() * 8 * 3600) for d in days)
        pref, choices = p["channel"], rng.choices
        channels = [pref if rnd() < .45 else choices(D.CHANNELS, cum_weights=_CHANNEL_CUM)[0]
                    for _ in moments]
        reached = [rnd() < D.REACH[ch] for ch in channels]
        if tl in ("overdue_followup", "post_purchase", "key_overdue"):
            reached[-1] = True
        elif tl == "unanswered":
            k = min(n - 1, pick((2, 3)))
            reached[-k - 1:] = [True] + [False] * k
        reached_at = [i for i, r in enumerate(reached) if r]
        last_reached = reached_at[-1] if reached_at else -1
        first_day, before = (moments[0] - self.base) // DAY, between(0, 10)
        p["met_on"] = self.day(first_day - before)[0]
        p["created"] = created = moments[0] - before * DAY - between(600, 4 * 3600)
        state = _Notes(p, self)
        for j, s in enumerate(moments):
            created = max(created + 1, s + 120 + int(rnd() * 1680))
            channel = channels[j]
            if j == 0 and cid == 1 and colleagues:
                channel = "meeting"
            conv = self.ids[Conversation]()
            state.tick(s)
            if reached[j]:
                body, summary, minutes, milestone = state.note(
                    j, s, created, conv, channel, j == last_reached)
                talk = "" if channel in ("email", "message") else "me" if (
                    "talks_too_much" in p["flags"] and rnd() < .85) else pick(
                    ("them", "them", "both", "both", "me"))
                who, mood = "me" if rnd() < .6 else "them", pick(D.MOODS)
            else:
                phrase = pick(D.TOPICS)[1]
                body = summary = pick(D.UNREACHED[channel]).format(n=p["call"], p=phrase)
                minutes, milestone, talk, who, mood = None, False, "", "me", ""
            planned = p["minutes"] if channel in ("call", "video") else \
                60 if channel == "meeting" else None
            cts = self.ts(created)
            self.add[Conversation]((conv, self.uuid(created), cts, cts, cid, self.ts(s), channel,
                                    int(reached[j]), who, talk, minutes, planned, summary, body,
                                    mood, int(milestone)))
            if reached[j]:
                last[cid] = s
            if colleagues and channel in ("meeting", "video", "visit") and (
                    rnd() < .25 or (j == 0 and cid == 1)):
                other = pick(colleagues)
                self.row(ConversationParticipant, created, conv, other)
                if reached[j]:
                    last[other] = max(last.get(other, 0), s)
        state.finish()
        if reached_at:
            self.purchases(p, first_day, (moments[last_reached] - self.base) // DAY - 1)

    def purchases(self, p: dict, first: int, last: int) -> None:
        rng, culture, pick, between = self.rng, p["culture"], self.pick, self.between
        scale = D.CURRENCY_SCALE[culture.currency]
        count = p["count"] // 40 if p["id"] == 1 and self.big else pick(
            (0, 0, 1, 1, 1, 2, 2, 3, 4, 6))
        plan = [(between(first, last), log_uniform(rng, 150, 40000))
                for _ in range(count if last >= first else 0)]
        if "purchase_day" in p:
            plan.append((p["purchase_day"], between(2500, 30000)))
        for day, eur in sorted(plan):
            amount = eur * scale
            amount = round(amount, -3) if scale >= 100 else round(amount, -1) if scale > 1 \
                else round(amount, 2)
            s = self.base + day * DAY + rng.randrange(8 * 3600, 16 * 3600)
            self.row(Purchase, s, p["id"], self.day(day)[0], f"{amount:.2f}", culture.currency,
                     pick(D.PURCHASES))

    def emit_customer(self, p: dict, last_reached: int | None) -> None:
        rng, rnd, culture, cid = self.rng, self.rng.random, p["culture"], p["id"]
        pick, between = self.pick, self.between
        s, full = p["created"], p["full"]
        title = pick(culture.titles) if culture.titles and rnd() < .25 else \
            pick(D.TITLES)
        cadence = None if p["timeline"] == "key_overdue" else pick((30, 60)) if (
            p["key"] and rnd() < .2) else pick((60, 120, 180)) if rnd() < .06 else None
        introduced = pick(self.names) if self.names and rnd() < .2 else ""
        self.row(Customer, s, full, p["given"], p["family"],
                 "Dr." if rnd() < .04 and not p["native"] else "", "", fold(full),
                 p["company"], pick(D.DEPARTMENTS) if rnd() < .5 else "",
                 p["company_fold"], title, int(p["key"]), cadence, p["met_on"],
                 p["met_where"] if p["met_on"] else "", introduced,
                 pick(D.ABOUT) if rnd() < .4 else "", int("archived" in p["flags"]),
                 self.ts(last_reached) if last_reached else None, id_=cid)
        self.names = [*self.names[-63:], full]
        given, family = p["roman"]
        local = f"{slug(given)}.{slug(family)}" if rnd() < .7 else \
            f"{slug(given)[:1]}{slug(family)}"
        self.row(ContactPoint, s, cid, "email", "work", f"{local}@{p['domain']}", 1)
        phone = "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in culture.phone)
        self.row(ContactPoint, s, cid, "phone", "mobile" if rnd() < .7 else "work", phone, 0)
        if rnd() < .2:
            self.row(ContactPoint, s, cid, "url", "company", f"https://www.{p['domain']}", 0)
        if rnd() < .15:
            self.row(ContactPoint, s, cid, "social", "profile",
                     f"https://social.example/{local}", 0)
        if rnd() < .08:
            self.row(ContactPoint, s, cid, "address", "office",
                     f"{between(1, 120)} Harbour Road, {pick(culture.cities)}", 0)
        pace = pick(("all-business", "balanced") if p["formality"] == "formal"
                    else ("balanced", "chatty", "all-business"))
        small_talk = {"chatty": 1, "all-business": 0}.get(pace, pick((1, None)))
        self.row(StyleProfile, s, cid, p["formality"], pace, p["channel"],
                 pick(D.BEST_TIME), p["minutes"],
                 pick(D.LEAD_NOTES) if rnd() < .4 else "", small_talk,
                 pick(D.AVOID) if rnd() < .25 else "", "")
        tags = ([culture.region] if rnd() < .6 else []) + rng.sample(D.TAGS, between(0, 2))
        for tag in tags:
            self.row(CustomerTag, s, cid, self.tags[tag])


def slug(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isascii() and ch.isalnum())


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))
