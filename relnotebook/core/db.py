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
  the last migration applied), so recognising a notebook costs one page read.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from peewee import SqliteDatabase

from .errors import StorageError
from .paths import private_dir
from .text import fold

APPLICATION_ID = 0x524E4E42  # "RNNB"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000

database = SqliteDatabase(None, lock_type="IMMEDIATE")
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


def open_notebook(path: str | os.PathLike[str], *, create: bool = True) -> Path:
    """Bind ``database`` to the notebook at ``path``, creating or upgrading it.

    Returns the resolved path. Raises ``StorageError`` (codes: ``missing``, ``not_sqlite``,
    ``unreadable``, ``not_notebook``, ``too_new``, ``read_only``) and leaves a file it
    cannot use untouched.
    """
    from .migrations import LATEST_VERSION, upgrade

    path = Path(path).expanduser().resolve()
    if path.is_dir():
        raise StorageError("is_directory", path=str(path))
    mark = _inspect(path)
    if mark is None and not path.exists():
        if not create:
            raise StorageError("missing", path=str(path))
        _create_private_file(path)
    if mark is not None and mark[1] > LATEST_VERSION:
        raise StorageError("too_new", path=str(path), version=mark[1], supported=LATEST_VERSION)
    close_notebook()
    database.init(str(path), pragmas=PRAGMAS, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        database.connect()
        if mark is None or mark[1] < LATEST_VERSION:
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
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.chmod(f"{path}{suffix}", 0o600)
    return path


def close_notebook() -> None:
    if not database.deferred and not database.is_closed():
        database.close()


def current_path() -> Path | None:
    return None if database.deferred else Path(database.database)


def is_open() -> bool:
    return not database.deferred and not database.is_closed()


@contextlib.contextmanager
def write() -> Iterator[None]:
    """One write transaction (``BEGIN IMMEDIATE``): all of it commits, or none of it."""
    with database.atomic():
        yield


def data_version() -> int:
    """Changes when *another* connection commits: how the window notices CLI writes."""
    return int(database.execute_sql("PRAGMA data_version").fetchone()[0])
