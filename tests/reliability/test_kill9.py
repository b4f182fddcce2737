"""Kill -9 while writing: no acknowledged note is ever lost, nothing is ever half written.

A child process (``writer_child.py``) logs conversations through the core in a loop and
prints each id only after ``conversations.log`` returned (its commit is done). The parent
SIGKILLs it at random moments: before it opened the notebook, or after a random number of
acknowledged ids (the child is then somewhere inside its next transaction or fsync). After
each kill the parent reopens the notebook (SQLite recovers from the -wal) and checks:

- ``PRAGMA quick_check`` is ok and the search index check finds nothing;
- every acknowledged conversation is there with its body, and every conversation in the
  file (acknowledged or not: a commit can land just before the kill) is whole: its body is
  the one logged for its number, its follow-up and question exist and the index has it.

One notebook is reused across kills, so later kills hit a file that has been recovered
many times. Seeded and reproducible: ``RELNOTEBOOK_KILL_SEED`` (default 20261122).
The default run makes 120 kills (30-60 s on 2 cores, most of it fsync); a longer run:

    RELNOTEBOOK_KILLS=1000 QT_QPA_PLATFORM=offscreen \\
        python -m pytest tests/reliability/test_kill9.py -q

An import killed half way leaves nothing of itself (``test_import_killed_half_way``).
"""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from relnotebook.core import customers, db, search
from relnotebook.core.models import Conversation, Customer, FollowUp, Question

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
CHILD = HERE / "writer_child.py"
KILLS = int(os.environ.get("RELNOTEBOOK_KILLS", "120"))
SEED = int(os.environ.get("RELNOTEBOOK_KILL_SEED", "20261122"))
WATCHDOG_SECONDS = 60 + KILLS * 3

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL") or not hasattr(os, "fork"),
                                reason="needs SIGKILL and fork (POSIX)")


def _child_module():
    spec = importlib.util.spec_from_file_location("writer_child", CHILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}


def _check_notebook(path: Path, acked: dict[int, int], body_for) -> None:
    """Reopen ``path`` and check it (see module docstring)."""
    db.open_notebook(path, create=False)
    try:
        assert db.database.execute_sql("PRAGMA quick_check").fetchall() == [("ok",)]
        assert search.check() == []
        rows = {c.id: c.body for c in Conversation.select(Conversation.id, Conversation.body)}
        missing = [cid for cid in acked if cid not in rows]
        assert not missing, f"acknowledged conversations lost: {missing[:10]}"
        for cid, n in acked.items():
            assert rows[cid] == body_for(n), f"conversation {cid} (n={n}) changed"
        followups = {f.conversation_id for f in FollowUp.select(FollowUp.conversation)}
        questions = {q.conversation_id for q in Question.select(Question.conversation)}
        for cid, body in rows.items():
            n = int(body.split("\n", 1)[0].rsplit(" ", 1)[1])
            assert body == body_for(n), f"conversation {cid} is half written"
            assert cid in followups and cid in questions, f"conversation {cid} lost records"
    finally:
        db.close_notebook()


class _Writers:
    """The fork server of ``writer_child.py``: spawns writers, reaps them, reads their acks."""

    def __init__(self, path: Path, customer_id: int, err) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), "--fork-server", str(path), str(customer_id)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True,
            cwd=str(ROOT), env=_env())
        # A writer that fails would leave us waiting for acks forever: a watchdog ends it.
        self.watchdog = threading.Timer(WATCHDOG_SECONDS, self.proc.kill)
        self.watchdog.start()

    def _send(self, command: str) -> None:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def _line(self) -> list[str]:
        line = self.proc.stdout.readline()
        assert line, "the writer's fork server ended (see child.err)"
        return line.split()

    def spawn(self, first: int) -> int:
        self._send(f"spawn {first}")
        words = self._line()
        assert words[0] == "pid", words
        return int(words[1])

    def read_acks(self, pid: int, want: int, acked: dict[int, int]) -> None:
        got = 0
        while got < want:
            words = self._line()
            assert words[0] == str(pid), f"writer failed: {words}"
            if words[1] != "ready":
                acked[int(words[1])] = int(words[2])
                got += 1

    def reap(self, pid: int, acked: dict[int, int]) -> int:
        """Wait for ``pid`` to end, taking the acks it printed before; its wait status."""
        self._send(f"reap {pid}")
        while True:
            words = self._line()
            if words[0] == "exit":
                return int(words[2])
            if words[1] != "ready":
                acked[int(words[1])] = int(words[2])

    def close(self) -> None:
        self.watchdog.cancel()
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        self.proc.stdout.close()


