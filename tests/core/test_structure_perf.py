"""Guards for what the benchmark (tests/benchmarks, issue 9) depends on, fast enough for
every run: views cost a constant number of queries whatever the number of rows, and the
queries behind them are answered from indexes, never by scanning a whole table."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from playhouse.test_utils import count_queries

from relnotebook.core import briefing, conversations, customers, db, search

DAY = date(2026, 3, 2)
NOTE = "Call about #pricing\n[ ] send the quote by Friday\n? ask about volumes\n+pet: dog"


def _add(name: str) -> int:
    return customers.create(name, company="Acme")[0].id


def _log_many(cid: int, n: int) -> None:
    for i in range(n):
        conversations.log(cid, NOTE, at=DAY - timedelta(days=i))


def _queries(action) -> int:
    with count_queries() as counter:
        action()
    return counter.count


@pytest.fixture
def fast(notebook):
    """The notebook without fsyncs: these tests count queries, not durability."""
    db.database.pragma("synchronous", "off")
    return notebook


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One notebook for the read-only tests of this module (built once)."""
    db.open_notebook(tmp_path_factory.mktemp("structure") / "notebook.sqlite")
    db.database.pragma("synchronous", "off")
    few, many = _add("Few Conversations"), _add("Many Conversations")
    _log_many(few, 1)
    _log_many(many, 50)
    yield few, many
    db.close_notebook()


@pytest.fixture
def one_and_fifty(shared):
    """A customer with 1 conversation and one with 50 (records on each)."""
    path = db.current_path()
    if not db.is_open() or path is None or path.parent.name[:9] != "structure":
        pytest.fail("the shared notebook was closed by another fixture")
    return shared


def test_brief_is_one_statement_for_1_and_50_conversations(one_and_fifty):
    """Every section of the brief comes from one SQL statement (briefing_sql), whatever the
    history: no query per record kind, none per conversation."""
    few, many = one_and_fifty
    counts = [_queries(lambda c=c: briefing.brief_for(c, DAY)) for c in (few, many)]
    assert counts == [1, 1]


def test_timeline_page_and_count_are_one_statement_each(one_and_fifty):
    few, many = one_and_fifty
    counts = [_queries(lambda c=c: conversations.timeline(c, limit=100)) for c in (few, many)]
    assert counts == [1, 1]
    assert len(conversations.timeline(many, limit=100)) == 50
    assert [_queries(lambda c=c: conversations.count_for(c)) for c in (few, many)] == [1, 1]


