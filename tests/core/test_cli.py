"""The command line (DESIGN.md §6): add, customers, log, archive — output, messages, exit
codes, where the notebook comes from, and never a traceback."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relnotebook import cli
from relnotebook.core import db
from relnotebook.core.clock import noon_utc

EVERY_MARKER = """\
Kick-off in Łódź #pricing
[ ] send the quote by Friday
[them] send the PO due 2026-12-01
[x] call back about the Ñandú demo
? who signs off the budget
+family: daughter Åsa marries in June
+hot: uptime über alles
+style: formal, brief
+unsaid: hesitated on price
+send: article on Ørsted https://example.com/a
"""

EXPECTED_LINES = [
    "Logged call with Zoë Ångström on 2026-11-20",
    "topic: pricing",
    "i-owe: send the quote [due 2026-11-27]",
    "they-owe: send the PO [due 2026-12-01]",
    "closed: call back about the Ñandú demo",
    "question: who signs off the budget",
    "detail: daughter Åsa marries in June",
    "fact: uptime über alles",
    "style: formal, brief",
    "unsaid: hesitated on price",
    "send: article on Ørsted",
]


@pytest.fixture
def nb(notebook) -> str:
    """The notebook's path as the CLI takes it; closed again after the test."""
    yield str(notebook)
    db.close_notebook()


