"""The customer card: everything the notebook knows about one customer, editable.

``CustomerCardDialog(bus, undo_stack, customer_id)``; ``customer_id=None`` is the
new-customer dialog (Ctrl+N). The first tab holds the customer's own fields and the style
tab how they like to talk; both are saved together with Save (one undo step). The record
tabs (contacts, personal details, their agenda, purchases, thoughtful things, tags) save each
add, tick or delete at once, each its own undo step. A new customer's record tabs open once
the customer is saved; undoing the creation deletes the customer (a snapshot brings them
back on redo). Validation errors show in red beside the field and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core import customers, records
from ..core.changes import Changes, Kind
from ..core.errors import NotFound, ValidationError
from ..core.record_rules import clean_style
from . import words
from .bus import EventBus
from .card_pages import GeneralTab, StyleTab, photo_png
from .card_record_tabs import (
    ContactsTab,
    DetailsTab,
    FactsTab,
    PurchasesTab,
    TagsTab,
    ThingsTab,
)
from .card_tabs import CardContext, attempt, error_label, show_error, validation_text
from .card_undo import AddedRecord, EditRecord


class CustomerCardDialog(QDialog):
    created = Signal(int)
    """A new customer was saved (their id): the window may select them."""

    def __init__(self, bus: EventBus, undo_stack: QUndoStack, customer_id: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerCard")
        self.bus, self.undo_stack = bus, undo_stack
        self.ctx = CardContext(bus, undo_stack, customer_id, self)
        self._photo: bytes | None = None  # the photo shown; b"" = removed, None = unchanged
        self._shown: customers.CustomerView | None = None
        self._build()
        for action, key in ((undo_stack.createUndoAction(self), QKeySequence.StandardKey.Undo),
                            (undo_stack.createRedoAction(self), QKeySequence.StandardKey.Redo)):
            action.setShortcut(key)
            self.addAction(action)
        self.load()
        bus.changed.connect(self._on_changed)

    @property
    def customer_id(self) -> int | None:
        return self.ctx.customer_id

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        self.photo_label = QLabel(self)
        self.photo_label.setFixedSize(96, 96)
        self.photo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_label.setFrameShape(QLabel.Shape.StyledPanel)
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.subheading = QLabel(self)
        self.photo_button = QPushButton(words.tr("Choose photo…"), self)
        self.photo_button.clicked.connect(self.choose_photo)
        self.remove_photo_button = QPushButton(words.tr("Remove photo"), self)
        self.remove_photo_button.clicked.connect(self.remove_photo)
        self.photo_error = error_label(self)
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.subheading)
        photo_buttons = QHBoxLayout()
        photo_buttons.addWidget(self.photo_button)
        photo_buttons.addWidget(self.remove_photo_button)
        photo_buttons.addWidget(self.photo_error)
        photo_buttons.addStretch(1)
        titles.addLayout(photo_buttons)
        titles.addStretch(1)
        header = QHBoxLayout()
        header.addWidget(self.photo_label)
        header.addLayout(titles, 1)

        self.tabs = QTabWidget(self)
        self.general = GeneralTab(self)
        self.tabs.addTab(self.general, words.tr("Customer"))
        self.style_tab = StyleTab(self)
        self.contacts_tab = ContactsTab(self.ctx, self)
        self.details_tab = DetailsTab(self.ctx, self)
        self.facts_tab = FactsTab(self.ctx, self)
        self.purchases_tab = PurchasesTab(self.ctx, self)
        self.things_tab = ThingsTab(self.ctx, self)
        self.tags_tab = TagsTab(self.ctx, self)
        self.record_tabs: list[Any] = [self.contacts_tab, self.details_tab, self.facts_tab,
                                       self.purchases_tab, self.things_tab, self.tags_tab]
        for widget, title in ((self.style_tab, "How they like to talk"),
                              (self.contacts_tab, "Contact"), (self.details_tab, "Personal"),
                              (self.facts_tab, "Their agenda"), (self.tags_tab, "Tags"),
                              (self.purchases_tab, "Purchases"),
                              (self.things_tab, "Thoughtful things")):
            self.tabs.addTab(widget, words.tr(title))

        self.archive_button = QPushButton(words.tr("Archive"), self)
        self.archive_button.setObjectName("archiveButton")
        self.archive_button.clicked.connect(self.toggle_archived)
        self.save_button = QPushButton(words.tr("Save"), self)
        self.save_button.setObjectName("saveCustomerButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(words.tr("Close"), self)
        self.close_button.setToolTip(words.tr("Close the card; your edits are kept"))
        self.close_button.clicked.connect(self.reject)
        self.form_error = error_label(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.archive_button)
        buttons.addWidget(self.form_error)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.resize(760, 620)

    # --- loading -------------------------------------------------------------------------

    def load(self) -> None:
        """Show what the notebook holds now (or an empty form for a new customer)."""
        cid = self.customer_id
        view = customers.get(cid) if cid is not None else None
        self._shown = view
        self.general.load(view)
        self.style_tab.load(records.style(cid) if cid is not None else records.StyleView())
        self._photo = None
        self._show_photo(customers.photo(cid) if cid is not None else None)
        self._refresh_header(view)
        for tab in self.record_tabs:
            tab.reload()

    def _refresh_header(self, view: customers.CustomerView | None) -> None:
        self.heading.setText(view.full_name if view else words.tr("New customer"))
        self.subheading.setText(" · ".join(p for p in (view.title, view.company) if p)
                                if view else words.tr("Name them, then save."))
        self.setWindowTitle(view.full_name if view else words.tr("New customer"))
        for index in range(2, self.tabs.count()):
            self.tabs.setTabEnabled(index, view is not None)
        self.archive_button.setEnabled(view is not None)
        archived = bool(view and view.archived)
        self.archive_button.setText(words.tr("Unarchive") if archived else words.tr("Archive"))

    def _show_photo(self, data: bytes | None) -> None:
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.photo_label.setPixmap(pixmap.scaled(
                self.photo_label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        else:
            self.photo_label.setPixmap(QPixmap())
            self.photo_label.setText(words.tr("No photo"))
        self.remove_photo_button.setEnabled(bool(data))

    def _on_changed(self, changes: Changes) -> None:
        cid = self.customer_id
        if cid is None or not changes.concerns(cid):
            return
        try:
            customers.get(cid)
        except NotFound:  # the creation was undone, or the customer erased
            QDialog.reject(self)
            return
        if changes.concerns(cid, Kind.CUSTOMER, Kind.STYLE):
            self.load()
        else:
            for tab in self.record_tabs:
                tab.reload()

    # --- photo ---------------------------------------------------------------------------

    def choose_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, words.tr("Choose a photo"), "",
            words.tr("Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp)"))
        if path:
            self.set_photo_file(path)

    def set_photo_file(self, path: str) -> bool:
        """Take a photo from an image file (shown now, stored on Save)."""
        image = QImage(path)
        if image.isNull():
            show_error(self.photo_error, words.tr("This file is not an image I can read."))
            return False
        show_error(self.photo_error, None)
        self._photo = photo_png(image)
        self._show_photo(self._photo)
        return True

    def remove_photo(self) -> None:
        self._photo = b""
        self._show_photo(None)

    # --- saving --------------------------------------------------------------------------

    def _fields(self) -> dict[str, Any]:
        values = self.general.values()
        if self._photo is not None:
            values["photo"] = self._photo or None
        return values

    def _changed(self, values: dict[str, Any]) -> dict[str, Any]:
        shown = self._shown
        if shown is None:
            return values
        return {k: v for k, v in values.items()
                if k == "photo" or getattr(shown, k, object()) != v}

    def save(self) -> bool:
        """Validate, then store the customer's fields and style (one undo step)."""
        for label in (self.general.name_error, self.general.cadence_error, self.form_error,
                      self.style_tab.minutes_error):
            show_error(label, None)
        style = self.style_tab.values()
        try:
            clean_style(style)
        except ValidationError as exc:
            self.tabs.setCurrentWidget(self.style_tab)
            show_error(self.style_tab.minutes_error, validation_text(exc))
            return False
        fields = self._changed(self._fields())
        if self.customer_id is None:
            return self._create(fields, style)
        return self._update(fields, style)

    def _labels(self) -> dict[str, Any]:
        return {"empty_name": self.general.name_error, "bad_cadence": self.general.cadence_error}

    def _refused(self, exc: ValidationError) -> None:
        label = self._labels().get(exc.code, self.form_error)
        self.tabs.setCurrentIndex(0)
        show_error(label, validation_text(exc))
        if label is self.general.name_error:
            self.general.name.setFocus()

    def _create(self, fields: dict[str, Any], style: dict[str, Any]) -> bool:
        name = fields.pop("full_name", "")
        try:
            view, changes = customers.create(name, **{k: v for k, v in fields.items()
                                                     if k != "photo"})
        except ValidationError as exc:
            self._refused(exc)
            return False
        cid = view.id
        followers: list[tuple[Any, dict[str, Any]]] = [(records.update_style, style)]
        if fields.get("photo"):
            followers.append((customers.update, {"photo": fields["photo"]}))
        for update, values in followers:
            result = attempt(self, self.form_error, update, cid, **values)
            if result is not None:
                changes = changes | result[1]
        self.ctx.customer_id = cid
        self.undo_stack.push(AddedRecord(self.bus, self, words.fmt("Add {name}", name=name),
                                         cid, records.delete_customer, records.restore_customer))
        self.bus.publish(changes)
        self.load()
        self.created.emit(cid)
        return True

    def _update(self, fields: dict[str, Any], style: dict[str, Any]) -> bool:
        cid = self.customer_id
        assert cid is not None
        current = records.style(cid)
        style = {k: v for k, v in style.items() if getattr(current, k) != v}
        if not fields and not style:
            return True
        try:
            previous, changes = customers.update(cid, **fields) if fields else ({}, Changes())
        except ValidationError as exc:
            self._refused(exc)
            return False
        name = fields.get("full_name") or (self._shown.full_name if self._shown else "")
        self.undo_stack.beginMacro(words.fmt("Edit {name}", name=name))
        if fields:
            self.undo_stack.push(EditRecord(self.bus, self, "", customers.update, cid,
                                            previous, fields))
        if style:
            result = attempt(self, self.form_error, records.update_style, cid, **style)
            if result is not None:
                self.undo_stack.push(EditRecord(self.bus, self, "", records.update_style, cid,
                                                result[0], style))
                changes = changes | result[1]
        self.undo_stack.endMacro()
        self.bus.publish(changes)
        return True

    def dirty(self) -> bool:
        """True when the form holds edits not saved yet."""
        if self.customer_id is None:
            return any(v for k, v in self._fields().items() if k != "key_client") or \
                self.general.key_client.isChecked() or any(self.style_tab.values().values())
        current = records.style(self.customer_id)
        return bool(self._changed(self._fields())) or any(
            getattr(current, k) != v for k, v in self.style_tab.values().items())

    def accept(self) -> None:
        if self.save():
            super().accept()

    def reject(self) -> None:
        """Close; edits not saved yet are saved first (nothing typed is lost)."""
        if self.dirty() and not self.save():
            return
        super().reject()

    def toggle_archived(self) -> None:
        cid, view = self.customer_id, self._shown
        if cid is None or view is None:
            return
        archive = not view.archived
        text = words.fmt("Archive {name}" if archive else "Unarchive {name}",
                         name=view.full_name)
        done = self.ctx.edited(text, customers.update, cid, {"archived": archive},
                               self.form_error)
        if done and archive:
            super().accept()
