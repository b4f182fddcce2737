"""Time-ordered UUIDs (UUIDv7 layout).

Every row carries one so that exports, links and a future sync never depend on integer
ids. Time-ordered values keep the unique index append-mostly, which matters at a million rows.
"""

from __future__ import annotations

import os
import time
import uuid


def new_uuid(now_ms: int | None = None, rand: bytes | None = None) -> str:
    """A UUIDv7 string: 48 bits of Unix milliseconds, then version, variant and randomness.

    ``now_ms`` and ``rand`` exist for deterministic demo notebooks (same seed, same uuids).
    """
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    tail = bytearray(rand if rand is not None else os.urandom(10))
    value = bytearray(ms.to_bytes(6, "big")) + tail[:10]
    value[6] = 0x70 | (value[6] & 0x0F)
    value[8] = 0x80 | (value[8] & 0x3F)
    return str(uuid.UUID(bytes=bytes(value)))
