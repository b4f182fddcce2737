"""The ``relnotebook`` command: the window, and the verbs of DESIGN.md §6.

Exit 0 on success, 2 on a usage error, 1 on any other error, with a one-line message on
stderr. No traceback reaches the user: unexpected errors are written to the log file.
The verbs import the core only (never Qt), so ``relnotebook brief`` starts fast; each verb
imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from .cli_words import describe, one_line

VERBS: dict[str, Callable[[argparse.Namespace], int]] = {}
_BUILDERS: dict[str, Callable[[argparse._SubParsersAction], None]] = {}
"""Each verb's sub-parser builder, by name, in help order. A verb run from a terminal
builds only its own sub-parser: building all twenty is ~10 ms of a fresh ``brief``."""


class UsageError(Exception):
    """A usage problem found after parsing (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"relnotebook: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def verb(name: str, help_text: str):
    """Register a verb: the decorated builder adds its arguments, ``run`` does the work."""

    def wrap(builder: Callable[[argparse.ArgumentParser], Callable[[argparse.Namespace], int]]):
        def add(sub: argparse._SubParsersAction) -> None:
            parser = sub.add_parser(name, help=help_text, description=help_text)
            _add_notebook_option(parser, argparse.SUPPRESS)
            VERBS[name] = builder(parser)

        _BUILDERS[name] = add
        return builder

    return wrap


def _add_notebook_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--notebook", metavar="PATH", default=default,
                        help="the notebook file (default: $RELNOTEBOOK_NOTEBOOK, "
                             "else the user data folder)")


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f'not a date: "{value}" (use YYYY-MM-DD)') from None


VERB_MODULES = ("cli_verbs", "cli_reports", "cli_io", "cli_safety")
"""Modules whose ``@verb`` builders make up the command line, in help order."""


def _load_verbs() -> None:
    import importlib

    for name in VERB_MODULES:
        importlib.import_module(f".{name}", __package__)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The verbs' parser; with ``only``, just that verb (what running it needs)."""
    _load_verbs()

    parser = _Parser(prog="relnotebook",
                     description="Relationship Notebook: pick up where the last "
                                 "conversation left off.")
    _add_notebook_option(parser, None)
    sub = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)
    for name, add in _BUILDERS.items():
        if only is None or name == only:
            add(sub)
    return parser


def build_window_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="relnotebook",
                     description="Open the Relationship Notebook window. Run "
                                 "'relnotebook --help-verbs' for the command-line verbs.")
    _add_notebook_option(parser, None)
    parser.add_argument("contacts", nargs="?", metavar="FILE.vcf|FILE.csv",
                        help="a contact file to import")
    parser.add_argument("--demo", action="store_true", help="open the demo notebook")
    parser.add_argument("--smoke", action="store_true",
                        help="open the window, paint once and quit (packaging check)")
    parser.add_argument("--help-verbs", action="store_true", help="list the verbs")
    return parser


def open_for_verb(args: argparse.Namespace, *, create: bool = False) -> Path:
    from .core import db, paths

    return db.open_notebook(paths.resolve_notebook(getattr(args, "notebook", None)),
                            create=create)


def _verb_of(argv: Sequence[str]) -> str | None:
    """The verb ``argv`` names (its first word that is not an option), or None: the window."""
    _load_verbs()

    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg == "--notebook":
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg if arg in _BUILDERS else None
    return None


def _setup_logging() -> Path | None:
    try:
        from .core import paths

        log_path = paths.log_file()
        root = logging.getLogger()
        if any(isinstance(h, logging.FileHandler)
               and h.baseFilename == os.path.abspath(log_path) for h in root.handlers):
            return log_path  # already set up: one handler, or every error is logged twice
        handler = logging.FileHandler(log_path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    return log_path


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        name = _verb_of(argv)
        if name is not None:
            return _run_verb(argv, name)
        return _run_window(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    except KeyboardInterrupt:
        print("relnotebook: interrupted", file=sys.stderr)
        return 1


def _run_verb(argv: list[str], name: str) -> int:
    from .core.errors import NotebookError

    args = build_parser(only=name).parse_args(argv)
    try:
        return VERBS[args.verb](args)
    except UsageError as exc:
        print(f"relnotebook: error: {exc}", file=sys.stderr)
        return 2
    except NotebookError as exc:
        print(f"relnotebook: {describe(exc)}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        sys.stderr.close()  # `relnotebook customers | head`: not an error
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback
        return _unexpected(exc)


def _unexpected(exc: BaseException) -> int:
    from .core.storage_errors import classify

    known = classify(exc)
    if known is not None:
        _setup_logging()
        logging.getLogger("relnotebook").error("storage error", exc_info=exc)
        print(f"relnotebook: {describe(known)}", file=sys.stderr)
        return 1
    log_path = _setup_logging()
    logging.getLogger("relnotebook").error("unexpected error", exc_info=exc)
    where = f"; details in {log_path}" if log_path else ""
    print(f"relnotebook: unexpected error: {exc.__class__.__name__}: {one_line(exc)}{where}",
          file=sys.stderr)
    return 1


def _run_window(argv: list[str]) -> int:
    args = build_window_parser().parse_args(argv)
    if args.help_verbs:
        build_parser().print_help()
        return 0
    try:
        from .ui.app import run
    except ImportError as exc:
        print(f"relnotebook: the window cannot start ({exc}); the verbs still work: "
              "relnotebook --help-verbs", file=sys.stderr)
        return 1
    return run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
