"""Search everything (issue 6): the FTS5 index, its triggers, safe queries and snippets."""

from __future__ import annotations

import random
import re
import sqlite3
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relnotebook.core import db, search
from relnotebook.core.changes import Kind
from relnotebook.core.models import (
    Conversation,
    Customer,
    FollowUp,
    PersonalDetail,
    Question,
    SalesFact,
    StyleNote,
    ThoughtfulThing,
    Unsaid,
)
from relnotebook.core.text import fold

RECORDS = {
    Kind.FOLLOWUP: (FollowUp, {}),
    Kind.QUESTION: (Question, {}),
    Kind.DETAIL: (PersonalDetail, {"kind": "family"}),
    Kind.FACT: (SalesFact, {"kind": "need"}),
    Kind.STYLE: (StyleNote, {}),
    Kind.UNSAID: (Unsaid, {}),
    Kind.THING: (ThoughtfulThing, {}),
}


def customer(name="Ana Sæther", **fields) -> Customer:
    return Customer.create(full_name=name, name_fold=fold(name), **fields)


def talk(who, body, when=datetime(2026, 3, 2, 10), summary="") -> Conversation:
    return Conversation.create(customer=who, happened_at=when, body=body,
                               summary=summary or body.splitlines()[0])


def found(query, **kw) -> list[tuple[Kind, int]]:
    return [(h.kind, h.ref_id) for h in search.search(query, **kw)]


def sizes() -> list[tuple[int, bytes]]:
    return db.database.execute_sql(
        "SELECT id, sz FROM search_index_docsize ORDER BY id").fetchall()


# --- what is indexed -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(RECORDS))
def test_each_record_kind_is_found_with_its_customer_and_conversation(notebook, kind):
    model, extra = RECORDS[kind]
    ana = customer(company="Fjord AS")
    conv = talk(ana, "Quarterly review")
    row = model.create(customer=ana, conversation=conv, text="Her son plays hockey", **extra)
    [hit] = search.search("hockey")
    assert (hit.kind, hit.ref_id, hit.conversation_id) == (kind, row.id, conv.id)
    assert (hit.customer_id, hit.customer_name, hit.company) == (ana.id, "Ana Sæther", "Fjord AS")
    assert hit.snippet == "Her son plays «hockey»"
    assert search.check() == []


def test_conversation_summary_and_body_are_found(notebook):
    ana = customer()
    conv = talk(ana, "Budget talk\nThe daughter's wedding is in June", summary="Budget talk")
    assert found("wedding") == found("budget") == [(Kind.CONVERSATION, conv.id)]
    [hit] = search.search("wedding")
    assert hit.conversation_id == conv.id
    assert hit.day.isoformat() == "2026-03-02"


@pytest.mark.parametrize("field", ["full_name", "nickname", "company", "department", "title",
                                   "about"])
def test_customer_fields_are_found(notebook, field):
    values = {"company": "", "nickname": "", "department": "", "title": "", "about": ""}
    name = "Zebulon Quix" if field == "full_name" else "Ana Lund"
    if field != "full_name":
        values[field] = "Zebulon Quix"
    ana = customer(name, **values)
    assert found("zebulon") == [(Kind.CUSTOMER, ana.id)]


def test_thoughtful_thing_url_is_found(notebook):
    ana = customer()
    thing = ThoughtfulThing.create(customer=ana, text="Skates", url="https://shop.example/rink")
    assert found("rink") == [(Kind.THING, thing.id)]
    assert search.search("rink")[0].conversation_id is None


# --- edits and deletes leave nothing stale ----------------------------------------------------


def test_edits_are_reflected(notebook):
    ana = customer()
    conv = talk(ana, "Talked about hockey")
    detail = PersonalDetail.create(customer=ana, conversation=conv, text="likes sailing")
    conv.body = conv.summary = "Talked about football"
    conv.save()
    detail.text = "likes golf"
    detail.save()
    Customer.update(full_name="Ana Berg", name_fold="ana berg").where(
        Customer.id == ana.id).execute()
    assert found("hockey") == found("sailing") == found("saether") == []
    assert found("football") == [(Kind.CONVERSATION, conv.id)]
    assert found("golf") == [(Kind.DETAIL, detail.id)]
    assert found("berg") == [(Kind.CUSTOMER, ana.id)]
    assert search.check() == []


def test_moving_a_conversation_in_time_moves_its_hit(notebook):
    ana = customer()
    old = talk(ana, "pricing one", when=datetime(2024, 1, 1, 12))
    new = talk(ana, "pricing two", when=datetime(2025, 1, 1, 12))
    assert found("pricing") == [(Kind.CONVERSATION, new.id), (Kind.CONVERSATION, old.id)]
    old.happened_at = datetime(2026, 1, 1, 12)
    old.save()
    assert found("pricing") == [(Kind.CONVERSATION, old.id), (Kind.CONVERSATION, new.id)]
    assert search.check() == []


