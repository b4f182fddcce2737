"""Drafts: meeting notes typed but not yet logged, one per customer (DESIGN.md §8).

The editor saves the note a moment after each keystroke. A draft lives in the notebook; when
the notebook refuses the write (full disk, read-only file, a lock held too long) the text goes
to a plain-text file in ``paths.drafts_dir()`` instead, written atomically and private (0600),
and ``save`` says so in its result instead of raising: a note is never lost to a failed write.

Fallback files hold exactly the text as typed (UTF-8) and are named for the customer's uuid,
so they are found again for the right person whatever the notebook's path; a draft without a
customer, or whose customer could not be read, is named for the notebook's path instead.
``pending()`` lists the drafts of the notebook and the fallback files of its customers, for the
window to offer back at start.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import peewee

from . import paths
from .changes import Changes, Kind
from .clock import utc_now
from .db import current_path, database, write
from .errors import NotFound, StorageError
from .models import Customer, Draft
from .storage_errors import classify

SUFFIX = ".txt"
_NOTEBOOK_PREFIX = "notebook-"


@dataclass(frozen=True)
class DraftView:
    customer_id: int | None
    customer_name: str  # "" for a draft without a customer
    body: str
    saved_at: datetime  # naive UTC
    started_at: datetime | None = None  # naive UTC; None for a fallback file
    fallback_path: Path | None = None  # set when this draft is a fallback file

    @property
    def first_line(self) -> str:
        """The first line with text in it, for a list of drafts."""
        return next((line.strip() for line in self.body.splitlines() if line.strip()), "")


@dataclass(frozen=True)
class DraftSaved:
    """What ``save`` did. ``error`` is a storage code (``disk_full``, ``read_only``, ...)."""

    customer_id: int | None
    saved_at: datetime  # naive UTC
    changes: Changes
    deleted: bool = False  # the body was empty: the draft is gone
    fallback_path: Path | None = None  # where the text went when the notebook refused it
    error: str | None = None

    @property
    def in_notebook(self) -> bool:
        return self.error is None

    @property
    def safe(self) -> bool:
        """The text is stored somewhere (the notebook or a fallback file)."""
        return self.error is None or self.fallback_path is not None


# --- the service ---------------------------------------------------------------------------


def save(customer_id: int | None, body: str) -> DraftSaved:
    """Store ``body`` as the customer's draft (an empty body deletes it), in one short write.

    A storage failure puts the text in a fallback file and is reported in the result, never
    raised. Raises ``NotFound`` for a customer that does not exist.
    """
    now = utc_now()
    changes = Changes.of(() if customer_id is None else customer_id, Kind.DRAFT)
    deleted = not body.strip()
    try:
        uuid = _customer_uuid(customer_id)
        if deleted:
            _delete(customer_id)
        else:
            _store(customer_id, body, now)
    except Exception as exc:  # sorted out by storage_code, else re-raised
        code = storage_code(exc)
        if code is None:
            raise
        if deleted:
            return DraftSaved(customer_id, now, changes, True, None, code)
        try:
            path = write_fallback(customer_id, body)
        except OSError:
            return DraftSaved(customer_id, now, changes, False, None, code)
        return DraftSaved(customer_id, now, changes, False, path, code)
    # The notebook holds the newest text now: an older fallback file would only confuse.
    with contextlib.suppress(OSError):
        _remove_quietly(_fallback_path(customer_id, uuid))
    return DraftSaved(customer_id, now, changes, deleted)


def get(customer_id: int | None) -> DraftView | None:
    """The customer's draft: the newer of the notebook's and a fallback file's.

    One raw statement reads the customer's name and uuid with their draft: the note editor
    asks on every customer the rep opens (four peewee queries cost ~3 ms of each click)."""
    if customer_id is None:
        row, name, uuid = _row(None), "", None
        stored = None if row is None else DraftView(None, "", row.body, row.saved_at,
                                                    row.started_at)
    else:
        found = database.execute_sql(
            "SELECT c.full_name, c.uuid, d.body, d.saved_at, d.started_at FROM customer c "
            "LEFT JOIN draft d ON d.customer_id = c.id WHERE c.id = ?", (customer_id,),
        ).fetchone()
        if found is None:
            _uuids.pop((_notebook_key(), customer_id), None)
            raise NotFound("customer", id=customer_id)
        name, uuid, body, saved_at, started_at = found
        _uuids[(_notebook_key(), customer_id)] = uuid
        stored = None if saved_at is None else DraftView(
            customer_id, name, body, _moment(saved_at), _moment(started_at))
    path = _fallback_path(customer_id, uuid)
    from_file = _read_fallback(path, customer_id, name)
    if from_file is not None and (stored is None
                                  or from_file.saved_at.replace(microsecond=0)
                                  >= stored.saved_at):
        return from_file
    return stored


def discard(customer_id: int | None, *, files: bool = True) -> Changes:
    """Drop the customer's draft from the notebook and (``files``) its fallback file."""
    with write():
        _delete(customer_id)
    if files:
        _remove_quietly(_fallback_path(customer_id, _customer_uuid(customer_id)))
    return Changes.of(() if customer_id is None else customer_id, Kind.DRAFT)


def discard_fallback(path: str | os.PathLike[str]) -> None:
    """Delete one fallback file (only a file in the drafts folder is ever touched)."""
    target = Path(path)
    folder = paths.drafts_dir().resolve()
    if target.resolve().parent != folder or target.suffix != SUFFIX:
        raise NotFound("draft_file", path=str(path))
    _remove_quietly(target)


