"""Hypothesis against the command line's arguments and the search box (issue 8).

Whatever the arguments, ``log``, ``brief``, ``today``, ``search``, ``customers``, ``backup``
and ``check`` exit 0, 1 or 2 and never show a traceback; ``search.search`` never raises,
whatever the query. The capture parser and the import files have their own hypothesis
tests next to their code (tests/core).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relnotebook import cli
from relnotebook.core import conversations, customers, db, search

VERBS = ["log", "brief", "today", "search", "customers", "backup", "check"]

_TOKENS = st.sampled_from([
    "--text", "--file", "-", "--date", "2026-11-20", "2026-02-30", "0000-01-01", "9999-12-31",
    "--channel", "call", "visit", "carrier pigeon", "--minutes", "15", "-1", "1e9",
    "99999999999999999999", "--talk", "me", "them", "nobody", "--no-answer", "--milestone",
    "--with", "--format", "json", "markdown", "text", "xml", "--notebook", "--help", "-h",
    "--sort", "due", "--archived", "Zoë", "zoe", "ZOË", "anna", "Anna Berg", "Ångström", "",
    " ", "\t", "\x00", "%", "_", "*", "\"", "\"unbalanced", "NEAR(", "a OR b", "-x", "--",
    "[x] send", "[ ] call by Friday", "? why", "#topic", "+date: 14 March", "../../etc/passwd",
    "nonexistent/dir/file.txt", "ß", "ǅ", "\u202e", "\ud7ff", "😀", "a" * 300,
])
_ARGS = st.lists(st.one_of(_TOKENS, st.text(max_size=16)), max_size=7)


@pytest.fixture(scope="module")
def shared_notebook(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.sqlite"
    db.open_notebook(path)
    ids = [customers.create(name, company=company)[0].id
           for name, company in (("Zoë Ångström", "Ångström AB"), ("Anna Berg", "Acme"),
                                 ("Anna Svensson", ""), ("Bob \"Quote\" O'Hara", "A*B OR C"))]
    conversations.log(ids[0], "Talked about the sauna #wellness\n[ ] send brochure by Friday")
    conversations.log(ids[3], "NEAR(a b) \"quoted\" * -minus\n? ask about AND OR NOT")
    db.close_notebook()
    return path


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(verb=st.sampled_from(VERBS), args=_ARGS)
def test_verbs_never_show_a_traceback(shared_notebook, tmp_path, capsys, monkeypatch,
                                      verb, args):
    monkeypatch.chdir(tmp_path)  # whatever a stray argument creates stays in here
    # Standard input that is not a terminal and holds a note (``log -``).
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"[ ] from stdin\n"),
                                                       encoding="utf-8"))
    capsys.readouterr()
    try:
        code = cli.main([verb, *args, "--notebook", str(shared_notebook)])
    except SystemExit as exc:  # main() should not raise it; count it if it does
        code = exc.code
    finally:
        db.close_notebook()
    _, err = capsys.readouterr()
    assert code in (0, 1, 2), (verb, args, err)
    assert "Traceback" not in err
    if code == 1:
        assert err.strip().splitlines()[-1].startswith("relnotebook: "), err


@pytest.fixture
def searchable(shared_notebook):
    """The shared notebook, open (read-only) once for all of hypothesis's examples."""
    db.open_notebook(shared_notebook, read_only=True)
    yield shared_notebook
    db.close_notebook()


@settings(max_examples=400, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(["AND", "OR", "NOT", "NEAR", "(", ")", "\"", "*", "^", ":",
                              "-", "+", "{", "}", "zoe", "sauna", "an", "a", "ß", "Å",
                              "\x00", " ", "body:", "rowid", "'"]),
             max_size=12).map(" ".join),
    st.text(min_size=400, max_size=2000),
))
def test_search_never_raises(searchable, query):
    assert isinstance(search.search(query), tuple)
