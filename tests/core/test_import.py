"""Importing contacts (issue 7): every sample file gives what its README table says, merging
follows the README's rules, hostile input never raises anything but ImportFailed and never
leaves half an import behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relnotebook.core import customers, db, records
from relnotebook.core.io import MERGE, NEW, SKIP, UNCHANGED, ImportCancelled, ImportFailed, merge
from relnotebook.core.models import ALL_MODELS, Customer

TESTDATA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata"
CONTACTS = TESTDATA / "contacts"
PEERS = TESTDATA / "peer-vcards"
EXCEL_MAP = {"name": "Name", "company": "Firma", "email": "E-Mail", "phone": "Telefon",
             "about": "Notiz"}
needs_testdata = pytest.mark.skipif(not CONTACTS.is_dir(), reason="shared testdata missing")


def _import(*paths: Path, mapping=None):
    plan = merge.plan_import(list(paths), mapping)
    return plan, merge.apply(plan)


def person(name: str) -> dict:
    """What the notebook holds about one customer, in plain values."""
    view = customers.find(name)
    return {
        "view": view,
        "contacts": {(c.kind, c.value): (c.label, c.preferred)
                     for c in customers.contacts(view.id)},
        "tags": set(records.tags(view.id)),
        "details": {(d.kind, d.text, d.day, d.month, d.year) for d in records.details(view.id)},
        "photo": customers.photo(view.id),
    }


def dump() -> dict:
    """Every row of every table (for "nothing changed")."""
    return {m._meta.table_name: sorted(map(repr, m.select().order_by(m.id).dicts()))
            for m in ALL_MODELS}


# --- the sample address books ---------------------------------------------------------------


@needs_testdata
def test_apple_contacts(notebook):
    plan, report = _import(CONTACTS / "apple_contacts.vcf")
    assert (report.added, report.skipped) == (3, 0)
    asa = person("Åsa Lindqvist")
    v = asa["view"]
    assert (v.company, v.department, v.title) == ("Nordväg Logistik AB", "Inköp",
                                                  "Head of Procurement")
    assert asa["contacts"] == {
        ("email", "asa.lindqvist@nordvag.example"): ("work", True),
        ("email", "asa.l@home.example"): ("home", False),
        ("phone", "+46 70 123 45 67"): ("mobile", True),
        ("phone", "+46 8 555 010 20"): ("work", False),
        ("address", "Hamngatan 12, 111 47 Stockholm, Sweden"): ("work", True),
    }
    assert ("date", "birthday", 23, 4, 1979) in asa["details"]
    assert ("family", "Maja (child)", None, None, None) in asa["details"]
    assert v.about == "Met at the Göteborg fair, 2023. Prefers short calls; mornings."
    assert asa["tags"] == {"Key accounts", "Nordics"}
    assert asa["photo"] and asa["photo"][:3] == b"\x00\x01\x02" and len(asa["photo"]) == 512
    sean = person("Seán O'Brien")
    assert (sean["view"].full_name, sean["view"].prefix) == ("Dr. Seán O'Brien", "Dr.")
    assert sean["view"].company == "Brightwater Clinics"
    assert set(sean["contacts"]) == {("email", "sean@brightwater.example"),
                                     ("phone", "(01) 555 0199")}
    kettle = person("Kettle & Co.")
    assert (kettle["view"].full_name, kettle["view"].company) == ("Kettle & Co.", "Kettle & Co.")
    assert set(kettle["contacts"]) == {("phone", "+44 20 7946 0000")}


@needs_testdata
def test_outlook_vcard_21(notebook):
    _, report = _import(CONTACTS / "outlook_21.vcf")
    assert report.added == 2
    jurgen = person("Jürgen Müller")
    v = jurgen["view"]
    assert (v.company, v.title) == ("Müller Maschinenbau GmbH", "Geschäftsführer")
    assert jurgen["contacts"] == {
        ("phone", "+49 711 555 0100"): ("work", False),
        ("phone", "0171 5550123"): ("mobile", False),
        ("email", "j.mueller@mueller-mb.example"): ("", True),
        ("address", "Königstraße 5, 70173 Stuttgart, Deutschland"): ("work", False),
    }
    assert v.about == ("Likes to talk football (VfB) before business.\n"
                       "Daughter Lena studies in Munich.")
    ines = person("Inês Gonçalves")
    assert ines["view"].company == "Tejo Foods"
    assert set(ines["contacts"]) == {("email", "ines@tejo.example")}


@needs_testdata
def test_vcard_40(notebook):
    _import(CONTACTS / "vcard40.vcf")
    kenji = person("Kenji Watanabe")
    assert kenji["view"].company == "Sakura Trading"
    assert kenji["contacts"] == {("phone", "+81-3-5555-0142"): ("work", False),
                                 ("email", "kenji@sakura.example"): ("work", False)}
    assert kenji["details"] == {("date", "anniversary", 10, 6, 2015),
                                ("date", "birthday", 12, 3, None)}
    amara = person("Amara Okafor")
    assert amara["view"].company == "Lagos Green Energy"
    assert set(amara["contacts"]) == {("email", "amara@lge.example")}
    assert amara["view"].about == "Big on sustainability reports.\nAsk about the Abuja plant."


@needs_testdata
def test_broken_file_reports_the_card_and_imports_the_rest(notebook):
    plan, report = _import(CONTACTS / "broken.vcf")
    assert report.added == 1 and customers.find("Whole Card")
    skipped = [i for i in plan.items if i.action == SKIP]
    assert [(i.file, i.line, i.reason) for i in skipped] == [("broken.vcf", 1, "no_end")]
    assert dict(skipped[0].params)["next"] == "6"
    assert Customer.select().count() == 1


@needs_testdata
def test_google_csv(notebook):
    _, report = _import(CONTACTS / "google_contacts.csv")
    assert report.added == 3
    priya = person("Priya Raman")
    v = priya["view"]
    assert (v.nickname, v.company, v.title) == ("PR", "Asterix Software", "VP Engineering")
    assert {k for k in priya["contacts"] if k[0] == "email"} == {
        ("email", "priya@asterix.example"), ("email", "p.raman@asterix.example")}
    assert priya["contacts"][("phone", "+91 98450 55501")] == ("mobile", False)
    assert ("address", "12 MG Road, 560001 Bengaluru, India") in priya["contacts"]
    assert ("date", "birthday", 2, 11, 1986) in priya["details"]
    assert ("hobby", "running", None, None, None) in priya["details"]
    assert v.about == "Runs marathons.\nTwo kids, twins."
    assert priya["tags"] == {"Key accounts"}
    tomas = person("Tomás Herrera")
    assert (tomas["view"].company, tomas["view"].title) == ("Herrera, Vidal y Asociados",
                                                            "Socio")
    assert tomas["contacts"][("phone", "+34 91 555 0133")][0] == "work"
    assert tomas["contacts"][("phone", "+34 600 555 010")][0] == "mobile"
    assert ("email", "tomas.h@correo.example") in tomas["contacts"]
    nameless = person("info@no-name.example")
    assert ("email", "info@no-name.example") in nameless["contacts"]


@needs_testdata
def test_outlook_csv(notebook):
    _, report = _import(CONTACTS / "outlook_contacts.csv")
    assert report.added == 2
    chloe = person("Chloé Dubois")
    v = chloe["view"]
    assert (v.prefix, v.company, v.title) == ("Ms.", "Atelier Lumière SARL", "Directrice achats")
    assert ("address", "Lyon, France") in chloe["contacts"]
    assert chloe["contacts"][("phone", "+33 4 72 55 01 01")][0] == "work"
    assert chloe["contacts"][("phone", "+33 6 12 55 01 02")][0] == "mobile"
    assert ("email", "chloe.dubois@lumiere.example") in chloe["contacts"]
    assert ("date", "birthday", 14, 7, 1982) in chloe["details"]
    assert chloe["tags"] == {"Key accounts", "France"}
    assert v.about == "Prefers French for small talk; formal in meetings."
    bob = person("Bob Smith")
    assert bob["view"].company == "Smith & Sons"
    assert set(bob["contacts"]) == {("email", "bob@smithsons.example")}
    assert bob["details"] == set()  # 0/0/00 means no birthday


@needs_testdata
@pytest.mark.parametrize("mapping", [EXCEL_MAP, None], ids=["mapped", "guessed"])
def test_excel_semicolon_csv(notebook, mapping):
    plan, report = _import(CONTACTS / "excel_semicolon.csv", mapping=mapping)
    assert report.added == 2
    assert dict(plan.files[0][2]) == EXCEL_MAP  # given, or guessed from the German headers
    bjorn = person("Björn Østergaard")
    assert bjorn["view"].company == "Fjord Fisk A/S"
    assert set(bjorn["contacts"]) == {("email", "bjorn@fjord.example"),
                                      ("phone", "+45 33 55 01 20")}
    assert bjorn["view"].about == 'Sejler; har en båd "Havørn"'
    zoe = person("Zoë Kowalczyk")
    assert (zoe["view"].company, zoe["view"].about) == ("Wisła Meble", "Kunde seit 2019")
    assert set(zoe["contacts"]) == {("email", "zoe@wisla.example")}


@needs_testdata
def test_importing_everything_twice_changes_nothing(notebook):
    files = sorted(p for p in CONTACTS.iterdir() if p.suffix in (".vcf", ".csv"))
    _, first = _import(*files)
    assert first.added == 15 and first.skipped == 1
    before = dump()
    plan, second = _import(*files)
    assert {i.action for i in plan.items} == {UNCHANGED, SKIP}
    assert (second.added, second.merged, second.unchanged) == (0, 0, 15)
    assert not second.changes
    assert dump() == before


# --- merging ------------------------------------------------------------------------------


@needs_testdata
def test_merge_keeps_what_the_notebook_has_and_adds_the_rest(notebook):
    view, _ = customers.create("Åsa Lindqvist", company="Nordväg Logistik AB", title="CEO",
                               email="ASA.LINDQVIST@nordvag.example")
    records.set_tags(view.id, ["key ACCOUNTS"])
    plan, report = _import(CONTACTS / "apple_contacts.vcf")
    assert (report.added, report.merged) == (2, 1)
    item = next(i for i in plan.items if i.action == MERGE)
    assert (item.name, item.reason, item.target) == ("Åsa Lindqvist", "email",
                                                     "Åsa Lindqvist (Nordväg Logistik AB)")
    assert "about" in item.adds and "title" not in item.adds
    asa = person("Åsa Lindqvist")
    assert asa["view"].title == "CEO"  # the notebook wins
    assert asa["view"].department == "Inköp"  # an empty field is filled
    assert asa["view"].about.startswith("Met at the Göteborg fair")
    emails = {k[1] for k in asa["contacts"] if k[0] == "email"}
    assert emails == {"ASA.LINDQVIST@nordvag.example", "asa.l@home.example"}
    assert asa["tags"] == {"key ACCOUNTS", "Nordics"}  # same tag folded: not added twice
    assert asa["photo"] is not None
    assert Customer.select().where(Customer.name_fold == "asa lindqvist").count() == 1


@needs_testdata
def test_match_by_phone_digits_and_by_name_and_company(notebook):
    kettle = customers.create("Kettle and Company", phone="+44 (20) 7946-0000")[0]
    customers.create("KENJI WATANABE", company="sakura trading")
    plan, report = _import(CONTACTS / "apple_contacts.vcf", CONTACTS / "vcard40.vcf")
    reasons = {i.name: (i.action, i.reason) for i in plan.items}
    assert reasons["Kettle & Co."] == (MERGE, "phone")
    assert reasons["Kenji Watanabe"] == (MERGE, "name")
    assert customers.get(kettle.id).company == "Kettle & Co."
    assert ("email", "kenji@sakura.example") in person("KENJI WATANABE")["contacts"]
    assert report.added == 3 and Customer.select().count() == 5


def test_duplicates_within_one_import_become_one_customer(notebook, tmp_path):
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann@x.example\r\n{}END:VCARD\r\n"
    path = tmp_path / "dupes.vcf"
    path.write_text(card.format("") + card.format("TEL;TYPE=CELL:+1 555 0101\r\n")
                    + card.format(""), encoding="utf-8")
    plan, report = _import(path)
    assert [(i.action, i.line) for i in plan.items] == [(NEW, 1), (MERGE, 6), (UNCHANGED, 12)]
    assert (report.added, report.merged, report.unchanged) == (1, 1, 1)
    assert set(person("Ann Lee")["contacts"]) == {("email", "ann@x.example"),
                                                  ("phone", "+1 555 0101")}


# --- the peer's fixtures ------------------------------------------------------------------


@pytest.mark.skipif(not PEERS.is_dir(), reason="shared testdata missing")
def test_every_peer_vcard_imports_but_the_unparsable_one(notebook):
    files = sorted(PEERS.glob("*.vcf"))
    plan, report = _import(*files)
    skipped = [(i.file, i.line, i.reason) for i in plan.items if i.action == SKIP]
    assert skipped == [("unparsable.vcf", 1, "no_end")]
    read = {i.file for i in plan.items if i.action != SKIP}
    assert read == {p.name for p in files} - {"unparsable.vcf"}
    assert report.added + report.merged + report.unchanged == len(files) - 1
    assert customers.find("최유림") and customers.find("전도훈")
    assert person("Michael Smith")["view"].nickname == "Mike"
    assert person("contact with category")["tags"] == {"bar"}
    assert ("phone", "67545678") in person("bug 195")["contacts"]
    assert ("date", "birthday: circa 1800", None, None, None) in person(
        "text birthday")["details"]
    for name in ("with photo v3", "with photo v4"):
        assert person(name)["photo"].startswith(b"\x89PNG")
    assert person("altid")["view"].family_name == "representation"
    post = person("With post address")["contacts"]
    assert post == {("address", "PostBox, Ext, Main Street 1, 00000 The City, SomeState, "
                                "HomeCountry"): ("home", False)}
    assert customers.find("labeled guy").company == "Test Inc"


# --- encodings and quirks -----------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig", "utf-32"])
def test_byte_order_marks_and_utf16(notebook, tmp_path, encoding):
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Łukasz Żółć\r\nN:Żółć;Łukasz;;;\r\n"
            "X-UNKNOWN-THING;X-FOO=bar:whatever\r\nEND:VCARD\r\n")
    path = tmp_path / "u.vcf"
    path.write_bytes(text.encode(encoding))
    _, report = _import(path)
    assert report.added == 1 and customers.find("Łukasz Żółć").family_name == "Żółć"


def test_csv_preamble_utf16_tab_and_linkedin(notebook, tmp_path):
    linkedin = ("Notes:\n\"When exporting your connection data, you may notice that some of the "
                "email addresses are missing.\"\n\nFirst Name,Last Name,URL,Email Address,"
                "Company,Position,Connected On\nAda,Nwosu,https://www.linkedin.com/in/ada,"
                "ada@x.example,Kite Ltd,CTO,12 Jan 2024\n")
    (tmp_path / "Connections.csv").write_text(linkedin, encoding="utf-8")
    tabbed = "Full Name\tE-mail\tMobile\nTao Chen\ttao@y.example\t+86 10 5555 0101\n"
    (tmp_path / "tab.csv").write_bytes(tabbed.encode("utf-16"))
    plan, report = _import(tmp_path / "Connections.csv", tmp_path / "tab.csv")
    assert report.added == 2, plan.items
    assert [f[1] for f in plan.files] == ["linkedin", "csv"]
    ada = person("Ada Nwosu")
    assert (ada["view"].company, ada["view"].title) == ("Kite Ltd", "CTO")
    assert ada["contacts"][("url", "https://www.linkedin.com/in/ada")] == ("linkedin", False)
    assert Customer.get_by_id(ada["view"].id).met_on.isoformat() == "2024-01-12"
    assert person("Tao Chen")["contacts"][("phone", "+86 10 5555 0101")][0] == "mobile"
    assert next(i for i in plan.items if i.name == "Ada Nwosu").line == 5


def test_unknown_csv_columns_are_reported_not_guessed(notebook, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Spalte A,Spalte B\nx,y\n", encoding="utf-8")
    plan, report = _import(path)
    assert [(i.action, i.reason) for i in plan.items] == [(SKIP, "unknown_columns")]
    assert not plan.importable and report.added == 0
    plan, report = _import(path, mapping=[("name", "Spalte A"), ("company", "Spalte B")])
    assert report.added == 1 and customers.find("x").company == "y"


def test_a_bad_mapping_field_is_refused(notebook, tmp_path):
    with pytest.raises(ImportFailed) as info:
        merge.plan_import([tmp_path / "x.csv"], {"shoe_size": "Size"})
    assert info.value.code == "bad_mapping_field"


def test_missing_file_is_reported(notebook, tmp_path):
    plan = merge.plan_import([tmp_path / "nope.vcf"])
    assert [(i.action, i.reason, i.line) for i in plan.items] == [(SKIP, "unreadable_file",
                                                                   None)]


# --- never half an import -----------------------------------------------------------------


@needs_testdata
def test_a_failure_while_writing_leaves_the_notebook_as_it_was(notebook, monkeypatch):
    customers.create("Already Here", email="here@x.example")
    before = dump()
    plan = merge.plan_import(sorted(CONTACTS.glob("*.vcf")))
    sent = []

    def boom(model, rows):  # the last step: customers, points and details are already sent
        sent.append(Customer.select().count())
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(merge, "insert_rows", boom)
    with pytest.raises(ImportFailed) as info:
        merge.apply(plan)
    assert info.value.code == "disk_full"
    assert sent == [1 + 8]  # seen inside the transaction...
    assert dump() == before  # ...and gone with it


@needs_testdata
def test_cancel_stops_planning_and_writing(notebook):
    with pytest.raises(ImportCancelled):
        merge.plan_import(sorted(PEERS.glob("*.vcf")) * 10, cancelled=lambda: True)
    before = dump()
    plan = merge.plan_import(sorted(CONTACTS.glob("*.vcf")))
    with pytest.raises(ImportCancelled):
        merge.apply(plan, cancelled=lambda: True)
    assert dump() == before


_LINES = st.sampled_from([
    "BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "VERSION:3.0", "VERSION:4.0", "FN:Ann", "N:;;;;",
    "N:a;b;c;d;e;f;g", "ORG:;", "TEL;VALUE=uri:tel:", "TEL;TYPE=\"a,b:", "EMAIL;PREF:x@y",
    "PHOTO;ENCODING=b:@@@", "PHOTO:data:image/png;base64,!!", "PHOTO;ENCODING=BASE64:",
    "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=nonsense:=C3=", "NOTE;QUOTED-PRINTABLE:a=",
    "item1.X-ABLabel:_$!<", "item1.EMAIL:a@b", "ADR:;;;;;;;;;;", "BDAY:--1399", "BDAY:0000-00-00",
    "ANNIVERSARY:2015-02-30", "CATEGORIES:,,,", "X-RELNOTEBOOK-LABEL;X-KIND=email;X-INDEX=9:x",
    "X-RELNOTEBOOK-DETAIL;TYPE=zzz;X-DATE=--9999:x", "RELATED;VALUE=uri:urn:uuid:1", " folded",
    "UID:00000000-0000-0000-0000-000000000000", "KIND:org", "\x00", "=", ":", ";", "",
])
_TEXT = st.text(max_size=40)


@st.composite
def hostile_files(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["vcf", "csv", "json", "raw"]))
    if kind == "vcf":
        lines = draw(st.lists(st.one_of(_LINES, _TEXT, st.builds("{}:{}".format, _LINES, _TEXT)),
                              max_size=25))
        text = draw(st.sampled_from(["\r\n", "\n", "\r"])).join(lines)
    elif kind == "csv":
        header = draw(st.lists(st.sampled_from(["Name", "E-mail 1 - Value", "Phone 1 - Type",
                                                "Birthday", "Categories", "First Name", "x",
                                                "Group Membership", "Title", ""]), max_size=6))
        rows = draw(st.lists(st.lists(_TEXT, max_size=7), max_size=5))
        sep = draw(st.sampled_from([",", ";", "\t"]))
        text = "\n".join(sep.join(r) for r in [header, *rows])
    elif kind == "json":
        value = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), _TEXT)
        row = st.dictionaries(st.sampled_from(["uuid", "full_name", "customer", "created_at",
                                               "kind", "value", "name", "fold", "amount", "date",
                                               "photo", "key", "tag", "topic"]), value)
        tables = st.dictionaries(st.sampled_from([m._meta.table_name for m in ALL_MODELS]),
                                 st.lists(row, max_size=4))
        doc = {"format": "relnotebook-export", "schema_version": draw(st.integers(0, 2)),
               "tables": draw(tables)}
        import json

        text = json.dumps(doc)
    else:
        return "raw.vcf", draw(st.binary(max_size=300))
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "cp1252", "utf-8-sig"]))
    return f"hostile.{kind}", text.encode(encoding, "replace")


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=st.lists(hostile_files(), min_size=1, max_size=3))
def test_hostile_input_never_raises_and_never_half_writes(notebook, tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("hostile")
    paths = []
    for i, (name, data) in enumerate(files):
        path = folder / f"{i}-{name}"
        path.write_bytes(data)
        paths.append(path)
    before = Customer.select().count()
    try:
        plan = merge.plan_import(paths)
        report = merge.apply(plan)
    except ImportFailed:
        assert Customer.select().count() == before
        return
    assert Customer.select().count() == before + report.added
    assert db.database.execute_sql("PRAGMA foreign_key_check").fetchall() == []


def test_a_shared_office_number_does_not_make_two_people_one(notebook, tmp_path):
    customers.create("Anna Berg", company="Acme", phone="+46 8 555 000 00")
    path = tmp_path / "colleague.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lund;Erik;;;\r\nFN:Erik Lund\r\n"
                    "ORG:Acme\r\nTEL;TYPE=WORK:+46 8 555 000 00\r\nEND:VCARD\r\n", encoding="utf-8")
    plan, report = _import(path)
    assert [i.action for i in plan.items] == [NEW] and report.added == 1


@needs_testdata
def test_progress_is_reported(notebook):
    calls = []
    merge.plan_import(sorted(PEERS.glob("*.vcf")) * 10, progress=lambda d, t: calls.append((d, t)))
    assert calls and all(0 < done <= total for done, total in calls)
