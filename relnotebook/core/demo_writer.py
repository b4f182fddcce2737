"""The demo notebook's bulk writer and the forked process that can feed it.

Split out of ``demo.py``: getting millions of generated rows into SQLite fast (multi-row
INSERTs, relaxed durability and no search triggers while a new file is filled, generation in
a forked child on another core) is separate from deciding what the rows say.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import signal
import sys
import threading

from . import db, search
from .demo_people import DemoCancelled, _Generator
from .demo_rows import COLUMNS

# Parameters per INSERT statement: a few hundred rows, well under SQLite's limit of 32,766.
_MAX_PARAMS = 8000


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
