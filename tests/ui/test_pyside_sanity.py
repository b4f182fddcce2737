"""Guards against a Qt binding that would crash a long session.

PySide6 6.12.0 under CPython 3.11 loses one reference to ``None`` with every call of a method
that returns nothing; after some ten thousand calls (an hour of typing and painting) Python
aborts with "Fatal Python error: none_dealloc". pyproject.toml keeps that release out; this
test fails if a future release brings the leak back, before a user meets it.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QRect, QTimer


def test_void_calls_do_not_leak_references_to_none(qapp) -> None:
    timer, rect = QTimer(), QRect()
    before = sys.getrefcount(None)
    for _ in range(500):
        timer.stop()
        rect.setWidth(1)
    lost = before - sys.getrefcount(None)
    assert lost < 50, f"each void call lost a reference to None ({lost} over 1000 calls)"
