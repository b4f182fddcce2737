"""Child processes for the reliability tests: they log conversations through the core and
print ``<conversation id> <n>`` only after ``conversations.log`` returned, that is after its
commit. ``test_kill9.py`` kills them; ``test_concurrency.py`` lets two of them race.

One writer::

    python writer_child.py NOTEBOOK CUSTOMER_ID FIRST_N [COUNT]

imports the core, waits for a line on stdin ("go": two writers start at once), opens the
notebook, prints ``ready``, then logs notes FIRST_N, FIRST_N + 1, ... (COUNT of them, or
until killed) and prints ``<id> <n>`` after each.

A fork server, so a hundred kills do not pay a hundred Python start-ups::

    python writer_child.py --fork-server NOTEBOOK CUSTOMER_ID

imports the core once and answers commands on stdin: ``spawn FIRST_N`` forks a writer (it
prints ``pid <pid>``; the writer prints ``<pid> ready`` and ``<pid> <id> <n>`` lines),
``reap <pid>`` waits for that writer to end and prints ``exit <pid> <status>`` (after
everything the writer printed). The server opens no database itself: each forked writer
opens its own connection after the fork. The parent kills writers with SIGKILL by pid.

``body_for(n)`` is the note logged for ``n``; the parent loads this file to know what each
acknowledged conversation must hold.
"""

from __future__ import annotations

import os
import sys


def body_for(n: int) -> str:
    """The note logged for ``n``: markers (records in other tables, the search index) and a
    size that varies from a fraction of a page to several pages."""
    filler = " ".join(f"word{(n * 7 + i) % 997}" for i in range((n % 5) * 300))
    return (f"Kill test note {n}\n#topic{n % 7} #kill\n[ ] send the offer {n} by Friday\n"
            f"+hobby: sailing {n}\n? ask about {n}\n{filler}\n")


def _write_loop(path: str, customer_id: int, first: int, count: int | None,
                prefix: str = "") -> None:
    from relnotebook.core import conversations, db

    out = sys.stdout
    db.open_notebook(path, create=False)
    out.write(f"{prefix}ready\n")
    out.flush()
    n = first
    while count is None or n < first + count:
        logged = conversations.log(customer_id, body_for(n))
        out.write(f"{prefix}{logged.conversation.id} {n}\n")
        out.flush()
        n += 1
    db.close_notebook()


def _fork_server(path: str, customer_id: int) -> int:
    from relnotebook.core import conversations, db  # noqa: F401 - imported once, for all

    out = sys.stdout
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "spawn":
            out.flush()
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    _write_loop(path, customer_id, int(arg), None, f"{os.getpid()} ")
                except BaseException as exc:  # noqa: BLE001 - reported, then a hard exit
                    sys.stderr.write(f"writer {os.getpid()}: {exc!r}\n")
                    code = 1
                finally:
                    sys.stdout.flush()
                    os._exit(code)
            out.write(f"pid {pid}\n")
        elif command == "reap":
            _, status = os.waitpid(int(arg), 0)
            out.write(f"exit {arg} {status}\n")
        out.flush()
    return 0


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--fork-server":
        return _fork_server(argv[1], int(argv[2]))
    from relnotebook.core import conversations, db  # noqa: F401 - before "go"

    path, customer_id, first = argv[0], int(argv[1]), int(argv[2])
    count = int(argv[3]) if len(argv) > 3 else None
    if not sys.stdin.readline():  # no "go": the parent closed stdin and wants no writes
        return 0
    _write_loop(path, customer_id, first, count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
