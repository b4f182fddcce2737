"""Demo notebooks (issue 3): deterministic, believable, and full of what a day needs.

One small notebook (40 customers) is generated per module and read back through plain
``sqlite3``, so the checks do not depend on the services they are meant to exercise. The
notes are re-read by the real quick-capture parser: every record the generator inserted
must be what the note's markers say.
"""

from __future__ import annotations

import itertools
import sqlite3
import unicodedata
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from relnotebook.core import capture, db, demo
from relnotebook.core.capture import ItemKind
from relnotebook.core.errors import StorageError
from relnotebook.core.models import ALL_MODELS
from relnotebook.core.text import fold

TODAY = date(2025, 3, 14)
CUSTOMERS = 40
TABLES = [m._meta.table_name for m in ALL_MODELS]


def _make(path: Path, **kwargs) -> demo.DemoSummary:
    try:
        return demo.generate(path, **kwargs)
    finally:
        db.close_notebook()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    calls: list[tuple[int, int]] = []
    summary = _make(path, customers=CUSTOMERS, seed=7, today=TODAY,
                    progress=lambda done, total: calls.append((done, total)))
    return path, summary, calls


@pytest.fixture(scope="module")
def con(made):
    conn = sqlite3.connect(made[0])
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def _dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY id').fetchall() for t in TABLES}
    finally:
        conn.close()


def _day(text: str) -> date:
    return datetime.fromisoformat(text).date()


# --- the call itself --------------------------------------------------------------------


def test_summary_and_progress(made):
    path, summary, calls = made
    assert summary.path == path.resolve() and summary.customers == CUSTOMERS
    assert summary.today == TODAY and summary.seed == 7
    assert dict(summary.rows)["customer"] == CUSTOMERS
    assert summary.conversations == dict(summary.rows)["conversation"] > CUSTOMERS * 10
    assert calls[-1] == (CUSTOMERS, CUSTOMERS)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_counts_match_the_file(made, con):
    for table, count in made[1].rows:
        assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == count, table


def test_every_table_has_rows(con):
    empty = [t for t in TABLES if not con.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone()]
    assert empty == []


def test_refuses_an_existing_path(tmp_path):
    path = tmp_path / "taken.sqlite"
    path.write_bytes(b"mine")
    with pytest.raises(StorageError) as caught:
        demo.generate(path, customers=3, today=TODAY)
    assert caught.value.code == "exists" and caught.value.params["path"] == str(path)
    assert path.read_bytes() == b"mine"


def test_cancel_removes_the_new_file(tmp_path):
    path = tmp_path / "cancelled.sqlite"
    with pytest.raises(demo.DemoCancelled):
        demo.generate(path, customers=50, today=TODAY, cancel=lambda: True)
    assert not db.is_open()
    assert list(tmp_path.iterdir()) == []


def test_sizes_and_one_big_customer(tmp_path):
    summary = _make(tmp_path / "big.sqlite", customers=6, seed=3, today=TODAY,
                    conversations_per_customer=4, big_customer_conversations=300)
    conn = sqlite3.connect(tmp_path / "big.sqlite")
    per = dict(conn.execute("SELECT customer_id, count(*) FROM conversation GROUP BY 1"))
    conn.close()
    assert per[1] == 300
    assert all(1 <= n <= 7 for cid, n in per.items() if cid != 1)
    assert summary.conversations == sum(per.values())
    assert demo.default_conversations(5000) == 20 and demo.default_conversations(5001) == 10


def test_the_search_index_is_complete_and_kept_in_sync(made):
    """Built once at the end (``search.rebuild()``), with the triggers back in place."""
    from relnotebook.core import search

    db.open_notebook(made[0], create=False)
    try:
        assert search.check() == []
        name = db.database.execute_sql("SELECT full_name FROM customer WHERE id = 3").fetchone()[0]
        assert any(hit.customer_id == 3 for hit in search.search(name))
    finally:
        db.close_notebook()


def test_the_schema_is_that_of_any_new_notebook(made, tmp_path):
    db.open_notebook(tmp_path / "plain.sqlite")
    db.close_notebook()

    def schema(path):
        conn = sqlite3.connect(path)
        try:
            return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        finally:
            conn.close()

    assert schema(made[0]) == schema(tmp_path / "plain.sqlite")