def test_kill9_while_logging(tmp_path):
    child = _child_module()
    path = tmp_path / "kill.sqlite"
    db.open_notebook(path)
    customer_id = customers.create("Kim Killington", company="Nine Ltd")[0].id
    db.close_notebook()
    rng = random.Random(SEED)
    acked: dict[int, int] = {}
    errors = tmp_path / "child.err"
    before_any_commit = 0
    with errors.open("w") as err:
        writers = _Writers(path, customer_id, err)
        try:
            for kill in range(KILLS):
                before = len(acked)
                pid = writers.spawn(100_000 * kill)  # each writer logs its own numbers
                if rng.random() >= 0.1:  # else kill it while it opens the notebook
                    writers.read_acks(pid, rng.randint(0, 5), acked)
                os.kill(pid, signal.SIGKILL)
                status = writers.reap(pid, acked)
                assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, \
                    errors.read_text()
                before_any_commit += len(acked) == before
                _check_notebook(path, acked, child.body_for)
        finally:
            writers.close()
    assert len(acked) >= KILLS  # the writers did get work done between kills
    print(f"{KILLS} kills, {len(acked)} acknowledged conversations, "
          f"{before_any_commit} kills before any commit")


# --- an import killed half way -------------------------------------------------------------------


def _vcards(count: int) -> str:
    cards = []
    for i in range(count):
        cards.append("BEGIN:VCARD\r\nVERSION:3.0\r\n"
                     f"FN:Imported Person {i}\r\nN:Person {i};Imported;;;\r\n"
                     f"ORG:Import Co {i % 17}\r\nEMAIL:imported{i}@example.com\r\n"
                     f"TEL:+46 70 {i:07d}\r\nNOTE:{'note ' * 20}\r\nEND:VCARD\r\n")
    return "".join(cards)


IMPORT_CARDS = 400
IMPORT_KILLS = 6


def _fresh_notebook(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db.open_notebook(path)
    customers.create("Already Here")
    db.close_notebook()


def _imported(path: Path) -> int:
    db.open_notebook(path, create=False)
    try:
        assert db.database.execute_sql("PRAGMA quick_check").fetchall() == [("ok",)]
        assert search.check() == []
        assert Customer.select().where(Customer.full_name == "Already Here").count() == 1
        return Customer.select().where(Customer.full_name.startswith("Imported")).count()
    finally:
        db.close_notebook()


def test_import_killed_half_way(tmp_path):
    """``relnotebook import`` killed at random moments: all of the file or none of it.

    A first, whole run measures how long an import takes; the kills then fall anywhere in
    that time (parsing first, then one short transaction: DESIGN.md §8)."""
    path = tmp_path / "import.sqlite"
    cards = tmp_path / "people.vcf"
    cards.write_text(_vcards(IMPORT_CARDS), encoding="utf-8")
    command = [sys.executable, "-m", "relnotebook", "import", str(cards), "--notebook", str(path)]
    _fresh_notebook(path)
    started = time.monotonic()
    subprocess.run(command, capture_output=True, cwd=str(ROOT), env=_env(), check=True,
                   timeout=300)
    whole = time.monotonic() - started
    assert _imported(path) == IMPORT_CARDS
    rng = random.Random(SEED)
    killed = 0
    for attempt in range(IMPORT_KILLS):
        _fresh_notebook(path)
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                cwd=str(ROOT), env=_env())
        try:  # a random moment of the import (returns early when it finished)
            proc.wait(timeout=rng.uniform(0.05, whole) if attempt else 0.05)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
        imported = _imported(path)
        assert imported in (0, IMPORT_CARDS), f"{imported} of {IMPORT_CARDS} cards stayed"
    assert killed >= 1