def test_unrelated_updates_keep_the_index(notebook):
    ana = customer()
    conv = talk(ana, "hockey")
    before = sizes()
    Customer.update(last_reached_at=datetime(2026, 3, 2)).where(Customer.id == ana.id).execute()
    Conversation.update(minutes=25).where(Conversation.id == conv.id).execute()
    assert sizes() == before
    assert search.check() == []


def test_deletes_are_reflected_and_cascade(notebook):
    ana = customer()
    conv = talk(ana, "hockey night")
    follow = FollowUp.create(customer=ana, conversation=conv, text="send hockey tickets")
    question = Question.create(customer=ana, text="hockey season?")
    question.delete_instance()
    assert set(found("hockey")) == {(Kind.FOLLOWUP, follow.id), (Kind.CONVERSATION, conv.id)}
    conv.delete_instance()  # the follow-up goes with it (ON DELETE CASCADE)
    assert found("hockey") == found("tickets") == []
    assert found("saether") == [(Kind.CUSTOMER, ana.id)]
    Customer.delete().where(Customer.id == ana.id).execute()
    assert found("saether") == found("ana") == []
    assert sizes() == []
    assert search.check() == []


def test_optimize_keeps_results(notebook):
    ana = customer()
    conv = talk(ana, "hockey")
    conv.delete_instance()
    search.optimize()
    assert found("hockey") == []
    assert found("ana") == [(Kind.CUSTOMER, ana.id)]


# --- folding, prefixes, phrases, order --------------------------------------------------------


FOLDED = [("saether", "Sæther"), ("SAETHER", "Sæther"), ("cafe", "Café"), ("lodz", "Łódź"),
          ("strasse", "Straße"), ("oeuvre", "Œuvre"), ("angstrom", "Ångström"),
          ("dorde", "Đorđe"), ("orsted", "Ørsted"), ("Müller", "Muller")]


def test_accents_and_letters_are_folded(notebook):
    ana = customer("Ana Lund")
    originals = dict.fromkeys(original for _, original in FOLDED)
    convs = {original: talk(ana, f"Met at the {original} office") for original in originals}
    for query, original in FOLDED:
        hits = search.search(query)
        assert [h.ref_id for h in hits] == [convs[original].id], query
        hit = hits[0]
        assert f"«{original}»" in hit.snippet


def test_prefixes_of_two_and_three_letters(notebook):
    ana = customer("Ana Lund")
    conv = talk(ana, "Her son plays hockey")
    assert found("ho") == found("hoc") == found("HOCK") == [(Kind.CONVERSATION, conv.id)]
    assert found("son pl") == [(Kind.CONVERSATION, conv.id)]
    assert found("so plays") == []  # only the last word is a prefix
    assert found("hockeys") == []


def test_single_letter_last_word_is_a_whole_word(notebook):
    ana = customer("Ana Lund")
    talk(ana, "hockey")
    conv = talk(ana, "plan b agreed")
    assert found("b") == [(Kind.CONVERSATION, conv.id)]
    assert search.parse("h").match == '"h"'


def test_long_prefixes_are_exact_and_newest_first(notebook):
    """Past 3 letters candidates come from the prefix index and are checked in Python; the
    result must equal what FTS5's own (slower) prefix query returns, in the same order."""
    ana = customer("Ana Lund")
    words = ["meet", "meeting", "meetings", "meek", "melt", "meeting-room", "Meetingpoint",
             "MEETİNG", "son", "plays", "play", "Mé"]
    rnd = random.Random(4)
    for i in range(400):  # many "mee…" candidates that are not "meeti…"
        when = datetime(2020, 1, 1) + timedelta(hours=rnd.randrange(50000))
        talk(ana, " ".join(rnd.choices(words, k=rnd.randrange(1, 6))) + f" n{i}", when=when)
    for query in ["meeti", "meeting", "meetin", "meetings", "son pla", '"son pla', "melts",
                  "meetingp", "mé"]:
        expected = [r[0] for r in db.database.execute_sql(
            "SELECT rowid FROM search_index WHERE search_index MATCH ? ORDER BY rowid DESC",
            (search.parse(query).match,))]
        for limit in (1, 7, 50, 1000):
            hits = search.search(query, limit=limit)
            assert [h.ref_id for h in hits] == [(r >> 4) & 0xFFFFFFFF for r in expected][:limit]