def pending() -> tuple[DraftView, ...]:
    """Every draft of this notebook and every fallback file of its customers, newest first."""
    found: list[DraftView] = []
    query = (Draft.select(Draft.customer, Customer.full_name, Draft.body, Draft.saved_at,
                          Draft.started_at)
             .join(Customer, peewee.JOIN.LEFT_OUTER).tuples())
    for cid, name, body, saved_at, started_at in query:
        if body.strip():
            found.append(DraftView(cid, name or "", body, saved_at, started_at))
    found.extend(_fallback_drafts())
    found.sort(key=lambda d: d.saved_at, reverse=True)
    return tuple(found)


def write_fallback(customer_id: int | None, body: str) -> Path:
    """Write ``body`` to the customer's fallback file, atomically; returns its path.

    A temporary file in the same folder, flushed and fsynced, then renamed over the old one,
    so a crash leaves either the old text or the new, never half of it.
    """
    try:
        uuid = _customer_uuid(customer_id)
    except Exception:  # the notebook may be unreadable: name the file by id instead
        uuid = None
    target = _fallback_path(customer_id, uuid)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(body.encode("utf-8", "surrogatepass"))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        _remove_quietly(Path(tmp))
        raise
    _fsync_dir(target.parent)
    return target


# --- internals ---------------------------------------------------------------------------

# Uuids of customers last read, by (notebook path key, id): a fallback file can still be named
# for its customer when the notebook stops answering reads too.
_uuids: dict[tuple[str, int], str] = {}


def _store(customer_id: int | None, body: str, now: datetime) -> None:
    """Update the customer's draft or create it: one ``BEGIN IMMEDIATE`` transaction."""
    with write():
        updated = (Draft.update(body=body, saved_at=now, updated_at=now)
                   .where(_owner(customer_id)).execute())
        if not updated:
            Draft.create(customer=customer_id, body=body, started_at=now, saved_at=now)


def _delete(customer_id: int | None) -> None:
    Draft.delete().where(_owner(customer_id)).execute()


def _owner(customer_id: int | None) -> peewee.Expression:
    return Draft.customer.is_null() if customer_id is None else Draft.customer == customer_id


def _row(customer_id: int | None) -> Draft | None:
    return Draft.select().where(_owner(customer_id)).order_by(Draft.saved_at.desc()).first()


def storage_code(exc: BaseException) -> str | None:
    """The storage code of a failure the fallback file should absorb, else None.

    Walks the chain of causes: when SQLite rolls a transaction back itself (a full disk),
    peewee's own rollback fails next with "no transaction is active", hiding the real cause.
    """
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            break
        found = classify(seen)
        if isinstance(found, StorageError):
            return found.code
        seen = seen.__cause__ or seen.__context__
    if isinstance(exc, sqlite3.OperationalError | peewee.OperationalError):
        return "storage"  # any other refusal of the file (I/O error, ...): keep the text
    return None


def _moment(value: Any) -> datetime | None:
    """A stored moment (SQLite hands back text) as a naive UTC datetime."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _customer_uuid(customer_id: int | None) -> str | None:
    """The customer's uuid, read each time (an erased customer's id may be reused); the last
    one read stands in when the notebook stops answering."""
    if customer_id is None:
        return None
    key = (_notebook_key(), customer_id)
    try:
        uuid = Customer.select(Customer.uuid).where(Customer.id == customer_id).scalar()
    except Exception:
        if key in _uuids:
            return _uuids[key]
        raise
    if uuid is None:
        _uuids.pop(key, None)
        raise NotFound("customer", id=customer_id)
    _uuids[key] = uuid
    return uuid


def _notebook_key() -> str:
    path = current_path()
    if path is None:
        raise StorageError("not_open")
    return hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:16]


def _fallback_path(customer_id: int | None, uuid: str | None) -> Path:
    if uuid is not None:
        name = uuid
    elif customer_id is None:
        name = f"{_NOTEBOOK_PREFIX}{_notebook_key()}"
    else:
        name = f"{_NOTEBOOK_PREFIX}{_notebook_key()}-customer-{customer_id}"
    return paths.drafts_dir() / f"{name}{SUFFIX}"


def _read_fallback(path: Path, customer_id: int | None, name: str) -> DraftView | None:
    try:
        body = path.read_bytes().decode("utf-8", "replace")
        moment = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    except OSError:
        return None
    if not body.strip():
        return None
    return DraftView(customer_id, name, body, moment, None, path)


def _fallback_drafts() -> list[DraftView]:
    """The fallback files of this notebook's customers (other notebooks' files are skipped)."""
    files = [p for p in paths.drafts_dir().glob(f"*{SUFFIX}") if not p.name.startswith(".")]
    mine = f"{_NOTEBOOK_PREFIX}{_notebook_key()}"
    by_id: dict[Path, int | None] = {}
    for path in files:
        if path.stem == mine:
            by_id[path] = None
        elif path.stem.startswith(f"{mine}-customer-"):
            with contextlib.suppress(ValueError):
                by_id[path] = int(path.stem.rsplit("-", 1)[1])
    stems = [p.stem for p in files if p not in by_id]
    known: dict[str, tuple[int, str]] = {}
    for start in range(0, len(stems), 500):
        query = (Customer.select(Customer.uuid, Customer.id, Customer.full_name)
                 .where(Customer.uuid.in_(stems[start:start + 500])).tuples())
        known.update({uuid: (cid, name) for uuid, cid, name in query})
    names = dict(Customer.select(Customer.id, Customer.full_name)
                 .where(Customer.id.in_([i for i in by_id.values() if i is not None])).tuples())
    found = []
    for path in files:
        if path in by_id:
            cid = by_id[path]
            view = _read_fallback(path, cid, names.get(cid, "") if cid is not None else "")
        elif path.stem in known:
            cid, name = known[path.stem]
            view = _read_fallback(path, cid, name)
        else:
            continue
        if view is not None:
            found.append(view)
    return found


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
