"""Errors of the notebook, as codes with parameters.

The core speaks in codes; the window words them through ``tr()`` and the CLI in plain
English (``relnotebook.cli_words``). Every error a user can cause is a ``NotebookError``.
"""

from __future__ import annotations

from typing import Any


class NotebookError(Exception):
    """Base of every error the core raises on purpose. ``code`` names it; ``params`` fill it."""

    code = "error"

    def __init__(self, code: str | None = None, **params: Any) -> None:
        self.code = code or self.code
        self.params = params
        super().__init__(f"{self.code}: {params}" if params else self.code)


class ValidationError(NotebookError):
    """Input that cannot be stored: empty name, impossible date, negative amount..."""

    code = "invalid"


class NotFound(NotebookError):
    """A customer, conversation or record that does not exist (any more)."""

    code = "not_found"


class AmbiguousName(NotebookError):
    """A name that matches more than one customer; ``candidates`` lists them."""

    code = "ambiguous_name"


class StorageError(NotebookError):
    """The notebook file cannot be used: not a notebook, newer version, read-only, full..."""

    code = "storage"
