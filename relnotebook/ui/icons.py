"""Icons from one place: the app icon and the small UI icons, all from ``resources/icons``.

Where the resources are found (decided: *located*, not installed as package data; the
``resources/`` folder at the top of the repository is the one source, shared by the
window, PyInstaller and the Linux desktop files):

1. ``$RELNOTEBOOK_RESOURCES``, when set (a packager's override);
2. in a PyInstaller bundle, ``sys._MEIPASS/resources`` (``packaging/relnotebook.spec``
   copies ``resources/`` there);
3. in a source checkout or an editable install (``pip install -e .``), ``resources/``
   beside the ``relnotebook`` package.

A plain, non-editable wheel has no resources folder: the app icon then comes from the icon
theme (``packaging/install-user.sh`` installs it there under ``APP_ID``) and UI icons are
empty. The window works the same, with fewer pictures.

UI icons are monochrome SVGs drawn in ``currentColor``. They are painted on demand at the
exact size and device pixel ratio asked for (crisp at any scale), in the palette's text
colour of the moment, so they follow a switch between light and dark at once. QtSvg is
imported when the first one is painted: the window's first paint shows none.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap

if TYPE_CHECKING:
    from PySide6.QtSvg import QSvgRenderer

APP_ID = "io.github.relnotebook.RelationshipNotebook"
"""Reverse-DNS id: the .desktop file's name, the AppStream id and the icon's name."""
APP_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
"""The PNG sizes of the app icon, in ``resources/icons/hicolor/<N>x<N>/apps/``."""
RESOURCES_ENV = "RELNOTEBOOK_RESOURCES"


def resources_dir() -> Path | None:
    """The ``resources`` folder, or None when this installation has none."""
    candidates: list[Path] = []
    if os.environ.get(RESOURCES_ENV):
        candidates.append(Path(os.environ[RESOURCES_ENV]))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates.append(Path(__file__).resolve().parents[2] / "resources")
    for candidate in candidates:
        if (candidate / "icons").is_dir():
            return candidate
    return None


def app_icon_svg() -> Path | None:
    """The app icon as SVG (the master every PNG is rendered from)."""
    root = resources_dir()
    path = root / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg" if root else None
    return path if path is not None and path.is_file() else None


def app_icon_png(size: int) -> Path | None:
    root = resources_dir()
    path = root / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png" if root else None
    return path if path is not None and path.is_file() else None


@functools.cache
def app_icon() -> QIcon:
    """The app icon: every PNG size (Qt picks the nearest and scales down from larger)."""
    icon = QIcon()
    for size in APP_SIZES:
        png = app_icon_png(size)
        if png is not None:
            icon.addFile(str(png), QSize(size, size))
    if icon.isNull():
        icon = QIcon.fromTheme(APP_ID)
    return icon


def ui_icon_path(name: str) -> Path | None:
    root = resources_dir()
    path = root / "icons/ui" / f"{name}.svg" if root else None
    return path if path is not None and path.is_file() else None


class SvgIconEngine(QIconEngine):
    """Paints a ``currentColor`` SVG at the asked size, in the palette's text colour."""

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self.svg = svg
        self._cache: dict[tuple[int, int, str], QPixmap] = {}

    def _colour(self, mode: QIcon.Mode) -> str:
        palette = QGuiApplication.palette()
        group = (QPalette.ColorGroup.Disabled if mode == QIcon.Mode.Disabled
                 else QPalette.ColorGroup.Normal)
        role = (QPalette.ColorRole.HighlightedText if mode == QIcon.Mode.Selected
                else QPalette.ColorRole.WindowText)
        return palette.color(group, role).name()

    def _renderer(self, colour: str) -> QSvgRenderer:
        # QtSvg loads with the first icon painted (a menu opened), not with the window.
        from PySide6.QtSvg import QSvgRenderer

        data = self.svg.replace(b"currentColor", colour.encode())
        return QSvgRenderer(QByteArray(data))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode,  # noqa: N802
              state: QIcon.State) -> None:
        side = min(rect.width(), rect.height())
        target = QRectF(rect.x() + (rect.width() - side) / 2,
                        rect.y() + (rect.height() - side) / 2, side, side)
        self._renderer(self._colour(mode)).render(painter, target)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State,  # noqa: N802
                     scale: float) -> QPixmap:
        colour = self._colour(mode)
        width, height = round(size.width() * scale), round(size.height() * scale)
        key = (width, height, colour)
        cached = self._cache.get(key)
        if cached is None:
            cached = QPixmap(max(width, 1), max(height, 1))
            cached.fill(Qt.GlobalColor.transparent)
            painter = QPainter(cached)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            side = min(width, height)
            self._renderer(colour).render(painter, QRectF((width - side) / 2,
                                                          (height - side) / 2, side, side))
            painter.end()
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[key] = cached
        pixmap = QPixmap(cached)
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:  # noqa: N802
        return size

    def clone(self) -> QIconEngine:
        return SvgIconEngine(self.svg)


def icon(name: str) -> QIcon:
    """The UI icon ``resources/icons/ui/<name>.svg`` (an empty icon when it is missing)."""
    path = ui_icon_path(name)
    if path is None:
        return QIcon()
    return QIcon(SvgIconEngine(path.read_bytes()))