def _vm_steps(action) -> int:
    """SQLite virtual-machine steps (in hundreds) that ``action`` runs: the work of its
    queries, whatever the number of statements."""
    steps = [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    connection = db.database.connection()
    connection.set_progress_handler(tick, 100)
    try:
        action()
    finally:
        connection.set_progress_handler(None, 100)
    return steps[0]


def test_a_timeline_page_reads_only_its_page(one_and_fifty):
    """The first page of 10 costs as much for 50 conversations as for 10: the statement
    walks the index from the newest and stops, it never sorts the whole history."""
    few, many = one_and_fifty
    ten = _add("Ten Conversations")
    _log_many(ten, 10)
    small = _vm_steps(lambda: conversations.timeline(ten, limit=10))
    large = _vm_steps(lambda: conversations.timeline(many, limit=10))
    assert large <= small * 1.25 + 1, (small, large)  # sorting all 50 first: 3 times


# --- indexes -------------------------------------------------------------------------------

# (table, leading columns): what the list, the brief, the timeline and search rely on.
INDEXES = [
    ("customer", ("name_fold", "id", "company_fold", "archived")),  # the list and its filter
    ("customer", ("last_reached_at",)),  # sort by last contact
    ("conversation", ("customer_id", "happened_at")),  # timeline, brief, last reached
    ("conversation_participant", ("customer_id",)),  # conversations with others present
    ("conversation_participant", ("conversation_id",)),
    ("conversation_topic", ("conversation_id",)),  # topics of a page of conversations
    ("follow_up", ("customer_id",)),
    ("follow_up", ("conversation_id",)),
    ("follow_up", ("due",)),  # today's agenda
    ("question", ("customer_id",)),
    ("personal_detail", ("customer_id",)),
    ("personal_detail", ("month", "day")),  # birthdays coming up
    ("sales_fact", ("customer_id",)),
    ("style_note", ("customer_id",)),
    ("unsaid", ("customer_id",)),
    ("thoughtful_thing", ("customer_id",)),
    ("purchase", ("customer_id",)),
    ("contact_point", ("customer_id",)),
    ("topic", ("fold",)),
]


def _index_columns(table: str) -> list[tuple[str, ...]]:
    found = []
    for row in db.database.execute_sql(f"PRAGMA index_list('{table}')").fetchall():
        name = row[1]
        cols = tuple(r[2] for r in db.database.execute_sql(f"PRAGMA index_info('{name}')"))
        found.append(cols)
    return found


@pytest.mark.parametrize(("table", "columns"), INDEXES)
def test_index_exists(one_and_fifty, table, columns):
    indexes = _index_columns(table)
    assert any(cols[:len(columns)] == columns for cols in indexes), (table, columns, indexes)


def test_search_index_is_fts5_with_prefix_indexes(one_and_fifty):
    sql = db.database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE name = 'search_index'").fetchone()[0]
    assert "fts5" in sql.lower()
    assert "prefix" in sql.lower()  # 2- and 3-letter prefixes stay fast


def _plan(sql: str, params: tuple = ()) -> str:
    rows = db.database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return "\n".join(str(r[-1]) for r in rows)


def _sql(query) -> tuple[str, tuple]:
    sql, params = query.sql()
    return sql, tuple(params)


def _plans_of(action, monkeypatch, kinds: tuple[str, ...] = ("SELECT", "WITH H", "WITH P")
              ) -> list[str]:
    """The query plan of every statement ``action`` runs (those starting with ``kinds``);
    a DELETE's plan includes the lookups of its foreign keys' cascades."""
    seen: list[tuple[str, Any]] = []
    run = db.database.execute_sql

    def record(sql, params=None, *args, **kwargs):
        seen.append((sql, params if isinstance(params, dict) else tuple(params or ())))
        return run(sql, params, *args, **kwargs)

    monkeypatch.setattr(db.database, "execute_sql", record)
    action()
    monkeypatch.undo()
    return [_plan(sql, params) for sql, params in seen
            if sql.lstrip().upper().startswith(kinds)]


def _scans(plan: str) -> list[str]:
    """Lines of ``plan`` that read a whole table: not the notebook's few settings, not what
    the statement itself made small (a page, the brief's newest conversations, a subquery's
    rows, a JSON list of ids)."""
    return [line for line in plan.splitlines() if line.startswith("SCAN")
            and line.split()[1] not in ("notebook_setting", "head", "page", "CONSTANT",
                                        "json_each")
            and not line.startswith("SCAN (subquery-")]


@pytest.mark.parametrize("what", ["timeline", "count", "brief"])
def test_per_customer_queries_use_indexes(one_and_fifty, monkeypatch, what):
    """No full scan of the conversation table (or of a record table) to show one customer."""
    _, cid = one_and_fifty
    action = {
        "timeline": lambda: conversations.timeline(cid, limit=100),
        "count": lambda: conversations.count_for(cid),
        "brief": lambda: briefing.brief_for(cid, DAY),
    }[what]
    plans = _plans_of(action, monkeypatch)
    assert plans
    for plan in plans:
        assert not _scans(plan), plan


@pytest.mark.parametrize("tab", ["contacts", "style", "details", "facts", "purchases",
                                 "things", "tags"])
def test_the_cards_tabs_read_by_index(one_and_fifty, monkeypatch, tab):
    """Each tab of the customer card finds the customer's rows by an index (since migration
    6 the composite one starting with customer_id), reading no whole table."""
    from relnotebook.core import records

    _, cid = one_and_fifty
    action = {"contacts": lambda: customers.contacts(cid), "style": lambda: records.style(cid),
              "details": lambda: records.details(cid), "facts": lambda: records.facts(cid),
              "purchases": lambda: records.purchases(cid), "things": lambda: records.things(cid),
              "tags": lambda: records.tags(cid)}[tab]
    plans = _plans_of(action, monkeypatch)
    assert plans
    for plan in plans:
        assert not _scans(plan), plan
        assert "customer_id=?" in plan, plan


def _foreign_keys() -> list[tuple[str, str]]:
    from peewee import ForeignKeyField

    from relnotebook.core.models import ALL_MODELS

    return [(m._meta.table_name, f.column_name) for m in ALL_MODELS
            for f in m._meta.sorted_fields if isinstance(f, ForeignKeyField)]


@pytest.mark.parametrize(("table", "column"), _foreign_keys())
def test_every_foreign_key_is_looked_up_by_an_index(one_and_fifty, table, column):
    """What SQLite runs for a cascade (deleting a customer or a conversation) and for a
    join: the rows of ``table`` whose ``column`` is a given id. Without an index starting
    with the column, each deleted parent would read the whole table."""
    plan = _plan(f'SELECT id FROM "{table}" WHERE "{column}" = ?', (1,))
    assert plan.startswith("SEARCH") and f"({column}=?)" in plan, plan


@pytest.mark.parametrize("fragment", ["m", "kov"])
def test_list_filter_reads_only_its_index(one_and_fifty, monkeypatch, fragment):
    """Typing in the filter walks one index in name order and never reads the table to
    test a name (a rare fragment among 100,000 names cost 50 ms that way)."""
    plans = _plans_of(lambda: customers.list_rows(fragment, limit=250), monkeypatch)
    list_plans = [p for p in plans if "setting" not in p]
    assert list_plans
    # SQLite tests the name and company on the index entry and reads the table row only
    # for the names that match.
    assert all("INDEX customer_name_fold_list" in p for p in list_plans), plans


def test_a_name_is_looked_up_by_its_index(one_and_fifty, monkeypatch):
    """``brief NAME`` finds the name with an index search, not by scanning every active
    customer (an index on ``archived`` once lured SQLite into that)."""
    plans = _plans_of(lambda: customers.resolve_id("Many Conversations"), monkeypatch)
    name_plans = [p for p in plans if "setting" not in p]
    assert name_plans and all(p.startswith("SEARCH") and "(name_fold=?)" in p
                              for p in name_plans), plans


# --- on a notebook of their own (these write; they come last: the shared one is closed)


def test_list_rows_costs_the_same_queries_for_1_and_50_customers(fast):
    _add("Customer 0")
    one = _queries(customers.list_rows)
    for n in range(1, 50):
        _add(f"Customer {n}")
    assert _queries(customers.list_rows) == one


def test_search_costs_the_same_queries_for_1_and_50_hits(fast):
    cid = _add("Hockey Fan")
    conversations.log(cid, "first talk about hockey", at=DAY)
    one = _queries(lambda: search.search("hockey"))
    for i in range(60):
        conversations.log(cid, f"more hockey {i}", at=DAY - timedelta(days=i + 1))
    assert len(search.search("hockey")) == 50
    assert _queries(lambda: search.search("hockey")) == one


def _with_history(name: str, conversations_count: int) -> int:
    """A customer with ``conversations_count`` notes (every kind of record) and a purchase
    and a tag, present in a conversation of the first customer."""
    from relnotebook.core import records

    cid = _add(name)
    for i in range(conversations_count):
        conversations.log(cid, NOTE + "\n+hot: price\n+style: brief\n+unsaid: budget"
                          "\n+send: a book", at=DAY - timedelta(days=i))
    records.add_purchase(cid, DAY, 100)
    records.set_tags(cid, ["fair"])
    return cid


@pytest.mark.parametrize("how", ["delete", "erase"])
def test_deleting_a_customer_reads_by_index(fast, monkeypatch, how):
    """Deleting (undoable) or erasing a customer: every statement, cascades included, finds
    the rows by an index."""
    from relnotebook.core import erase, records

    keep = _with_history("Kept Customer", 3)
    gone = _with_history("Gone Customer", 3)
    conversations.log(keep, "Met both", at=DAY, with_ids=[gone])
    action = {"delete": lambda: records.delete_customer(gone),
              "erase": lambda: erase.erase_customer(gone, vacuum=False)}[how]
    plans = _plans_of(action, monkeypatch, ("SELECT", "WITH", "DELETE", "UPDATE"))
    assert any("customer_id=?" in p for p in plans)
    for plan in plans:
        assert not _scans(plan), plan


def test_deleting_a_customer_costs_the_same_whatever_the_others_hold(fast):
    """The cascades of a delete read only the deleted customer's rows: deleting one costs
    the same (in SQLite's own steps) beside a customer with 2 notes as beside one with 60.
    A cascade without its index would read all of those."""
    from relnotebook.core import records

    steps = []
    for n in (2, 60):
        _with_history(f"Other {n}", n)
        gone = _with_history(f"Deleted {n}", 2)
        steps.append(_vm_steps(lambda g=gone: records.delete_customer(g)))
    assert steps[1] <= steps[0] * 1.25 + 2, steps


def test_deleting_a_conversation_reads_by_index(fast, monkeypatch):
    """Its records, topics' links and others present go by the conversation's index."""
    cid = _with_history("Deleting Notes", 3)
    other = _add("Present Person")
    conv = conversations.log(cid, NOTE, at=DAY + timedelta(days=1), with_ids=[other])
    plans = _plans_of(lambda: conversations.delete(conv.conversation.id), monkeypatch,
                      ("SELECT", "WITH", "DELETE", "UPDATE"))
    assert any("conversation_id=?" in p for p in plans)
    for plan in plans:
        assert not _scans(plan), plan