@pytest.fixture
def run(capsys):
    """Run ``main(argv)`` in-process: (exit code, stdout, stderr), never a traceback."""

    def call(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:  # main() should not raise it, but count it if it does
            code = exc.code if isinstance(exc.code, int) else 2
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err

    return call


@pytest.fixture
def people(nb, run) -> str:
    for argv in (["Zoë Ångström", "--company", "Ångström AB"],
                 ["Anna Berg", "--company", "Acme"],
                 ["Anna Svensson"],
                 ["Jürgen Müller", "--company", "Acme"]):
        assert run("add", *argv, "--notebook", nb)[0] == 0
    return nb


def _stdin(monkeypatch, text: str, *, tty: bool = False) -> None:
    stream = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")
    if tty:
        stream.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdin", stream)


def _conversations():
    from relnotebook.core.models import Conversation

    return list(Conversation.select().order_by(Conversation.id))


# --- add and customers -------------------------------------------------------------------------


def test_add_non_ascii_and_list(nb, run):
    code, out, err = run("add", "Zoë Ångström", "--company", "Ångström AB", "--title", "CTO",
                         "--email", "zoe@example.se", "--phone", "+46 8 123", "--key",
                         "--cadence", "30", "--notebook", nb)
    assert (code, out, err) == (0, "Added Zoë Ångström (Ångström AB)\n", "")
    code, out, err = run("add", "Łucja Łódź", "--notebook", nb)
    assert (code, out) == (0, "Added Łucja Łódź\n")

    from relnotebook.core import customers

    view = customers.find("angstrom")
    assert (view.title, view.key_client, view.cadence_days) == ("CTO", True, 30)
    assert [c.value for c in customers.contacts(view.id)] == ["zoe@example.se", "+46 8 123"]

    code, out, err = run("customers", "--notebook", nb)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Łucja Łódź") and "never talked" in lines[0]
    assert lines[1].startswith("Zoë Ångström") and "Ångström AB" in lines[1]
    assert "[key]" in lines[1] and "due " in lines[1]
    code, out, _ = run("customers", "lodz", "--notebook", nb)
    assert (code, [line.split("  ")[0] for line in out.splitlines()]) == (0, ["Łucja Łódź"])
    code, out, _ = run("customers", "nobody-like-this", "--notebook", nb)
    assert (code, out) == (0, "")


def test_add_refuses_bad_input(nb, run):
    code, out, err = run("add", "   ", "--notebook", nb)
    assert (code, out) == (1, "")
    assert err == "relnotebook: a name cannot be empty\n"
    code, _, err = run("add", "Ada", "--cadence", "0", "--notebook", nb)
    assert code == 1 and "cadence" in err and len(err.splitlines()) == 1
    code, _, err = run("add", "Ada", "--cadence", "often", "--notebook", nb)
    assert code == 2 and "invalid int value" in err
    code, out, _ = run("customers", "--notebook", nb)
    assert (code, out) == (0, "")


def test_customers_sorted_and_archived(people, run):
    nb = people
    assert run("log", "zoe", "--text", "hi", "--date", "2026-11-20", "--notebook", nb)[0] == 0
    code, out, _ = run("customers", "--sort", "last_contact", "--notebook", nb)
    assert code == 0
    assert out.splitlines()[0].startswith("Zoë Ångström")
    assert "last 2026-11-20" in out.splitlines()[0]
    code, out, err = run("archive", "Jürgen", "--notebook", nb)
    assert (code, out, err) == (0, "Archived Jürgen Müller (Acme)\n", "")
    _, out, _ = run("customers", "--notebook", nb)
    assert "Müller" not in out
    _, out, _ = run("customers", "--archived", "--notebook", nb)
    assert "Jürgen Müller" in out and "[archived]" in out
    code, _, err = run("log", "muller", "--text", "x", "--notebook", nb)
    assert code == 1 and "no customer matches" in err


# --- log ---------------------------------------------------------------------------------------


def test_log_text_prints_every_record(people, run):
    code, out, err = run("log", "angst", "--text", EVERY_MARKER, "--date", "2026-11-20",
                         "--notebook", people)
    assert (code, err) == (0, "")
    assert out.splitlines() == EXPECTED_LINES


def test_log_from_file(people, run, tmp_path):
    note = tmp_path / "note.md"
    note.write_bytes("\ufeff".encode() + EVERY_MARKER.encode("utf-8"))  # a BOM, as editors do
    code, out, err = run("log", "Zoë", "--file", str(note), "--date", "2026-11-20",
                         "--notebook", people)
    assert (code, err) == (0, "")
    assert out.splitlines() == EXPECTED_LINES
    assert _conversations()[0].body == EVERY_MARKER
    code, out, err = run("log", "Zoë", "--file", str(tmp_path / "missing.md"),
                         "--notebook", people)
    assert code == 1 and err.startswith("relnotebook: cannot read ")
    assert len(_conversations()) == 1


@pytest.mark.parametrize("dash", [True, False])
def test_log_from_stdin(people, run, monkeypatch, dash):
    _stdin(monkeypatch, EVERY_MARKER)
    argv = ["log", "Zoë", *(["-"] if dash else []), "--date", "2026-11-20", "--notebook", people]
    code, out, err = run(*argv)
    assert (code, err) == (0, "")
    assert out.splitlines() == EXPECTED_LINES
    assert _conversations()[0].body == EVERY_MARKER


def test_log_without_a_note_on_a_terminal_is_a_usage_error(people, run, monkeypatch):
    _stdin(monkeypatch, "", tty=True)
    code, out, err = run("log", "Zoë", "--notebook", people)
    assert (code, out) == (2, "")
    assert "--text" in err
    assert _conversations() == []


def test_log_every_option(people, run):
    code, out, err = run(
        "log", "zoe", "--text", "Quarterly review #roadmap", "--date", "2026-11-02",
        "--channel", "meeting", "--minutes", "25", "--planned", "30", "--talk", "me",
        "--started-by", "them", "--milestone", "--with", "Jürgen", "--with", "svensson",
        "--notebook", people)
    assert (code, err) == (0, "")
    assert out.splitlines() == ["Logged meeting with Zoë Ångström on 2026-11-02",
                                "topic: roadmap"]
    [conv] = _conversations()
    assert conv.happened_at == noon_utc(date(2026, 11, 2))
    assert (conv.channel, conv.minutes, conv.planned_minutes, conv.talk, conv.started_by,
            conv.milestone, conv.reached, conv.summary) == (
        "meeting", 25, 30, "me", "them", True, True, "Quarterly review #roadmap")
    from relnotebook.core import conversations, customers

    for name in ("Jürgen Müller", "Anna Svensson", "Zoë Ångström"):
        assert [c.id for c in conversations.timeline(customers.find(name).id)] == [conv.id]


def test_log_no_answer(people, run):
    code, out, _ = run("log", "zoe", "--no-answer", "--channel", "video", "--text", "",
                       "--date", "2026-11-03", "--notebook", people)
    assert code == 0
    assert out == "Logged video with Zoë Ångström on 2026-11-03 (no answer)\n"
    [conv] = _conversations()
    assert not conv.reached
    from relnotebook.core.models import Customer

    assert Customer.get(Customer.full_name == "Zoë Ångström").last_reached_at is None


def test_log_defaults_to_a_call_now(people, run):
    from relnotebook.core import clock

    code, out, _ = run("log", "zoe", "--text", "quick call", "--notebook", people)
    assert code == 0
    assert out == f"Logged call with Zoë Ångström on {clock.today().isoformat()}\n"


def test_log_warnings_go_to_stderr_and_exit_0(people, run):
    note = "Call\n+wish: a pony\n[ ] pay the invoice due someday\n[ ]\n"
    code, out, err = run("log", "zoe", "--text", note, "--date", "2026-11-20",
                         "--notebook", people)
    assert code == 0
    assert out.splitlines() == ["Logged call with Zoë Ångström on 2026-11-20",
                                "i-owe: pay the invoice due someday"]
    lines = err.splitlines()
    assert len(lines) == 3
    assert lines[0] == "warning: line 2: unknown marker +wish: kept as text"
    assert lines[1].startswith("warning: line 3: ") and '"someday"' in lines[1]
    assert lines[2].startswith("warning: line 4: ")


def test_log_close_warning_names_the_others(people, run):
    nb = people
    run("log", "zoe", "--text", "[ ] send the quote\n[ ] send the deck", "--notebook", nb)
    code, out, err = run("log", "zoe", "--text", "[x] send", "--notebook", nb)
    assert code == 0
    assert "closed: send the quote" in out.splitlines()
    assert err.startswith("warning: line 1: ") and "send the deck" in err


def test_unknown_customer_suggests_add(people, run):
    code, out, err = run("log", "Nobody Known", "--text", "[ ] x", "--notebook", people)
    assert (code, out) == (1, "")
    assert err == ('relnotebook: no customer matches "Nobody Known"; '
                   'add them with: relnotebook add "Nobody Known"\n')
    assert _conversations() == []
    code, _, err = run("log", "zoe", "--with", "Nobody", "--text", "x", "--notebook", people)
    assert code == 1 and "relnotebook add" in err
    assert _conversations() == []


def test_ambiguous_customer_lists_candidates(people, run):
    code, out, err = run("log", "anna", "--text", "x", "--notebook", people)
    assert (code, out) == (1, "")
    assert err.startswith('relnotebook: "anna" matches several customers: ')
    assert "Anna Berg (Acme)" in err and "Anna Svensson" in err
    assert len(err.splitlines()) == 1
    code, _, err = run("archive", "anna", "--notebook", people)
    assert code == 1 and "Anna Berg (Acme)" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["log"],
        ["log", "zoe", "--date", "2026-02-30", "--text", "x"],
        ["log", "zoe", "--date", "yesterday", "--text", "x"],
        ["log", "zoe", "--channel", "pigeon", "--text", "x"],
        ["log", "zoe", "--talk", "nobody", "--text", "x"],
        ["log", "zoe", "--minutes", "ten", "--text", "x"],
        ["log", "zoe", "--text", "x", "-"],
        ["log", "zoe", "--text", "x", "--file", "f.md"],
        ["log", "zoe", "--text"],
        ["add"],
        ["add", "Ada", "--frobnicate"],
        ["customers", "a", "b"],
        ["customers", "--sort", "size"],
        ["archive"],
    ],
)
def test_usage_errors_exit_2(people, run, argv):
    code, out, err = run(*argv, "--notebook", people)
    assert (code, out) == (2, "")
    assert "usage:" in err or "error:" in err
    assert _conversations() == []


