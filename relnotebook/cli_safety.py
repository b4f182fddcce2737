"""The verbs that keep notes safe: backup, restore, check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli import open_for_verb, verb


@verb("backup", "back up the notebook now and print the new backup's path")
def _backup(p: argparse.ArgumentParser):
    def run(args: argparse.Namespace) -> int:
        from .core import backup

        open_for_verb(args)
        info = backup.backup()
        print(info.path)
        return 0

    return run


@verb("restore", "replace the notebook by a backup (the current file is kept aside first)")
def _restore(p: argparse.ArgumentParser):
    p.add_argument("backup", type=Path, metavar="BACKUP", help="the backup file's path")

    def run(args: argparse.Namespace) -> int:
        from .core import backup, paths

        target = paths.resolve_notebook(getattr(args, "notebook", None))
        report = backup.restore(args.backup, target)
        print(f"Restored {target} from {report.restored_from}")
        if report.kept_aside:
            print(f"The previous notebook was kept as {report.kept_aside}")
        if report.erasures_reapplied:
            print(f"Re-applied {report.erasures_reapplied} erasure(s) made since the backup")
        return 0

    return run


@verb("check", "full integrity check of the notebook and its search index")
def _check(p: argparse.ArgumentParser):
    def run(args: argparse.Namespace) -> int:
        from .core import backup

        path = open_for_verb(args)
        problems = backup.check(full=True)
        if problems:
            for problem in problems[:50]:
                print(f"{path}: {problem}", file=sys.stderr)
            print(f"relnotebook: {path} has {len(problems)} problem(s); it was not changed",
                  file=sys.stderr)
            return 1
        print(f"{path}: ok")
        return 0

    return run
