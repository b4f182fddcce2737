"""The rules a card record must follow before it is stored (used by ``records.py``).

Each rule raises ``ValidationError`` with a code the window words beside the field:
``empty_text``, ``empty_contact``, ``bad_date`` (an impossible day/month/year or a date that
is not ISO), ``bad_amount`` (not a number, or below zero), ``bad_minutes``, ``bad_<field>``
for a value outside its list (``bad_detail_kind``, ``bad_formality``...).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .conversations import CHANNELS
from .customers import CONTACT_KINDS
from .errors import ValidationError

FORMALITY = ("", "formal", "neutral", "informal")
PACE = ("", "all-business", "balanced", "chatty")
STYLE_CHANNELS = ("", *CHANNELS)
DETAIL_KINDS = ("family", "pet", "hobby", "interest", "food", "date", "life", "other")
FACT_KINDS = ("hot_button", "timeline", "need", "expectation", "agenda")
THING_STATUS = ("idea", "sent")
STYLE_FIELDS = ("formality", "pace", "preferred_channel", "best_time", "planned_minutes",
                "lead_notes", "small_talk", "avoid_topics", "notes")

def text(value: Any, code: str = "empty_text") -> str:
    cleaned = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if not cleaned:
        raise ValidationError(code)
    return cleaned


def _choice(value: Any, allowed: tuple[str, ...], code: str) -> str:
    value = value or ""
    if value not in allowed:
        raise ValidationError(code, value=str(value), allowed=allowed)
    return value


def _int_or_none(value: Any, code: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(code, value=str(value)) from exc


def check_day_month(day: Any, month: Any, year: Any) -> tuple[int | None, int | None, int | None]:
    """An optional day/month/year: a day needs a month; impossible dates raise ``bad_date``."""
    d, m, y = (_int_or_none(v, "bad_date") for v in (day, month, year))
    value = "-".join(str(v) for v in (y, m, d) if v is not None)
    if (d is not None and m is None) or (m is not None and not 1 <= m <= 12):
        raise ValidationError("bad_date", value=value)
    if y is not None and not 1 <= y <= 9999:
        raise ValidationError("bad_date", value=value)
    if d is not None and not 1 <= d <= calendar.monthrange(y or 2000, m)[1]:  # 2000: 29 Feb
        raise ValidationError("bad_date", value=value)
    return d, m, y


def day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValidationError("bad_date", value=str(value)) from exc


def amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError("bad_amount", value=str(value)) from exc
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise ValidationError("bad_amount", value=str(value))
    return amount.quantize(Decimal("0.01"))


_CLEAN: dict[str, Any] = {
    "text": text,
    "label": lambda v: (v or "").strip(),
    "url": lambda v: (v or "").strip(),
    "reaction": lambda v: (v or "").strip(),
    "description": lambda v: (v or "").strip(),
    "currency": lambda v: (v or "").strip().upper()[:8],
    "preferred": bool,
    "assumed": bool,
    "amount": amount,
    "date": day,
}


def clean(table: str, fields: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in fields.items():
        if key == "kind":
            allowed = {"contact": CONTACT_KINDS, "detail": DETAIL_KINDS, "fact": FACT_KINDS}
            value = _choice(value, allowed.get(table, ()), f"bad_{table}_kind")
        elif key == "value":
            value = text(value, "empty_contact")
        elif key == "status":
            value = _choice(value, THING_STATUS, "bad_status")
        elif key in _CLEAN:
            value = _CLEAN[key](value)
        out[key] = value
    if {"day", "month", "year"} & set(out):
        out["day"], out["month"], out["year"] = check_day_month(
            out.get("day"), out.get("month"), out.get("year"))
    return out


def clean_style(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(STYLE_FIELDS)
    if unknown:
        raise ValidationError("unknown_field", fields=", ".join(sorted(unknown)))
    values = dict(fields)
    for key, allowed in (("formality", FORMALITY), ("pace", PACE),
                         ("preferred_channel", STYLE_CHANNELS)):
        if key in values:
            values[key] = _choice(values[key], allowed, f"bad_{key}")
    for key in ("best_time", "lead_notes", "avoid_topics", "notes"):
        if key in values:
            values[key] = (values[key] or "").strip()
    if "planned_minutes" in values:
        minutes = _int_or_none(values["planned_minutes"], "bad_minutes")
        if minutes is not None and not 1 <= minutes <= 600:
            raise ValidationError("bad_minutes", value=str(minutes))
        values["planned_minutes"] = minutes
    if "small_talk" in values and values["small_talk"] is not None:
        values["small_talk"] = bool(values["small_talk"])
    return values
