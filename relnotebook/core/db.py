"""Opening a notebook file: the mark, the pragmas, the migrations.

``database`` is the one deliberate module-level object: peewee's deferred database, bound
by ``open_notebook()``. One notebook is open per process at a time; tests reopen freely.

Safety rules (DESIGN.md §8):
- a file is checked *before* anything writes to it: random bytes, an unrelated SQLite
  database or a notebook from a newer version of the app raise ``StorageError`` and the
  file is left exactly as it was;
- every connection runs with ``journal_mode=wal``, ``synchronous=full``, foreign keys on and
  a busy timeout; every write transaction is ``BEGIN IMMEDIATE`` so two writers queue on the
  lock instead of failing half way with SQLITE_BUSY on upgrade;
- the file carries ``PRAGMA application_id`` and ``PRAGMA user_version`` (= the number of
  the last migration applied), so recognising a notebook costs one page read;
- a notebook that cannot be written (the file or its folder, where SQLite keeps the -wal and
  -shm, is not writable; or ``read_only=True``) opens through a ``mode=ro`` URI, without
  migrations or pragmas that write; ``is_read_only()`` says so, and every write fails with
  ``StorageError("read_only")`` (``write()`` refuses before it starts; SQLite refuses any
  other write, which ``storage_errors.classify`` maps to the same code).

Checkpoints (issue 9): with SQLite's default, the commit that leaves the write-ahead log
past 1,000 pages copies it into the main file before it returns: at 100,000 customers
every ~14th logged note paid 13-18 ms for it, the whole of logging's p95. The CLI keeps
that default (a verb commits a few times, and closing the last connection checkpoints what
is left). The window calls ``defer_checkpoints()``: its commits checkpoint only once the
log passes ``WAL_BOUND_PAGES``, and ``ui/checkpoint.py`` runs ``checkpoint()`` on a
connection of its own in a worker when the notebook is idle, so a save never waits for it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from peewee import SqliteDatabase

from .errors import StorageError
from .paths import private_dir
from .text import fold

APPLICATION_ID = 0x524E4E42  # "RNNB"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000

database = SqliteDatabase(None, lock_type="IMMEDIATE")
# What open_notebook bound: the path, whether read-only, and the name given to peewee (a
# ``file:`` URI when read-only), so a later ``database.init`` elsewhere is noticed.
_opened: dict[str, object] = {"path": None, "read_only": False, "target": None}
# The fold of core/text.py as SQL ``rn_fold(text)``: the search index's triggers fold what
# they index with exactly the function that folds what a user asks.
database.register_function(fold, "rn_fold", 1, deterministic=True)

PRAGMAS = (
    ("journal_mode", "wal"),
    ("synchronous", "full"),
    ("foreign_keys", "on"),
    ("busy_timeout", BUSY_TIMEOUT_MS),
    ("temp_store", "memory"),
    ("cache_size", -32000),
)
# A read-only connection: the same, less what writes (journal_mode), plus query_only.
READ_ONLY_PRAGMAS = tuple(p for p in PRAGMAS if p[0] != "journal_mode") + (("query_only", 1),)

AUTO_CHECKPOINT_PAGES = 1000  # SQLite's default ``wal_autocheckpoint``: what the CLI keeps
# Deferred (the window): a commit checkpoints only past this many pages (~16 MB at SQLite's
# 4 KiB pages; ~60 notes logged without an idle moment), so the log stays bounded when the
# background checkpoint never gets its turn; ``journal_size_limit`` then shrinks the -wal
# file back to this size after a larger transaction (an import, VACUUM).
WAL_BOUND_PAGES = 4000
_PAGE_BYTES = 4096
# The ``wal_autocheckpoint`` every new writable connection gets (see ``defer_checkpoints``).
_wal: dict[str, int] = {"autocheckpoint": AUTO_CHECKPOINT_PAGES}


def _inspect(path: Path) -> tuple[int, int] | None:
    """(application_id, user_version) of an existing file, or None for an empty/new one.

    Reads through a read-only connection so a file that turns out not to be ours is not
    touched (not even a -wal/-shm pair is left behind).
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise StorageError("not_sqlite", path=str(path))
    # Without a -wal beside it the file holds everything, and ``immutable=1`` reads it
    # without creating a -wal/-shm pair (a read-only connection to a WAL database would,
    # and could not remove them). A -wal means a live or crashed writer: read through it.
    wal = Path(f"{path}-wal")
    mode = "mode=ro" if wal.exists() else "immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table'"
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StorageError("unreadable", path=str(path), detail=str(exc)) from exc
    if app_id != APPLICATION_ID:
        if app_id == 0 and tables == 0:
            return None  # an empty SQLite file: adopt it as a new notebook
        raise StorageError("not_notebook", path=str(path))
    return app_id, version


