"""Recognise the storage failures a user can meet (full disk, read-only file, a lock held
too long) so both faces can say what happened in a sentence instead of a traceback."""

from __future__ import annotations

import sqlite3

from peewee import DatabaseError as PeeweeDatabaseError

from .errors import StorageError

_SIGNS = (
    ("disk_full", ("database or disk is full", "no space left")),
    ("read_only", ("readonly database", "read-only", "attempt to write a readonly")),
    ("locked", ("database is locked", "database table is locked")),
    ("unreadable", ("file is not a database", "database disk image is malformed")),
)


def classify(exc: BaseException) -> StorageError | None:
    """A ``StorageError`` for a known storage failure, else None.

    Looks through the exception chain: on a full disk SQLite rolls back by itself, and the
    rollback peewee then attempts fails with "no transaction is active", hiding the cause.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        found = _classify_one(current)
        if found is not None:
            return found
        current = current.__cause__ or current.__context__
    return None


def _classify_one(exc: BaseException) -> StorageError | None:
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, OSError) and exc.errno == 28:
        return StorageError("disk_full")
    if not isinstance(exc, sqlite3.Error | PeeweeDatabaseError | OSError):
        return None
    text = str(exc).lower()
    for code, signs in _SIGNS:
        if any(sign in text for sign in signs):
            return StorageError(code, path="the notebook", detail=str(exc))
    return None
