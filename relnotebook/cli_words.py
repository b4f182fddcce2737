"""The command line's words for the core's codes (the window words them through tr())."""

from __future__ import annotations

import unicodedata
from typing import Any

from .core.errors import NotebookError

_ERRORS: dict[str, str] = {
    "empty_name": "a name cannot be empty",
    "customer_name": 'no customer matches "{name}"',
    "customer_name_add": 'no customer matches "{name}"; add them with: relnotebook add "{name}"',
    "customer": "that customer no longer exists",
    "conversation": "that conversation no longer exists",
    "ambiguous_name": '"{name}" matches several customers: {candidates}',
    "bad_date": 'not a date: "{value}" (use YYYY-MM-DD)',
    "bad_channel": 'unknown channel "{channel}" (use one of: {allowed})',
    "bad_talk": 'unknown --talk value "{talk}" (use them, both or me)',
    "bad_minutes": 'not a number of minutes: "{value}"',
    "bad_cadence": 'a cadence is a number of days from 1 to 3650, not "{value}"',
    "bad_amount": 'an amount must be a number of zero or more, not "{value}"',
    "not_sqlite": "{path} is not a notebook (it is not an SQLite database); it was not changed",
    "not_notebook": "{path} is an SQLite database but not a Relationship Notebook; "
                    "it was not changed",
    "unreadable": "{path} cannot be read as a notebook ({detail}); it was not changed",
    "too_new": "{path} was written by a newer version of Relationship Notebook "
               "(schema {version}, this version reads up to {supported}); it was not changed",
    "missing": "no notebook at {path} (create one with: relnotebook add NAME --notebook {path})",
    "exists": "{path} already exists; choose a new path",
    "is_directory": "{path} is a folder, not a notebook file",
    "cannot_open": "cannot open {path}: {detail}",
    "read_only": "{path} is read-only; nothing was changed",
    "disk_full": "the disk is full; nothing was changed",
    "locked": "the notebook is busy (another program is writing to it); try again",
    "backup_failed": "the backup could not be checked ({detail}); no backup was kept",
    "bad_backup": "{path} is not a usable backup ({detail}); nothing was changed",
    "no_text": "give the note with --text TEXT, --file FILE or - (standard input)",
    "file_unreadable": "cannot read {path}: {detail}",
}


def one_line(value: object) -> str:
    """A value as it may stand in a one-line message: control and line-separator characters
    (a pasted name with a newline) are shown escaped instead of breaking the line."""
    text = str(value)
    return "".join(
        ch if unicodedata.category(ch)[0] != "C" and unicodedata.category(ch) not in ("Zl", "Zp")
        else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def describe(error: NotebookError) -> str:
    template = _ERRORS.get(error.code)
    params: dict[str, Any] = {k: one_line(v) if isinstance(v, str) else v
                              for k, v in error.params.items()}
    if "candidates" in params:
        params["candidates"] = ", ".join(one_line(c) for c in params["candidates"])
    if "allowed" in params and not isinstance(params["allowed"], str):
        params["allowed"] = ", ".join(params["allowed"])
    if template is None:
        detail = ", ".join(f"{k}={v}" for k, v in params.items())
        return f"{error.code.replace('_', ' ')}" + (f" ({detail})" if detail else "")
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


_WARNINGS = {
    "unknown_marker": "unknown marker {marker} kept as text",
    "unparsed_due": 'could not read the due date "{phrase}"; the follow-up has no due date',
    "empty_marker": "{marker} has no text; nothing recorded",
    "close_ambiguous": '[x] "{text}" closed "{closed}"; {count} more also match: {others}',
}


def describe_warning(code: str, params: dict[str, str]) -> str:
    template = _WARNINGS.get(code, code.replace("_", " "))
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
