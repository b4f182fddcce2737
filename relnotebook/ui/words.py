"""The window's words for the core's codes: brief reasons, capture warnings, errors.

The core speaks in codes with parameters (DESIGN.md §2); this module turns them into
sentences through ``tr()`` so they can be translated. Plurals use Qt's ``%n``.

English is the source language, and Qt picks a plural form only from a loaded translation:
without one, ``tr("overdue by %n days", 1)`` reads "overdue by 1 days". ``ENGLISH_ONE``
holds the singular of every ``%n`` text, used when no translator changed the text; a test
finds every ``%n`` text given to ``tr`` in the window and fails when one is missing here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QLocale

CONTEXT = "relnotebook"


ENGLISH_ONE: dict[str, str] = {
    "%n already there": "%n already there",
    "%n customers to contact": "%n customer to contact",
    "%n d ago": "%n d ago",
    "%n days ago": "%n day ago",
    "%n logged conversations": "%n logged conversation",
    "%n merged into customers you have": "%n merged into a customer you have",
    "%n min": "%n min",
    "%n new customers": "%n new customer",
    "%n purchases in all": "%n purchase in all",
    "%n records": "%n record",
    "%n skipped": "%n skipped",
    "%n were already there": "%n was already there",
    "&Import %n contacts": "&Import %n contact",
    "(every %n days)": "(every day)",
    "Added %n customers": "Added %n customer",
    "Conversations (%n)": "Conversations (%n)",
    "Show %n more": "Show %n more",
    "The %n newest are shown; type more to narrow them down.":
        "The newest is shown; type more to narrow it down.",
    "Writing %n contacts into the notebook…": "Writing %n contact into the notebook…",
    "due in %n days": "due in %n day",
    "every %n days": "every day",
    "in %n d": "in %n d",
    "in %n days": "in %n day",
    "merged %n into customers you had": "merged %n into a customer you had",
    "overdue %n d": "overdue %n d",
    "overdue by %n days": "overdue by %n day",
}
"""The singular (n == 1) of each ``%n`` text, for when no translation is loaded."""


def tr(text: str, n: int = -1) -> str:
    """Translate ``text``; with ``n``, Qt's plural forms and ``%n`` apply."""
    translated = QCoreApplication.translate(CONTEXT, text, None, n)
    if n == 1 and translated == text.replace("%n", "1") and text in ENGLISH_ONE:
        return ENGLISH_ONE[text].replace("%n", "1")
    return translated


def fmt(text: str, /, **params: Any) -> str:
    """Translate, then fill ``{name}`` placeholders (a missing one leaves the text as is)."""
    translated = tr(text)
    try:
        return translated.format(**params)
    except (KeyError, IndexError, ValueError):
        return translated


# --- dates ---------------------------------------------------------------------------------


def day(value: date | None) -> str:
    """A calendar day as people read it ("14 Mar 2026"), in the user's locale."""
    if value is None:
        return ""
    return QLocale().toString(QDate(value.year, value.month, value.day), "d MMM yyyy")


def day_month(d: int, m: int, year: int | None = None) -> str:
    if year:
        return day(date(year, m, d))
    return QLocale().toString(QDate(2000, m, d), "d MMMM")


def days_ago(n: int | None) -> str:
    if n is None:
        return ""
    if n == 0:
        return tr("today")
    if n == 1:
        return tr("yesterday")
    if n < 0:
        return tr("in %n days", -n)
    return tr("%n days ago", n)


def days_until(n: int) -> str:
    """Due-ness of something: ``n`` > 0 due in n days, 0 today, < 0 overdue."""
    if n == 0:
        return tr("due today")
    if n > 0:
        return tr("due in %n days", n)
    return tr("overdue by %n days", -n)


def short_due(due: date | None, today: date) -> str:
    """The customer list's due column: compact."""
    if due is None:
        return ""
    n = (due - today).days
    if n < 0:
        return tr("overdue %n d", -n)
    if n == 0:
        return tr("today")
    return tr("in %n d", n)


def short_ago(last: date | None, today: date) -> str:
    if last is None:
        return tr("never")
    n = (today - last).days
    if n <= 0:
        return tr("today")
    return tr("%n d ago", n)


