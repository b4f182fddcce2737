"""Where notebooks, backups, drafts and logs live (platformdirs), created private.

Folders are created 0700 and notebook files 0600: a notebook holds personal details about
other people, so nobody else on the machine should read it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "relnotebook"
NOTEBOOK_ENV = "RELNOTEBOOK_NOTEBOOK"


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if missing; the leaf is made 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):  # not ours to change (a folder the user chose)
        os.chmod(path, 0o700)
    return path


def data_dir() -> Path:
    return private_dir(platformdirs.user_data_path(APP_NAME))


def default_notebook() -> Path:
    return data_dir() / "notebook.sqlite"


def demo_notebook() -> Path:
    return data_dir() / "demo.sqlite"


def backups_dir(notebook_uuid: str) -> Path:
    return private_dir(data_dir() / "backups" / notebook_uuid)


def drafts_dir() -> Path:
    return private_dir(data_dir() / "drafts")


def log_dir() -> Path:
    return private_dir(platformdirs.user_log_path(APP_NAME))


def log_file() -> Path:
    return log_dir() / "relnotebook.log"


def resolve_notebook(explicit: str | os.PathLike[str] | None) -> Path:
    """The notebook to use: an explicit path, then $RELNOTEBOOK_NOTEBOOK, then the default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(NOTEBOOK_ENV)
    if env:
        return Path(env).expanduser()
    return default_notebook()
