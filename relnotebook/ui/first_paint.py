"""Running work on the turn of the event loop after a window's first paint.

The window builds only what its first paint shows (issue 9: cold start); what must happen
soon but not before the user sees the window (drafts recovery, the safety check, tray
reminders, backups) is handed to ``MainWindow.after_first_paint``, which queues it here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from .errors import guarded

log = logging.getLogger("relnotebook.ui")


class FirstPaint(QObject):
    """Runs callbacks on the turn of the event loop after the window's first paint.

    It watches the window's paint events (the window paints first in the sync that paints
    all its children and flushes them; the next turn of the loop comes after the flush) and
    removes itself after the first one. A window shown where nothing exposes it (another
    virtual desktop, say) gets no paint: ``UNSEEN_MS`` after it was shown the callbacks run
    anyway, so backups and reminders never wait for the user to look.
    """

    UNSEEN_MS = 3000

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.painted = False
        self.shown = False
        self.pending: list[Callable[[], Any]] = []
        window.installEventFilter(self)

    def add(self, callback: Callable[[], Any]) -> None:
        if self.painted:
            QTimer.singleShot(0, lambda: self._call(callback))
        else:
            self.pending.append(callback)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if self.painted or watched is not self.window:
            return False
        kind = event.type()
        if kind == QEvent.Type.Paint:
            self._done()
        elif kind == QEvent.Type.Show and not self.shown:
            self.shown = True
            QTimer.singleShot(self.UNSEEN_MS, self, self._unseen)
        return False

    def _done(self) -> None:
        self.painted = True
        self.window.removeEventFilter(self)
        QTimer.singleShot(0, self._run)

    def _unseen(self) -> None:
        if not self.painted:
            log.info("the window was not painted %d ms after it was shown", self.UNSEEN_MS)
            self._done()

    def _run(self) -> None:
        pending, self.pending = self.pending, []
        for callback in pending:
            self._call(callback)

    def _call(self, callback: Callable[[], Any]) -> None:
        """One step: a notebook error is shown as a sentence; anything else is logged, and
        never keeps the other steps from running."""
        try:
            guarded(self.window, callback)
        except Exception:  # noqa: BLE001 - logged; the window goes on
            log.exception("a start-up step after the first paint failed")
