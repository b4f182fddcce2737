"""The libraries this build carries and their licences (shown in Help → About).

Only what this installation can import is listed, with the version it has; a PyInstaller
bundle carries the metadata for the versions (``packaging/relnotebook.spec``).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import platform
import sqlite3
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import qVersion

from . import words


@dataclass(frozen=True)
class Library:
    name: str
    licence: str
    url: str
    module: str  # importable name: only what this build carries is listed
    dist: str = ""  # distribution name for the version


LIBRARIES: tuple[Library, ...] = (
    Library("Python", "PSF-2.0 (Python Software Foundation License)",
            "https://docs.python.org/3/license.html", "sys"),
    Library("Qt", "LGPL-3.0 (GNU Lesser General Public License v3)",
            "https://www.qt.io/licensing/open-source-lgpl-obligations", "PySide6"),
    Library("PySide6 (Qt for Python)", "LGPL-3.0", "https://pyside.org", "PySide6",
            "PySide6_Essentials"),
    Library("shiboken6", "LGPL-3.0", "https://pyside.org", "shiboken6", "shiboken6"),
    Library("peewee", "MIT", "https://github.com/coleifer/peewee", "peewee", "peewee"),
    Library("platformdirs", "MIT", "https://github.com/tox-dev/platformdirs", "platformdirs",
            "platformdirs"),
    Library("vobject", "Apache-2.0", "https://github.com/py-vobject/vobject", "vobject",
            "vobject"),
    Library("python-dateutil", "Apache-2.0 and BSD-3-Clause",
            "https://github.com/dateutil/dateutil", "dateutil", "python-dateutil"),
    Library("pytz", "MIT", "https://pythonhosted.org/pytz/", "pytz", "pytz"),
    Library("six", "MIT", "https://github.com/benjaminp/six", "six", "six"),
    Library("SQLite", "Public domain", "https://sqlite.org/copyright.html", "sqlite3"),
)


def library_version(lib: Library) -> str:
    if lib.name == "Python":
        return platform.python_version()
    if lib.name == "Qt":
        return qVersion()
    if lib.name == "SQLite":
        return sqlite3.sqlite_version
    try:
        return importlib.metadata.version(lib.dist or lib.module)
    except importlib.metadata.PackageNotFoundError:
        try:
            module = __import__(lib.module)
        except ImportError:
            return ""
        return str(getattr(module, "__version__", ""))


def bundled_libraries() -> list[tuple[Library, str]]:
    """(library, version) for every library this installation carries."""
    out = []
    for lib in LIBRARIES:
        try:
            present = importlib.util.find_spec(lib.module) is not None
        except (ImportError, ValueError):
            present = False
        if present:
            out.append((lib, library_version(lib)))
    return out


def licences_html() -> str:
    rows = "".join(
        f"<tr><td><a href='{escape(lib.url)}'>{escape(lib.name)}</a></td>"
        f"<td>{escape(version)}</td><td>{escape(words.tr(lib.licence))}</td></tr>"
        for lib, version in bundled_libraries())
    return (
        f"<p>{escape(words.tr('Relationship Notebook is free software under the MIT licence.'))}"
        f"</p><table cellspacing='0' cellpadding='3' width='100%'>"
        f"<tr><th align='left'>{escape(words.tr('Library'))}</th>"
        f"<th align='left'>{escape(words.tr('Version'))}</th>"
        f"<th align='left'>{escape(words.tr('Licence'))}</th></tr>{rows}</table>"
        f"<p>{escape(words.tr(LGPL_NOTE))}</p>")


LGPL_NOTE = ("Qt and PySide6 are used under the LGPL v3 and are shipped as separate shared "
             "libraries, which you may replace with your own builds; their source code is at "
             "download.qt.io.")
