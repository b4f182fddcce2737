"""Test isolation: no test ever touches a real notebook, real settings or a real display.

Environment variables are set at import time, before Qt or platformdirs are loaded: a
display-less machine would otherwise abort the whole run, and platformdirs would resolve
the user's real data folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_SANDBOX = Path(tempfile.mkdtemp(prefix="relnotebook-tests-"))
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_QUICK_BACKEND", "software")
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_SANDBOX / _var.lower())
os.environ.pop("RELNOTEBOOK_NOTEBOOK", None)
os.environ["HOME"] = str(_SANDBOX / "home")


@pytest.fixture
def notebook(tmp_path: Path):
    """A fresh notebook on a temporary file, open for the test; closed afterwards."""
    from relnotebook.core import db

    path = db.open_notebook(tmp_path / "notebook.sqlite")
    yield path
    db.close_notebook()


@pytest.fixture
def data_home() -> Path:
    """The sandboxed platformdirs data folder of this test run."""
    return Path(os.environ["XDG_DATA_HOME"])


@pytest.fixture(autouse=True)
def default_checkpoints():
    """Every test starts and ends with SQLite's default checkpointing (the CLI's); a window
    test defers it (``db.defer_checkpoints``), which is process-wide state."""
    from relnotebook.core import db

    db.defer_checkpoints(None)
    yield
    db.defer_checkpoints(None)
