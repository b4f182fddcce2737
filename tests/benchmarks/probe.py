"""Fresh-process probes: cold start to the first paint, and memory after browsing.

Run by ``run.py`` as ``python -m tests.benchmarks.probe MODE [NOTEBOOK]``:

- ``cold-bare``: a bare PySide6 window (QApplication + QMainWindow, same size as ours),
  shown; prints ``painted`` once its first paint has been flushed, then exits.
- ``cold-floor``: the bare window, plus what any window on this stack pays before its own
  code: the ``Qt`` namespace's enums (PySide6 builds all ~100 of them as Python enums the
  first time ``Qt`` is touched) and ``import peewee, platformdirs``.
- ``cold-ours NOTEBOOK``: what ``relnotebook --notebook NOTEBOOK`` does up to its event loop
  (``ui.app.run``: QApplication, ``create_main_window``, ``show``), and the same signal.
- ``mem-bare`` / ``mem-ours NOTEBOOK``: as above, then (ours) browse: open a few customers
  (the 2,000-conversation one included), type in the filter, clear it, open the search
  palette when the build has one and search; print ``rss_kb=N`` (VmRSS of this process).

The parent measures the wall time from starting the process to reading ``painted``.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _first_paint_then(app, callback) -> None:
    """Call ``callback`` once the first paint of any widget has been flushed."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Watch(QObject):
        done = False

        def eventFilter(self, obj, event):  # noqa: N802
            if not self.done and event.type() == QEvent.Type.Paint:
                self.done = True
                # The whole backing store is painted in the sync that sent this event:
                # the next turn of the event loop comes after it.
                QTimer.singleShot(0, callback)
            return False

    watch = Watch(app)
    app.installEventFilter(watch)
    app._bench_watch = watch  # keep it alive


def _bare():
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("Hello"))
    window.resize(1280, 800)
    window.show()
    return app, window


def _floor():
    from PySide6.QtCore import Qt

    Qt.AlignmentFlag  # noqa: B018 - touching the namespace builds its enums
    import peewee  # noqa: F401
    import platformdirs  # noqa: F401

    return _bare()


def _ours(path: str):
    from PySide6.QtWidgets import QApplication

    from relnotebook.ui import app as ui_app

    app = QApplication(sys.argv[:1])
    app.setApplicationName("relnotebook")
    app.setOrganizationName("relnotebook")
    window = ui_app.create_main_window(path)
    window.show()
    return app, window


def rss_kb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def browse(app, window) -> None:
    """What a rep does in the first minute: open customers, filter, search."""
    from relnotebook.core import db

    ids = [1] + [r[0] for r in db.database.execute_sql(
        "SELECT id FROM customer WHERE archived = 0 ORDER BY id DESC LIMIT 4")]
    for cid in ids:
        window.open_customer(cid)
        app.processEvents()
        window.repaint()
    from tests.benchmarks.window_bench import open_palette, type_chars

    search = window.list_panel.search
    search.setFocus()
    type_chars(app, search, "mar")
    window.repaint()
    search.clear()
    app.processEvents()
    window.repaint()
    palette = open_palette(window)
    if palette is not None:
        type_chars(app, palette.field, "hockey")
        app.processEvents()
        window.repaint()
        palette.widget.repaint()


def main() -> int:
    mode = sys.argv[1]
    started = time.perf_counter()
    if mode.startswith("mem"):
        from tests.benchmarks.window_bench import guard_none

        guard_none()
    if mode.endswith("bare"):
        app, window = _bare()
    elif mode.endswith("floor"):
        app, window = _floor()
    else:
        app, window = _ours(sys.argv[2])

    def painted() -> None:
        print("painted", flush=True)
        if mode.startswith("mem"):
            if mode == "mem-ours":
                browse(app, window)
            app.processEvents()
            print(f"rss_kb={rss_kb()}", flush=True)
        print(f"in_process_ms={(time.perf_counter() - started) * 1000:.1f}", flush=True)
        app.quit()

    _first_paint_then(app, painted)
    code = app.exec()
    if mode.endswith("ours"):
        from relnotebook.core import db

        db.close_notebook()
    sys.stdout.flush()
    os._exit(code)  # skip teardown: its cost is not part of starting


if __name__ == "__main__":
    sys.exit(main())
