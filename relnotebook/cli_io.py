"""The verbs that move data in and out: import, export, erase (DESIGN.md §6, issue 7).

``import FILE... [--dry-run] [--map FIELD=COLUMN]...`` prints ``added N, merged N, skipped N``
(and ``unchanged N`` when some cards were already there); every card or row it skips goes to
stderr as ``FILE:LINE: reason``, warnings as ``FILE:LINE: warning: ...``. Exit 0 when anything
could be read, 1 when nothing could. ``--dry-run`` lists what would happen and writes nothing
(not even a new notebook).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .cli import UsageError, iso_date, open_for_verb, verb
from .cli_words import describe

_REASONS = {
    "no_end": "the card never ends (no END:VCARD before {next_line})",
    "unreadable_card": "the card cannot be read: {detail}",
    "no_name": "no name, company, email or phone to name the contact by",
    "unreadable_file": "cannot read the file: {detail}",
    "bad_json": "not valid JSON: {detail}",
    "not_our_json": "not a Relationship Notebook JSON export",
    "json_too_new": "written by a newer version of Relationship Notebook (schema {version})",
    "unknown_columns": "cannot tell which column holds what (columns: {columns}); "
                       "name them with --map field=Column",
    "csv_error": "the CSV cannot be read any further: {detail}",
    "bad_customer": "customer {row} of the file is damaged ({field})",
    "erased": "{name} was erased from this notebook and is not brought back",
    "bad_line": "line left out, it is not a vCard property: {text}",
    "bad_date": 'date not understood, kept as text: "{value}"',
    "photo_too_large": "the photo is too large and was left out",
    "no_such_column": 'no column "{column}" (columns: {columns})',
    "bad_row": "row {row} of {table} is damaged ({field}) and was left out",
    "import_cancelled": "the import was cancelled; nothing was written",
    "write_failed": "the import could not be written ({detail}); nothing was written",
    "cannot_write": "cannot write {path}: {detail}",
}
_MATCHED = {"uuid": "same card", "email": "same email", "phone": "same phone",
            "name": "same name and company"}


def words(code: str, params: dict[str, Any]) -> str:
    params = dict(params)
    if code == "no_end":
        params["next_line"] = f"line {params['next']}" if params.get("next") else \
            "the end of the file"
    template = _REASONS.get(code)
    if template is None:
        detail = ", ".join(f"{k}={v}" for k, v in params.items())
        return code.replace("_", " ") + (f" ({detail})" if detail else "")
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def _error(exc: Any) -> str:
    return words(exc.code, exc.params) if exc.code in _REASONS else describe(exc)


def _mapping(entries: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for entry in entries:
        field, sep, column = entry.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise UsageError(f'--map takes FIELD=COLUMN, not "{entry}"')
        pairs.append((field.strip(), column.strip()))
    return pairs


@verb("import", "import contacts: .vcf, .csv, or a .json export of this app")
def _import(p: argparse.ArgumentParser):
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true",
                   help="show what would be added, merged and skipped; write nothing")
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                   help="read a CSV column as FIELD (name, given_name, family_name, company, "
                        "title, email, phone, address, url, about, birthday, tags...; "
                        "phone:mobile=Handy gives a label); repeatable")

    def run(args: argparse.Namespace) -> int:
        import tempfile

        from .core import paths
        from .core.io import SKIP, ImportFailed, merge

        mapping = _mapping(args.map)
        scratch = None
        if args.dry_run and not paths.resolve_notebook(getattr(args, "notebook", None)).exists():
            scratch = tempfile.TemporaryDirectory(prefix="relnotebook-dry-run-")
            from .core import db

            db.open_notebook(Path(scratch.name) / "empty.sqlite")
        else:
            open_for_verb(args, create=not args.dry_run)
        try:
            plan = merge.plan_import(args.files, mapping)
            for name, fmt, columns in plan.files:
                if fmt == "csv" and columns:
                    used = ", ".join(f"{f}={c}" for f, c in columns)
                    print(f"{name}: read the columns as {used}", file=sys.stderr)
            for item in plan.items:
                if item.action == SKIP:
                    print(f"{item.where}: {words(item.reason, dict(item.params))}",
                          file=sys.stderr)
            for w in plan.warnings:
                print(f"{w.where}: warning: {words(w.code, dict(w.params))}", file=sys.stderr)
            if args.dry_run:
                _print_plan(plan)
            else:
                merge.apply(plan)
        except ImportFailed as exc:
            if exc.code == "bad_mapping_field":
                raise UsageError(f'--map: unknown field "{exc.params["field"]}" (use one of: '
                                 f'{exc.params["allowed"]})') from None
            print(f"relnotebook: {_error(exc)}", file=sys.stderr)
            return 1
        finally:
            if scratch is not None:
                from .core import db

                db.close_notebook()
                scratch.cleanup()
        counts = [plan.count(a) for a in ("new", "merge", "skip", "unchanged")]
        summary = "added {}, merged {}, skipped {}".format(*counts[:3])
        summary += f", unchanged {counts[3]}" if counts[3] else ""
        print(summary + (" (dry run: nothing was written)" if args.dry_run else ""))
        return 0 if plan.importable else 1

    return run


def _print_plan(plan: Any) -> None:
    for item in plan.items:
        if item.action == "new":
            print(f"new: {item.name} ({item.where})")
        elif item.action in ("merge", "unchanged"):
            how = _MATCHED.get(item.reason, item.reason)
            adds = f"; adds {', '.join(item.adds)}" if item.adds else "; nothing new"
            print(f"{item.action}: {item.name} ({item.where}) into {item.target} ({how}){adds}")


def _customer(name: str):
    from .core import customers
    from .core.errors import NotFound

    try:
        return customers.find(name)
    except NotFound:
        return customers.find(name, include_archived=True)


@verb("export", "export the notebook: vcf, csv, json or ics to a file; md to a folder; "
                "json DIR --customer NAME for one person's data")
def _export(p: argparse.ArgumentParser):
    p.add_argument("format", choices=("vcf", "csv", "json", "ics", "md"))
    p.add_argument("path", metavar="PATH", type=Path)
    p.add_argument("--customer", metavar="NAME",
                   help="with json: everything about one customer, as JSON and Markdown, "
                        "into the folder PATH")
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                   help="the day the Markdown brief is written for (default: today)")

    def run(args: argparse.Namespace) -> int:
        from .core.io import ExportFailed

        if args.customer is not None and args.format != "json":
            raise UsageError("--customer goes with json: relnotebook export json DIR "
                             "--customer NAME")
        open_for_verb(args)
        try:
            print(_do_export(args))
        except ExportFailed as exc:
            print(f"relnotebook: {_error(exc)}", file=sys.stderr)
            return 1
        return 0

    return run


def _do_export(args: argparse.Namespace) -> str:
    from .core.io import export_csv, export_ics, export_json, export_md, export_vcf
    from .core.models import Customer

    path = args.path
    if args.customer is not None:
        customer = _customer(args.customer)
        json_path, md_path = export_json.export_customer(path, customer.id, args.date)
        return f"Exported {customer.label} to {json_path} and {md_path}"
    if args.format == "md":
        files = export_md.export(path, args.date)
        return f"Exported {len(files)} customers to {path}"
    if args.format == "ics":
        return f"Exported {export_ics.export(path)} follow-ups and dates to {path}"
    if args.format == "json":
        export_json.export(path)
        count = Customer.select().count()
    else:
        count = (export_vcf if args.format == "vcf" else export_csv).export(path)
    return f"Exported {count} customers to {path}"


@verb("erase", "remove a customer and every trace of them (cannot be undone)")
def _erase(p: argparse.ArgumentParser):
    p.add_argument("name", metavar="NAME")
    p.add_argument("--yes", action="store_true", help="confirm: erasing cannot be undone")

    def run(args: argparse.Namespace) -> int:
        from .core.erase import erase_customer

        if not args.yes:
            raise UsageError(f'erasing cannot be undone; to go ahead: relnotebook erase '
                             f'"{args.name}" --yes')
        open_for_verb(args)
        customer = _customer(args.name)
        result = erase_customer(customer.id)
        print(f"Erased {customer.label}")
        if not result.complete:
            print("warning: the notebook is open elsewhere, so the file could not be fully "
                  "rewritten; old copies of the erased data may remain in it for now",
                  file=sys.stderr)
        return 0

    return run
