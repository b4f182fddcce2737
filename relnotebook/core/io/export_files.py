"""Writing export files: atomically (a temporary file, then a rename) and private (0600),
because an export holds what the notebook holds about other people."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from . import ExportFailed


def write_file(path: str | os.PathLike[str], chunks: Iterable[str], *, bom: bool = False) -> Path:
    """Write text atomically (a temporary file, then a rename), private (0600), UTF-8.

    Raises ``ExportFailed`` (``disk_full``, ``read_only``, ``cannot_write``...) and leaves
    no half-written file behind.
    """
    target = Path(path).expanduser()
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or None)
        tmp = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        from ..storage_errors import classify

        known = classify(exc)
        code = known.code if known is not None and known.code == "disk_full" else "cannot_write"
        raise ExportFailed(code, path=str(target), detail=exc.strerror or str(exc)) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return target
