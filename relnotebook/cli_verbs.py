"""The verbs that write: add, log, archive; and the customer list.

Each ``@verb`` builder adds its arguments and returns the function that runs it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli import UsageError, iso_date, open_for_verb, verb
from .cli_words import describe_warning


def resolve_customer(name: str):
    """The customer a typed NAME means; an unknown name's error suggests ``add``."""
    from .core import customers
    from .core.errors import NotFound

    try:
        return customers.find(name)
    except NotFound as exc:
        if exc.code == "customer_name":
            raise NotFound("customer_name_add", name=name) from None
        raise


@verb("add", "add a customer")
def _add(p: argparse.ArgumentParser):
    p.add_argument("name", metavar="NAME")
    p.add_argument("--company", default="")
    p.add_argument("--title", default="")
    p.add_argument("--email", default="")
    p.add_argument("--phone", default="")
    p.add_argument("--key", action="store_true", help="a key client (called every quarter)")
    p.add_argument("--cadence", type=int, metavar="DAYS", help="days between contacts")

    def run(args: argparse.Namespace) -> int:
        from .core import customers

        open_for_verb(args, create=True)
        view, _ = customers.create(args.name, company=args.company, title=args.title,
                                   email=args.email, phone=args.phone, key_client=args.key,
                                   cadence_days=args.cadence)
        print(f"Added {view.label}")
        return 0

    return run


@verb("customers", "list customers (name, company, last talked, due)")
def _customers(p: argparse.ArgumentParser):
    p.add_argument("query", nargs="?", default="", metavar="QUERY",
                   help="part of a name or company")
    p.add_argument("--sort", choices=("name", "last_contact", "due"), default="name")
    p.add_argument("--archived", action="store_true", help="include archived customers")

    def run(args: argparse.Namespace) -> int:
        from .core import clock, customers

        open_for_verb(args)
        today = clock.today()
        rows = customers.list_rows(args.query, sort=args.sort,
                                   include_archived=args.archived)
        if not rows:
            return 0
        width_name = min(40, max(len(r.full_name) for r in rows))
        width_company = min(32, max(len(r.company) for r in rows) if rows else 0)
        for r in rows:
            parts = [f"{r.full_name:<{width_name}}", f"{r.company:<{width_company}}",
                     f"last {r.last_talked.isoformat()}" if r.last_talked else "never talked "]
            if r.due:
                parts.append(f"overdue since {r.due.isoformat()}" if r.overdue(today)
                             else f"due {r.due.isoformat()}")
            if r.key_client:
                parts.append("[key]")
            if r.archived:
                parts.append("[archived]")
            print("  ".join(parts).rstrip())
        return 0

    return run


@verb("log", "log a conversation (meeting-notes syntax; see the README)")
def _log(p: argparse.ArgumentParser):
    p.add_argument("name", metavar="NAME")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--text", help="the note")
    source.add_argument("--file", type=Path, metavar="F", help="read the note from a file")
    source.add_argument("stdin", nargs="?", choices=["-"], metavar="-",
                        help="read the note from standard input")
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                   help="when it happened (default: now; a date alone means 12:00)")
    p.add_argument("--channel", default="call",
                   choices=("call", "meeting", "video", "email", "visit", "message"))
    p.add_argument("--minutes", type=int, metavar="M")
    p.add_argument("--planned", type=int, metavar="M", help="planned minutes")
    p.add_argument("--talk", choices=("them", "both", "me"), help="who did most of the talking")
    p.add_argument("--started-by", choices=("me", "them"))
    p.add_argument("--no-answer", action="store_true", help="an unanswered attempt")
    p.add_argument("--milestone", action="store_true", help="a moment of the shared story")
    p.add_argument("--with", dest="others", action="append", default=[], metavar="NAME",
                   help="someone else present (repeatable)")

    def run(args: argparse.Namespace) -> int:
        from .core import conversations

        body = _note_text(args)
        open_for_verb(args)
        customer = resolve_customer(args.name)
        others = [resolve_customer(name).id for name in args.others]
        logged = conversations.log(
            customer.id, body, at=args.date, channel=args.channel,
            reached=not args.no_answer, minutes=args.minutes, planned_minutes=args.planned,
            talk=args.talk or "", started_by=args.started_by or "",
            milestone=args.milestone, with_ids=others,
        )
        conv = logged.conversation
        print(f"Logged {conv.channel} with {customer.full_name} on {conv.day.isoformat()}"
              + ("" if conv.reached else " (no answer)"))
        for record in logged.records:
            due = f" [due {record.due.isoformat()}]" if record.due else ""
            print(f"{record.kind}: {record.text}{due}")
        for warning in logged.warnings:
            text = describe_warning(warning.code, dict(warning.params))
            print(f"warning: line {warning.line}: {text}", file=sys.stderr)
        return 0

    return run


def _note_text(args: argparse.Namespace) -> str:
    from .core.errors import NotebookError

    if args.text is not None:
        return args.text
    if args.file is not None:
        try:
            return args.file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise NotebookError("file_unreadable", path=str(args.file), detail=str(exc)) from exc
    if args.stdin == "-" or not sys.stdin.isatty():
        data = sys.stdin.buffer.read()
        return data.decode("utf-8-sig", errors="replace")
    raise UsageError("give the note with --text TEXT, --file FILE or - (standard input)")


@verb("archive", "archive a customer (hidden from lists and today; nothing is deleted)")
def _archive(p: argparse.ArgumentParser):
    p.add_argument("name", metavar="NAME")

    def run(args: argparse.Namespace) -> int:
        from .core import customers

        open_for_verb(args)
        customer = resolve_customer(args.name)
        customers.archive(customer.id)
        print(f"Archived {customer.label}")
        return 0

    return run