def test_a_rare_long_prefix_behind_many_candidates_is_found(notebook):
    ana = customer("Ana Lund")
    old = talk(ana, "the meetinghouse", when=datetime(2020, 1, 1))
    for day in range(search._CHECK_MAX + 50):
        talk(ana, "meet me", when=datetime(2021, 1, 1) + timedelta(days=day))
    assert found("meetingh") == [(Kind.CONVERSATION, old.id)]


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text(alphabet="aeøæßłmnéeiu", min_size=1, max_size=4))
def test_quick_check_agrees_with_fold(text, word):
    wanted = fold(word)
    if not wanted or not re.fullmatch(r"[^\W_]+", wanted):
        return
    tokens = re.findall(r"[^\W_]+", fold(text))
    assert search._holds(text, (wanted,)) == any(t.startswith(wanted) for t in tokens)


def test_phrases(notebook):
    ana = customer("Ana Lund")
    yes = talk(ana, "Her son plays hockey")
    talk(ana, "He plays with his son")
    assert found('"son plays"') == [(Kind.CONVERSATION, yes.id)]
    assert found('"son pla') == [(Kind.CONVERSATION, yes.id)]  # unclosed: prefix phrase
    assert found('"son pla"') == []  # closed: whole words
    assert search.search('"son plays"')[0].snippet == "Her «son» «plays» hockey"


def test_newest_first_and_limit(notebook):
    ana = customer("Ana Lund")
    days = [5, 1, 9, 3, 7, 2, 8]
    convs = {d: talk(ana, f"budget {d}", when=datetime(2025, 1, d, 12)) for d in days}
    detail = PersonalDetail.create(customer=ana, text="budget hawk",
                                   mentioned_at=datetime(2025, 1, 6, 12))
    hits = search.search("budget")
    assert [h.day.day for h in hits] == sorted(days + [6], reverse=True)
    assert hits[3].ref_id == detail.id
    assert [h.ref_id for h in search.search("budget", limit=2)] == [convs[9].id, convs[8].id]
    assert search.search("budget", limit=0) == ()


def test_archived_customers_are_flagged_or_left_out(notebook):
    ana = customer("Ana Lund", archived=True)
    conv = talk(ana, "hockey")
    [hit] = search.search("hockey")
    assert hit.archived and hit.ref_id == conv.id
    assert "[archived]" in search.format_hit_line(hit)
    assert search.search("hockey", include_archived=False) == ()


# --- hostile queries ------------------------------------------------------------------------


HOSTILE = ['"', '""', '"""', "hockey AND", "AND", "OR", "NOT", "NEAR(", "(", ")", "c++",
           "o'neil", "a:b", "body:hockey", "*", "^hockey", "-hockey", "+", "", "   ", "!?.,;",
           "hockey\x00", "\\", "'", "NEAR(a b, 2)", '"hockey', 'hockey"', "a" * 5000,
           " ".join(["x"] * 500), "rowid:1", "{body}: a", "\u200b", "😀 hockey", "🎉"]


def test_hostile_queries_do_not_raise(notebook):
    ana = customer("Ana O'Neil")
    talk(ana, "Knows C++ and a:b notation; hockey fan")
    for query in HOSTILE:
        assert isinstance(search.search(query), tuple), query


def test_punctuation_inside_a_word_is_a_phrase(notebook):
    ana = customer("Ana O'Neil")
    conv = talk(ana, "Knows C++ well")
    assert found("o'neil") == [(Kind.CUSTOMER, ana.id)]
    assert found("c++") == [(Kind.CONVERSATION, conv.id)]
    assert search.parse("!?.,;") is None


_SAFE = re.compile(r'^"[^"]+"\*?( AND "[^"]+"\*?)*$')


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_no_input_raises(notebook, query):
    if not Customer.select().exists():
        talk(customer(), "Her son plays hockey in Łódź")
    assert isinstance(search.search(query), tuple)
    parsed = search.parse(query)
    assert parsed is None or _SAFE.match(parsed.match)


# --- snippets -------------------------------------------------------------------------------


def test_snippet_is_a_window_of_the_original_with_spans(notebook):
    ana = customer("Ana Lund")
    body = "Lorem ipsum dolor sit amet " * 10 + "and then Ørsted came\nup again " + "x " * 100
    talk(ana, body)
    [hit] = search.search("orsted")
    assert hit.text.startswith("…") and hit.text.endswith("…")
    assert "\n" not in hit.text and len(hit.text) <= search.SNIPPET_WIDTH + 2
    [(a, b)] = hit.spans
    assert hit.text[a:b] == "Ørsted"
    assert search.mark(hit.text, hit.spans) == hit.snippet


def test_decomposed_text_is_highlighted(notebook):
    ana = customer("Ana Lund")
    talk(ana, "Visited the e\u0301cole in Lyon")
    [hit] = search.search("ecole")
    assert hit.snippet == "Visited the «\u00e9cole» in Lyon"


