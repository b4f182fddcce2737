"""Two processes on one notebook, and the one-window lock (DESIGN.md §8).

- Two writers at once both succeed and every row of both is there: each write is one
  ``BEGIN IMMEDIATE`` transaction and the busy timeout makes the other wait its turn.
- A writer that finds the notebook locked by a long transaction waits instead of failing.
- The window lock (``core/lock.py``): a second acquire gets ``HeldBy``; a stale lock (dead
  pid, recycled pid, garbled and old) is taken over; a lock of another host is respected;
  of several processes racing for a stale lock exactly one wins.
- The handover (``ui/single_instance.py``): a second launch on the same notebook makes the
  first window's ``activate_requested`` fire with the contact file it was given, exits 0
  and leaves the notebook file alone.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from relnotebook.core import customers, db, lock, search
from relnotebook.core.models import Conversation

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
CHILD = HERE / "writer_child.py"
PER_WRITER = 40


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}


def _child_module():
    spec = importlib.util.spec_from_file_location("writer_child", CHILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _writer(path: Path, customer_id: int, first: int, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(path), str(customer_id), str(first), str(count)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=str(ROOT), env=_env())


def _acks(out: str) -> dict[int, int]:
    return {int(a): int(b) for a, b in (line.split() for line in out.splitlines()
                                         if line != "ready")}


@pytest.fixture
def two_people(tmp_path) -> tuple[Path, int, int]:
    path = tmp_path / "shared.sqlite"
    db.open_notebook(path)
    first = customers.create("Ada Writer")[0].id
    second = customers.create("Bo Writer")[0].id
    db.close_notebook()
    return path, first, second


def test_two_processes_write_at_once(two_people):
    path, ada, bo = two_people
    body_for = _child_module().body_for
    writers = [_writer(path, ada, 0, PER_WRITER), _writer(path, bo, 10_000, PER_WRITER)]
    for proc in writers:  # both have imported the core: start them together
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = [proc.communicate(timeout=300) for proc in writers]
    for proc, (_, err) in zip(writers, results, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    acked = {**_acks(results[0][0]), **_acks(results[1][0])}
    assert len(acked) == 2 * PER_WRITER
    db.open_notebook(path, create=False)
    try:
        rows = {c.id: (c.customer_id, c.body) for c in Conversation.select()}
        assert len(rows) == 2 * PER_WRITER
        for cid, n in acked.items():
            assert rows[cid] == ((ada if n < 10_000 else bo), body_for(n))
        assert db.database.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert search.check() == []
    finally:
        db.close_notebook()


def test_a_writer_waits_for_a_long_transaction(two_people):
    """Another program holds the write lock for a while: the writer queues, then succeeds."""
    path, ada, _ = two_people
    holder = sqlite3.connect(path, isolation_level=None, timeout=5)
    holder.execute("BEGIN IMMEDIATE")  # the write lock, as another writer would hold it
    proc = _writer(path, ada, 0, 3)
    proc.stdin.write("go\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "ready"  # open needs no write lock
    holder.execute("COMMIT")  # the writer is waiting on its BEGIN IMMEDIATE, or soon will
    holder.close()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert len(_acks(out)) == 3


# --- the window lock --------------------------------------------------------------------------


def test_second_acquire_is_held_by_the_first(tmp_path):
    notebook = tmp_path / "nb.sqlite"
    first = lock.acquire(notebook, socket_name="sock-1")
    assert isinstance(first, lock.Lock)
    assert first.path == tmp_path / "nb.sqlite.lock"
    second = lock.acquire(notebook, socket_name="sock-2")
    assert isinstance(second, lock.HeldBy)
    assert (second.info.pid, second.info.host, second.info.socket) == (
        os.getpid(), lock.hostname(), "sock-1")
    first.release()
    assert not first.path.exists()
    third = lock.acquire(notebook)
    assert isinstance(third, lock.Lock)
    first.release()  # a second release does not remove somebody else's lock
    assert third.path.exists()
    third.release()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _write_lock(notebook: Path, **fields) -> Path:
    path = lock.lock_path(notebook)
    info = {"pid": 1, "host": lock.hostname(), "socket": "old", "started": "", "token": "old"}
    info.update(fields)
    path.write_text(json.dumps(info))
    return path


@pytest.mark.parametrize("case", ["dead_pid", "recycled_pid", "garbled_old", "empty_old"])
def test_stale_lock_is_taken_over(tmp_path, case):
    notebook = tmp_path / "nb.sqlite"
    if case == "dead_pid":
        path = _write_lock(notebook, pid=_dead_pid())
    elif case == "recycled_pid":  # our own pid, but a process that started at another time
        if not lock.process_started(os.getpid()):
            pytest.skip("process start times are not known here (no /proc)")
        path = _write_lock(notebook, pid=os.getpid(), started="1")
    else:
        path = lock.lock_path(notebook)
        path.write_text("{not json" if case == "garbled_old" else "")
        old = time.time() - lock.GRACE_SECONDS - 60
        os.utime(path, (old, old))
    taken = lock.acquire(notebook, socket_name="new")
    assert isinstance(taken, lock.Lock), taken
    assert lock.read(path).pid == os.getpid()
    assert lock.read(path).socket == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb.sqlite.lock"]  # nothing left
    taken.release()


def test_live_and_foreign_locks_are_respected(tmp_path):
    notebook = tmp_path / "nb.sqlite"
    sleeper = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                               stdin=subprocess.PIPE)
    try:
        _write_lock(notebook, pid=sleeper.pid)
        held = lock.acquire(notebook)
        assert isinstance(held, lock.HeldBy) and held.info.pid == sleeper.pid
    finally:
        sleeper.communicate()
    _write_lock(notebook, pid=_dead_pid(), host="another-host.example")
    assert isinstance(lock.acquire(notebook), lock.HeldBy)  # its pid means nothing here
    lock.lock_path(notebook).write_text("")  # being written right now (fresh, empty)
    assert isinstance(lock.acquire(notebook), lock.HeldBy)


_RACER = textwrap.dedent("""
    import sys
    from relnotebook.core import lock
    sys.stdin.readline()
    got = lock.acquire(sys.argv[1])
    print("lock" if isinstance(got, lock.Lock) else "held", flush=True)
    sys.stdin.read()
    if isinstance(got, lock.Lock):
        got.release()
