"""The card's form pages, saved together by the card's Save: the customer's own fields and
"How they like to talk" (the style profile); and how a chosen photo is stored."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from ..core import settings
from ..core.customers import CustomerView
from ..core.record_rules import FORMALITY, PACE, STYLE_CHANNELS
from ..core.records import StyleView
from . import words
from .card_tabs import error_label

PHOTO_MAX = 256  # pixels: a photo is scaled down to fit this square, stored as PNG
NO_DATE = QDate(1900, 1, 1)  # the date edits' "not known"
CUSTOMER_TEXT = ("full_name", "given_name", "family_name", "company", "title", "met_where",
                 "introduced_by")


def photo_png(image: QImage) -> bytes:
    """The image scaled down to fit PHOTO_MAX (never up), as PNG bytes."""
    if image.width() > PHOTO_MAX or image.height() > PHOTO_MAX:
        image = image.scaled(PHOTO_MAX, PHOTO_MAX, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def _line(parent: QWidget, name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _combo(parent: QWidget, items: list[tuple[Any, str]]) -> QComboBox:
    combo = QComboBox(parent)
    for code, label in items:
        combo.addItem(label, code)
    return combo


def _select(combo: QComboBox, value: Any) -> None:
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            combo.setCurrentIndex(index)
            return
    combo.setCurrentIndex(0)


class GeneralTab(QWidget):
    """The customer's own fields: names, company, title, key client, cadence, how we met."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.name = _line(self, "customerNameField")
        self.name_error = error_label(self)
        self.given = _line(self, "customerGivenNameField", words.tr("given name"))
        self.family = _line(self, "customerFamilyNameField", words.tr("family name"))
        self.company = _line(self, "customerCompanyField")
        self.job_title = _line(self, "customerTitleField")
        self.key_client = QCheckBox(words.tr("Key client"), self)
        self.key_client.setObjectName("customerKeyClientField")
        self.cadence = QSpinBox(self)
        self.cadence.setRange(0, 3650)
        self.cadence.setSpecialValueText(words.tr("no fixed rhythm"))
        self.cadence.setSuffix(words.tr(" days"))
        self.cadence.setToolTip(words.tr("Days between conversations; 0 for no fixed rhythm"))
        self.cadence_error = error_label(self)
        self.met_on = QDateEdit(self)
        self.met_on.setCalendarPopup(True)
        self.met_on.setDisplayFormat("d MMM yyyy")
        self.met_on.setMinimumDate(NO_DATE)
        self.met_on.setSpecialValueText(words.tr("not known"))
        self.met_where = _line(self, "customerMetWhereField", words.tr("where"))
        self.introduced_by = _line(self, "customerIntroducedByField", words.tr("introduced by"))
        self.about = QPlainTextEdit(self)
        self.about.setPlaceholderText(words.tr("Anything worth remembering about them"))
        names = QHBoxLayout()
        names.addWidget(self.given)
        names.addWidget(self.family)
        met = QHBoxLayout()
        met.addWidget(self.met_on)
        met.addWidget(self.met_where, 1)
        met.addWidget(self.introduced_by, 1)
        cadence = QHBoxLayout()
        cadence.addWidget(self.cadence)
        cadence.addWidget(self.cadence_error, 1)
        cadence.addStretch(1)
        form.addRow(words.tr("Name"), self.name)
        form.addRow("", self.name_error)
        form.addRow(words.tr("Given / family name"), names)
        form.addRow(words.tr("Company"), self.company)
        form.addRow(words.tr("Title"), self.job_title)
        form.addRow("", self.key_client)
        form.addRow(words.tr("Get in touch every"), cadence)
        form.addRow(words.tr("How we met"), met)
        form.addRow(words.tr("About"), self.about)

    def load(self, view: CustomerView | None) -> None:
        self.name.setText(view.full_name if view else "")
        self.given.setText(view.given_name if view else "")
        self.family.setText(view.family_name if view else "")
        self.company.setText(view.company if view else "")
        self.job_title.setText(view.title if view else "")
        self.key_client.setChecked(bool(view and view.key_client))
        self.key_client.setToolTip(words.fmt(
            "Without a rhythm of their own, key clients are due every {n} days.",
            n=settings.get("key_client_cadence_days")))
        self.cadence.setValue((view.cadence_days or 0) if view else 0)
        met = view.met_on if view else None
        self.met_on.setDate(QDate(met.year, met.month, met.day) if met else NO_DATE)
        self.met_where.setText(view.met_where if view else "")
        self.introduced_by.setText(view.introduced_by if view else "")
        self.about.setPlainText(view.about if view else "")

    def values(self) -> dict[str, Any]:
        met = self.met_on.date()
        values: dict[str, Any] = {
            "full_name": self.name.text(), "given_name": self.given.text(),
            "family_name": self.family.text(), "company": self.company.text(),
            "title": self.job_title.text(), "key_client": self.key_client.isChecked(),
            "cadence_days": self.cadence.value() or None,
            "met_on": None if met == NO_DATE else met.toPython(),
            "met_where": self.met_where.text(), "introduced_by": self.introduced_by.text(),
            "about": self.about.toPlainText(),
        }
        for key in CUSTOMER_TEXT:
            values[key] = values[key].strip()
        return values


