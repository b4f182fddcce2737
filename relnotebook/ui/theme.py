"""Light and dark, and dates as the user's locale writes them.

The appearance is this computer's choice, not the notebook's: QSettings key
``appearance/dark`` holds ``system`` (the default), ``light`` or ``dark``.

- ``system`` keeps the platform's own style and palette and follows the system's colour
  scheme when it changes (``QStyleHints.colorSchemeChanged``). Where the platform says
  "dark" but its style paints light (a plain X11 session, say), the dark palette is applied.
- ``light`` and ``dark`` force the Fusion style with a light or a dark ``QPalette``.

``format_date(d)`` writes a date in the locale's short format (``QLocale().toString``);
UI code uses it rather than ISO dates (the command line keeps ISO, DESIGN.md §6).
"""

from __future__ import annotations

import contextlib
import logging
from datetime import date, datetime

from PySide6.QtCore import QDate, QLocale, QObject, QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QStyleFactory,
    QWidget,
)

from . import words

log = logging.getLogger("relnotebook.ui")

KEY = "appearance/dark"
MODES = ("system", "light", "dark")
REMINDERS_KEY = "reminders/enabled"

_R = QPalette.ColorRole
_DARK = {
    _R.Window: "#323232", _R.WindowText: "#e6e6e6", _R.Base: "#1e1e1e",
    _R.AlternateBase: "#272727", _R.Text: "#e6e6e6", _R.Button: "#3b3b3b",
    _R.ButtonText: "#e6e6e6", _R.BrightText: "#ff6b6b", _R.Highlight: "#2f65ca",
    _R.HighlightedText: "#ffffff", _R.PlaceholderText: "#9a9a9a", _R.Link: "#6ea8fe",
    _R.LinkVisited: "#b39ddb", _R.ToolTipBase: "#3b3b3b", _R.ToolTipText: "#e6e6e6",
    _R.Light: "#4a4a4a", _R.Midlight: "#3e3e3e", _R.Mid: "#2f2f2f", _R.Dark: "#1a1a1a",
    _R.Shadow: "#0d0d0d", _R.Accent: "#2f65ca",
}
_DARK_DISABLED = {
    _R.WindowText: "#7c7c7c", _R.Text: "#7c7c7c", _R.ButtonText: "#7c7c7c",
    _R.Highlight: "#3c3c3c", _R.HighlightedText: "#9a9a9a", _R.PlaceholderText: "#666666",
}


def _settings(settings: QSettings | None) -> QSettings:
    return settings if settings is not None else QSettings("relnotebook", "relnotebook")


def preference(settings: QSettings | None = None) -> str:
    """The chosen mode; anything unknown reads as ``system``."""
    value = str(_settings(settings).value(KEY, "system") or "system").lower()
    return value if value in MODES else "system"


def set_preference(mode: str, settings: QSettings | None = None) -> None:
    if mode not in MODES:
        raise ValueError(f"appearance must be one of {', '.join(MODES)}, not {mode!r}")
    s = _settings(settings)
    s.setValue(KEY, mode)
    s.sync()


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role, colour in _DARK_DISABLED.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return palette


def light_palette() -> QPalette:
    style = QStyleFactory.create("Fusion")
    return style.standardPalette() if style is not None else QPalette()


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (default: the application's) paints light text on dark."""
    palette = palette if palette is not None else QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark


class _Theme(QObject):
    """The platform's own look (kept to go back to) and the mode in force."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.style_name = app.style().name()
        self.mode = "system"
        hints = app.styleHints()
        if hints is not None and hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._scheme_changed)

    def _scheme_changed(self, *_args: object) -> None:
        if self.mode == "system":
            self.apply("system")

    def _request_scheme(self, scheme: Qt.ColorScheme) -> None:
        hints = self.app.styleHints()
        if hints is not None and hasattr(hints, "setColorScheme"):  # Qt 6.8+
            with contextlib.suppress(RuntimeError):
                hints.setColorScheme(scheme)

    def apply(self, mode: str) -> None:
        self.mode = mode
        if mode == "system":
            self._request_scheme(Qt.ColorScheme.Unknown)
            if self.app.style().name().lower() != self.style_name.lower():
                self.app.setStyle(self.style_name)
            # An empty palette resolves every role against the platform's, and keeps
            # following it when the desktop theme changes.
            self.app.setPalette(QPalette())
            if system_prefers_dark() and not is_dark(self.app.palette()):
                self.app.setPalette(dark_palette())
            return
        self._request_scheme(Qt.ColorScheme.Dark if mode == "dark" else Qt.ColorScheme.Light)
        if self.app.style().name().lower() != "fusion":
            self.app.setStyle("Fusion")
        self.app.setPalette(dark_palette() if mode == "dark" else light_palette())


def apply(mode: str | None = None, settings: QSettings | None = None) -> str:
    """Apply ``mode`` (default: the saved preference) to the running application.

    Returns the mode applied; does nothing (and returns it) without a QApplication.
    """
    mode = mode if mode in MODES else preference(settings)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return mode
    theme = app.findChild(_Theme)
    if theme is None:
        theme = _Theme(app)
    theme.apply(mode)
    log.debug("appearance: %s (dark: %s)", mode, is_dark())
    return mode


def format_date(value: date | datetime | QDate, fmt: QLocale.FormatType =
                QLocale.FormatType.ShortFormat) -> str:
    """``value`` as the locale writes a date (short format by default): 22/11/2026, 11/22/26…"""
    if isinstance(value, datetime):
        value = value.date()
    qdate = value if isinstance(value, QDate) else QDate(value.year, value.month, value.day)
    return QLocale().toString(qdate, fmt)


class AppearanceBox(QGroupBox):
    """Preferences' "On this computer" group: light/dark and the desktop reminders."""

    LABELS = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))

    def __init__(self, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(words.tr("On this computer (every notebook)"), parent)
        self.setObjectName("appearanceBox")
        self.settings = _settings(settings)
        self.mode = QComboBox(self)
        self.mode.setObjectName("appearanceMode")
        for value, label in self.LABELS:
            self.mode.addItem(words.tr(label), value)
        self.mode.setCurrentIndex(max(0, self.mode.findData(preference(self.settings))))
        self.reminders = QCheckBox(words.tr("Remind me of follow-ups due today (desktop "
                                            "notification)"), self)
        self.reminders.setObjectName("remindersEnabled")
        self.reminders.setChecked(reminders_enabled(self.settings))
        form = QFormLayout(self)
        form.addRow(words.tr("Appearance"), self.mode)
        form.addRow("", self.reminders)

    def save(self) -> None:
        """Store both choices and apply the appearance at once."""
        set_preference(str(self.mode.currentData()), self.settings)
        self.settings.setValue(REMINDERS_KEY, self.reminders.isChecked())
        self.settings.sync()
        apply(str(self.mode.currentData()))


def reminders_enabled(settings: QSettings | None = None) -> bool:
    value = _settings(settings).value(REMINDERS_KEY, True)
    if isinstance(value, str):
        return value.lower() not in ("false", "0", "no", "off")
    return bool(value)
