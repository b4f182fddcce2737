"""Grab the desktop-integration screenshots: About, Keyboard shortcuts, the window in dark.

    python packaging/screenshots.py [OUT_DIR]     (default docs/screenshots; runs offscreen)

Writes about.png, shortcuts.png and window-dark.png (the window on a demo notebook with the
forced dark appearance of Preferences). Window state never mixes with the user's own.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="relnotebook-shots-") as tmp:
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
            os.environ[var] = str(Path(tmp) / var.lower())
        return _shoot(out, Path(tmp))


def _settle(app: object) -> None:
    for _ in range(4):
        app.processEvents()  # type: ignore[attr-defined]


def _shoot(out: Path, tmp: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from relnotebook.core import demo
    from relnotebook.ui import icons, theme
    from relnotebook.ui.app import create_main_window
    from relnotebook.ui.help_dialogs import AboutDialog, ShortcutsDialog
    from relnotebook.ui.screenshot import richest_customer

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("relnotebook")
    app.setOrganizationName("relnotebook")
    app.setWindowIcon(icons.app_icon())
    notebook = tmp / "demo.sqlite"
    demo.generate(notebook, customers=200, seed=1, today=date.today())
    theme.apply("system")
    window = create_main_window(notebook, demo=True)
    window.resize(1280, 800)
    window.show()
    window.reset_layout()
    window.open_customer(richest_customer())
    _settle(app)

    about = AboutDialog(window)
    about.show()
    _settle(app)
    about.grab().save(str(out / "about.png"))
    about.close()

    shortcuts = ShortcutsDialog(window)
    shortcuts.show()
    _settle(app)
    shortcuts.grab().save(str(out / "shortcuts.png"))
    shortcuts.close()

    theme.apply("dark")
    _settle(app)
    window.grab().save(str(out / "window-dark.png"))
    theme.apply("system")
    window.close()
    for name in ("about.png", "shortcuts.png", "window-dark.png"):
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
