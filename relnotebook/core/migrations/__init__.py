"""Schema steps, numbered, small and documented; ``PRAGMA user_version`` is the last applied.

Each ``NNNN_name.py`` here defines ``up(migrator, db)`` and is run by peewee's
``playhouse.migrations`` runner, which also records it in ``schema_migration``. The first
step creates the schema from a frozen SQL file rather than from ``models.py``: models
describe the newest schema, and a notebook written by version 1 must be upgraded through
the same steps every time, whatever the models look like today.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peewee import SqliteDatabase

MIGRATIONS_DIR = Path(__file__).parent
LATEST_VERSION = max(int(p.name[:4]) for p in MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.py"))


def upgrade(db: SqliteDatabase, target: int | None = None) -> list[str]:
    """Apply the pending steps (up to ``target``), each in its own transaction."""
    # Imported here: opening an up-to-date notebook (every CLI verb) never needs the runner,
    # which pulls in logging and inspect (~8 ms of a fresh `relnotebook brief`).
    from playhouse.migrations import Runner

    runner = Runner(db, str(MIGRATIONS_DIR))
    names = [m.name for m in runner.migrations()]
    target_name = None
    if target is not None:
        target_name = next(n for n in names if int(n[:4]) == target)
    applied = runner.up(target_name)
    version = max((int(n[:4]) for n in runner.applied()), default=0)
    db.pragma("user_version", version)
    return applied
