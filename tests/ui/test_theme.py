"""Light and dark (system, or forced in Preferences), dates in the locale's format, and icons
that are found in one place and drawn crisp in the palette's colours."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, QLocale, QSettings, QSize, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QLabel

from relnotebook.ui import icons, theme
from relnotebook.ui.bus import EventBus
from relnotebook.ui.preferences import PreferencesDialog

WINDOW = QPalette.ColorRole.Window


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture(autouse=True)
def back_to_system():
    """Every test leaves the application as it found it: system look, default locale."""
    QSettings("relnotebook", "relnotebook").remove("appearance")
    QSettings("relnotebook", "relnotebook").remove("reminders")
    yield
    theme.apply("system")
    QLocale.setDefault(QLocale.system())
    QSettings("relnotebook", "relnotebook").remove("appearance")
    QSettings("relnotebook", "relnotebook").remove("reminders")


def _app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def test_preference_defaults_to_system_and_rejects_nonsense(settings):
    assert theme.preference(settings) == "system"
    theme.set_preference("dark", settings)
    assert theme.preference(settings) == "dark"
    settings.setValue(theme.KEY, "purple")
    assert theme.preference(settings) == "system"
    with pytest.raises(ValueError):
        theme.set_preference("purple", settings)


def test_forced_dark_uses_fusion_and_a_dark_palette(qtbot):
    assert theme.apply("dark") == "dark"
    app = _app()
    assert app.style().name().lower() == "fusion"
    assert theme.is_dark()
    assert app.palette().color(WINDOW) == theme.dark_palette().color(WINDOW)
    label = QLabel("new widgets follow")
    qtbot.addWidget(label)
    assert theme.is_dark(label.palette())
    disabled = app.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert disabled != app.palette().color(QPalette.ColorRole.Text)  # greyed when disabled


def test_forced_light_and_back_to_the_system_look():
    app = _app()
    theme.apply("system")
    style, window = app.style().name(), app.palette().color(WINDOW)
    theme.apply("dark")
    theme.apply("light")
    assert not theme.is_dark()
    assert app.style().name().lower() == "fusion"
    theme.apply("system")
    assert app.style().name() == style
    assert app.palette().color(WINDOW) == window


def test_apply_reads_the_saved_preference(settings):
    theme.set_preference("dark", settings)
    assert theme.apply(settings=settings) == "dark"
    assert theme.is_dark()


def test_system_mode_follows_a_dark_system_even_when_the_style_paints_light(monkeypatch):
    theme.apply("system")
    if theme.is_dark():
        pytest.skip("this platform's own palette is already dark")
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: True)
    tracker = _app().findChild(theme._Theme)
    tracker._scheme_changed()  # what colorSchemeChanged calls
    assert theme.is_dark()
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: False)
    tracker._scheme_changed()
    assert not theme.is_dark()


def test_a_forced_mode_ignores_the_system_scheme(monkeypatch):
    theme.apply("light")
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: True)
    _app().findChild(theme._Theme)._scheme_changed()
    assert not theme.is_dark()


@pytest.mark.parametrize(("locale", "expected"), [
    (QLocale(QLocale.Language.German, QLocale.Country.Germany), "22.11.26"),
    (QLocale(QLocale.Language.English, QLocale.Country.UnitedStates), "11/22/26"),
    (QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom), "22/11/2026"),
])
def test_dates_follow_the_locale(locale, expected):
    QLocale.setDefault(locale)
    assert theme.format_date(date(2026, 11, 22)) == expected
    assert theme.format_date(datetime(2026, 11, 22, 23, 59)) == expected
    assert theme.format_date(QDate(2026, 11, 22)) == expected
    assert theme.format_date(date(2026, 11, 22)) == locale.toString(
        QDate(2026, 11, 22), QLocale.FormatType.ShortFormat)


def test_preferences_offer_the_appearance_and_apply_it_on_save(qtbot, notebook):
    dialog = PreferencesDialog(EventBus())
    qtbot.addWidget(dialog)
    dialog.show()
    combo = dialog.findChild(QComboBox, "appearanceMode")
    assert [combo.itemData(i) for i in range(combo.count())] == ["system", "light", "dark"]
    assert combo.currentData() == "system"
    assert dialog.appearance.reminders.isChecked()
    combo.setCurrentIndex(combo.findData("dark"))
    dialog.appearance.reminders.setChecked(False)
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    assert theme.preference() == "dark"
    assert theme.is_dark()
    assert not theme.reminders_enabled()
    again = PreferencesDialog(EventBus())
    qtbot.addWidget(again)
    assert again.findChild(QComboBox, "appearanceMode").currentData() == "dark"
    assert not again.appearance.reminders.isChecked()


def test_cancel_keeps_the_appearance(qtbot, notebook):
    dialog = PreferencesDialog(EventBus())
    qtbot.addWidget(dialog)
    combo = dialog.findChild(QComboBox, "appearanceMode")
    combo.setCurrentIndex(combo.findData("dark"))
    dialog.reject()
    assert theme.preference() == "system"
    assert not theme.is_dark() or theme.system_prefers_dark()


# --- icons -------------------------------------------------------------------------------------


def test_the_app_icon_comes_from_the_resources_folder_at_every_size():
    root = icons.resources_dir()
    assert root is not None and (root / "icons").is_dir()
    assert icons.app_icon_svg() is not None
    sizes = [s.width() for s in icons.app_icon().availableSizes()]
    assert sizes == list(icons.APP_SIZES)
    for size in icons.APP_SIZES:
        assert icons.app_icon_png(size) is not None


def test_resources_can_be_pointed_elsewhere(monkeypatch, tmp_path):
    (tmp_path / "icons").mkdir()
    monkeypatch.setenv(icons.RESOURCES_ENV, str(tmp_path))
    assert icons.resources_dir() == tmp_path
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path / "bundle"), raising=False)
    monkeypatch.delenv(icons.RESOURCES_ENV)
    (tmp_path / "bundle" / "resources" / "icons").mkdir(parents=True)
    assert icons.resources_dir() == tmp_path / "bundle" / "resources"


def _ink(pixmap) -> QColor:
    """The most opaque pixel's colour (the icon's strokes)."""
    image = pixmap.toImage()
    best = QColor(0, 0, 0, 0)
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.alpha() > best.alpha():
                best = colour
    return best


def test_ui_icons_are_crisp_at_high_dpi_and_drawn_in_the_palette_text_colour():
    icon = icons.icon("keyboard")
    assert not icon.isNull()
    sharp = icon.pixmap(QSize(24, 24), 2.0)
    assert (sharp.width(), sharp.height(), sharp.devicePixelRatio()) == (48, 48, 2.0)
    theme.apply("light")
    light_ink = _ink(icon.pixmap(QSize(24, 24)))
    theme.apply("dark")
    dark_ink = _ink(icon.pixmap(QSize(24, 24)))
    assert light_ink.lightness() < 100 < dark_ink.lightness()
    assert icons.icon("no-such-icon").isNull()
