"""The import's duplicate check (issue 9): a constant number of queries whatever the number
of cards, and loading only the customers the cards could match decides exactly what loading
every customer decided."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playhouse.test_utils import count_queries

from relnotebook.core import customers, db
from relnotebook.core.io import ContactData, PointData, merge
from relnotebook.core.io.match_index import MatchIndex

NAMES = ["Anna Holm", "Anna H.", "Björn Weber", "Bjorn Weber", "Chloé Dubois", "Dmitri Petrov",
         "Ed", "info@acme.example", "Acme AB"]
COMPANIES = ["", "Acme AB", "Nordic Light AB"]
EMAILS = ["anna@acme.example", "ANNA@acme.example ", "info@acme.example", "b@x.example",
          "straße@x.example", "STRASSE@x.example", "not-an-email"]
PHONES = ["+47 400 00 001", "0047 40000001", "40000001", "(0) 555 0199", "123", "555-0199"]


def _family(name: str) -> str:
    words = name.split()
    return words[-1] if len(words) > 1 and "@" not in name else ""


@pytest.fixture(scope="module")
def people(tmp_path_factory):
    """A notebook whose customers share names, emails and phones in awkward ways."""
    db.open_notebook(tmp_path_factory.mktemp("index") / "notebook.sqlite")
    db.database.pragma("synchronous", "off")
    for i, name in enumerate(NAMES * 2):
        cid = customers.create(name, company=COMPANIES[i % 3], family_name=_family(name)
                               if i % 2 else "", email=EMAILS[i % len(EMAILS)],
                               phone=PHONES[i % len(PHONES)])[0].id
        if i % 4 == 0:
            customers.add_contact(cid, "phone", PHONES[(i + 1) % len(PHONES)])
    yield
    db.close_notebook()


contact_st = st.builds(
    lambda name, company, family, emails, phones, uuid: ContactData(
        "f.vcf", 1, full_name=name, company=company, family_name=family, uuid=uuid,
        points=[PointData("email", e) for e in emails] + [PointData("phone", p) for p in phones]),
    st.sampled_from(NAMES + ["Zoë New"]), st.sampled_from(COMPANIES),
    st.sampled_from(["", "Holm", "H.", "Weber", "Other"]),
    st.lists(st.sampled_from(EMAILS), max_size=2), st.lists(st.sampled_from(PHONES), max_size=2),
    st.sampled_from(["", "", "00000000-0000-7000-8000-000000000000"]))


def _decisions(index: MatchIndex, contacts: list[ContactData]) -> list[tuple[object, str]]:
    """What ``merge._plan`` asks the index, card after card (targets as ids or positions)."""
    out = []
    position = {id(c): i for i, c in enumerate(contacts)}
    for contact in contacts:
        hit = index.match(contact)
        if hit is None:
            index.add(contact, contact)
            out.append((None, ""))
        else:
            target, how = hit
            index.add(contact, target)
            out.append((target if isinstance(target, int) else ("card", position[id(target)]),
                        how))
    return out


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(contact_st, min_size=1, max_size=12))
def test_loading_by_key_decides_what_loading_everyone_decided(people, contacts):
    everyone = _decisions(MatchIndex(None), contacts)
    assert _decisions(MatchIndex(contacts), contacts) == everyone


def _vcards(path: Path, n: int) -> Path:
    cards = []
    for i in range(n):
        name = NAMES[i % len(NAMES)] if i % 3 == 0 else f"New Person {i}"
        cards.append("\r\n".join([
            "BEGIN:VCARD", "VERSION:3.0", f"FN:{name}", f"N:{name.split()[-1]};;;;",
            f"ORG:{COMPANIES[i % 3]}", f"EMAIL:{EMAILS[i % len(EMAILS)] if i % 2 else ''}"
            f"p{i}@new.example", f"TEL:+47 9{i:07d}", "END:VCARD"]))
    path.write_text("\r\n".join(cards) + "\r\n", encoding="utf-8")
    return path


def test_the_duplicate_check_costs_the_same_queries_for_5_and_200_cards(people, tmp_path):
    counts = []
    for n in (5, 200):
        path = _vcards(tmp_path / f"{n}.vcf", n)
        with count_queries() as counter:
            plan = merge.plan_import([path])
        assert len(plan.items) == n
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_a_plan_is_the_same_as_with_every_customer_loaded(people, tmp_path, monkeypatch):
    path = _vcards(tmp_path / "cards.vcf", 60)
    by_key = merge.plan_import([path])
    monkeypatch.setattr(merge, "MatchIndex", lambda contacts=None: MatchIndex(None))
    everyone = merge.plan_import([path])
    assert by_key.items == everyone.items
    assert {i.action for i in by_key.items} == {"new", "merge"}


def test_customers_are_loaded_by_index(people, monkeypatch):
    """Only the contact points are scanned; customers come by their uuid and name indexes."""
    seen: list[str] = []
    run = db.database.execute_sql

    def record(sql, params=None, *args, **kwargs):
        seen.append(sql)
        return run(sql, params, *args, **kwargs)

    monkeypatch.setattr(db.database, "execute_sql", record)
    index = MatchIndex([ContactData("f.vcf", 1, full_name="Anna Holm", uuid="x"),
                        ContactData("f.vcf", 9, full_name="Zoë New",
                                    points=[PointData("email", "b@x.example")])])
    monkeypatch.undo()
    assert len(seen) == 4, seen  # by uuid, by name, the points, the point holders
    assert index.keys["email"]["b@x.example"] in index._people
    for sql in seen:
        plan = " | ".join(str(r[-1]) for r in db.database.execute_sql(
            f"EXPLAIN QUERY PLAN {sql}", ["[]"] * sql.count("?")).fetchall())
        if "contact_point" not in sql:
            assert "SCAN customer" not in plan, (sql, plan)


def _indexed_inserts(action, monkeypatch) -> int:
    """Statement runs that insert into a table the search index follows (each row of an
    ``executemany`` counts as one run)."""
    from relnotebook.core.search import SOURCES

    tables = tuple(f'INSERT INTO "{s.table}"' for s in SOURCES)
    runs = [0]
    real = db.database.cursor

    class Counting:
        def __init__(self, cursor):
            self._cursor = cursor

        def execute(self, sql, params=()):
            runs[0] += sql.startswith(tables)
            return self._cursor.execute(sql, params)

        def executemany(self, sql, rows):
            rows = list(rows)
            runs[0] += len(rows) if sql.startswith(tables) else 0
            return self._cursor.executemany(sql, rows)

        def __getattr__(self, name):
            return getattr(self._cursor, name)

    monkeypatch.setattr(db.database, "cursor", lambda *a, **k: Counting(real(*a, **k)))
    try:
        action()
    finally:
        monkeypatch.undo()
    return runs[0]


def test_an_import_inserts_indexed_rows_many_per_statement(people, tmp_path, monkeypatch):
    """FTS5 writes an index segment per statement, so a statement per customer or detail
    (executemany) cost a segment each and their merging (issue 9): new customers and their
    details go in a statement per table, for 5 cards as for 200."""
    counts = []
    for n in (5, 200):
        path = tmp_path / f"new{n}.vcf"
        path.write_text("".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Fresh Person {n} {i}\r\nORG:Fresh {i}\r\n"
            f"EMAIL:fresh{n}.{i}@new.example\r\nBDAY:1980-01-{i % 28 + 1:02d}\r\n"
            f"END:VCARD\r\n" for i in range(n)), encoding="utf-8")
        plan = merge.plan_import([path])
        with db.database.atomic() as outer:
            counts.append(_indexed_inserts(lambda p=plan: merge.apply(p), monkeypatch))
            outer.rollback()
    assert counts[0] == counts[1] == 2, counts


# --- JSON (last in this module: it opens notebooks of its own, closing ``people``'s) ----------

JSON_NOTE = ("Quarterly review #pricing\n[ ] send the sheet\n[them] send the PO\n? who signs\n"
             "+family: twins\n+hot: uptime\n+style: brief\n+unsaid: budget\n+send: a book")


def _json_export(folder: Path, count: int) -> Path:
    """A notebook of ``count`` customers, each with a note that makes a row in every
    indexed table, exported as this app's JSON."""
    from relnotebook.core import conversations
    from relnotebook.core.io import export_json

    db.open_notebook(folder / f"source{count}.sqlite")
    try:
        db.database.pragma("synchronous", "off")
        for i in range(count):
            cid = customers.create(f"Json Person {i}", company=f"Firm {i}")[0].id
            conversations.log(cid, JSON_NOTE)
        path = folder / f"export{count}.json"
        export_json.export(path)
    finally:
        db.close_notebook()
    return path


def test_a_json_import_inserts_indexed_rows_many_per_statement(tmp_path, monkeypatch):
    """JSON import once ran a statement per row (executemany) into the tables the search
    index follows: a segment per row, then their merging. Now a statement per table (up to
    200 rows), for 2 customers as for 40, and everything arrives."""
    from relnotebook.core.models import NOTE_RECORDS, Conversation, Customer

    counts = []
    for n in (2, 40):
        path = _json_export(tmp_path, n)
        db.open_notebook(tmp_path / f"target{n}.sqlite")
        try:
            plan = merge.plan_import([path])
            counts.append(_indexed_inserts(lambda p=plan: merge.apply(p), monkeypatch))
            assert Customer.select().count() == n and Conversation.select().count() == n
            assert all(m.select().count() == n * (2 if m._meta.table_name == "follow_up" else 1)
                       for m in NOTE_RECORDS), [m.select().count() for m in NOTE_RECORDS]
            from relnotebook.core import search

            assert search.check() == []
            assert len(search.search("uptime", 500)) == 2 * n  # the fact and the note
        finally:
            db.close_notebook()
    # customer, conversation and the seven record tables: one statement each.
    assert counts[0] == counts[1] == 9, counts
