"""Seeded synthetic notebooks: demo data and benchmarks (DESIGN.md §6, issue 3).

``generate(path, customers, seed, today)`` writes a new notebook that a sales rep would find
believable: people from many cultures and scripts, their companies and styles, two years of
conversations whose notes are written in the meeting-notes syntax (§4) together with the
records that syntax produces, purchases, and the situations that fill a day's agenda
(overdue follow-ups, birthdays next week, a key client not called in a quarter, a large
purchase to check in on, calls that went unanswered).

Deterministic: everything, uuids and timestamps included, comes from ``random.Random(seed)``
and ``today``. Conversations happen on working days between 07:00 and 15:00 *UTC* (not local
time), so the same seed gives the same file on every machine, and the day a note was dated
(its due phrases) is the same calendar day from UTC-7 to UTC+9.

Fast: rows are built as tuples with explicit ids and written as multi-row INSERTs in
transactions of ~60,000 rows (``synchronous`` is relaxed only while the brand-new file is
filled); big notebooks are generated in a forked process while this one writes. 100,000
customers with 10 conversations each make about 4.9 million rows. Word lists live in
``demo_data.py``.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import itertools
import json
import math
import multiprocessing
import os
import random
import signal
import sys
import threading
import time as _time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from . import db, search
from . import demo_data as D
from .dates import parse_due_phrase
from .errors import NotebookError, StorageError, ValidationError
from .ids import new_uuid
from .models import (
    ContactPoint,
    Conversation,
    ConversationParticipant,
    ConversationTopic,
    Customer,
    CustomerTag,
    Draft,
    Erasure,
    FollowUp,
    PersonalDetail,
    Purchase,
    Question,
    SalesFact,
    Setting,
    StyleNote,
    StyleProfile,
    Tag,
    ThoughtfulThing,
    Topic,
    Unsaid,
)
from .text import fold

DAY = 86400
_EPOCH = datetime(1970, 1, 1)
_BASE = "id uuid created_at updated_at "
_REC = _BASE + "customer conversation text "
# Tables in the order they are written (parents first), with the columns each tuple holds.
COLUMNS = {
    Customer: _BASE + "full_name given_name family_name prefix nickname name_fold company "
    "department company_fold title key_client cadence_days met_on met_where introduced_by about "
    "archived last_reached_at",
    Tag: _BASE + "name fold",
    Topic: _BASE + "name fold",
    ContactPoint: _BASE + "customer kind label value preferred",
    StyleProfile: _BASE + "customer formality pace preferred_channel best_time planned_minutes "
    "lead_notes small_talk avoid_topics notes",
    CustomerTag: _BASE + "customer tag",
    Conversation: _BASE + "customer happened_at channel reached started_by talk minutes "
    "planned_minutes summary body mood milestone",
    ConversationParticipant: _BASE + "conversation customer",
    ConversationTopic: _BASE + "conversation topic",
    FollowUp: _REC + "owner due done_at closed_in",
    Question: _REC + "asked_in asked_at",
    PersonalDetail: _REC + "kind day month year mentioned_at",
    SalesFact: _REC + "kind confirmed_at assumed",
    StyleNote: _REC,
    Unsaid: _REC,
    ThoughtfulThing: _REC + "url status sent_at reaction",
    Purchase: _BASE + "customer date amount currency description",
    Draft: _BASE + "customer body started_at saved_at",
    Setting: _BASE + "key value",
    Erasure: _BASE + "customer_uuid",
}
# Situations a day's agenda should show; the first customers get one each, so even a
# 30-customer notebook has every kind. Timeline situations exclude each other.
TIMELINES = ("overdue_followup", "post_purchase", "key_overdue", "unanswered")
FORCED = ("overdue_followup", "birthday_soon", "post_purchase", "key_overdue", "unanswered",
          "talks_too_much", "archived", "birthday_month")
_PREF_CUM = tuple(itertools.accumulate((30, 15, 12, 30, 5, 8)))
_CHANNEL_CUM = tuple(itertools.accumulate(D.CHANNEL_WEIGHTS))
_RATES = (("overdue_followup", .03), ("post_purchase", .02), ("key_overdue", .02),
          ("unanswered", .04))


@dataclass(frozen=True)
class DemoSummary:
    """What ``generate`` made (for the CLI's closing line and for benchmarks)."""

    path: Path
    seed: int
    today: date
    customers: int
    conversations: int
    rows: tuple[tuple[str, int], ...]  # (table, rows written), in writing order
    seconds: float


class DemoCancelled(NotebookError):
    """``cancel()`` answered True: the half-written file has been removed."""

    code = "cancelled"


def default_conversations(customers: int) -> int:
    """About 20 conversations each for a normal notebook, 10 for a benchmark-sized one."""
    return 20 if customers <= 5000 else 10


def generate(path: str | os.PathLike[str], customers: int = 200, seed: int = 1,
             today: date | None = None, progress: Callable[[int, int], None] | None = None,
             cancel: Callable[[], bool] | None = None, *,
             conversations_per_customer: int | None = None,
             big_customer_conversations: int = 0, parallel: bool | None = None) -> DemoSummary:
    """Create a demo notebook at ``path`` (which must not exist) and leave it open.

    ``progress(done, total)`` is called with customers written; ``cancel()`` is polled between
    accounts and, when true, the new file is removed and ``DemoCancelled`` raised. Customer 1
    gets ``big_customer_conversations`` conversations when that is > 0 (benchmarks).
    ``parallel`` (default: for big notebooks) generates in a forked process while this one
    writes; the file is the same either way.
    """
    path = Path(path).expanduser()
    if path.exists() or path.is_symlink():
        raise StorageError("exists", path=str(path))
    if customers < 0 or big_customer_conversations < 0:
        raise ValidationError("bad_demo_size", customers=customers,
                              big_customer_conversations=big_customer_conversations)
    started = _time.perf_counter()
    per = conversations_per_customer
    per = default_conversations(customers) if per is None else max(0, per)
    today = today or date.today()
    if parallel is None:
        parallel = customers * per + big_customer_conversations >= _PARALLEL_FROM
    path = db.open_notebook(path)
    try:
        writer = _Writer()
        args = (seed, today, per, big_customer_conversations, customers)
        with _bulk_mode():
            if parallel and _can_fork():
                _run_forked(writer, args, progress, cancel)
            else:
                _Generator(writer.write, *args).run(progress, cancel)
            search.rebuild()  # one ordered pass; reinstalls the triggers dropped by _bulk_mode
        if progress is not None:
            progress(customers, customers)
        counts = tuple((m._meta.table_name, writer.counts[m]) for m in COLUMNS)
    except BaseException:
        db.close_notebook()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.remove(f"{path}{suffix}")
        raise
    return DemoSummary(path, seed, today, customers, writer.counts[Conversation], counts,
                       _time.perf_counter() - started)


def _can_fork() -> bool:
    """Fork only a single-threaded process on Linux (never a GUI's worker, never macOS)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _run_forked(writer: _Writer, args: tuple, progress, cancel) -> None:
    """Generate in a forked child while this process writes: SQLite and the search index's
    fold run here, the generator's Python on the other core. Same rows, same batches."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, args), daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            if cancel is not None and cancel():
                raise DemoCancelled()
            try:
                message = receiver.recv()
            except EOFError:
                message = ("error", f"exit code {child.exitcode}")
            if message[0] == "end":
                return
            if message[0] == "error":
                raise RuntimeError(f"demo generator failed: {message[1]}")
            writer.write(message[1])
            if progress is not None and message[2] < args[-1]:
                progress(message[2], args[-1])
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _child(sender, args: tuple) -> None:
    """The forked generator: Ctrl+C is the parent's to handle (it ends this process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _Generator(lambda batch, done: sender.send(("rows", batch, done)), *args).run(None, None)
        sender.send(("end",))
    except OSError:
        pass  # the parent stopped reading: it is cancelling or failing on its own
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        with contextlib.suppress(OSError):
            sender.send(("error", repr(exc)))
    finally:
        sender.close()


@contextlib.contextmanager
def _bulk_mode():
    """A brand-new file may skip fsyncs while it is filled; full durability after.

    The search index's triggers are dropped meanwhile: fed row by row in batches, FTS5
    makes thousands of small segments to merge (2-3 times the work of ``search.rebuild()``,
    which indexes each table in one ordered pass and puts the triggers back).
    """
    database = db.database
    for source in search.SOURCES:
        for name in source.triggers():
            database.execute_sql(f'DROP TRIGGER IF EXISTS "{name}"')
    database.pragma("synchronous", "off")
    database.pragma("cache_size", -262144)
    try:
        yield
    finally:
        database.pragma("synchronous", dict(db.PRAGMAS)["synchronous"])
        database.pragma("cache_size", dict(db.PRAGMAS)["cache_size"])
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


@functools.cache
def _clock() -> list[str]:
    """" HH:MM:SS" for every second of a day: moments are formatted by two lookups."""
    return [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]


_fold = functools.lru_cache(maxsize=1 << 16)(fold)  # note texts repeat: fold each once
_BATCH_ROWS = 60_000  # rows per transaction (and per message from a forked generator)
_PARALLEL_FROM = 100_000  # conversations from which a forked process generates the rows
# Parameters per INSERT statement: a few hundred rows, well under SQLite's limit of 32,766.
_MAX_PARAMS = 8000


class _Writer:
    """Writes batches of row tuples as multi-row INSERTs (a few hundred rows a statement),
    parents first, one transaction a batch."""

    def __init__(self) -> None:
        self.counts = dict.fromkeys(COLUMNS, 0)
        self.sql: dict[type, str] = {}
        self.marks: dict[type, str] = {}
        for model, spec in COLUMNS.items():
            names = spec.split()
            fields = model._meta.fields
            missing = [f for n, f in fields.items() if n not in names and f.default is not None]
            if missing:  # a column added by a later migration needs a value here
                raise RuntimeError(f"demo: no value for {model.__name__}.{missing[0].name}")
            cols = ", ".join(f'"{fields[n].column_name}"' for n in names)
            self.sql[model] = f'INSERT INTO "{model._meta.table_name}" ({cols}) VALUES '
            self.marks[model] = "(" + ", ".join("?" * len(names)) + ")"

    def write(self, batch: tuple[list[tuple], ...], done: int = 0) -> None:
        """One batch (a list of rows per table, in COLUMNS order) in one transaction."""
        conn = db.database.connection()
        with db.write():
            for model, rows in zip(COLUMNS, batch, strict=True):
                if not rows:
                    continue
                per = max(1, _MAX_PARAMS // len(rows[0]))
                full = self.sql[model] + ", ".join([self.marks[model]] * per)
                for start in range(0, len(rows), per):
                    chunk = rows[start:start + per]
                    sql = full if len(chunk) == per else \
                        self.sql[model] + ", ".join([self.marks[model]] * len(chunk))
                    conn.execute(sql, list(itertools.chain.from_iterable(chunk)))
                self.counts[model] += len(rows)


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


class _Item:
    """A follow-up or question while notes are written: ``done``/``by`` set when closed."""

    __slots__ = ("id", "created", "conv", "text", "owner", "due", "done", "by", "tick")

    def __init__(self, id_: int, created: int, conv: int, text: str, owner: str = "",
                 due: str | None = None, tick: int | None = None) -> None:
        self.id, self.created, self.conv, self.text = id_, created, conv, text
        self.owner, self.due, self.tick = owner, due, tick
        self.done: int | None = None
        self.by: int | None = None


class _Notes:
    """One customer's open follow-ups and questions while their notes are written in order.

    ``[x] text`` closes what the real capture would: the oldest open follow-up (mine or
    theirs) whose folded text starts with ``text``, else the oldest open question, else it
    records a follow-up of mine already done (DESIGN §4). Follow-ups not closed in a note
    are mostly ticked off in the list some days later (``tick``), as a rep would.
    """

    def __init__(self, p: dict, gen: _Generator) -> None:
        self.p, self.g, self.rng, self.culture = p, gen, gen.rng, p["culture"]
        self.followups: list[_Item] = []
        self.questions: list[_Item] = []
        self.open_f: list[_Item] = []
        self.open_q: list[_Item] = []
        self.birthday_said = "birthday" not in p
        self.said: set[tuple[str, str]] = set()

    def new(self, kind: str, text: str) -> bool:
        """True the first time this customer's notes say ``text`` (people repeat less)."""
        if (kind, text) in self.said:
            return False
        self.said.add((kind, text))
        return True

    def tick(self, s: int) -> None:
        """Follow-ups ticked off in the list (no note) before moment ``s``."""
        for item in [i for i in self.open_f if i.tick is not None and i.tick < s]:
            item.done = item.tick
            self.open_f.remove(item)

    def close(self, text: str, s: int, created: int, conv: int) -> None:
        wanted = _fold(text)
        for pool in (self.open_f, self.open_q):
            for item in pool:
                if _fold(item.text).startswith(wanted):
                    item.done, item.by = s, conv
                    pool.remove(item)
                    return
        item = _Item(self.g.ids[FollowUp](), created, conv, text, "me")
        item.done, item.by = s, conv
        self.followups.append(item)

    def note(self, j: int, s: int, created: int, conv: int, channel: str, last: bool):
        """(body, summary, minutes, milestone) of a reached conversation; records added."""
        g, rng, rnd, p = self.g, self.rng, self.rng.random, self.p
        pick, between = g.pick, g.between
        culture, name, cid = self.culture, p["call"], p["id"]
        day = g.day((s - g.base) // DAY)[1]
        topics = [pick(culture.topics) if culture.topics and rnd() < .15
                  else pick(D.TOPICS) for _ in range(pick((1, 1, 2, 2, 3)))]
        topics = list(dict.fromkeys(topics))
        milestone = False
        if j == 0 and rnd() < .5:
            summary, milestone = pick(D.FIRST_MEETING).format(w=p["met_where"]), True
        elif rnd() < .03:
            summary, milestone = pick(D.MILESTONES), True
        else:
            summary = pick(D.WRITTEN if channel in ("email", "message") else D.SUMMARIES)
            summary = summary.format(p=topics[0][1], n=name)
        lines = [summary, " ".join("#" + t for t, _ in topics)]
        for tag, _phrase in topics:
            topic = g.topics.get(tag)
            if topic is None:
                topic = g.topics[tag] = g.row(Topic, created, tag, fold(tag))
            g.row(ConversationTopic, created, conv, topic)
        if rnd() < .3 and channel not in ("email", "message"):
            lines.append(pick(D.CONTEXT).format(n=name))
        closes = [f.text for f in self.open_f if rnd() < .5][:2]
        closes += [q.text for q in self.open_q if rnd() < .35][:1]
        if rnd() < .03:
            closes.append(pick(D.DONE_ALREADY))
        for text in closes:
            self.close(text, s, created, conv)
            lines.append(f"[x] {text}")
        forced = last and p["timeline"] == "overdue_followup"
        for owner, box, chance, texts in (("me", "[ ]", .55, D.MY_FOLLOWUPS),
                                          ("them", "[them]", .35, D.THEIR_FOLLOWUPS)):
            if not (rnd() < chance or (forced and owner == "me")):
                continue
            text, due, phrase = pick(texts).format(n=name), None, ""
            if forced or rnd() < .75:
                phrase = self.due_phrase(day, forced and owner == "me")
                due = parse_due_phrase(phrase.split(" ", 1)[1], day)
            # Done around the due date (a few forgotten), else within a month.
            tick = None if forced or rnd() < .02 else max(s + 3600, (
                g.base + (due - g.today).days * DAY + between(-3, 3) * DAY if due
                else s + between(1, 30) * DAY) + 8 * 3600 + int(rnd() * 8 * 3600))
            item = _Item(g.ids[FollowUp](), created, conv, text, owner,
                         due and due.isoformat(), tick)
            self.followups.append(item)
            self.open_f.append(item)
            lines.append(f"{box} {text} {phrase}".rstrip())
        if rnd() < .25:
            item = _Item(g.ids[Question](), created, conv, pick(D.QUESTIONS))
            self.questions.append(item)
            self.open_q.append(item)
            lines.append(f"? {item.text}")
        details = []
        if not self.birthday_said and (rnd() < .2 or last):
            self.birthday_said = True
            d, m, y = p["birthday"]
            details.append(("date", f"birthday {d} {D.MONTHS[m - 1]}" + (f" {y}" if y else ""),
                            d, m, y))
        if rnd() < .004:
            when = date(2001, 1, 1) + timedelta(days=rng.randrange(365))
            details.append(("date", f"{pick(D.ANNIVERSARIES)} {when.day} "
                                    f"{D.MONTHS[when.month - 1]}", when.day, when.month, None))
        if rnd() < .15:
            kind = pick(tuple(D.DETAILS))
            other = pick(culture.given_f + culture.given_m).roman[0]
            text = pick(D.DETAILS[kind]).format(g=other, club=pick(D.CLUBS))
            if self.new(kind, text):
                details.append((kind, text, None, None, None))
        for kind, text, d, m, y in details:
            g.row(PersonalDetail, created, cid, conv, text, kind, d, m, y, g.ts(s))
            lines.append(f"+{D.DETAIL_MARKER[kind]}: {text}")
        if rnd() < .2 and self.new(marker := pick(tuple(D.FACTS)),
                                   text := pick(D.FACTS[marker])):
            kind = {"hot": "hot_button", "expects": "expectation"}.get(marker, marker)
            g.row(SalesFact, created, cid, conv, text, kind, g.ts(s), int(rnd() < .2))
            lines.append(f"+{marker}: {text}")
        for model, marker, chance, texts in ((StyleNote, "style", .05, D.STYLE_NOTES),
                                             (Unsaid, "unsaid", .07, D.UNSAID)):
            if rnd() < chance and self.new(marker, text := pick(texts)):
                g.row(model, created, cid, conv, text)
                lines.append(f"+{marker}: {text}")
        if rnd() < .06:
            line = pick(D.SEND)
            text, _, url = line.partition(" https://")
            sent = s + between(2, 30) * DAY
            if rnd() < .45 and sent < g.base:
                g.row(ThoughtfulThing, created, cid, conv, text, url and "https://" + url, "sent",
                      g.ts(sent), pick(D.REACTIONS), updated=g.ts(sent))
            else:
                g.row(ThoughtfulThing, created, cid, conv, text, url and "https://" + url, "idea",
                      None, "")
            lines.append(f"+send: {line}")
        if channel in ("email", "message"):
            minutes = None
        elif channel in ("meeting", "visit"):
            minutes = between(30, 120)
        else:
            minutes = max(3, int(p["minutes"] * rng.uniform(.5, 1.7)))
        return "\n".join(lines), summary, minutes, milestone

    def due_phrase(self, day: date, soon: bool) -> str:
        rng, pick, between = self.rng, self.g.pick, self.g.between
        if soon:
            return "by " + pick(("Friday", "Monday", "Thursday", "tomorrow"))
        r = rng.random()
        if r < .1:
            when = day + timedelta(days=between(7, 60))
            return f"by {when.day} {D.MONTHS[when.month - 1]}"
        if r < .18:
            return "due " + (day + timedelta(days=between(7, 90))).isoformat()
        word = pick(D.DUE_WORDS)
        return ("due " if word[:2] in ("in", "en") else "by ") + word

    def finish(self) -> None:
        g, cid, ts = self.g, self.p["id"], self.g.ts
        self.tick(g.base)
        for f in self.followups:
            created, done = ts(f.created), f.done and ts(f.done)
            g.add[FollowUp]((f.id, g.uuid(f.created), created, done or created, cid, f.conv,
                             f.text, f.owner, f.due, done, f.by))
        for q in self.questions:
            created, asked = ts(q.created), q.done and ts(q.done)
            g.add[Question]((q.id, g.uuid(q.created), created, asked or created, cid, q.conv,
                             q.text, q.by, asked))


def slug(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isascii() and ch.isalnum())


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


__all__ = ["DemoCancelled", "DemoSummary", "default_conversations", "generate", "parse_due_phrase"]
