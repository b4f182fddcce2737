"""Preferences change what the notebook computes (Today follows at once); and the first-start
welcome offers its three ways in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialogButtonBox
from typing_helpers import type_text

from relnotebook.core import clock, conversations, customers, settings
from relnotebook.ui.bus import EventBus
from relnotebook.ui.preferences import PreferencesDialog
from relnotebook.ui.today_view import TodayView
from relnotebook.ui.welcome import WelcomeWidget

TODAY = clock.today()


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


def _dialog(qtbot, bus) -> PreferencesDialog:
    dialog = PreferencesDialog(bus)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _save(qtbot, dialog: PreferencesDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def _retype(qtbot, dialog: PreferencesDialog, key: str, text: str) -> None:
    field = dialog.fields[key]
    field.setFocus()
    field.selectAll()
    field.del_()
    type_text(field, text)


def test_shorter_key_client_cadence_brings_them_into_today(qtbot, notebook, bus):
    cid = customers.create("Zoë Ångström", key_client=True)[0].id
    conversations.log(cid, "Quarterly review", at=TODAY - timedelta(days=45))
    today = TodayView(bus, QUndoStack(), today=lambda: TODAY)
    qtbot.addWidget(today)
    today.show()
    assert today.model.rows == ()
    dialog = _dialog(qtbot, bus)
    assert dialog.fields["key_client_cadence_days"].text() == "90"
    _retype(qtbot, dialog, "key_client_cadence_days", "30")
    with qtbot.waitSignal(bus.changed):
        _save(qtbot, dialog)
    assert settings.get("key_client_cadence_days") == 30
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: [r.customer_id for r in today.model.rows] == [cid])
    assert "every 30 days" in today.model.rows[0].text


@pytest.mark.parametrize("typed", ["0", "abc", "4000", ""])
def test_a_bad_value_shows_beside_its_field_and_nothing_is_saved(qtbot, notebook, bus, typed):
    dialog = _dialog(qtbot, bus)
    _retype(qtbot, dialog, "default_call_minutes", "25")
    _retype(qtbot, dialog, "key_client_cadence_days", typed)
    with qtbot.assertNotEmitted(bus.changed):
        _save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.errors["key_client_cadence_days"].isVisible()
    assert dialog.errors["key_client_cadence_days"].text()
    assert not dialog.errors["default_call_minutes"].isVisible()
    assert settings.get("key_client_cadence_days") == 90
    assert settings.get("default_call_minutes") == 15


def test_purchase_threshold_takes_decimals(qtbot, notebook, bus):
    dialog = _dialog(qtbot, bus)
    assert dialog.fields["purchase_threshold"].text() == "1000"
    _retype(qtbot, dialog, "purchase_threshold", "2500.5")
    _save(qtbot, dialog)
    assert settings.get("purchase_threshold") == 2500.5


def test_welcome_offers_demo_first_customer_and_import_when_available(qtbot):
    welcome = WelcomeWidget()
    qtbot.addWidget(welcome)
    assert not welcome.import_button.isEnabled()
    for button, signal in ((welcome.demo_button, welcome.open_demo),
                           (welcome.add_button, welcome.add_customer)):
        with qtbot.waitSignal(signal):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    ready = WelcomeWidget(import_available=True)
    qtbot.addWidget(ready)
    with qtbot.waitSignal(ready.import_contacts):
        qtbot.mouseClick(ready.import_button, Qt.MouseButton.LeftButton)