""")


def test_racing_for_a_stale_lock_one_wins(tmp_path):
    notebook = tmp_path / "nb.sqlite"
    _write_lock(notebook, pid=_dead_pid())
    racers = [subprocess.Popen([sys.executable, "-c", _RACER, str(notebook)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                               cwd=str(ROOT), env=_env()) for _ in range(4)]
    for proc in racers:
        proc.stdin.write("go\n")
    for proc in racers:
        proc.stdin.flush()
    answers = [proc.stdout.readline().strip() for proc in racers]
    for proc in racers:
        proc.communicate(timeout=60)
    assert sorted(answers) == ["held", "held", "held", "lock"]
    assert not lock.lock_path(notebook).exists()  # the winner released it


# --- the handover between windows --------------------------------------------------------------

_SECOND_LAUNCH = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QCoreApplication
    app = QCoreApplication(sys.argv[:1])
    from relnotebook.ui import single_instance
    claim = single_instance.claim(sys.argv[1], sys.argv[2] or None)
    print("handed_over" if claim.handed_over else "instance" if claim.instance else "held")
    sys.exit(0 if claim.handed_over else 3)
""")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_second_launch_hands_over_and_exits(qapp, qtbot, tmp_path):
    from relnotebook.ui import single_instance

    notebook = tmp_path / "nb.sqlite"
    db.open_notebook(notebook)
    customers.create("Ada")
    db.close_notebook()
    before = _sha(notebook)
    contact = tmp_path / "people.vcf"
    first = single_instance.claim(notebook)
    assert first.instance is not None
    try:
        with qtbot.waitSignal(first.instance.activate_requested, timeout=30_000) as raised:
            second = subprocess.Popen(
                [sys.executable, "-c", _SECOND_LAUNCH, str(notebook), str(contact)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(ROOT),
                env=_env())
        assert raised.args == [str(contact.resolve())]
        out, err = second.communicate(timeout=60)
        assert second.returncode == 0, err
        assert out.strip() == "handed_over"
        assert _sha(notebook) == before
        assert not Path(f"{notebook}-wal").exists()  # it never opened the notebook
    finally:
        first.instance.release()
    assert not lock.lock_path(notebook).exists()


def test_launch_after_a_crashed_window_takes_over(qapp, tmp_path):
    from relnotebook.ui import single_instance

    notebook = tmp_path / "nb.sqlite"
    _write_lock(notebook, pid=_dead_pid(), socket=single_instance.socket_name(notebook))
    claimed = single_instance.claim(notebook)
    assert claimed.instance is not None
    assert lock.read(lock.lock_path(notebook)).pid == os.getpid()
    claimed.instance.release()


def test_a_window_that_does_not_answer_is_named(qapp, tmp_path):
    from relnotebook.ui import single_instance

    notebook = tmp_path / "nb.sqlite"
    sleeper = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                               stdin=subprocess.PIPE)
    try:
        _write_lock(notebook, pid=sleeper.pid, socket="relnotebook-nobody-listens-here")
        claimed = single_instance.claim(notebook, timeout_ms=500)
        assert claimed.instance is None and not claimed.handed_over
        assert claimed.holder is not None and claimed.holder.pid == sleeper.pid
    finally:
        sleeper.communicate()
