"""Notebook settings: declared once, typed, with defaults, stored in the notebook.

What belongs to the notebook (cadence for key clients, the post-purchase rule, backup
rotation, call length) lives in the ``setting`` table so the CLI and the window agree.
Window state (geometry, splitters) lives in QSettings instead and is not declared here.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any

from .changes import Changes, Kind
from .clock import utc_now
from .db import database, write
from .errors import ValidationError
from .models import Setting


@dataclass(frozen=True)
class Option:
    key: str
    type: type
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    doc: str = ""


OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option("key_client_cadence_days", int, 90, 1, 3650,
               "Days between contacts for key clients without a cadence of their own."),
        Option("purchase_threshold", float, 1000.0, 0, 1e12,
               "A purchase at or above this amount (any currency) calls for a check-in."),
        Option("purchase_checkin_days", int, 14, 0, 365,
               "Days after a large purchase before the check-in is due."),
        Option("default_call_minutes", int, 15, 1, 600,
               "Planned call length when a customer's style profile names none."),
        Option("recent_conversations", int, 5, 1, 50,
               "How many conversations count as recent (talk balance, topics)."),
        Option("fact_stale_days", int, 180, 1, 3650,
               "A sales fact older than this says 'confirm'."),
        Option("backup_keep_recent", int, 10, 1, 1000, "Backups kept: the most recent."),
        Option("backup_keep_daily", int, 7, 0, 1000, "Backups kept: one a day."),
        Option("backup_keep_weekly", int, 8, 0, 1000, "Backups kept: one a week."),
        Option("backup_keep_monthly", int, 12, 0, 1000, "Backups kept: one a month."),
        Option("notebook_uuid", str, "", doc="Identifies this notebook (backup folder)."),
    )
}


def _coerce(option: Option, value: Any) -> Any:
    try:
        coerced = option.type(value)
    except (TypeError, ValueError, OverflowError) as exc:  # int(inf) overflows
        raise ValidationError("bad_setting", key=option.key, value=str(value)) from exc
    if coerced != coerced:  # NaN passes every range check; it is no amount
        raise ValidationError("bad_setting", key=option.key, value=str(value))
    if option.minimum is not None and coerced < option.minimum:
        raise ValidationError("setting_too_small", key=option.key, minimum=option.minimum)
    if option.maximum is not None and coerced > option.maximum:
        raise ValidationError("setting_too_large", key=option.key, maximum=option.maximum)
    return coerced


def get(key: str) -> Any:
    """One option's value. A raw statement: the list reads one on every filter keystroke,
    and peewee spends ~1 ms building the query that SQLite answers in 20 µs."""
    OPTIONS[key]  # an unknown key is a programming error: KeyError before any query
    row = database.execute_sql("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return from_stored({key: row[0]} if row else {})[key]


def get_all() -> dict[str, Any]:
    return from_stored({k: v for k, v in database.execute_sql("SELECT key, value FROM setting")})


def from_stored(stored: dict[str, str]) -> dict[str, Any]:
    """Every option's value from stored JSON texts by key (a statement that reads the
    setting table along with other rows, like the brief's, decodes them here). Absent or
    damaged values give the default: a damaged value never stops the notebook."""
    result = {}
    for key, option in OPTIONS.items():
        result[key] = option.default
        if key in stored:
            with contextlib.suppress(ValueError, ValidationError):
                result[key] = _coerce(option, json.loads(stored[key]))
    return result


def set(key: str, value: Any) -> Changes:  # noqa: A001 - mirrors get()
    if key not in OPTIONS:
        raise ValidationError("unknown_setting", key=key)
    coerced = _coerce(OPTIONS[key], value)
    with write():
        updated = (
            Setting.update(value=json.dumps(coerced), updated_at=utc_now())
            .where(Setting.key == key)
            .execute()
        )
        if not updated:
            Setting.create(key=key, value=json.dumps(coerced))
    return Changes.of((), Kind.SETTING)


def notebook_uuid() -> str:
    """This notebook's own identity, made on first use (names its backup folder)."""
    value = get("notebook_uuid")
    if not value:
        from .ids import new_uuid

        value = new_uuid()
        set("notebook_uuid", value)
    return value
