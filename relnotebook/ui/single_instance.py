"""One window per notebook (DESIGN.md §8): the local-socket handover on top of core/lock.py.

The first window on a notebook takes the lock file and listens on a local socket whose name
it writes into the lock. A second launch on the same notebook finds the lock held, connects
to that socket, sends one line of JSON (``{"command": "raise", "file": "..."}``, ``file``
being a contact file given on its command line, or ""), waits for ``ok`` and exits 0 without
opening the notebook. The first window gets ``activate_requested(file)``, comes to the front
(``bring_forward``) and starts the import when a file came along.

Use ``claim(path, contact_file)`` before opening the notebook:

- ``Claim.instance`` set: we are the first; keep the ``SingleInstance`` while the window
  lives, connect ``activate_requested`` and call ``release()`` at the end;
- ``Claim.handed_over``: another window took the request; exit 0;
- otherwise ``Claim.holder`` names a window that holds the notebook but did not answer
  (hung, or on another host over a network folder): say so and exit 1.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from ..core import lock as core_lock

log = logging.getLogger("relnotebook.ui")
TIMEOUT_MS = 3000
_MAX_MESSAGE = 64 * 1024


def socket_name(notebook: Path) -> str:
    """A local socket name for ``notebook``: short, per user, per resolved path."""
    digest = hashlib.sha1(str(Path(notebook).resolve()).encode("utf-8")).hexdigest()[:16]
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    return f"relnotebook-{user}-{digest}"


class SingleInstance(QObject):
    """The first window's side: holds the lock, listens, and reports handover requests."""

    activate_requested = Signal(str)
    """Another launch asked to come forward; the argument is a contact file path or ""."""

    def __init__(self, lock: core_lock.Lock, server: QLocalServer,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lock = lock
        self.server = server
        server.setParent(self)
        server.newConnection.connect(self._accept)
        self._buffers: dict[int, bytes] = {}

    @property
    def notebook_path(self) -> Path:
        return self.lock.path.with_name(self.lock.path.name[: -len(core_lock.SUFFIX)])

    @Slot()
    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            # The socket stays a child of the server (deleted with it): a deleteLater here
            # would race PySide's own ownership of the wrapper.
            conn.readyRead.connect(self._ready_read)
            if conn.bytesAvailable():
                self._read(conn)

    @Slot()
    def _ready_read(self) -> None:
        conn = self.sender()
        if isinstance(conn, QLocalSocket):
            self._read(conn)

    def _read(self, conn: QLocalSocket) -> None:
        key = int(shiboken6.getCppPointer(conn)[0])  # stable, unlike the wrapper's id
        data = self._buffers.pop(key, b"") + bytes(conn.readAll().data())
        if b"\n" not in data:
            if len(data) > _MAX_MESSAGE:
                conn.abort()
            else:
                self._buffers[key] = data
            return
        try:
            message = json.loads(data.split(b"\n", 1)[0].decode("utf-8"))
            command = message.get("command")
            file = str(message.get("file") or "")
        except (ValueError, AttributeError):
            command, file = None, ""
        conn.readyRead.disconnect(self._ready_read)
        conn.write(b"ok\n" if command == "raise" else b"error\n")
        conn.flush()
        conn.disconnectFromServer()
        if command == "raise":
            self.activate_requested.emit(file)

    def switch_to(self, notebook: Path) -> core_lock.LockInfo | None:
        """Move the lock to another notebook (File → Open). None when it is ours now; else
        the window that holds the other notebook (this one's lock is kept then)."""
        notebook = Path(notebook).resolve()
        if notebook == self.notebook_path:
            return None
        name = socket_name(notebook)
        taken = core_lock.acquire(notebook, socket_name=name)
        if isinstance(taken, core_lock.HeldBy):
            return taken.info
        server = _listen(name)
        if server is None:
            taken.release()
            return core_lock.LockInfo(pid=0, host="")
        self.server.close()
        self.server.deleteLater()
        self.lock.release()
        self.lock, self.server = taken, server
        server.setParent(self)
        server.newConnection.connect(self._accept)
        return None

    def release(self) -> None:
        """Stop listening and remove the lock (when the window closes)."""
        self.server.close()
        self.lock.release()


@dataclass(frozen=True)
class Claim:
    instance: SingleInstance | None = None
    handed_over: bool = False
    holder: core_lock.LockInfo | None = None


def _listen(name: str) -> QLocalServer | None:
    server = QLocalServer()
    server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
    # We hold the lock, so a socket left under this name is a crashed window's: remove it.
    QLocalServer.removeServer(name)
    if not server.listen(name):
        log.warning("cannot listen on %s: %s", name, server.errorString())
        return None
    return server


def hand_over(name: str, file: str = "", *, timeout_ms: int = TIMEOUT_MS) -> bool:
    """Ask the window listening on ``name`` to come forward; True when it said ok."""
    if not name:
        return False
    sock = QLocalSocket()
    sock.connectToServer(name)
    try:
        if not sock.waitForConnected(timeout_ms):
            return False
        sock.write(json.dumps({"command": "raise", "file": file}).encode("utf-8") + b"\n")
        if not sock.waitForBytesWritten(timeout_ms):
            return False
        answer = b""
        while b"\n" not in answer:
            if not sock.bytesAvailable() and not sock.waitForReadyRead(timeout_ms):
                return False
            answer += bytes(sock.readAll().data())
        return answer.startswith(b"ok")
    finally:
        sock.abort()


def claim(notebook: str | os.PathLike[str], contact_file: str | None = None, *,
          parent: QObject | None = None, timeout_ms: int = TIMEOUT_MS) -> Claim:
    """Become the notebook's window, or hand over to the one that already is (module doc).

    Needs a QCoreApplication; runs before the event loop (the wait is blocking).
    """
    path = Path(notebook).expanduser().resolve()
    file = str(Path(contact_file).expanduser().resolve()) if contact_file else ""
    name = socket_name(path)
    for _ in range(2):
        taken = core_lock.acquire(path, socket_name=name)
        if isinstance(taken, core_lock.Lock) and not taken.placed \
                and hand_over(name, file, timeout_ms=timeout_ms):
            return Claim(handed_over=True)  # no lock file here, but a window listens
        if isinstance(taken, core_lock.Lock):
            server = _listen(name)
            if server is None:  # no socket: still the one window, just no handover
                server = QLocalServer()
            return Claim(instance=SingleInstance(taken, server, parent))
        if hand_over(taken.info.socket, file, timeout_ms=timeout_ms):
            return Claim(handed_over=True)
        if core_lock.is_stale(taken.info):
            continue  # it died while we asked
        return Claim(holder=taken.info)
    return Claim(holder=core_lock.read(core_lock.lock_path(path)))


def bring_forward(window: QWidget) -> None:
    """Show ``window`` in front: un-minimise, raise and activate it."""
    state = window.windowState()
    if state & Qt.WindowState.WindowMinimized:
        window.setWindowState(state & ~Qt.WindowState.WindowMinimized
                              | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()
    with contextlib.suppress(RuntimeError):
        handle = window.windowHandle()
        if handle is not None:
            handle.requestActivate()
