"""Render the app icon's PNGs, .ico and .icns from the SVG master (run after editing the SVG).

    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py

Writes ``resources/icons/hicolor/<N>x<N>/apps/<APP_ID>.png`` for every size in
``icons.APP_SIZES``, plus ``resources/icons/relnotebook.ico`` (Windows: 16…256, PNG-compressed
entries, valid since Windows Vista) and ``resources/icons/relnotebook.icns`` (macOS: 16…1024,
PNG entries). The results are committed; a build does not regenerate them. Rendering uses Qt's
QSvgRenderer (QtSvg is part of PySide6-Essentials), so no other tool is needed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

from relnotebook.ui.icons import APP_ID, APP_SIZES  # noqa: E402

ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# icns chunk type -> pixel size (PNG data in each; the @2x types are the same pixels).
ICNS_TYPES = (("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256),
              ("ic09", 512), ("ic10", 1024), ("ic11", 32), ("ic12", 64), ("ic13", 256),
              ("ic14", 512))


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNGs (0 in the size bytes means 256)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, data in sorted(pngs.items()):
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    chunks = b"".join(kind.encode() + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                      for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    sizes = sorted(set(APP_SIZES) | set(ICO_SIZES) | {s for _, s in ICNS_TYPES})
    pngs = {size: render(renderer, size) for size in sizes}
    for size in APP_SIZES:
        target = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size])
        print(target.relative_to(ROOT))
    (ICONS / "relnotebook.ico").write_bytes(ico({s: pngs[s] for s in ICO_SIZES}))
    (ICONS / "relnotebook.icns").write_bytes(icns(pngs))
    print("resources/icons/relnotebook.ico", "resources/icons/relnotebook.icns", sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
