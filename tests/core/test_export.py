"""Exports (issue 7): a vCard that a validator other than our parser accepts and that reads
back unchanged, an iCalendar file that ``icalendar`` parses, CSV, Markdown, and JSON that
restores into an empty notebook row for row (same uuids, same values)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from peewee import ForeignKeyField

from relnotebook.core import (
    conversations,
    customers,
    db,
    drafts,
    followups,
    records,
    settings,
)
from relnotebook.core.erase import erase_customer
from relnotebook.core.io import (
    SKIP,
    UNCHANGED,
    export_csv,
    export_ics,
    export_json,
    export_md,
    export_vcf,
    merge,
)
from relnotebook.core.models import ALL_MODELS, Customer, FollowUp, PersonalDetail

TESTDATA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "contacts"
LATIN1_FILES = ("apple_contacts.vcf", "outlook_21.vcf", "vcard40.vcf", "broken.vcf",
                "google_contacts.csv", "outlook_contacts.csv")
needs_testdata = pytest.mark.skipif(not TESTDATA.is_dir(), reason="shared testdata missing")


def _import(*paths: Path):
    plan = merge.plan_import(list(paths))
    return plan, merge.apply(plan)


def _extras() -> int:
    """A customer whose card needs every X- property of the export."""
    view, _ = customers.create("Mia Holm", company="Holm & Søn", title="Owner")
    customers.update(view.id, nickname="Mimi", prefix="Mrs.", department="Sales; North",
                     about="Line one\nLine two, with comma; and semicolon \\ backslash")
    records.add_contact(view.id, "phone", "+45 70 10 20 30", label="main", preferred=True)
    records.add_contact(view.id, "phone", "+45 20 30 40 50", label="work fax")
    records.add_contact(view.id, "email", "mia@holm.example", label="Private")
    records.add_contact(view.id, "url", "https://holm.example", label="homepage",
                        preferred=True)
    records.add_contact(view.id, "social", "https://mastodon.example/@mia", label="mastodon")
    records.add_contact(view.id, "address", "Strandvej 1\n2100 København Ø", label="home")
    records.add_detail(view.id, "date", "birthday", day=29, month=2)
    records.add_detail(view.id, "date", "anniversary", day=1, month=6, year=2001)
    records.add_detail(view.id, "date", "company founded", day=3, month=9, year=1999)
    records.add_detail(view.id, "family", "Karl (husband)")
    records.add_detail(view.id, "pet", "a dog, Bella")
    records.set_tags(view.id, ["Key accounts", "Nordics, too"])
    customers.update(view.id, photo=b"\x89PNG\r\n\x1a\nfake png")
    return view.id


def _card_snapshot() -> dict:
    """What a vCard carries, per customer uuid."""
    out = {}
    for c in Customer.select():
        out[c.uuid] = (
            c.full_name, c.given_name, c.family_name, c.prefix, c.nickname, c.company,
            c.department, c.title, c.about, bytes(c.photo) if c.photo else None,
            sorted((p.kind, p.label, p.value, p.preferred) for p in customers.contacts(c.id)),
            sorted(records.tags(c.id)),
            sorted((d.kind, d.text, d.day, d.month, d.year) for d in records.details(c.id)),
        )
    return out


@needs_testdata
def test_vcard_passes_the_vcard_validator_and_reads_back_unchanged(notebook, tmp_path):
    validator = pytest.importorskip("vcard.vcard_validator")
    _import(*(TESTDATA / name for name in LATIN1_FILES))
    _extras()
    path = tmp_path / "all.vcf"
    assert export_vcf.export(path) == 14
    assert validator.validate_file(str(path), False) == ""
    before = _card_snapshot()
    plan, report = _import(path)  # into the same notebook: every card is already there
    assert {i.action for i in plan.items} == {UNCHANGED}
    assert report.unchanged == 14 and not report.changes
    db.open_notebook(tmp_path / "fresh.sqlite")  # into an empty one: the same cards
    _import(path)
    assert _card_snapshot() == before


def test_vcard_round_trip_beyond_latin1(notebook, tmp_path):
    """Names the strict 3.0 validator rejects (its text rule stops at U+00FF) still round-trip
    through vCard readers that take UTF-8, ours included."""
    view, _ = customers.create("최유림", company="Wisła Meble", email="choi@example.kr")
    customers.update(view.id, about="Zażółć gęślą jaźń\n北京")
    path = tmp_path / "u.vcf"
    export_vcf.export(path)
    before = _card_snapshot()
    db.open_notebook(tmp_path / "fresh.sqlite")
    _import(path)
    assert _card_snapshot() == before


def test_vcard_folds_long_lines_at_75_octets(notebook, tmp_path):
    view, _ = customers.create("Ünïcödé " * 20)
    customers.update(view.id, about="ø" * 300)
    path = tmp_path / "long.vcf"
    export_vcf.export(path)
    raw = path.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert raw.endswith(b"END:VCARD\r\n")


@needs_testdata
def test_icalendar_parses_with_the_icalendar_library(notebook, tmp_path):
    icalendar = pytest.importorskip("icalendar")
    _import(*(TESTDATA / name for name in LATIN1_FILES))
    kenji = customers.find("Kenji Watanabe")
    conversations.log(kenji.id, "Call about Q3\n[ ] send the price list by 2026-12-01\n"
                                "[them] confirm the volume\n[ ] already sent it")
    done = FollowUp.get(FollowUp.text == "already sent it")
    followups.set_done(done.id)
    customers.archive(customers.find("Bob Smith").id)
    path = tmp_path / "notebook.ics"
    count = export_ics.export(path)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    todos = list(calendar.walk("VTODO"))
    events = list(calendar.walk("VEVENT"))
    assert count == len(todos) + len(events)
    assert sorted(str(t["SUMMARY"]) for t in todos) == [
        "Kenji Watanabe: confirm the volume", "Kenji Watanabe: send the price list"]
    due = next(t for t in todos if "price list" in str(t["SUMMARY"]))
    assert due["DUE"].dt == date(2026, 12, 1)
    dated = PersonalDetail.select().where(PersonalDetail.month.is_null(False)).count()
    assert len(events) == dated
    birthday = next(e for e in events if str(e["SUMMARY"]) == "Birthday: Kenji Watanabe")
    assert birthday["DTSTART"].dt == date(2000, 3, 12)  # no year: a leap year stands in
    assert birthday["RRULE"]["FREQ"] == ["YEARLY"]
    asa = next(e for e in events if str(e["SUMMARY"]) == "Birthday: Åsa Lindqvist")
    assert asa["DTSTART"].dt == date(1979, 4, 23)


@needs_testdata
def test_csv_export_reads_back(notebook, tmp_path):
    _import(*(TESTDATA / name for name in LATIN1_FILES))
    path = tmp_path / "all.csv"
    assert export_csv.export(path) == 13
    assert path.read_bytes().startswith(b"\xef\xbb\xbfName,")
    before = {u: (v[0], v[5], v[6], v[7], v[8], sorted(p[2] for p in v[10])) for u, v in
              _card_snapshot().items()}
    db.open_notebook(tmp_path / "fresh.sqlite")
    plan, report = _import(path)
    assert plan.files[0][1] == "google" and report.added == 13
    after = {v[0]: (v[0], v[5], v[6], v[7], v[8], sorted(p[2] for p in v[10])) for v in
             _card_snapshot().values()}
    assert sorted(before.values()) == sorted(after.values())


# --- JSON ----------------------------------------------------------------------------------


def _rich_notebook() -> int:
    """Every table with rows in it; returns the id of one well-filled customer."""
    if TESTDATA.is_dir():
        _import(*(TESTDATA / name for name in LATIN1_FILES))
    mia = _extras()
    bob = customers.create("Bob Berg", email="bob@berg.example")[0].id
    customers.update(mia, key_client=True, cadence_days=30, met_on=date(2020, 5, 1),
                     met_where="Fair", introduced_by="Bob Berg")
    logged = conversations.log(
        mia, "Quarterly review #pricing #Logistik\n[ ] send offer by 2026-12-01\n"
             "[them] send volumes\n? ask about the new plant\n+family: daughter Ida\n"
             "+hot: delivery time\n+style: short calls\n+unsaid: budget\n"
             "+send: a book https://books.example/x",
        at=date(2026, 10, 1), minutes=20, talk="them", with_ids=[bob], milestone=True)
    conversations.log(mia, "[x] send offer\nFollow-up call #pricing", at=date(2026, 10, 8))
    conversations.log(bob, "No answer", at=date(2026, 10, 9), reached=False)
    records.add_purchase(mia, date(2026, 9, 1), "12500.50", "EUR", description="Forklifts")
    thing = records.add_thing(mia, "Chocolates")[0]
    records.mark_sent(thing, datetime(2026, 10, 2, 9, 30))
    records.add_fact(mia, "timeline", "decides in Q1", assumed=True)
    records.update_style(mia, formality="formal", pace="chatty", planned_minutes=25,
                         small_talk=True, notes="likes numbers")
    drafts.save(mia, "half a note")
    drafts.save(None, "a loose draft")
    settings.set("key_client_cadence_days", 60)
    gone = customers.create("Gone Person", email="gone@x.example")[0].id
    erase_customer(gone)
    assert logged.conversation.id
    return mia


def _table_dump() -> dict[str, list[tuple]]:
    """Every row of every table, integer ids replaced by the uuids they point to."""
    uuids = {m: dict(m.select(m.id, m.uuid).tuples()) for m in ALL_MODELS}
    out = {}
    for model in ALL_MODELS:
        rows = []
        for row in model.select().dicts():
            row.pop("id")
            for f in model._meta.sorted_fields:
                if isinstance(f, ForeignKeyField) and row.get(f.name) is not None:
                    row[f.name] = uuids[f.rel_model][row[f.name]]
            rows.append(tuple(sorted((k, repr(v)) for k, v in row.items())))
        out[model._meta.table_name] = sorted(rows)
    return out


def test_json_round_trip_into_an_empty_notebook_gives_the_same_notebook(notebook, tmp_path):
    _rich_notebook()
    original = _table_dump()
    assert all(original[m._meta.table_name] for m in ALL_MODELS), "every table has rows"
    path = tmp_path / "notebook.json"
    export_json.export(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["schema_version"] == 1 and doc["scope"] == "notebook"
    assert set(doc["tables"]) == {m._meta.table_name for m in ALL_MODELS}
    db.open_notebook(tmp_path / "restored.sqlite")
    plan, report = _import(path)
    assert report.changes.concerns(None)
    assert _table_dump() == original
    assert plan.count(SKIP) == 0


def test_json_into_the_same_notebook_changes_nothing(notebook, tmp_path):
    _rich_notebook()
    path = tmp_path / "notebook.json"
    export_json.export(path)
    before = _table_dump()
    plan, report = _import(path)
    assert report.added == 0 and report.merged == 0
    assert {i.reason for i in plan.items if i.action == SKIP} <= {"erased"}
    assert _table_dump() == before


def test_json_merges_into_a_notebook_that_has_the_person(notebook, tmp_path):
    mia = _rich_notebook()
    folder = tmp_path / "mia"
    json_path, md_path = export_json.export_customer(folder, mia, date(2026, 11, 1))
    db.open_notebook(tmp_path / "other.sqlite")
    mine = customers.create("Mia H.", email="MIA@holm.example", title="Boss")[0]
    plan, report = _import(json_path)
    assert report.merged == 1 and report.added == 0
    item = next(i for i in plan.items if i.action == "merge")
    assert item.reason == "email" and any(a.endswith("records") for a in item.adds)
    merged = customers.get(mine.id)
    assert (merged.full_name, merged.title, merged.company) == ("Mia H.", "Boss", "Holm & Søn")
    timeline = conversations.timeline(mine.id)
    assert [c.summary for c in timeline] == ["Follow-up call #pricing", "Quarterly review "
                                             "#pricing #Logistik"]
    assert Customer.select().count() == 1  # Bob (only present in Mia's meeting) not added
    again = merge.plan_import([json_path])
    assert {i.action for i in again.items} == {UNCHANGED}


def test_one_customers_data_holds_every_row_about_them_and_nothing_else(notebook, tmp_path):
    mia = _rich_notebook()
    uuid = customers.get(mia).uuid
    json_path, md_path = export_json.export_customer(tmp_path / "out", mia, date(2026, 11, 1))
    assert (json_path.name, md_path.name) == ("mia-holm.json", "mia-holm.md")
    doc = json.loads(json_path.read_text(encoding="utf-8"))
    tables = doc["tables"]
    assert doc["scope"] == "customer" and doc["customer"] == uuid
    assert [c["uuid"] for c in tables["customer"]] == [uuid]
    for name in ("contact_point", "personal_detail", "follow_up", "purchase", "draft",
                 "style_profile", "customer_tag", "thoughtful_thing", "sales_fact"):
        assert tables[name] and all(r["customer"] == uuid for r in tables[name]), name
    assert {t["name"] for t in tables["tag"]} == {"Key accounts", "Nordics, too"}
    assert len(tables["conversation"]) == 2 and tables["setting"] == []
    assert tables["erasure"] == []
    text = md_path.read_text(encoding="utf-8")
    assert text.startswith("# Mia Holm")
    for needle in ("Quarterly review", "## History", "delivery time", "Forklifts",
                   "mia@holm.example", "Karl (husband)"):
        assert needle in text


def test_markdown_export_one_file_per_customer(notebook, tmp_path):
    customers.create("Ann Lee")
    customers.create("Ann Lee", company="Other Co")
    customers.create("Łukasz Żółć")
    files = export_md.export(tmp_path / "md", date(2026, 11, 1))
    assert sorted(f.name for f in files) == ["ann-lee-2.md", "ann-lee.md", "lukasz-zolc.md"]
    assert all(f.read_text(encoding="utf-8").startswith("# ") for f in files)
