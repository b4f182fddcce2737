"""Demo notebooks for the benchmarks, generated once and cached by seed and size.

The cache folder is ``tests/benchmarks/cache/`` (git-ignored). A notebook is generated
into a temporary name and renamed when complete, so an interrupted run never leaves a
half-written file that a later run would trust.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

CACHE = Path(__file__).resolve().parent / "cache"
SEED = 9
TODAY = date(2026, 11, 20)  # fixed, so a cached file is the same whatever day it is used


@dataclass(frozen=True)
class Size:
    name: str
    customers: int
    per_customer: int
    big: int  # conversations of customer 1


SIZES = {
    "small": Size("small", 1_000, 20, 2_000),
    "full": Size("full", 100_000, 10, 2_000),
}


def path_for(size: Size, seed: int = SEED) -> Path:
    return CACHE / (f"demo-{size.customers}c-{size.per_customer}per-big{size.big}"
                    f"-seed{seed}-{TODAY.isoformat()}.sqlite")


def ensure(size: Size, seed: int = SEED, log=print) -> Path:
    """The cached notebook for ``size``, generating it (in this process) when missing."""
    path = path_for(size, seed)
    if path.exists():
        return _upgraded(path, log)
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    from relnotebook.core import db, demo

    log(f"generating {path.name} (once; cached in {CACHE}) ...")
    started = time.perf_counter()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 15 or done == total:
            last[0] = now
            log(f"  {done:,}/{total:,} customers, {now - started:.0f} s")

    summary = demo.generate(partial, customers=size.customers, seed=seed, today=TODAY,
                            progress=progress, conversations_per_customer=size.per_customer,
                            big_customer_conversations=size.big)
    db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close_notebook()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    os.replace(partial, path)
    log(f"  {summary.customers:,} customers, {summary.conversations:,} conversations in "
        f"{time.perf_counter() - started:.0f} s")
    return path


def _upgraded(path: Path, log) -> Path:
    """Bring a cached notebook to the current schema once (a later migration may have
    landed since it was generated), so that runs do not each pay for it."""
    import sqlite3

    from relnotebook.core import db
    from relnotebook.core.migrations import LATEST_VERSION

    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    if version < LATEST_VERSION:
        log(f"upgrading {path.name} from schema {version} to {LATEST_VERSION} ...")
        db.open_notebook(path)
        db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close_notebook()
    return path


if __name__ == "__main__":
    for name in sys.argv[1:] or ["small"]:
        print(ensure(SIZES[name]))
