"""The reading verbs: brief, today, search; and demo, which makes a notebook to read."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli import UsageError, iso_date, open_for_verb, verb


@verb("brief", "what to know before you call someone")
def _brief(p: argparse.ArgumentParser):
    p.add_argument("name", metavar="NAME")
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                   help="the brief as of this day (default: today)")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")

    def run(args: argparse.Namespace) -> int:
        from .cli_verbs import resolve_customer
        from .core import brief_render, briefing, clock

        open_for_verb(args)
        customer = resolve_customer(args.name)
        brief = briefing.brief_for(customer.id, args.date or clock.today())
        render = {"text": brief_render.to_text, "markdown": brief_render.to_markdown,
                  "json": brief_render.to_json}[args.format]
        out = render(brief)
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
        return 0

    return run


@verb("today", "who to call today, and why")
def _today(p: argparse.ArgumentParser):
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="default: today")

    def run(args: argparse.Namespace) -> int:
        from .core import agenda, brief_render, clock

        open_for_verb(args)
        sys.stdout.write(brief_render.agenda_to_text(agenda.for_day(args.date or clock.today())))
        return 0

    return run


@verb("search", "find any word you ever wrote (names, notes, details, follow-ups...)")
def _search(p: argparse.ArgumentParser):
    p.add_argument("query", nargs="+", metavar="QUERY")
    p.add_argument("--limit", type=int, default=50)

    def run(args: argparse.Namespace) -> int:
        from .core import search

        open_for_verb(args)
        for hit in search.search(" ".join(args.query), limit=max(1, args.limit)):
            print(search.format_hit_line(hit))
        return 0

    return run


@verb("demo", "make a demo notebook full of believable customers")
def _demo(p: argparse.ArgumentParser):
    p.add_argument("path", type=Path, metavar="PATH", help="a new file (never overwritten)")
    p.add_argument("--customers", type=int, default=200, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD",
                   help="the day the demo is built around (default: today)")

    def run(args: argparse.Namespace) -> int:
        from .core import demo

        if args.customers < 0:
            raise UsageError("--customers must be 0 or more")
        last = [-1]

        def progress(done: int, total: int) -> None:
            percent = 100 * done // max(1, total)
            if percent != last[0] and (percent % 5 == 0 or done == total):
                last[0] = percent
                print(f"\rdemo: {done:,}/{total:,} customers ({percent}%)", end="",
                      file=sys.stderr, flush=True)

        summary = demo.generate(args.path, customers=args.customers, seed=args.seed,
                                today=args.today, progress=progress)
        print(file=sys.stderr)
        print(f"Made {summary.path} with {summary.customers:,} customers and "
              f"{summary.conversations:,} conversations in {summary.seconds:.1f} s")
        return 0

    return run