def test_invalid_minutes_is_an_error(people, run):
    code, _, err = run("log", "zoe", "--minutes", "-5", "--text", "x", "--notebook", people)
    assert code in (1, 2) and "minutes" in err
    assert _conversations() == []


# --- which notebook ----------------------------------------------------------------------------


def test_notebook_before_and_after_the_arguments(tmp_path, run):
    path = str(tmp_path / "nb.sqlite")
    assert run("--notebook", path, "add", "Zoë Ångström")[0] == 0
    assert run("add", "Ada", "--notebook", path, "--company", "Analytical")[0] == 0
    code, out, _ = run("--notebook", path, "customers", "ada")
    assert code == 0 and out.startswith("Ada")
    code, out, _ = run("customers", "zoe", "--notebook", path)
    assert code == 0 and out.startswith("Zoë Ångström")
    code, out, _ = run("log", "--notebook", path, "zoe", "--text", "hi", "--date", "2026-01-02")
    assert code == 0 and out.startswith("Logged call with Zoë Ångström on 2026-01-02")
    db.close_notebook()


def test_notebook_from_the_environment(tmp_path, run, monkeypatch):
    path = tmp_path / "env" / "nb.sqlite"
    monkeypatch.setenv("RELNOTEBOOK_NOTEBOOK", str(path))
    assert run("add", "Zoë Ångström")[0] == 0
    assert path.exists()
    code, out, _ = run("customers")
    assert code == 0 and out.startswith("Zoë Ångström")
    other = tmp_path / "explicit.sqlite"
    assert run("add", "Ada", "--notebook", str(other))[0] == 0  # an explicit path wins
    _, out, _ = run("customers")
    assert "Ada" not in out
    db.close_notebook()


