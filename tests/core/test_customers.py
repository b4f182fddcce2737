"""Customers: create, edit, archive, contacts, name matching (DESIGN.md §6) and the list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playhouse.test_utils import count_queries

from relnotebook.core import clock, conversations, customers, settings
from relnotebook.core.changes import Kind
from relnotebook.core.errors import AmbiguousName, NotFound, ValidationError
from relnotebook.core.models import ContactPoint, Customer


def add(name: str, **fields) -> int:
    view, _ = customers.create(name, **fields)
    return view.id


# --- create, update, archive, contacts ----------------------------------------------------


def test_create_returns_view_and_changes(notebook):
    view, changes = customers.create(
        "  Zoë Ångström ", company="Ångström AB", title="CTO", email="zoe@example.se",
        phone="+46 8 123", key_client=True, cadence_days=30,
    )
    assert view.full_name == "Zoë Ångström"
    assert (view.company, view.title, view.key_client, view.cadence_days) == (
        "Ångström AB", "CTO", True, 30)
    assert view.label == "Zoë Ångström (Ångström AB)"
    assert len(view.uuid) == 36 and not view.archived and not view.has_photo
    assert changes.customers == {view.id}
    assert Kind.CUSTOMER in changes.kinds
    row = Customer.get_by_id(view.id)
    assert row.name_fold == "zoe angstrom"
    assert row.company_fold == "angstrom ab"
    assert [(c.kind, c.value, c.preferred) for c in customers.contacts(view.id)] == [
        ("email", "zoe@example.se", True), ("phone", "+46 8 123", True)]
    assert customers.get(view.id) == view


def test_label_without_company(notebook):
    cid = add("Ada")
    assert customers.get(cid).label == "Ada"


def test_update_returns_previous_values(notebook):
    cid = add("Ada Lovelace", company="Analytical")
    previous, changes = customers.update(cid, full_name="Ada King", company="Babbage & Co",
                                         nickname="Ada")
    assert previous == {"full_name": "Ada Lovelace", "company": "Analytical", "nickname": ""}
    assert changes.customers == {cid} and Kind.CUSTOMER in changes.kinds
    view = customers.get(cid)
    assert (view.full_name, view.company, view.nickname) == ("Ada King", "Babbage & Co", "Ada")
    row = Customer.get_by_id(cid)
    assert (row.name_fold, row.company_fold) == ("ada king", "babbage & co")
    assert customers.find("king").id == cid  # the fold followed the rename
    with pytest.raises(NotFound):
        customers.find("lovelace")


def test_update_unknown_field_and_missing_customer(notebook):
    cid = add("Ada")
    with pytest.raises(ValidationError) as info:
        customers.update(cid, name_fold="x")
    assert info.value.code == "unknown_field"
    with pytest.raises(NotFound):
        customers.update(cid + 100, title="CEO")
    with pytest.raises(NotFound):
        customers.get(cid + 100)


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_empty_name_is_refused(notebook, name):
    with pytest.raises(ValidationError) as info:
        customers.create(name)
    assert info.value.code == "empty_name"
    cid = add("Ada")
    with pytest.raises(ValidationError) as info:
        customers.update(cid, full_name=name)
    assert info.value.code == "empty_name"
    assert customers.get(cid).full_name == "Ada"
    assert Customer.select().count() == 1


@pytest.mark.parametrize("cadence", [0, -7, 3651, "often", "3.5"])
def test_bad_cadence_is_refused(notebook, cadence):
    with pytest.raises(ValidationError) as info:
        customers.create("Ada", cadence_days=cadence)
    assert info.value.code == "bad_cadence"
    assert Customer.select().count() == 0


def test_cadence_accepts_numbers_as_text(notebook):
    assert customers.get(add("Ada", cadence_days="14")).cadence_days == 14


def test_archive_and_unarchive(notebook):
    cid = add("Olaf Øster")
    changes = customers.archive(cid)
    assert changes.customers == {cid}
    assert customers.get(cid).archived
    assert customers.list_rows() == ()
    assert [r.id for r in customers.list_rows(include_archived=True)] == [cid]
    customers.archive(cid, archived=False)
    assert not customers.get(cid).archived
    assert [r.id for r in customers.list_rows()] == [cid]


def test_contacts_add_remove_and_validate(notebook):
    cid = add("Ada")
    view, changes = customers.add_contact(cid, "url", " https://ada.example ", label=" web ")
    assert (view.kind, view.value, view.label, view.preferred) == (
        "url", "https://ada.example", "web", False)
    assert Kind.CONTACT in changes.kinds and changes.customers == {cid}
    customers.add_contact(cid, "email", "b@example.com")
    customers.add_contact(cid, "email", "a@example.com", preferred=True)
    assert [(c.kind, c.value) for c in customers.contacts(cid)] == [
        ("email", "a@example.com"), ("email", "b@example.com"), ("url", "https://ada.example")]
    with pytest.raises(ValidationError) as info:
        customers.add_contact(cid, "fax", "123")
    assert info.value.code == "bad_contact_kind"
    with pytest.raises(ValidationError) as info:
        customers.add_contact(cid, "phone", "   ")
    assert info.value.code == "empty_contact"
    with pytest.raises(NotFound):
        customers.add_contact(cid + 1, "phone", "123")
    changes = customers.remove_contact(view.id)
    assert changes.customers == {cid}
    assert "https://ada.example" not in [c.value for c in customers.contacts(cid)]
    with pytest.raises(NotFound):
        customers.remove_contact(view.id)
    assert ContactPoint.select().count() == 2


def test_photo(notebook):
    cid = add("Ada")
    assert customers.photo(cid) is None
    customers.update(cid, photo=b"\x89PNG fake")
    assert customers.photo(cid) == b"\x89PNG fake"
    assert customers.get(cid).has_photo


# --- name matching and folding (DESIGN.md §6) ---------------------------------------------


@pytest.fixture
def people(notebook):
    return {
        "muller": add("Jürgen Müller", company="Acme"),
        "lodz": add("Łucja Łódź"),
        "saether": add("Kari Sæther", company="Nordic"),
        "zoe": add("Zoë Ångström", company="Ångström AB"),
        "anna": add("Anna"),
        "anna_berg": add("Anna Berg", company="Acme"),
        "anna_sv": add("Anna Svensson"),
        "jean": add("Jean-Paul Sartre"),
        "smith": add("Ann Smith-Jones"),
        "obrien": add("Pat O'Brien"),
    }


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("muller", "muller"),
        ("MÜLLER", "muller"),
        ("jurgen", "muller"),
        ("Jürgen Müller", "muller"),
        ("jurgen mu", "muller"),
        ("lodz", "lodz"),
        ("Łódź", "lodz"),
        ("lucja", "lodz"),
        ("saether", "saether"),
        ("Sæther", "saether"),
        ("angst", "zoe"),
        ("zoe", "zoe"),
        ("Zoe\u0308", "zoe"),  # typed with a combining diaeresis
        ("anna", "anna"),  # the exact full name wins over the prefix of "Anna Berg"...
        ("  ANNA ", "anna"),
        ("anna b", "anna_berg"),
        ("berg", "anna_berg"),
        ("sv", "anna_sv"),
        ("paul", "jean"),
        ("jean-paul", "jean"),
        ("paul sar", "jean"),
        ("smith-jones", "smith"),  # a hyphenated surname typed whole
        ("Smith-J", "smith"),
        ("jones", "smith"),
        ("ann smith-jones", "smith"),
        ("O'Brien", "obrien"),
        ("brien", "obrien"),
        ("o brien", "obrien"),
    ],
)
def test_find_by_name(people, typed, who):
    assert customers.find(typed).id == people[who]
    assert customers.resolve_id(typed) == people[who]


def test_ambiguous_prefix_lists_candidates(people):
    with pytest.raises(AmbiguousName) as info:
        customers.find("ann")
    assert sorted(info.value.params["candidates"]) == [
        "Ann Smith-Jones", "Anna", "Anna Berg (Acme)", "Anna Svensson"]
    assert info.value.params["name"] == "ann"


def test_ambiguous_exact_name(notebook):
    add("Anna Berg", company="Acme")
    add("Anna Berg", company="Globex")
    with pytest.raises(AmbiguousName) as info:
        customers.find("anna berg")
    assert sorted(info.value.params["candidates"]) == ["Anna Berg (Acme)", "Anna Berg (Globex)"]


def test_a_candidate_copied_from_the_ambiguous_message_finds_that_customer(notebook):
    acme = add("Anna Berg", company="Acme")
    globex = add("Anna Berg", company="Globex Nordic (EU)")
    with pytest.raises(AmbiguousName) as info:
        customers.find("anna berg")
    labels = info.value.params["candidates"]
    assert {customers.find(label).id for label in labels} == {acme, globex}
    assert customers.find("anna berg (ACME)").id == acme  # folded, like any name
    with pytest.raises(NotFound):
        customers.find("Anna Berg (Initech)")


def test_exact_match_wins_even_when_it_is_a_prefix_of_others(notebook):
    exact = add("Li")
    add("Lisa Li")
    add("Linus")
    assert customers.find("li").id == exact


@pytest.mark.parametrize("typed", ["nobody", "ü", "müllerr", "berg anna", "%", "_", "a_b"])
def test_unknown_name(people, typed):
    with pytest.raises(NotFound) as info:
        customers.find(typed)
    assert info.value.code == "customer_name"
    assert info.value.params["name"] == typed


def test_empty_name_lookup(people):
    with pytest.raises(ValidationError) as info:
        customers.find("   ")
    assert info.value.code == "empty_name"


def test_archived_customers_are_skipped(notebook):
    olaf = add("Olaf Øster")
    active = add("Olga Petrova")
    customers.archive(olaf)
    assert customers.find("ol").id == active  # no longer ambiguous
    with pytest.raises(NotFound):
        customers.find("oster")
    assert customers.find("oster", include_archived=True).id == olaf
    twin = add("Olaf Øster")  # an archived exact twin does not make it ambiguous
    assert customers.find("Olaf Øster").id == twin


# --- the list ------------------------------------------------------------------------------


def test_list_filter_folds(people):
    def names(query: str) -> list[str]:
        return [r.full_name for r in customers.list_rows(query)]

    assert names("angst") == ["Zoë Ångström"]
    assert names("ÅNGSTRÖM") == ["Zoë Ångström"]
    assert names("muller") == ["Jürgen Müller"]
    assert names("lodz") == ["Łucja Łódź"]
    assert names("saether") == ["Kari Sæther"]
    assert names("acme") == ["Anna Berg", "Jürgen Müller"]  # company, sorted by name
    assert names("nordic") == ["Kari Sæther"]
    assert names("") == names("   ") and len(names("")) == len(people)
    assert names("%") == [] and names("_") == []  # LIKE wildcards are plain characters


def test_list_rows_sorting_and_due(notebook):
    today = clock.today()
    never = add("Carl Never", cadence_days=10)
    recent = add("Anna Recent", cadence_days=30)
    overdue = add("Bert Overdue", cadence_days=7)
    plain = add("Dora Plain")  # no cadence: never due
    key = add("Erik Key", key_client=True)  # key clients: the notebook's default cadence
    conversations.log(recent, "catch-up", at=today - timedelta(days=2))
    conversations.log(overdue, "catch-up", at=today - timedelta(days=20))
    conversations.log(overdue, "no answer", at=today - timedelta(days=1), reached=False)

    by_name = customers.list_rows()
    assert [r.id for r in by_name] == [recent, overdue, never, plain, key]
    rows = {r.id: r for r in by_name}
    assert rows[recent].last_talked == today - timedelta(days=2)
    assert rows[recent].due == today + timedelta(days=28)
    # An unanswered attempt does not restart the clock.
    assert rows[overdue].last_talked == today - timedelta(days=20)
    assert rows[overdue].due == today - timedelta(days=13)
    assert rows[overdue].overdue(today) and not rows[recent].overdue(today)
    assert rows[never].last_talked is None
    assert rows[never].due == today + timedelta(days=10)  # counted from creation
    assert rows[plain].due is None and not rows[plain].overdue(today)
    assert rows[key].key_client
    assert rows[key].due == today + timedelta(days=settings.get("key_client_cadence_days"))

    by_last = [r.id for r in customers.list_rows(sort="last_contact")]
    assert by_last[:2] == [recent, overdue]
    assert set(by_last[2:]) == {never, plain, key}

    by_due = [r.id for r in customers.list_rows(sort="due")]
    assert by_due == [overdue, never, recent, key, plain]

    settings.set("key_client_cadence_days", 5)
    assert {r.id: r for r in customers.list_rows()}[key].due == today + timedelta(days=5)


def test_list_rows_runs_a_constant_number_of_queries(notebook):
    def queries() -> int:
        with count_queries() as counter:
            customers.list_rows(sort="due")
        return counter.count

    first = add("Customer 0", cadence_days=30)
    conversations.log(first, "hello", at=date(2026, 1, 5))
    one = queries()
    for n in range(1, 50):
        cid = add(f"Customer {n}", company=f"Company {n}", cadence_days=30)
        conversations.log(cid, "hello", at=date(2026, 1, 5) + timedelta(days=n))
    assert len(customers.list_rows()) == 50
    assert queries() == one
    assert one <= 2
