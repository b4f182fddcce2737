"""The core never imports Qt (DESIGN.md §2): the CLI starts fast and runs without a display."""

from __future__ import annotations

import json
import subprocess
import sys

_PROBE = """
import importlib, json, pkgutil, sys
import relnotebook.core as core
names = []
for info in pkgutil.walk_packages(core.__path__, core.__name__ + "."):
    importlib.import_module(info.name)
    names.append(info.name)
import relnotebook.cli, relnotebook.cli_verbs
relnotebook.cli.build_parser()  # loads every verb module too
qt = sorted(m for m in sys.modules if m == "PySide6" or m.startswith("PySide6."))
print(json.dumps({"imported": names, "qt": qt}))
"""


def test_core_and_cli_load_no_pyside6():
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["qt"] == []
    imported = set(result["imported"])
    for name in ("db", "models", "capture", "conversations", "customers", "settings"):
        assert f"relnotebook.core.{name}" in imported
    assert any(name.startswith("relnotebook.core.migrations.") for name in imported)
