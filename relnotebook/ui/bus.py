"""The one app-level object that carries what changed.

Every write the window makes goes through a core service that returns ``Changes``; the
window hands them to ``EventBus.publish`` and each panel, connected to ``changed``, decides
with ``Changes.concerns(...)`` whether to refresh. Panels never call each other.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..core.changes import Changes


class EventBus(QObject):
    changed = Signal(object)
    """Emitted with a ``Changes`` after every write (ours, an undo, or an outside write)."""

    customer_opened = Signal(int)
    """Ask the window to show a customer (from Today, the search palette, a link)."""

    reveal_requested = Signal(int, str, int)
    """Show a customer scrolled to a record: (customer id, kind, record or conversation id)."""

    def publish(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)
