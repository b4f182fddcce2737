"""Today's reasons in words (through ``tr()``): the core gives kinds with parameters."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..core.agenda import Reason, ReasonKind
from . import words
from .card_record_tabs import money


def _overdue(days: int) -> str:
    return words.tr("due today") if days <= 0 else words.tr("overdue by %n days", days)


def _coming(days: int, on: date | None) -> str:
    if days <= 0:
        return words.tr("today")
    if days == 1:
        return words.tr("tomorrow")
    return words.fmt(words.tr("in %n days", days) + " ({day})", day=words.day(on))


def reason_text(reason: Reason) -> str:
    """One sentence naming the thing: the follow-up's text and how overdue, the cadence..."""
    p: dict[str, Any] = reason.as_dict()
    days = int(p.get("days_overdue") or 0)
    kind = reason.kind
    if kind == ReasonKind.FOLLOWUP_DUE:
        return words.fmt("You promised: “{text}” ({when})", text=p.get("text", ""),
                         when=_overdue(days))
    if kind == ReasonKind.THEIR_FOLLOWUP_OVERDUE:
        return words.fmt("They promised: “{text}” ({when}): a friendly nudge",
                         text=p.get("text", ""), when=_overdue(days))
    if kind == ReasonKind.CADENCE:
        cadence = int(p.get("cadence_days") or 0)
        every = words.tr("every %n days", cadence)
        if p.get("last_talked") is None:
            return words.fmt("No conversation yet; you meant to talk {every} ({when})",
                             every=every, when=_overdue(days))
        return words.fmt("Last talked {ago}; you meant to talk {every} ({when})",
                         ago=words.days_ago(cadence + days), every=every, when=_overdue(days))
    if kind == ReasonKind.PURCHASE_CHECKIN:
        what = p.get("description") or words.tr("a purchase")
        return words.fmt("Check in after {what} ({amount}, {day}) ({when})", what=what,
                         amount=money(p.get("amount", 0), p.get("currency", "")),
                         day=words.day(p.get("purchase_date")), when=_overdue(days))
    if kind == ReasonKind.IMPORTANT_DATE:
        kind_code = p.get("kind", "")
        what = p.get("text", "") if kind_code in ("date", "") else words.fmt(
            "{kind}: {text}", kind=words.detail_kind(kind_code), text=p.get("text", ""))
        return words.fmt("Coming up {when}: {what}", what=what,
                         when=_coming(int(p.get("days_until") or 0), p.get("next_on")))
    return str(kind).replace("_", " ")


def is_followup(reason: Reason) -> bool:
    """A reason that can be ticked or snoozed right in the Today view."""
    return reason.kind in (ReasonKind.FOLLOWUP_DUE, ReasonKind.THEIR_FOLLOWUP_OVERDUE)


def is_pressing(reason: Reason) -> bool:
    """Overdue (shown in the palette's red): past due, not merely due today or coming up."""
    return reason.days_overdue > 0
