"""Notice writes made by another process (``relnotebook log`` in a terminal) and refresh.

SQLite's ``PRAGMA data_version`` changes on our connection when *another* connection commits
(our own commits leave it alone). The window checks it when it is activated and every two
seconds; a change publishes ``Changes.everything()``, so every panel reloads (DESIGN.md §8).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QTimer

from ..core import db
from ..core.changes import Changes
from .bus import EventBus

INTERVAL_MS = 2000
log = logging.getLogger("relnotebook.ui")


class OutsideWrites(QObject):
    """Watches the open notebook; install on the main window (``watch(window)``)."""

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bus = bus
        self._seen: int | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.reset()

    def watch(self, window: QObject) -> None:
        """Check on every activation of ``window``, and start the timer."""
        window.installEventFilter(self)
        self.timer.start()

    def reset(self) -> None:
        """Take the current version as seen: after opening a notebook or at start."""
        self._seen = self._version()

    def _version(self) -> int | None:
        if not db.is_open():
            return None
        try:
            return db.data_version()
        except Exception:  # noqa: BLE001 - a closed or broken file must not crash a timer
            log.debug("data_version unavailable", exc_info=True)
            return None

    def check(self) -> bool:
        """Publish ``Changes.everything()`` when another process wrote; True if it did."""
        version = self._version()
        if version is None:
            return False
        if self._seen is None:
            self._seen = version
            return False
        if version == self._seen:
            return False
        self._seen = version
        self.bus.publish(Changes.everything())
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.WindowActivate:
            self.check()
        return False
