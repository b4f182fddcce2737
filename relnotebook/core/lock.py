"""One window per notebook: a lock file next to it (DESIGN.md §8).

``<name>.sqlite.lock`` holds, as one JSON object, who has the notebook open in a window: the
process id, the host name, the process's start time (so a recycled pid is not mistaken for
the holder) and the name of the local socket the window listens on, so a second launch can
hand over to it (``relnotebook.ui.single_instance``). It is created with
``O_CREAT | O_EXCL``: of two windows starting at once, exactly one gets it.

A lock whose process is gone (same host, pid not alive or started at another time) is
stale: the next ``acquire`` takes it over. A lock from another host is respected, since its
process cannot be looked at from here. A lock file without readable content (its writer was
killed between creating and writing it) is stale once it is older than ``GRACE_SECONDS``.

The lock binds windows only: CLI verbs never look at it and write through SQLite's own
locking. This module never imports Qt.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import time
from dataclasses import asdict, dataclass
from pathlib import Path

SUFFIX = ".lock"
GRACE_SECONDS = 5.0  # an empty or garbled lock younger than this is being written
_ATTEMPTS = 5


@dataclass(frozen=True)
class LockInfo:
    pid: int
    host: str
    socket: str = ""
    started: str = ""  # the process's start time on this host ("" when unknown)
    token: str = ""  # tells our own lock file from one that replaced it


@dataclass(frozen=True)
class HeldBy:
    """``acquire`` found the notebook open in another window, described by ``info``."""

    info: LockInfo
    path: Path


class Lock:
    """The lock of one notebook, held by this process until ``release()``.

    ``placed`` is False when no lock file could be written (a read-only folder): the
    notebook is ours as far as we can tell, but another window would not know it.
    """

    def __init__(self, path: Path, info: LockInfo, *, placed: bool = True) -> None:
        self.path = path
        self.info = info
        self.placed = placed
        self.released = False

    def release(self) -> None:
        """Remove the lock file, if it is still ours. Safe to call more than once."""
        if self.released:
            return
        self.released = True
        current = read(self.path)
        if current is not None and current.token == self.info.token:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def __enter__(self) -> Lock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"Lock({str(self.path)!r}, pid={self.info.pid})"


def lock_path(notebook: str | os.PathLike[str]) -> Path:
    """``/x/notebook.sqlite`` → ``/x/notebook.sqlite.lock``."""
    path = Path(notebook).expanduser().resolve()
    return path.with_name(path.name + SUFFIX)


def hostname() -> str:
    return socket.gethostname()


def process_started(pid: int) -> str:
    """When ``pid`` started, as the kernel counts it ("" when unknown: not Linux, gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # The command name (field 2) is in parentheses and may hold spaces: count after it.
    fields = stat[stat.rfind(")") + 2:].split()
    return fields[19] if len(fields) > 19 else ""


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    except OSError:
        return False
    return True


def is_stale(info: LockInfo) -> bool:
    """Whether the window that wrote ``info`` is gone (only judged on this host)."""
    if info.host != hostname():
        return False
    if not pid_alive(info.pid):
        return True
    if info.started:
        now = process_started(info.pid)
        return bool(now) and now != info.started
    return False


def read(path: Path) -> LockInfo | None:
    """The lock's content, or None when it is missing, empty or garbled."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return LockInfo(pid=int(raw["pid"]), host=str(raw["host"]),
                        socket=str(raw.get("socket", "")), started=str(raw.get("started", "")),
                        token=str(raw.get("token", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _create(path: Path, info: LockInfo) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    try:
        os.write(fd, json.dumps(asdict(info)).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def _take_over(path: Path, stale: LockInfo | None) -> None:
    """Move a stale lock away, unless another process replaced it meanwhile.

    The rename is atomic: of several processes taking over the same stale lock one moves
    it; a process that moved a *fresh* lock (written by the winner in between) puts it back.
    """
    aside = path.with_name(f"{path.name}.stale-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return
    moved = read(aside)
    if moved != stale:
        with contextlib.suppress(OSError):
            os.link(aside, path)  # no-replace: if a newer lock exists, it stays
    with contextlib.suppress(OSError):
        aside.unlink()


def acquire(notebook: str | os.PathLike[str], *, socket_name: str = "") -> Lock | HeldBy:
    """Take the window lock of ``notebook``, or say who holds it."""
    path = lock_path(notebook)
    info = LockInfo(pid=os.getpid(), host=hostname(), socket=socket_name,
                    started=process_started(os.getpid()), token=secrets.token_hex(8))
    holder = LockInfo(pid=0, host="")
    for _ in range(_ATTEMPTS):
        try:
            created = _create(path, info)
        except OSError:  # a read-only folder (or file system): no lock can be placed
            current = read(path)
            if current is not None and not is_stale(current):
                return HeldBy(current, path)
            return Lock(path, info, placed=False)
        if created:
            return Lock(path, info)
        current = read(path)
        if current is None:
            try:
                age = time.time() - path.stat().st_mtime
            except FileNotFoundError:
                continue  # released meanwhile: try again
            if age < GRACE_SECONDS:
                return HeldBy(holder, path)  # being written right now
            _take_over(path, None)
            continue
        if not is_stale(current):
            return HeldBy(current, path)
        _take_over(path, current)
        holder = current
    final = read(path)
    return HeldBy(final or holder, path)
