"""The customer card's record tabs: contacts, personal details, their agenda (sales facts),
purchases, thoughtful things, and tags. Each is a ``RecordTab`` over ``core.records``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core import customers, records
from ..core.clock import local_day, utc_now
from ..core.customers import CONTACT_KINDS
from ..core.record_rules import DETAIL_KINDS, FACT_KINDS
from . import words
from .card_tabs import CardContext, RecordTab, error_label

DATE_FORMAT = "d MMM yyyy"  # as words.day() writes dates
_CONTACT_WORDS = {"email": "Email", "phone": "Phone", "address": "Address", "url": "Web",
                  "social": "Social"}


def contact_kind(code: str) -> str:
    return words.tr(_CONTACT_WORDS.get(code, code))


def contact_url(kind: str, value: str) -> QUrl | None:
    """What clicking a contact point opens: ``mailto:``, ``tel:`` or the link; None if nothing."""
    value = value.strip()
    if kind == "email":
        return QUrl(f"mailto:{value}")
    if kind == "phone":
        return QUrl("tel:" + "".join(ch for ch in value if ch.isdigit() or ch == "+"))
    if kind in ("url", "social") and "://" in value:
        return QUrl(value)
    if kind == "url" and value:
        return QUrl(f"https://{value}")
    return None


def _combo(parent: QWidget, items: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox(parent)
    for code, label in items:
        combo.addItem(label, code)
    return combo


def date_words(day: int | None, month: int | None, year: int | None) -> str:
    if day and month:
        return words.day_month(day, month, year)
    if month:
        name = QLocale().standaloneMonthName(month)
        return f"{name} {year}" if year else name
    return str(year) if year else ""


class ContactsTab(RecordTab):
    HEADERS = ("Kind", "Label", "Value", "Preferred")
    CHECK_COLUMN = 3
    STRETCH_COLUMN = 2
    NOUN = "contact"
    add_service = staticmethod(records.add_contact)
    delete_service = staticmethod(records.delete_contact)
    restore_service = staticmethod(records.restore)

    def build_form(self) -> None:
        self.kind = _combo(self, [(k, contact_kind(k)) for k in CONTACT_KINDS])
        self.label = QLineEdit(self)
        self.label.setPlaceholderText(words.tr("work, mobile, home…"))
        self.value = QLineEdit(self)
        self.preferred = QCheckBox(words.tr("Preferred"), self)
        row = QHBoxLayout()
        row.addWidget(self.kind)
        row.addWidget(self.label, 1)
        row.addWidget(self.preferred)
        self.form.addRow(words.tr("Kind and label"), row)
        self.form.addRow(words.tr("Address or number"), self.value)
        self.open_button = QPushButton(words.tr("Open"), self)
        self.open_button.setToolTip(words.tr("Call, write or visit (double-click a row)"))
        self.open_button.clicked.connect(self.open_selected)
        self.buttons.insertWidget(1, self.open_button)
        self.table.doubleClicked.connect(self.open_selected)
        self._contacts: dict[int, customers.ContactView] = {}

    def rows(self, customer_id: int) -> list[tuple[int, tuple[str, ...], bool | None]]:
        self._contacts = {c.id: c for c in customers.contacts(customer_id)}
        return [(c.id, (contact_kind(c.kind), c.label, c.value, ""), c.preferred)
                for c in self._contacts.values()]

    def values(self) -> dict[str, Any]:
        return dict(kind=self.kind.currentData(), value=self.value.text(),
                    label=self.label.text(), preferred=self.preferred.isChecked())

    def clear_form(self) -> None:
        self.value.clear()
        self.label.clear()
        self.preferred.setChecked(False)

    def toggle(self, record_id: int, checked: bool) -> None:
        text = words.tr("Mark contact preferred") if checked else words.tr("Unmark contact")
        self.ctx.edited(text, records.update_contact, record_id, {"preferred": checked},
                        self.error)

    def open_selected(self) -> bool:
        contact = self._contacts.get(self.selected_id() or -1)
        url = contact_url(contact.kind, contact.value) if contact else None
        return bool(url is not None and QDesktopServices.openUrl(url))


class DetailsTab(RecordTab):
    HEADERS = ("Kind", "Detail", "Date", "Mentioned")
    NOUN = "personal detail"
    add_service = staticmethod(records.add_detail)
    delete_service = staticmethod(records.delete_detail)
    restore_service = staticmethod(records.restore)

    def build_form(self) -> None:
        self.kind = _combo(self, [(k, words.detail_kind(k)) for k in DETAIL_KINDS])
        self.text = QLineEdit(self)
        self.text.setPlaceholderText(words.tr("Daughter Mia starts university in Bergen"))
        self.day = QSpinBox(self)
        self.day.setRange(0, 31)
        self.day.setSpecialValueText(words.tr("day"))
        self.month = _combo(self, [(0, words.tr("month"))] + [
            (m, QLocale().standaloneMonthName(m)) for m in range(1, 13)])
        self.year = QSpinBox(self)
        self.year.setRange(0, 9999)
        self.year.setSpecialValueText(words.tr("year"))
        when = QHBoxLayout()
        for widget in (self.day, self.month, self.year):
            when.addWidget(widget)
        when.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.kind)
        row.addWidget(self.text, 1)
        self.form.addRow(words.tr("Detail"), row)
        self.form.addRow(words.tr("Date (optional)"), when)

    def rows(self, customer_id: int) -> list[tuple[int, tuple[str, ...], bool | None]]:
        return [(d.id, (words.detail_kind(d.kind), d.text, date_words(d.day, d.month, d.year),
                        words.day(local_day(d.mentioned_at))), None)
                for d in records.details(customer_id)]

    def values(self) -> dict[str, Any]:
        return dict(kind=self.kind.currentData(), text=self.text.text(),
                    day=self.day.value() or None, month=self.month.currentData() or None,
                    year=self.year.value() or None)

    def clear_form(self) -> None:
        self.text.clear()
        self.day.setValue(0)
        self.month.setCurrentIndex(0)
        self.year.setValue(0)


class FactsTab(RecordTab):
    HEADERS = ("Kind", "What they said", "Confirmed", "Assumed")
    CHECK_COLUMN = 3
    NOUN = "sales fact"
    add_service = staticmethod(records.add_fact)
    delete_service = staticmethod(records.delete_fact)
    restore_service = staticmethod(records.restore)

    def build_form(self) -> None:
        self.kind = _combo(self, [(k, words.fact_kind(k)) for k in FACT_KINDS])
        self.text = QLineEdit(self)
        self.assumed = QCheckBox(words.tr("Assumed (not said by them)"), self)
        row = QHBoxLayout()
        row.addWidget(self.kind)
        row.addWidget(self.text, 1)
        self.form.addRow(words.tr("Fact"), row)
        self.form.addRow("", self.assumed)
        self.confirm_button = QPushButton(words.tr("Confirm"), self)
        self.confirm_button.setToolTip(words.tr("They said it again: confirmed today"))
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.buttons.insertWidget(1, self.confirm_button)

    def rows(self, customer_id: int) -> list[tuple[int, tuple[str, ...], bool | None]]:
        return [(f.id, (words.fact_kind(f.kind), f.text, words.day(local_day(f.confirmed_at)),
                        ""), f.assumed) for f in records.facts(customer_id)]

    def values(self) -> dict[str, Any]:
        return dict(kind=self.kind.currentData(), text=self.text.text(),
                    assumed=self.assumed.isChecked())

    def clear_form(self) -> None:
        self.text.clear()
        self.assumed.setChecked(False)

    def toggle(self, record_id: int, checked: bool) -> None:
        text = words.tr("Mark fact assumed") if checked else words.tr("Mark fact not assumed")
        self.ctx.edited(text, records.update_fact, record_id, {"assumed": checked}, self.error)

    def confirm_selected(self) -> None:
        fact_id = self.selected_id()
        if fact_id is not None:
            self.ctx.edited(words.tr("Confirm fact"), records.update_fact, fact_id,
                            {"confirmed_at": utc_now(), "assumed": False}, self.error)


class PurchasesTab(RecordTab):
    HEADERS = ("Date", "Amount", "Description")
    STRETCH_COLUMN = 2
    NOUN = "purchase"
    add_service = staticmethod(records.add_purchase)
    delete_service = staticmethod(records.delete_purchase)
    restore_service = staticmethod(records.restore)

    def build_form(self) -> None:
        self.day = QDateEdit(QDate.currentDate(), self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat(DATE_FORMAT)
        self.amount = QLineEdit(self)
        self.amount.setPlaceholderText("0.00")
        self.currency = QLineEdit(self)
        self.currency.setPlaceholderText(words.tr("EUR"))
        self.currency.setMaxLength(8)
        self.currency.setMaximumWidth(self.fontMetrics().horizontalAdvance("MMMMMM") + 16)
        self.description = QLineEdit(self)
        row = QHBoxLayout()
        row.addWidget(self.day)
        row.addWidget(self.amount, 1)
        row.addWidget(self.currency)
        self.form.addRow(words.tr("Date and amount"), row)
        self.form.addRow(words.tr("What they bought"), self.description)

    def rows(self, customer_id: int) -> list[tuple[int, tuple[str, ...], bool | None]]:
        return [(p.id, (words.day(p.date), money(p.amount, p.currency), p.description), None)
                for p in records.purchases(customer_id)]

    def values(self) -> dict[str, Any]:
        return dict(day=self.day.date().toPython(), amount=self.amount.text(),
                    currency=self.currency.text(), description=self.description.text())

    def clear_form(self) -> None:
        self.amount.clear()
        self.description.clear()


def money(amount: Any, currency: str) -> str:
    """An amount as people read it: grouped digits, cents only when there are some."""
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)  # group digits
    value = float(amount)
    text = locale.toString(value, "f", 0 if value == int(value) else 2)
    return f"{text} {currency}".strip()


class ThingsTab(RecordTab):
    HEADERS = ("Idea", "Link", "Sent", "Reaction")
    STRETCH_COLUMN = 3
    NOUN = "thoughtful thing"
    add_service = staticmethod(records.add_thing)
    delete_service = staticmethod(records.delete_thing)
    restore_service = staticmethod(records.restore)

    def build_form(self) -> None:
        self.text = QLineEdit(self)
        self.text.setPlaceholderText(words.tr("An article on vegetarian grilling"))
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://…")
        self.form.addRow(words.tr("Idea"), self.text)
        self.form.addRow(words.tr("Link"), self.url)
        self.reaction = QLineEdit(self)
        self.reaction.setPlaceholderText(words.tr("How they reacted"))
        self.reaction_button = QPushButton(words.tr("Note reaction"), self)
        self.reaction_button.clicked.connect(self.note_reaction)
        self.sent_button = QPushButton(words.tr("Mark sent"), self)
        self.sent_button.clicked.connect(self.mark_sent)
        self.buttons.insertWidget(0, self.reaction, 1)
        self.buttons.insertWidget(1, self.reaction_button)
        self.buttons.insertWidget(2, self.sent_button)

    def rows(self, customer_id: int) -> list[tuple[int, tuple[str, ...], bool | None]]:
        return [(t.id, (t.text, t.url, words.day(local_day(t.sent_at)) if t.sent_at else
                        words.tr("not yet"), t.reaction), None)
                for t in records.things(customer_id)]

    def values(self) -> dict[str, Any]:
        return dict(text=self.text.text(), url=self.url.text())

    def clear_form(self) -> None:
        self.text.clear()
        self.url.clear()

    def mark_sent(self) -> None:
        thing_id = self.selected_id()
        if thing_id is not None:
            self.ctx.edited(words.tr("Mark sent"), records.update_thing, thing_id,
                            {"status": "sent", "sent_at": utc_now()}, self.error)

    def note_reaction(self) -> None:
        thing_id = self.selected_id()
        if thing_id is not None and self.ctx.edited(
                words.tr("Note reaction"), records.update_thing, thing_id,
                {"reaction": self.reaction.text()}, self.error):
            self.reaction.clear()


class TagsTab(QWidget):
    """Every tag of the notebook, ticked when this customer carries it; a field adds one."""

    def __init__(self, ctx: CardContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.list = QListWidget(self)
        self.list.itemChanged.connect(self._ticked)
        self.new_tag = QLineEdit(self)
        self.new_tag.setPlaceholderText(words.tr("New tag"))
        self.new_tag.returnPressed.connect(self.add)
        self.add_button = QPushButton(words.tr("Add tag"), self)
        self.add_button.clicked.connect(self.add)
        self.error = error_label(self)
        row = QHBoxLayout()
        row.addWidget(self.new_tag, 1)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error)
        layout.addLayout(row)
        self._loading = False
        self._in_tick = False

    def reload(self) -> None:
        if self._in_tick:  # a tick published its change: rebuild once the signal is done
            QTimer.singleShot(0, self.reload)
            return
        mine = set(records.tags(self.ctx.customer_id)) if self.ctx.customer_id else set()
        self._loading = True
        self.list.clear()
        for name in records.all_tags():
            item = QListWidgetItem(name, self.list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in mine else Qt.CheckState.Unchecked)
        self._loading = False

    def checked(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def set_tags(self, names: list[str]) -> bool:
        if self.ctx.customer_id is None:
            return False
        return self.ctx.edited(words.tr("Change tags"), records.set_tags, self.ctx.customer_id,
                               {"names": tuple(names)}, self.error)

    def add(self) -> None:
        name = self.new_tag.text().strip()
        if name and self.set_tags([*self.checked(), name]):
            self.new_tag.clear()

    def _ticked(self, _item: QListWidgetItem) -> None:
        if not self._loading:
            self._in_tick = True
            try:
                self.set_tags(self.checked())
            finally:
                self._in_tick = False