class StyleTab(QWidget):
    """Formality, pace, channel, best time, call length, small talk, what to avoid, notes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        unknown = words.tr("not known")
        self.formality = _combo(self, [(code, words.formality(code) if code else unknown)
                                       for code in FORMALITY])
        self.formality.setObjectName("styleFormality")
        self.pace = _combo(self, [(code, words.pace(code) if code else unknown)
                                  for code in PACE])
        self.pace.setObjectName("stylePace")
        self.channel = _combo(self, [(code, words.channel(code) if code else unknown)
                                     for code in STYLE_CHANNELS])
        self.channel.setObjectName("styleChannel")
        self.best_time = QLineEdit(self)
        self.best_time.setPlaceholderText(words.tr("Tuesday mornings, after 4 pm…"))
        self.minutes = QSpinBox(self)
        self.minutes.setObjectName("stylePlannedMinutes")
        self.minutes.setRange(0, 600)
        self.minutes.setSuffix(words.tr(" min"))
        self.minutes_error = error_label(self)
        self.small_talk = _combo(self, [(None, unknown), (True, words.tr("welcome")),
                                        (False, words.tr("not welcome: straight to business"))])
        self.small_talk.setObjectName("styleSmallTalk")
        self.lead_notes = QPlainTextEdit(self)
        self.lead_notes.setPlaceholderText(
            words.tr("Let them lead: what they like to open with, what they steer towards"))
        self.avoid = QLineEdit(self)
        self.avoid.setPlaceholderText(words.tr("politics, the merger…"))
        self.notes = QPlainTextEdit(self)
        self.notes.setPlaceholderText(words.tr("Anything else about how they like to talk"))
        for edit in (self.lead_notes, self.notes):
            edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        minutes = QHBoxLayout()
        minutes.addWidget(self.minutes)
        minutes.addWidget(self.minutes_error, 1)
        minutes.addStretch(1)
        form = QFormLayout(self)
        form.addRow(words.tr("Formality"), self.formality)
        form.addRow(words.tr("Pace"), self.pace)
        form.addRow(words.tr("Preferred channel"), self.channel)
        form.addRow(words.tr("Best time to reach"), self.best_time)
        form.addRow(words.tr("Planned call length"), minutes)
        form.addRow(words.tr("Small talk"), self.small_talk)
        form.addRow(words.tr("Let them lead"), self.lead_notes)
        form.addRow(words.tr("Topics to avoid"), self.avoid)
        form.addRow(words.tr("Notes"), self.notes)

    def load(self, style: StyleView) -> None:
        default = settings.get("default_call_minutes")
        self.minutes.setSpecialValueText(words.fmt("notebook default ({n} min)", n=default))
        _select(self.formality, style.formality)
        _select(self.pace, style.pace)
        _select(self.channel, style.preferred_channel)
        self.best_time.setText(style.best_time)
        self.minutes.setValue(style.planned_minutes or 0)
        _select(self.small_talk, style.small_talk)
        self.lead_notes.setPlainText(style.lead_notes)
        self.avoid.setText(style.avoid_topics)
        self.notes.setPlainText(style.notes)

    def values(self) -> dict[str, Any]:
        return {
            "formality": self.formality.currentData(), "pace": self.pace.currentData(),
            "preferred_channel": self.channel.currentData(),
            "best_time": self.best_time.text().strip(),
            "planned_minutes": self.minutes.value() or None,
            "small_talk": self.small_talk.currentData(),
            "lead_notes": self.lead_notes.toPlainText().strip(),
            "avoid_topics": self.avoid.text().strip(), "notes": self.notes.toPlainText().strip(),
        }
