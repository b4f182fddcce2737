"""The window's words for importing and exporting contacts (the CLI's are in cli_io.py).

The core's import and export speak in codes with parameters (``core/io``): why a card was
skipped, how a contact matched a customer, what a merge adds. These turn them into
sentences through ``tr()``.
"""

from __future__ import annotations

from typing import Any

from . import words

_REASONS = {
    "no_end": "the card never ends (no END:VCARD before {next_line})",
    "unreadable_card": "the card cannot be read: {detail}",
    "no_name": "no name, company, email or phone to name the contact by",
    "unreadable_file": "cannot read the file: {detail}",
    "bad_json": "not valid JSON: {detail}",
    "not_our_json": "not a Relationship Notebook JSON export",
    "json_too_new": "written by a newer version of Relationship Notebook (schema {version})",
    "unknown_columns": "cannot tell which column holds what (columns: {columns})",
    "csv_error": "the CSV cannot be read any further: {detail}",
    "bad_customer": "customer {row} of the file is damaged ({field})",
    "erased": "{name} was erased from this notebook and is not brought back",
    "bad_line": "a line was left out, it is not a vCard property: {text}",
    "bad_date": 'date not understood, kept as text: "{value}"',
    "photo_too_large": "the photo is too large and was left out",
    "no_such_column": 'no column "{column}" (columns: {columns})',
    "bad_row": "row {row} of {table} is damaged ({field}) and was left out",
    "import_cancelled": "The import was cancelled; nothing was written.",
    "write_failed": "The import could not be written ({detail}); nothing was written.",
    "cannot_write": "Cannot write {path}: {detail}",
    "bad_mapping_field": 'Unknown field "{field}".',
}

_MATCHED = {"uuid": "same card", "email": "same email", "phone": "same phone",
            "name": "same name and company"}

ACTIONS = {"new": "New", "merge": "Merge", "unchanged": "Already there", "skip": "Skipped",
           "warning": "Warning"}

FIELDS = {
    "name": "Full name", "given_name": "Given name", "middle_name": "Middle name",
    "family_name": "Family name", "prefix": "Name prefix", "nickname": "Nickname",
    "company": "Company", "department": "Department", "title": "Job title", "about": "About",
    "email": "Email", "email:work": "Email (work)", "email:home": "Email (home)",
    "phone": "Phone", "phone:mobile": "Phone (mobile)", "phone:work": "Phone (work)",
    "phone:home": "Phone (home)", "address": "Address", "url": "Website",
    "birthday": "Birthday", "anniversary": "Anniversary", "tags": "Tags", "hobby": "Hobby",
    "family": "Family", "met_on": "Met on",
}
"""What a CSV column can hold, in the order the mapping step offers it."""

_ADDED_FIELDS = {
    "given_name": "given name", "family_name": "family name", "prefix": "name prefix",
    "nickname": "nickname", "company": "company", "department": "department",
    "title": "job title", "about": "about", "photo": "photo", "met_on": "when you met",
}
_ADDED_KINDS = {"email": "email", "phone": "phone", "address": "address", "url": "website",
                "social": "social", "tag": "tag", "family": "family", "date": "date",
                "hobby": "hobby", "interest": "interest", "pet": "pet", "food": "food",
                "life": "life", "other": "detail"}
FORMATS = {"vcard": "vCard", "google": "Google Contacts CSV", "outlook": "Outlook CSV",
           "linkedin": "LinkedIn CSV", "csv": "CSV", "json": "Relationship Notebook JSON"}


def reason(code: str, params: dict[str, Any] | tuple[tuple[str, str], ...]) -> str:
    """Why a card or row was skipped (or a warning about one), as a sentence."""
    values = dict(params)
    if code == "no_end":
        values["next_line"] = words.fmt("line {n}", n=values["next"]) if values.get("next") \
            else words.tr("the end of the file")
    template = _REASONS.get(code)
    if template is None:
        detail = ", ".join(f"{k}={v}" for k, v in values.items())
        return code.replace("_", " ") + (f" ({detail})" if detail else "")
    return words.fmt(template, **values)


def failure(exc: BaseException) -> str:
    """An import or export that failed as a whole."""
    code = getattr(exc, "code", "")
    if code in _REASONS:
        return reason(code, getattr(exc, "params", {}) or {})
    return words.error(exc)


def matched(how: str) -> str:
    return words.tr(_MATCHED.get(how, how))


def action(code: str) -> str:
    return words.tr(ACTIONS.get(code, code))


def field(code: str) -> str:
    return words.tr(FIELDS.get(code, code))


def fmt_name(code: str) -> str:
    return words.tr(FORMATS.get(code, code))


def added(entry: str) -> str:
    """One thing a merge adds (``email x@y.example``, ``title``, ``3 records``)."""
    if entry in _ADDED_FIELDS:
        return words.tr(_ADDED_FIELDS[entry])
    first, _, rest = entry.partition(" ")
    if first.isdigit() and rest == "records":
        return words.tr("%n records", int(first))
    if first == "date" and rest:
        return rest  # "birthday", "anniversary": the date's own name says it
    if first in _ADDED_KINDS and rest:
        return f"{words.tr(_ADDED_KINDS[first])} {rest}"
    return entry