def test_format_hit_line(notebook):
    ana = customer(company="Fjord AS")
    talk(ana, "Her son plays hockey", when=datetime(2026, 3, 2, 12))
    assert search.format_hit_line(search.search("hockey")[0]) == (
        "2026-03-02  Ana Sæther (Fjord AS)  conversation  Her son plays «hockey»")


# --- repair and upkeep ----------------------------------------------------------------------


def _fill():
    ana = customer(company="Fjord AS", about="Plays golf")
    bob = customer("Bob Ørsted")
    conv = talk(ana, "Her son plays hockey\n[ ] send tickets", when=datetime(2025, 5, 1))
    for kind, (model, extra) in RECORDS.items():
        model.create(customer=bob, conversation=conv, text=f"{kind} text", **extra)
    return ana, conv


def test_rebuild_restores_an_emptied_index(notebook):
    _ana, conv = _fill()
    built_by_triggers = sizes()
    db.database.execute_sql("INSERT INTO search_index(search_index) VALUES ('delete-all')")
    assert found("hockey") == []
    assert any("missing" in p for p in search.check())
    assert search.rebuild() == len(built_by_triggers)
    assert found("hockey") == [(Kind.CONVERSATION, conv.id)]
    assert search.check() == []


def test_triggers_and_rebuild_index_the_same(notebook):
    _fill()
    built_by_triggers = sizes()
    search.rebuild()
    assert sizes() == built_by_triggers


def test_rebuild_recreates_a_dropped_index(notebook):
    _fill()
    db.database.execute_sql("DROP TABLE search_index")
    assert search.check() == ["search index: missing (rebuild it)"]
    search.rebuild()
    assert found("hockey") and search.check() == []


def test_check_reports_stale_rows_and_missing_triggers(notebook):
    _ana, conv = _fill()
    db.database.execute_sql("DROP TRIGGER search_conversation_ad")
    Conversation.delete().where(Conversation.id == conv.id).execute()
    problems = search.check()
    assert "search index: trigger search_conversation_ad missing (rebuild it)" in problems
    assert "search index: 1 conversation row(s) stale" in problems
    assert found("hockey") == []  # a stale index row without its source is never shown
    search.rebuild()  # reinstalls the trigger too
    assert search.check() == []
    conv = talk(Customer.get(), "hockey again")
    conv.delete_instance()
    assert found("hockey") == [] and search.check() == []


def test_check_compares_triggers_with_what_search_expects(notebook):
    assert search.check() == []  # migration 0003 installed exactly search.SOURCES' triggers
    db.database.execute_sql("DROP TRIGGER search_unsaid_ai")
    db.database.execute_sql(
        "CREATE TRIGGER search_unsaid_ai AFTER INSERT ON unsaid BEGIN SELECT 1; END")
    assert search.check() == [
        "search index: trigger search_unsaid_ai not as expected (rebuild it)"]
    search.rebuild()
    assert search.check() == []


def test_migration_upgrades_a_version_2_notebook(tmp_path):
    from relnotebook.core.migrations import LATEST_VERSION, upgrade

    path = tmp_path / "v2.sqlite"
    db.close_notebook()
    db.database.init(str(path), pragmas=db.PRAGMAS)
    db.database.connect()
    upgrade(db.database, target=2)
    db.database.pragma("application_id", db.APPLICATION_ID)
    now = "2025-06-01 12:00:00"
    db.database.execute_sql(
        "INSERT INTO customer (uuid, created_at, updated_at, full_name, given_name, family_name,"
        " name_fold, company, company_fold, title, key_client, met_where, introduced_by, about,"
        " archived, prefix, nickname, department) VALUES ('u1', ?, ?, 'Ana Sæther', '', '',"
        " 'ana saether', 'Fjord', 'fjord', '', 0, '', '', '', 0, '', '', '')", (now, now))
    db.database.execute_sql(
        "INSERT INTO conversation (uuid, created_at, updated_at, customer_id, happened_at,"
        " channel, reached, started_by, talk, summary, body, mood, milestone) VALUES"
        " ('u2', ?, ?, 1, ?, 'call', 1, '', '', 'Hockey', 'Her son plays hockey', '', 0)",
        (now, now, now))
    db.close_notebook()
    try:
        db.open_notebook(path)
        assert db.database.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert found("hockey") == [(Kind.CONVERSATION, 1)]
        assert found("saether") == [(Kind.CUSTOMER, 1)]
        assert search.check() == []
    finally:
        db.close_notebook()


def test_a_connection_without_rn_fold_cannot_write_silently_unindexed(notebook):
    customer()
    raw = sqlite3.connect(str(notebook))
    try:
        with pytest.raises(sqlite3.OperationalError, match="rn_fold"):
            raw.execute("UPDATE customer SET full_name = 'X', updated_at = ?",
                        (str(datetime.now() + timedelta(days=1)),))
    finally:
        raw.close()