def test_verbs_other_than_add_need_an_existing_notebook(tmp_path, run):
    path = tmp_path / "none.sqlite"
    for argv in (["customers"], ["log", "zoe", "--text", "x"], ["archive", "zoe"]):
        code, out, err = run(*argv, "--notebook", str(path))
        assert (code, out) == (1, "")
        assert err.startswith("relnotebook: no notebook at ")
        assert not path.exists()


@pytest.mark.parametrize("content", [b"not a notebook at all\n" * 50, os.urandom(4096), b""])
def test_non_notebook_file_is_refused_unchanged(tmp_path, run, content):
    path = tmp_path / "notes.sqlite"
    if content:
        path.write_bytes(content)
    else:  # an unrelated SQLite database
        import sqlite3

        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for argv in (["customers"], ["add", "Ada"], ["log", "ada", "--text", "x"]):
        code, out, err = run(*argv, "--notebook", str(path))
        assert (code, out) == (1, "")
        assert "it was not changed" in err and len(err.splitlines()) == 1
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


# --- unexpected errors ------------------------------------------------------------------------


@pytest.fixture
def root_handlers():
    """Remove whatever file handlers the CLI adds to the root logger during a test."""
    import logging

    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield root
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_unexpected_error_goes_to_the_log_not_the_screen(people, run, monkeypatch,
                                                         root_handlers):
    import logging

    from relnotebook.core import customers, paths

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(customers, "create", boom)
    for _ in range(2):
        code, out, err = run("add", "Ada", "--notebook", people)
        assert (code, out) == (1, "")
        assert err.startswith("relnotebook: unexpected error: RuntimeError: boom; details in ")
        assert len(err.splitlines()) == 1
    files = [h for h in root_handlers.handlers if isinstance(h, logging.FileHandler)
             and h.baseFilename == os.path.abspath(paths.log_file())]
    assert len(files) == 1  # set up once, not once per error
    files[0].flush()
    logged = paths.log_file().read_text(encoding="utf-8")
    assert "Traceback" in logged and "RuntimeError: boom" in logged