def _create_private_file(path: Path) -> None:
    private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def writable(path: Path) -> bool:
    """Whether SQLite can write ``path``: the file itself and its folder (-wal, -shm)."""
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    if not path.exists():
        return folder_ok
    return folder_ok and os.access(path, os.R_OK | os.W_OK)


def read_only_uri(path: Path) -> str:
    """The URI of a read-only connection to the notebook at ``path`` (absolute).

    Without a -wal beside it and without a writable folder, SQLite could not create the
    -shm a WAL read needs: ``immutable=1`` reads the file as it is. Otherwise ``mode=ro``
    reads through the -wal (a crashed writer's last commits are there).
    """
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    mode = "mode=ro" if folder_ok or (wal.exists() and shm.exists()) else "immutable=1"
    return f"{path.as_uri()}?{mode}"


def open_notebook(path: str | os.PathLike[str], *, create: bool = True,
                  read_only: bool = False) -> Path:
    """Bind ``database`` to the notebook at ``path``, creating or upgrading it.

    Returns the resolved path. Raises ``StorageError`` (codes: ``missing``, ``not_sqlite``,
    ``unreadable``, ``not_notebook``, ``too_new``, ``read_only``) and leaves a file it
    cannot use untouched. A file that cannot be written, or ``read_only=True``, opens
    read-only (``is_read_only()``); one that would need creating or upgrading then raises
    ``StorageError("read_only")``.
    """
    from .migrations import LATEST_VERSION, upgrade

    path = Path(path).expanduser().resolve()
    if path.is_dir():
        raise StorageError("is_directory", path=str(path))
    mark = _inspect(path)
    read_only = read_only or (path.exists() and not writable(path))
    if read_only:
        if not path.exists():
            raise StorageError("missing", path=str(path))
        if mark is None or mark[1] < LATEST_VERSION:
            raise StorageError("read_only", path=str(path))
    if mark is None and not path.exists():
        if not create:
            raise StorageError("missing", path=str(path))
        try:
            _create_private_file(path)
        except PermissionError as exc:
            raise StorageError("read_only", path=str(path)) from exc
    if mark is not None and mark[1] > LATEST_VERSION:
        raise StorageError("too_new", path=str(path), version=mark[1], supported=LATEST_VERSION)
    close_notebook()
    if read_only:
        database.init(read_only_uri(path), uri=True, pragmas=READ_ONLY_PRAGMAS,
                      timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        database.init(str(path), uri=False, pragmas=PRAGMAS + _wal_pragmas(),
                      timeout=BUSY_TIMEOUT_MS / 1000)
    _opened.update(path=path, read_only=read_only, target=database.database)
    try:
        database.connect()
        if not read_only and (mark is None or mark[1] < LATEST_VERSION):
            # The mark goes first: a run cut short between the first migration and the
            # mark would otherwise leave a notebook that the next open calls foreign.
            database.pragma("application_id", APPLICATION_ID)
            upgrade(database)
    except sqlite3.OperationalError as exc:
        close_notebook()
        raise StorageError("cannot_open", path=str(path), detail=str(exc)) from exc
    except Exception as exc:
        close_notebook()
        from peewee import OperationalError

        if isinstance(exc, OperationalError):
            raise StorageError("cannot_open", path=str(path), detail=str(exc)) from exc
        raise
    if not read_only:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.chmod(f"{path}{suffix}", 0o600)
    return path


def close_notebook() -> None:
    if not database.deferred and not database.is_closed():
        database.close()


def current_path() -> Path | None:
    if database.deferred:
        return None
    if _opened["target"] == database.database and isinstance(_opened["path"], Path):
        return _opened["path"]
    return Path(database.database)


def is_read_only() -> bool:
    """Whether the open notebook was opened read-only (see ``open_notebook``)."""
    return (not database.deferred and _opened["target"] == database.database
            and bool(_opened["read_only"]))


def is_open() -> bool:
    return not database.deferred and not database.is_closed()


@contextlib.contextmanager
def write() -> Iterator[None]:
    """One write transaction (``BEGIN IMMEDIATE``): all of it commits, or none of it."""
    if is_read_only():
        raise StorageError("read_only", path=str(current_path()))
    with database.atomic():
        yield


def _wal_pragmas() -> tuple[tuple[str, int], ...]:
    pages = _wal["autocheckpoint"]
    if pages == AUTO_CHECKPOINT_PAGES:
        return ()  # SQLite's defaults, untouched
    return (("wal_autocheckpoint", pages), ("journal_size_limit", pages * _PAGE_BYTES))


def defer_checkpoints(bound_pages: int | None = WAL_BOUND_PAGES) -> None:
    """Let commits leave up to ``bound_pages`` in the write-ahead log (None: back to
    SQLite's 1,000), for a process that checkpoints in the background (the window).

    Applies to the open connection (when writable) and to every writable connection opened
    from now on, a reopen after a restore or another thread's included.
    """
    pages = AUTO_CHECKPOINT_PAGES if bound_pages is None else max(1, int(bound_pages))
    _wal["autocheckpoint"] = pages
    if not is_open() or is_read_only():
        return  # the next ``open_notebook`` applies it (a query here would reconnect)
    limit = -1 if pages == AUTO_CHECKPOINT_PAGES else pages * _PAGE_BYTES
    # ``permanent``: peewee applies them to each later connection (worker threads).
    database.pragma("wal_autocheckpoint", pages, permanent=True)
    database.pragma("journal_size_limit", limit, permanent=True)


def checkpoints_deferred() -> int | None:
    """The bound ``defer_checkpoints`` set (pages), or None when SQLite's default holds."""
    pages = _wal["autocheckpoint"]
    return None if pages == AUTO_CHECKPOINT_PAGES else pages


@dataclass(frozen=True)
class Checkpoint:
    """What ``PRAGMA wal_checkpoint`` reported."""

    busy: bool  # another checkpoint ran, or (not PASSIVE) a reader or writer stayed in the way
    wal_pages: int  # pages in the write-ahead log (-1: the file is not in WAL mode)
    copied_pages: int  # of those, pages now in the main file

    @property
    def complete(self) -> bool:
        """Everything the log holds is in the main file (the next write starts it over)."""
        return not self.busy and self.copied_pages >= self.wal_pages


def checkpoint(path: str | os.PathLike[str], mode: str = "PASSIVE") -> Checkpoint:
    """Copy the write-ahead log of the notebook at ``path`` into its main file, on a
    connection of its own (for a worker thread: the shared connection is never touched).

    PASSIVE takes no lock a writer needs and waits for nobody: a save that comes meanwhile
    goes on, and what a reader still needs is left for the next time. The file must exist
    (``mode=rw``: never created); SQLite errors propagate as ``sqlite3.Error``.
    """
    if mode not in ("PASSIVE", "FULL", "RESTART", "TRUNCATE"):
        raise ValueError(mode)
    uri = f"{Path(path).resolve().as_uri()}?mode=rw"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                           isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = full")
        busy, wal_pages, copied = conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
    finally:
        conn.close()
    return Checkpoint(bool(busy), int(wal_pages), int(copied))


def data_version() -> int:
    """Changes when *another* connection commits: how the window notices CLI writes."""
    return int(database.execute_sql("PRAGMA data_version").fetchone()[0])
