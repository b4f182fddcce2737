"""Render the window to a PNG: ``python -m relnotebook.ui.screenshot OUT.png``.

Builds a demo notebook in a temporary folder (unless ``--notebook`` is given), opens the
window on it at ``--size`` (default 1280x800), selects the customer with the richest brief
(or ``--customer NAME``), paints and saves. Runs offscreen by default: no display needed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication


def _richness(brief: object) -> int:
    """How much a brief has to show: filled sections count most, then items."""
    b: object = brief
    groups = (
        getattr(b, "reminders", ()), getattr(b, "i_owe", ()), getattr(b, "they_owe", ()),
        getattr(b, "questions", ()), getattr(b, "topics", ()), getattr(b, "details", ()),
        getattr(b, "their_agenda", ()), getattr(b, "unsaid", ()), getattr(b, "ideas", ()),
        getattr(getattr(b, "story", None), "milestones", ()),
    )
    filled = sum(1 for g in groups if g)
    items = sum(min(len(g), 4) for g in groups)
    extra = sum(1 for x in (getattr(b, "last_purchase", None), getattr(b, "last_sent", None),
                            getattr(b, "checkin", None)) if x is not None)
    overdue = any(getattr(f, "overdue", False) for f in getattr(b, "i_owe", ()))
    reminders = len(getattr(b, "reminders", ()))
    return filled * 10 + items + extra * 3 + (15 if overdue else 0) + reminders * 10


def richest_customer(limit: int = 400) -> int | None:
    from ..core import briefing, clock, customers

    best, best_score = None, -1
    today = clock.today()
    for row in customers.list_rows()[:limit]:
        score = _richness(briefing.brief_for(row.id, today))
        if score > best_score:
            best, best_score = row.id, score
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m relnotebook.ui.screenshot",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the PNG to write")
    parser.add_argument("--size", default="1280x800", help="WIDTHxHEIGHT (default 1280x800)")
    parser.add_argument("--notebook", type=Path, help="an existing notebook (default: a demo)")
    parser.add_argument("--customer", help="the customer to show (default: the richest brief)")
    parser.add_argument("--today", action="store_true", help="show the Today view instead")
    parser.add_argument("--dark", action="store_true", help="a dark palette (checks the theme)")
    args = parser.parse_args(argv)
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size must look like 1280x800, not {args.size}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="relnotebook-shot-") as tmp:
        # Window state of a screenshot never mixes with the user's own.
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
            os.environ[var] = str(Path(tmp) / var.lower())
        return _shoot(args, width, height, Path(tmp))


def _shoot(args: argparse.Namespace, width: int, height: int, tmp: Path) -> int:

    from ..core import customers, demo
    from .app import create_main_window

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("relnotebook")
    app.setOrganizationName("relnotebook")
    if args.dark:
        _dark(app)
    notebook = args.notebook
    is_demo = notebook is None
    if notebook is None:
        notebook = tmp / "demo.sqlite"
        demo.generate(notebook, customers=200, seed=1, today=date.today())
    window = create_main_window(notebook, demo=is_demo)
    window.resize(width, height)
    window.show()
    window.reset_layout()
    if args.today:
        window.show_today()
    else:
        cid = customers.find(args.customer).id if args.customer else richest_customer()
        window.open_customer(cid)
        window.list_panel.table.setFocus()
    for _ in range(3):
        app.processEvents()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(args.out))
    window.close()
    print(f"{args.out} ({width}x{height})" if ok else f"could not write {args.out}")
    return 0 if ok else 1


def _dark(app: QApplication) -> None:
    """A dark Fusion palette, as a dark desktop theme would give."""
    from PySide6.QtGui import QColor, QPalette

    app.setStyle("Fusion")
    p = QPalette()
    r = QPalette.ColorRole
    for role, colour in ((r.Window, "#2b2b2b"), (r.WindowText, "#e6e6e6"), (r.Base, "#1e1e1e"),
                         (r.AlternateBase, "#262626"), (r.Text, "#e6e6e6"),
                         (r.Button, "#353535"), (r.ButtonText, "#e6e6e6"),
                         (r.Highlight, "#2f65ca"), (r.HighlightedText, "#ffffff"),
                         (r.PlaceholderText, "#9a9a9a"), (r.Link, "#6ea8fe"),
                         (r.ToolTipBase, "#353535"), (r.ToolTipText, "#e6e6e6")):
        p.setColor(role, QColor(colour))
    app.setPalette(p)


if __name__ == "__main__":
    sys.exit(main())