def test_storage_failure_is_worded(people, run, monkeypatch, root_handlers):
    import sqlite3

    from relnotebook.core import conversations

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(conversations, "log", locked)
    code, out, err = run("log", "zoe", "--text", "x", "--notebook", people)
    assert (code, out) == (1, "")
    assert err == ("relnotebook: the notebook is busy (another program is writing to it); "
                   "try again\n")


# --- a real process ----------------------------------------------------------------------------


def _process(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "relnotebook", *argv], input=stdin,
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=120, check=False)


def test_exit_codes_of_a_real_process(tmp_path):
    path = str(tmp_path / "nb.sqlite")
    added = _process("add", "Zoë Ångström", "--company", "Ångström AB", "--notebook", path)
    assert (added.returncode, added.stdout, added.stderr) == (
        0, "Added Zoë Ångström (Ångström AB)\n", "")
    logged = _process("log", "zoe", "-", "--date", "2026-11-20", "--notebook", path,
                      stdin=EVERY_MARKER)
    assert logged.returncode == 0, logged.stderr
    assert logged.stdout.splitlines() == EXPECTED_LINES
    unknown = _process("log", "nobody", "--text", "x", "--notebook", path)
    assert unknown.returncode == 1
    assert "relnotebook add" in unknown.stderr and "Traceback" not in unknown.stderr
    usage = _process("log", "zoe", "--date", "someday", "--notebook", path)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"\x00\x01garbage" * 100)
    refused = _process("customers", "--notebook", str(garbage))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert garbage.read_bytes() == b"\x00\x01garbage" * 100


# --- never a traceback -------------------------------------------------------------------------

_TOKENS = st.sampled_from([
    "add", "customers", "log", "archive", "--text", "--file", "-", "--date", "2026-11-20",
    "2026-02-30", "--channel", "call", "video", "--minutes", "15", "-3", "--planned",
    "--talk", "me", "them", "--started-by", "--no-answer", "--milestone", "--with",
    "--company", "--title", "--email", "--phone", "--key", "--cadence", "0", "30",
    "--sort", "due", "name", "--archived", "--help", "-h", "Zoë", "zoe", "anna", "Anna Berg",
    "", " ", "[x] send", "[ ] call by Friday", "? why", "#topic", "+date: 14 March",
    "\x00", "%", "_", ".", "/", "nonexistent/dir/file.md",
])
_ARGS = st.lists(st.one_of(_TOKENS, st.text(max_size=12)), max_size=8)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(verb=st.sampled_from(["add", "customers", "log", "archive"]), args=_ARGS)
def test_random_arguments_never_show_a_traceback(tmp_path, capsys, monkeypatch, verb, args):
    monkeypatch.chdir(tmp_path)  # whatever a stray argument creates stays in here
    _stdin(monkeypatch, "[ ] from stdin\n")
    path = Path(tmp_path / "fuzz.sqlite")
    if not path.exists():  # one notebook for all examples, with people to find
        from relnotebook.core import customers

        db.open_notebook(path)
        for name, company in (("Zoë Ångström", "Ångström AB"), ("Anna Berg", "Acme"),
                              ("Anna Svensson", "")):
            customers.create(name, company=company)
        db.close_notebook()
    capsys.readouterr()
    try:
        code = cli.main([verb, "--notebook", str(path), *args])
    except SystemExit as exc:
        code = exc.code
    finally:
        db.close_notebook()
    _, err = capsys.readouterr()
    assert code in (0, 1, 2)
    assert "Traceback" not in err
