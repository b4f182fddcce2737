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
``demo_data.py``; the rows' shape in ``demo_rows.py``; the generator in ``demo_people.py``
(notes: ``demo_notes.py``); the bulk writer and forked generation in ``demo_writer.py``.
"""

from __future__ import annotations

import contextlib
import os
import time as _time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import db, search
from .dates import parse_due_phrase
from .demo_people import DemoCancelled, _Generator
from .demo_rows import COLUMNS
from .demo_writer import _bulk_mode, _can_fork, _run_forked, _Writer
from .errors import StorageError, ValidationError
from .models import Conversation

_PARALLEL_FROM = 100_000  # conversations from which a forked process generates the rows


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


__all__ = ["DemoCancelled", "DemoSummary", "default_conversations", "generate", "parse_due_phrase"]