# --- determinism ------------------------------------------------------------------------


def test_same_seed_and_day_give_the_same_file(made, tmp_path):
    again = tmp_path / "again.sqlite"
    _make(again, customers=CUSTOMERS, seed=7, today=TODAY)
    first, second = _dump(made[0]), _dump(again)
    for table in TABLES:
        assert first[table] == second[table], table


@pytest.mark.skipif(not demo._can_fork(), reason="generates in a forked process on Linux")
def test_a_forked_generator_writes_the_same_notebook(made, tmp_path):
    calls: list[tuple[int, int]] = []
    forked = tmp_path / "forked.sqlite"
    _make(forked, customers=CUSTOMERS, seed=7, today=TODAY, parallel=True,
          progress=lambda done, total: calls.append((done, total)))
    first, second = _dump(made[0]), _dump(forked)
    for table in TABLES:
        assert first[table] == second[table], table
    assert calls[-1] == (CUSTOMERS, CUSTOMERS)
    with pytest.raises(demo.DemoCancelled):
        demo.generate(tmp_path / "gone.sqlite", customers=CUSTOMERS, today=TODAY,
                      parallel=True, cancel=lambda: True)
    assert not (tmp_path / "gone.sqlite").exists()


def test_another_seed_or_day_gives_another_notebook(made, tmp_path):
    first = _dump(made[0])
    _make(tmp_path / "seed8.sqlite", customers=CUSTOMERS, seed=8, today=TODAY)
    other = _dump(tmp_path / "seed8.sqlite")
    assert {r[1] for r in first["customer"]}.isdisjoint(r[1] for r in other["customer"])
    assert [r[4] for r in first["customer"]] != [r[4] for r in other["customer"]]
    _make(tmp_path / "later.sqlite", customers=CUSTOMERS, seed=7, today=TODAY + timedelta(1))
    later = _dump(tmp_path / "later.sqlite")
    assert first["conversation"] != later["conversation"]


# --- believable -------------------------------------------------------------------------


def _scripts(text: str) -> set[str]:
    found = set()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            found.add("CJK" if name.startswith(("CJK", "HIRAGANA", "KATAKANA"))
                      else name.split()[0])
    return found


def test_names_from_many_cultures_and_scripts(con):
    names = [r[0] for r in con.execute("SELECT full_name FROM customer")]
    scripts = set().union(*map(_scripts, names))
    assert {"LATIN", "CJK", "HANGUL", "ARABIC", "DEVANAGARI", "GREEK", "CYRILLIC"} <= scripts
    latin = "".join(names)
    assert any(ch in latin for ch in "æøåÆØÅ") and any(ch in latin for ch in "łŁßđĐüö")
    assert len(set(names)) >= CUSTOMERS * 0.9


def test_folds_and_contact_points(con):
    for name, name_fold, company, company_fold in con.execute(
            "SELECT full_name, name_fold, company, company_fold FROM customer"):
        assert name_fold == fold(name) and company_fold == fold(company)
        assert company
    kinds = {k for (k,) in con.execute("SELECT kind FROM contact_point")}
    assert {"email", "phone"} <= kinds
    emails = [v for (v,) in con.execute("SELECT value FROM contact_point WHERE kind='email'")]
    assert all(e.isascii() and e.count("@") == 1 and e.endswith(".example") for e in emails)
    assert con.execute("SELECT count(*) FROM style_profile").fetchone()[0] == CUSTOMERS


def test_conversations_look_like_a_reps_two_years(con):
    rows = con.execute("SELECT channel, reached, talk, minutes, milestone, happened_at "
                       "FROM conversation").fetchall()
    channels = Counter(r["channel"] for r in rows)
    assert len(channels) == 6 and channels.most_common(1)[0][0] == "call"
    assert 0.03 < sum(not r["reached"] for r in rows) / len(rows) < 0.25
    assert any(r["milestone"] for r in rows)
    assert {"them", "both", "me"} <= {r["talk"] for r in rows}
    days = [_day(r["happened_at"]) for r in rows]
    assert min(days) >= TODAY - timedelta(days=2 * 366) and max(days) < TODAY
    assert all(day.weekday() < 5 for day in days)


