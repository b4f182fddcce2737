"""``customers.get`` reads the view with one raw statement (the header reads it on every
customer opened); it must give what the model gives, field for field."""

from __future__ import annotations

from datetime import date

from relnotebook.core import conversations, customers
from relnotebook.core.models import Customer


def test_raw_view_matches_the_model(notebook):
    view, _ = customers.create("Åse Kjærnes", company="Fjord Fisk AS", title="Innkjøpssjef",
                               key_client=True, cadence_days=21)
    customers.update(view.id, given_name="Åse", family_name="Kjærnes", prefix="Dr.",
                     nickname="Åsa", department="Innkjøp", met_on=date(2024, 5, 2),
                     met_where="Nor-Fishing", introduced_by="Per", about="Likes data.")
    Customer.update(photo=b"\x89PNG fake").where(Customer.id == view.id).execute()
    conversations.log(view.id, "First call")
    got = customers.get(view.id)
    assert got == customers._view(Customer.get_by_id(view.id))
    assert got.has_photo and got.met_on == date(2024, 5, 2) and got.key_client
    assert got.last_reached_at is not None and got.created_at <= got.last_reached_at


def test_raw_view_of_a_bare_customer(notebook):
    view, _ = customers.create("Bare Name")
    got = customers.get(view.id)
    assert got == customers._view(Customer.get_by_id(view.id))
    assert not got.has_photo and got.met_on is None and got.last_reached_at is None