def minutes(n: int | float | None) -> str:
    if n is None:
        return ""
    return tr("%n min", int(round(n)))


# --- vocabulary ----------------------------------------------------------------------------

_CHANNELS = {
    "call": "call", "meeting": "meeting", "video": "video call", "email": "email",
    "visit": "visit", "message": "message",
}
_TALK = {"them": "they talked most", "both": "balanced", "me": "I talked most"}
_FACTS = {
    "hot_button": "Hot button", "timeline": "Purchase timeline", "need": "Need",
    "expectation": "Expects", "agenda": "On their agenda",
}
_DETAILS = {
    "family": "Family", "pet": "Pet", "hobby": "Hobby", "interest": "Interest",
    "food": "Food", "date": "Date", "life": "Life", "other": "Detail",
}
_FORMALITY = {"formal": "formal", "neutral": "neutral", "informal": "informal"}
_PACE = {"all-business": "all business", "balanced": "balanced", "chatty": "chatty"}


def channel(code: str) -> str:
    return tr(_CHANNELS.get(code, code or "conversation"))


def talk(code: str) -> str:
    return tr(_TALK[code]) if code in _TALK else ""


def fact_kind(code: str) -> str:
    return tr(_FACTS.get(code, code.replace("_", " ").capitalize()))


def detail_kind(code: str) -> str:
    return tr(_DETAILS.get(code, code.capitalize()))


def formality(code: str) -> str:
    return tr(_FORMALITY.get(code, code))


def pace(code: str) -> str:
    return tr(_PACE.get(code, code))


# --- capture warnings and errors -----------------------------------------------------------

_WARNINGS = {
    "unknown_marker": "Unknown marker {marker} is kept as text.",
    "unparsed_due": 'Could not read the due date "{phrase}"; the follow-up has no due date.',
    "empty_marker": "{marker} has no text; nothing is recorded.",
    "close_ambiguous": '[x] "{text}" closed "{closed}"; {count} more also match: {others}',
}


def warning(code: str, params: dict[str, str] | tuple[tuple[str, str], ...]) -> str:
    values = dict(params)
    template = _WARNINGS.get(code)
    if template is None:
        return code.replace("_", " ").capitalize()
    return fmt(template, **values)


_ERRORS = {
    "empty_name": "A name cannot be empty.",
    "customer": "That customer no longer exists.",
    "customer_name": 'No customer matches "{name}".',
    "conversation": "That conversation no longer exists.",
    "followup": "That follow-up no longer exists.",
    "question": "That question no longer exists.",
    "bad_date": '"{value}" is not a date.',
    "bad_channel": 'Unknown channel "{channel}".',
    "bad_minutes": '"{value}" is not a number of minutes.',
    "bad_cadence": 'A cadence is a number of days from 1 to 3650, not "{value}".',
    "not_sqlite": "{path} is not a notebook (it is not an SQLite database). "
                  "It was not changed.",
    "not_notebook": "{path} is an SQLite database but not a Relationship Notebook. "
                    "It was not changed.",
    "unreadable": "{path} cannot be read as a notebook. It was not changed.",
    "too_new": "{path} was written by a newer version of Relationship Notebook. "
               "It was not changed.",
    "missing": "There is no notebook at {path}.",
    "exists": "{path} already exists; choose a new name.",
    "is_directory": "{path} is a folder, not a notebook file.",
    "cannot_open": "The notebook {path} cannot be opened.",
    "read_only": "The notebook is read-only; nothing was changed.",
    "disk_full": "The disk is full; nothing was changed.",
    "locked": "The notebook is busy (another program is writing to it). Try again.",
}


def error(exc: BaseException) -> str:
    """One sentence for an error the core raised (or a storage failure it classified)."""
    code = getattr(exc, "code", "")
    params = dict(getattr(exc, "params", {}) or {})
    if code in _ERRORS:
        return fmt(_ERRORS[code], **params)
    if code == "ambiguous_name":
        return fmt('"{name}" matches several customers: {candidates}.', name=params.get("name"),
                   candidates=", ".join(params.get("candidates", ())))
    return tr("Something went wrong; nothing was changed. The details say what happened.")