def test_no_moment_after_today(con):
    """Nothing happened, was written or was sent after today (due dates may lie ahead)."""
    end = (TODAY + timedelta(days=1)).isoformat()
    for model in ALL_MODELS:
        table = model._meta.table_name
        for field in model._meta.sorted_fields:
            if type(field).__name__ in ("DateTimeField", "DateField") and field.name != "due":
                late = con.execute(f'SELECT count(*) FROM "{table}" WHERE '
                                   f'"{field.column_name}" >= ?', (end,)).fetchone()[0]
                assert late == 0, f"{table}.{field.column_name}"


def test_last_reached_at_follows_the_conversations(con):
    rows = con.execute("""
        SELECT c.id, c.last_reached_at, (
            SELECT max(v.happened_at) FROM conversation v WHERE v.reached AND (
                v.customer_id = c.id OR v.id IN (
                    SELECT conversation_id FROM conversation_participant p
                    WHERE p.customer_id = c.id))) AS newest
        FROM customer c""").fetchall()
    assert all(r["last_reached_at"] == r["newest"] for r in rows)
    assert sum(r["newest"] is not None for r in rows) >= CUSTOMERS - 2


def test_notes_match_their_records(con):
    """What the generator inserted is what capture reads in each note (DESIGN §4)."""
    def texts(table, conv, where="", cols="text"):
        return Counter(tuple(r) for r in con.execute(
            f"SELECT {cols} FROM {table} WHERE conversation_id = ? {where}", (conv,)))

    convs = con.execute("SELECT id, happened_at, body, summary FROM conversation").fetchall()
    closes = 0
    for conv in convs:
        result = capture.parse(conv["body"], _day(conv["happened_at"]))
        assert result.warnings == () and result.summary == conv["summary"], conv["body"]
        items = Counter()
        for item in result.items:
            items[item.kind] += 1
        topics = {fold(i.text) for i in result.of_kind(ItemKind.TOPIC)}
        assert topics == {r[0] for r in con.execute(
            "SELECT t.fold FROM conversation_topic ct JOIN topic t ON t.id = ct.topic_id "
            "WHERE ct.conversation_id = ?", (conv["id"],))}
        owed = Counter(("me" if i.kind == ItemKind.I_OWE else "them", i.text,
                        i.due and i.due.isoformat())
                       for i in result.of_kind(ItemKind.I_OWE, ItemKind.THEY_OWE))
        assert owed == texts("follow_up", conv["id"], "AND closed_in_id IS NOT conversation_id",
                             "owner, text, due")
        assert Counter((i.text,) for i in result.of_kind(ItemKind.QUESTION)) == texts(
            "question", conv["id"])
        assert Counter((i.subkind, i.text, i.day, i.month, i.year)
                       for i in result.of_kind(ItemKind.DETAIL)) == texts(
            "personal_detail", conv["id"], cols="kind, text, day, month, year")
        assert Counter((i.subkind, i.text) for i in result.of_kind(ItemKind.FACT)) == texts(
            "sales_fact", conv["id"], cols="kind, text")
        for kind, table in ((ItemKind.STYLE, "style_note"), (ItemKind.UNSAID, "unsaid")):
            assert Counter((i.text,) for i in result.of_kind(kind)) == texts(table, conv["id"])
        assert Counter((i.text, i.url or "") for i in result.of_kind(ItemKind.SEND)) == texts(
            "thoughtful_thing", conv["id"], cols="text, url")
        wanted = [fold(i.text) for i in result.of_kind(ItemKind.CLOSE)]
        closed = [fold(r[0]) for r in con.execute(
            "SELECT text FROM follow_up WHERE closed_in_id = ? UNION ALL "
            "SELECT text FROM question WHERE asked_in_id = ?", (conv["id"], conv["id"]))]
        assert len(closed) == len(wanted) and all(
            any(c.startswith(w) for w in wanted) for c in closed)
        closes += len(wanted)
    assert closes > 0


# --- what today's list and the brief need ------------------------------------------------


def test_open_overdue_follow_ups_both_ways(con):
    today = TODAY.isoformat()
    rows = con.execute("SELECT owner, due, done_at, closed_in_id FROM follow_up").fetchall()
    assert any(r["owner"] == "me" and r["done_at"] is None and r["due"] and r["due"] < today
               for r in rows)
    assert {r["owner"] for r in rows if r["done_at"] is None} == {"me", "them"}
    assert any(r["done_at"] and r["closed_in_id"] for r in rows)
    assert any(r["done_at"] and r["closed_in_id"] is None for r in rows)
    assert any(r["done_at"] is None and r["due"] and r["due"] >= today for r in rows)
    open_old = [r for r in rows if r["done_at"] is None and r["due"] and
                _day(r["due"]) < TODAY - timedelta(days=60)]
    assert len(open_old) <= len(rows) * 0.05  # a tidy rep, not a graveyard


