"""Rows captured before a delete or an edit, and put back exactly on undo.

Undo must restore exactly what was there: the same ids, uuids, timestamps and states (a
ticked follow-up stays ticked). Capturing the raw rows and re-inserting them is the only
way that stays exact as tables grow new columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peewee import ModelSelect

from .models import ALL_MODELS, BaseModel

_BY_TABLE = {m._meta.table_name: m for m in ALL_MODELS}


@dataclass(frozen=True)
class Snapshot:
    """Raw rows per table, in parent-before-child order."""

    rows: tuple[tuple[str, tuple[dict[str, Any], ...]], ...]

    def ids(self, model: type[BaseModel]) -> frozenset[int]:
        for table, rows in self.rows:
            if table == model._meta.table_name:
                return frozenset(r["id"] for r in rows)
        return frozenset()


def take(*queries: ModelSelect) -> Snapshot:
    grouped: dict[str, dict[int, dict[str, Any]]] = {}
    for query in queries:
        table = query.model._meta.table_name
        bucket = grouped.setdefault(table, {})
        for row in query.dicts():
            bucket[row["id"]] = row
    ordered = tuple(
        (m._meta.table_name, tuple(grouped[m._meta.table_name].values()))
        for m in ALL_MODELS
        if grouped.get(m._meta.table_name)
    )
    return Snapshot(ordered)


def restore(snapshot: Snapshot) -> None:
    """Re-insert every row (call inside a write transaction; rows must not exist)."""
    for table, rows in snapshot.rows:
        model = _BY_TABLE[table]
        for chunk_start in range(0, len(rows), 200):
            model.insert_many(rows[chunk_start : chunk_start + 200]).execute()


def delete_rows(snapshot: Snapshot) -> None:
    """Delete every row of a snapshot, children first (the inverse of ``restore``)."""
    for table, rows in reversed(snapshot.rows):
        model = _BY_TABLE[table]
        ids = [r["id"] for r in rows]
        for start in range(0, len(ids), 500):
            model.delete().where(model.id.in_(ids[start : start + 500])).execute()
