"""The customer card, driven as a user would: type, pick, click Save; then reopen it.

Every edit must land in the core, be undoable through the given undo stack, and show a
validation error beside its field without saving anything.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDate, QObject, Qt, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices, QImage, QUndoStack
from PySide6.QtWidgets import QLineEdit
from typing_helpers import type_text

from relnotebook.core import agenda, clock, conversations, customers, records
from relnotebook.ui.bus import EventBus
from relnotebook.ui.customer_card import CustomerCardDialog


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


def _card(qtbot, bus, stack, customer_id=None) -> CustomerCardDialog:
    card = CustomerCardDialog(bus, stack, customer_id)
    qtbot.addWidget(card)
    card.show()
    qtbot.waitExposed(card)
    return card


def _retype(widget: QLineEdit, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    widget.del_()
    type_text(widget, text)


def _pick(combo, code) -> None:
    combo.setCurrentIndex(combo.findData(code))


def _texts(tab) -> list[tuple[str, ...]]:
    return [texts for _id, texts, _checked in tab.model.rows]


def _select(tab, row: int = 0) -> None:
    tab.table.setCurrentIndex(tab.model.index(row, 0))


def _photo_file(tmp_path: Path) -> str:
    image = QImage(640, 480, QImage.Format.Format_RGB32)
    image.fill(QColor("steelblue"))
    path = tmp_path / "portrait.jpg"
    assert image.save(str(path))
    return str(path)


def test_new_customer_with_every_field_comes_back(qtbot, notebook, bus, stack, tmp_path):
    card = _card(qtbot, bus, stack)
    name = card.findChild(QLineEdit, "customerNameField")
    company = card.findChild(QLineEdit, "customerCompanyField")
    type_text(name, "Zoë Ångström")
    type_text(company, "Nordlys AS")
    general = card.general
    type_text(general.given, "Zoë")
    type_text(general.family, "Ångström")
    type_text(general.job_title, "Head of Procurement")
    general.key_client.setChecked(True)
    general.cadence.setValue(45)
    general.met_on.setDate(QDate(2024, 5, 17))
    type_text(general.met_where, "Nor-Shipping, Oslo")
    type_text(general.introduced_by, "Ola Nordmann")
    general.about.setPlainText("Sails on weekends.")
    assert card.set_photo_file(_photo_file(tmp_path))
    style = card.style_tab
    _pick(style.formality, "informal")
    _pick(style.pace, "chatty")
    _pick(style.channel, "video")
    type_text(style.best_time, "Tuesday mornings")
    style.minutes.setValue(20)
    _pick(style.small_talk, True)
    style.lead_notes.setPlainText("Opens with the weather")
    type_text(style.avoid, "the merger")
    qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    cid = card.customer_id
    assert cid is not None
    assert all(card.tabs.isTabEnabled(i) for i in range(card.tabs.count()))

    contacts = card.contacts_tab
    _pick(contacts.kind, "email")
    type_text(contacts.value, "zoe@nordlys.no")
    type_text(contacts.label, "work")
    contacts.preferred.setChecked(True)
    qtbot.mouseClick(contacts.add_button, Qt.MouseButton.LeftButton)
    _pick(contacts.kind, "phone")
    type_text(contacts.value, "+47 22 33 44 55")
    qtbot.mouseClick(contacts.add_button, Qt.MouseButton.LeftButton)
    details = card.details_tab
    _pick(details.kind, "date")
    type_text(details.text, "birthday")
    details.day.setValue(29)
    _pick(details.month, 2)
    qtbot.mouseClick(details.add_button, Qt.MouseButton.LeftButton)
    facts = card.facts_tab
    _pick(facts.kind, "hot_button")
    type_text(facts.text, "delivery times")
    facts.assumed.setChecked(True)
    qtbot.mouseClick(facts.add_button, Qt.MouseButton.LeftButton)
    tags = card.tags_tab
    for tag in ("Distributor", "Øst"):
        type_text(tags.new_tag, tag)
        qtbot.mouseClick(tags.add_button, Qt.MouseButton.LeftButton)
    purchases = card.purchases_tab
    purchases.day.setDate(QDate(2026, 1, 12))
    type_text(purchases.amount, "1500")
    type_text(purchases.currency, "nok")
    type_text(purchases.description, "Forklift service")
    qtbot.mouseClick(purchases.add_button, Qt.MouseButton.LeftButton)
    things = card.things_tab
    type_text(things.text, "Sailing book")
    type_text(things.url, "https://example.org/book")
    qtbot.mouseClick(things.add_button, Qt.MouseButton.LeftButton)
    _select(things)
    qtbot.mouseClick(things.sent_button, Qt.MouseButton.LeftButton)
    type_text(things.reaction, "loved it")
    qtbot.mouseClick(things.reaction_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(card.close_button, Qt.MouseButton.LeftButton)
    assert not card.isVisible()

    again = _card(qtbot, bus, stack, cid)
    g = again.general
    assert (g.name.text(), g.company.text(), g.given.text(), g.family.text()) == (
        "Zoë Ångström", "Nordlys AS", "Zoë", "Ångström")
    assert g.job_title.text() == "Head of Procurement" and g.key_client.isChecked()
    assert g.cadence.value() == 45 and g.met_on.date() == QDate(2024, 5, 17)
    assert (g.met_where.text(), g.introduced_by.text()) == ("Nor-Shipping, Oslo", "Ola Nordmann")
    assert g.about.toPlainText() == "Sails on weekends."
    assert not again.photo_label.pixmap().isNull()
    stored = QImage.fromData(customers.photo(cid))
    assert customers.photo(cid).startswith(b"\x89PNG") and stored.width() == 256
    s = again.style_tab.values()
    assert s == {"formality": "informal", "pace": "chatty", "preferred_channel": "video",
                 "best_time": "Tuesday mornings", "planned_minutes": 20, "small_talk": True,
                 "lead_notes": "Opens with the weather", "avoid_topics": "the merger",
                 "notes": ""}
    assert {t[2] for t in _texts(again.contacts_tab)} == {"zoe@nordlys.no", "+47 22 33 44 55"}
    assert _texts(again.details_tab)[0][1] == "birthday"
    (detail,) = records.details(cid)
    assert (detail.kind, detail.text, detail.day, detail.month) == ("date", "birthday", 29, 2)
    assert [(f.kind, f.text, f.assumed) for f in records.facts(cid)] == [
        ("hot_button", "delivery times", True)]
    assert again.tags_tab.checked() == ["Distributor", "Øst"]
    (purchase,) = records.purchases(cid)
    assert (purchase.date, str(purchase.amount), purchase.currency) == (
        date(2026, 1, 12), "1500.00", "NOK")
    (thing,) = records.things(cid)
    assert (thing.status, thing.reaction) == ("sent", "loved it")


def test_edit_and_undo(qtbot, notebook, bus, stack):
    cid = customers.create("Hans Müller", company="Müller Logistik")[0].id
    card = _card(qtbot, bus, stack, cid)
    _retype(card.general.company, "Müller & Söhne")
    card.general.cadence.setValue(60)
    with qtbot.waitSignal(bus.changed):
        qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    assert customers.get(cid).company == "Müller & Söhne"
    assert customers.get(cid).cadence_days == 60
    stack.undo()
    assert customers.get(cid).company == "Müller Logistik"
    assert customers.get(cid).cadence_days is None
    assert card.general.company.text() == "Müller Logistik"  # the card follows the undo
    stack.redo()
    assert customers.get(cid).company == "Müller & Söhne"

    type_text(card.details_tab.text, "two daughters")
    qtbot.mouseClick(card.details_tab.add_button, Qt.MouseButton.LeftButton)
    assert len(records.details(cid)) == 1
    _select(card.details_tab)
    qtbot.mouseClick(card.details_tab.delete_button, Qt.MouseButton.LeftButton)
    assert records.details(cid) == ()
    stack.undo()
    assert [d.text for d in records.details(cid)] == ["two daughters"]
    qtbot.waitUntil(lambda: card.details_tab.model.rowCount() == 1)
    stack.undo()
    assert records.details(cid) == ()


def test_a_new_customer_is_undone_by_deleting_them(qtbot, notebook, bus, stack):
    card = _card(qtbot, bus, stack)
    type_text(card.general.name, "Aiko Tanaka")
    qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    cid = card.customer_id
    assert [r.id for r in customers.list_rows()] == [cid]
    stack.undo()
    assert customers.list_rows() == ()
    assert not card.isVisible()
    stack.redo()
    assert customers.get(cid).full_name == "Aiko Tanaka"


def test_archive_removes_them_from_the_list_and_today(qtbot, notebook, bus, stack):
    today = clock.today()
    cid = customers.create("Priya Raman", company="Tata Motors")[0].id
    conversations.log(cid, f"Kick-off\n[ ] send the quote due {today - timedelta(days=2)}",
                      at=today - timedelta(days=9))
    assert [e.customer_id for e in agenda.for_day(today)] == [cid]
    card = _card(qtbot, bus, stack, cid)
    with qtbot.waitSignal(bus.changed):
        qtbot.mouseClick(card.archive_button, Qt.MouseButton.LeftButton)
    assert customers.list_rows() == ()
    assert agenda.for_day(today) == ()
    assert not card.isVisible()
    stack.undo()
    assert [r.id for r in customers.list_rows()] == [cid]


def test_validation_errors_show_beside_the_field_and_save_nothing(qtbot, notebook, bus, stack):
    card = _card(qtbot, bus, stack)
    qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    assert card.general.name_error.isVisible()
    assert card.general.name_error.text()
    assert customers.list_rows() == () and stack.count() == 0

    cid = customers.create("Ola Nordmann")[0].id
    card = _card(qtbot, bus, stack, cid)
    _retype(card.general.name, "   ")
    _retype(card.general.company, "Equinor")
    qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    assert card.general.name_error.isVisible()
    assert (customers.get(cid).full_name, customers.get(cid).company) == ("Ola Nordmann", "")
    _retype(card.general.name, "Ola Nordmann")
    qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    assert not card.general.name_error.isVisible()

    details = card.details_tab
    card.tabs.setCurrentWidget(details)
    type_text(details.text, "anniversary")
    details.day.setValue(31)
    _pick(details.month, 2)
    qtbot.mouseClick(details.add_button, Qt.MouseButton.LeftButton)
    assert details.error.isVisible() and records.details(cid) == ()
    purchases = card.purchases_tab
    card.tabs.setCurrentWidget(purchases)
    type_text(purchases.amount, "-5")
    qtbot.mouseClick(purchases.add_button, Qt.MouseButton.LeftButton)
    assert purchases.error.isVisible() and records.purchases(cid) == ()


class _Handler(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def handle(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_contact_points_open_mail_and_phone(qtbot, notebook, bus, stack):
    cid = customers.create("Zoë Ångström", email="zoe@nordlys.no", phone="+47 22 33 44 55")[0].id
    handler = _Handler()
    for scheme in ("mailto", "tel"):
        QDesktopServices.setUrlHandler(scheme, handler, "handle")
    try:
        card = _card(qtbot, bus, stack, cid)
        tab = card.contacts_tab
        card.tabs.setCurrentWidget(tab)
        for row in range(tab.model.rowCount()):
            _select(tab, row)
            centre = tab.table.visualRect(tab.model.index(row, 2)).center()
            # A real double click: press and release, then the double-click event.
            qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
            qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        assert sorted(handler.urls) == ["mailto:zoe@nordlys.no", "tel:+4722334455"]
    finally:
        for scheme in ("mailto", "tel"):
            QDesktopServices.unsetUrlHandler(scheme)


def test_undo_after_the_card_is_gone_and_a_vanished_record_is_reported(
        qtbot, notebook, bus, stack, monkeypatch):
    from relnotebook.ui import errors

    shown: list[str] = []
    monkeypatch.setattr(errors, "presenter", lambda _parent, message, _details: shown.append(
        message))
    cid = customers.create("Ola Nordmann")[0].id
    card = CustomerCardDialog(bus, stack, cid)
    _retype(card.general.job_title, "CFO")
    type_text(card.facts_tab.text, "budget frozen until June")
    card.save()
    qtbot.mouseClick(card.facts_tab.add_button, Qt.MouseButton.LeftButton)
    card.close()
    card.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(card))
    assert stack.count() == 2
    fact_id = records.facts(cid)[0].id
    records.delete_fact(fact_id)  # gone behind the card's back
    stack.undo()  # the add: the fact is already gone, which is said, not raised
    assert shown and records.facts(cid) == ()
    stack.undo()  # the edit, with its card deleted
    assert customers.get(cid).title == ""