def test_birthdays_soon_with_and_without_year(con):
    rows = con.execute("SELECT day, month, year FROM personal_detail "
                       "WHERE text LIKE 'birthday %'").fetchall()
    assert {r["year"] is None for r in rows} == {True, False}

    def days_until(day, month):
        for year in (TODAY.year, TODAY.year + 1):
            try:
                on = date(year, month, day)
            except ValueError:
                continue
            if on >= TODAY:
                return (on - TODAY).days
        return 999

    ahead = [days_until(r["day"], r["month"]) for r in rows]
    assert any(1 <= d <= 7 for d in ahead) and any(8 <= d <= 30 for d in ahead)


def test_sales_facts_of_every_kind_some_to_confirm(con):
    rows = con.execute("SELECT kind, confirmed_at, assumed FROM sales_fact").fetchall()
    assert {r["kind"] for r in rows} == {"hot_button", "timeline", "need", "expectation",
                                         "agenda"}
    assert any(r["assumed"] for r in rows) and not all(r["assumed"] for r in rows)
    stale = (TODAY - timedelta(days=180)).isoformat()
    assert any(r["confirmed_at"] < stale for r in rows)
    assert any(r["confirmed_at"] > stale for r in rows)


def test_thoughtful_things_ideas_and_sent(con):
    rows = con.execute("SELECT status, sent_at, reaction, url FROM thoughtful_thing").fetchall()
    assert {r["status"] for r in rows} == {"idea", "sent"}
    assert all((r["status"] == "sent") == (r["sent_at"] is not None) for r in rows)
    assert any(r["reaction"] for r in rows) and any(r["url"] for r in rows)


def test_a_large_recent_purchase_without_a_call_since(con):
    rows = con.execute("SELECT p.date, p.amount, c.last_reached_at FROM purchase p "
                       "JOIN customer c ON c.id = p.customer_id WHERE NOT c.archived").fetchall()
    assert any(Decimal(str(r["amount"])) >= 1000
               and TODAY - timedelta(days=40) <= _day(r["date"]) <= TODAY - timedelta(days=14)
               and r["last_reached_at"] < r["date"] for r in rows)


def test_a_key_client_overdue_on_cadence(con):
    limit = (TODAY - timedelta(days=90)).isoformat()
    assert con.execute("SELECT count(*) FROM customer WHERE key_client AND NOT archived AND "
                       "cadence_days IS NULL AND last_reached_at < ?", (limit,)).fetchone()[0]
    assert con.execute("SELECT count(*) FROM customer WHERE key_client AND NOT archived AND "
                       "last_reached_at >= ?", (limit,)).fetchone()[0]


def test_unanswered_last_attempts_and_archived_customers(con):
    streaks = []
    for (cid,) in con.execute("SELECT id FROM customer"):
        last = [r[0] for r in con.execute(
            "SELECT reached FROM conversation WHERE customer_id = ? "
            "ORDER BY happened_at DESC LIMIT 3", (cid,))]
        streaks.append(len(list(itertools.takewhile(lambda r: not r, last))))
    assert max(streaks) >= 2
    archived = con.execute("SELECT count(*) FROM customer WHERE archived").fetchone()[0]
    assert 1 <= archived <= CUSTOMERS // 4


def test_todays_agenda_shows_a_believable_day(made):
    from relnotebook.core import agenda, briefing

    db.open_notebook(made[0], create=False)
    try:
        entries = agenda.for_day(TODAY)
        kinds = {reason.kind for entry in entries for reason in entry.reasons}
        assert set(agenda.ReasonKind) <= kinds
        assert 3 <= len(entries) <= CUSTOMERS // 2
        reminders = {r.kind for cid in range(1, CUSTOMERS + 1)
                     for r in briefing.brief_for(cid, TODAY).reminders}
        assert {"talk_most", "unanswered"} <= reminders
    finally:
        db.close_notebook()
