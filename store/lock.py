"""The writer lock: one process writes a store, any other opens it read-only.

A file lock (``filelock``) on ``.lock`` in the store folder, taken without waiting: a
second ``newsread`` on the same store is told it is read-only instead of hanging.

A lock file can be deleted (by hand, by a cleaning tool) while its writer runs: the
next ``newsread`` would then create a new ``.lock``, lock it and write too, and the two
would lose each other's decisions.  Two guards stop that.  The writer checks before
each write that ``.lock`` is still the file it locked (:meth:`WriterLock.check`, one
``stat``) and stops writing when it is not; and it holds a lock on its open journal
(``store.journal``), which a new writer checks (:func:`journal_in_use`) before it
writes anything, so that it opens read-only while the first one runs.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from filelock import FileLock, Timeout

from store.errors import StoreLockLost, StoreWriteError
from store.journal import JOURNAL_NAME
from store.schema import read_schema

LOCK_NAME = ".lock"


class WriterLock:
    """The writer lock held, and the identity of the lock file it is held on."""

    def __init__(self, root: Path, lock: FileLock) -> None:
        self.path = root / LOCK_NAME
        self._lock = lock
        fd = getattr(getattr(lock, "_context", None), "lock_file_fd", None)
        found = os.fstat(fd) if isinstance(fd, int) else os.stat(self.path)
        self._identity = (found.st_dev, found.st_ino)
        self.lost: str | None = None
        """Why the lock no longer protects the store, once :meth:`check` found out."""

    def check(self) -> None:
        """Raise :class:`StoreLockLost` when ``.lock`` was removed or replaced since it
        was locked (then for good: the store must be opened again)."""
        if self.lost is None:
            try:
                found = os.stat(self.path)
                replaced = (found.st_dev, found.st_ino) != self._identity
                what = "replaced"
            except FileNotFoundError:
                replaced, what = True, "removed"
            if not replaced:
                return
            self.lost = (
                f"the lock file {self.path} was {what} while this newsread was writing to "
                f"the store, so another one may write to it too: nothing more is saved by "
                f"this one (what was saved before is kept); close it and open the store again"
            )
        raise StoreLockLost(self.lost)

    def release(self) -> None:
        """Let the lock go (a lost lock too: its file descriptor is still open)."""
        self._lock.release()


def take_writer_lock(root: Path) -> tuple[WriterLock | None, str | None]:
    """Create the store folder if needed and take its writer lock.

    Returns the lock, or ``None`` and a notice for the user when another process holds
    it, or holds the store's journal open (:func:`journal_in_use`).  A folder that is not
    a store is refused (``read_schema``) before a lock file is added to it; a folder
    that cannot be written raises :class:`StoreWriteError`.
    """
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreWriteError(f"cannot create store folder {root}: {exc.strerror or exc}") from exc
    read_schema(root, create=False)
    try:
        lock = FileLock(str(root / LOCK_NAME))
        lock.acquire(timeout=0)
    except Timeout:
        return None, f"another newsread is writing to {root}: opened read-only"
    except OSError as exc:
        raise StoreWriteError(
            f"cannot open store folder {root} for writing: {exc.strerror or exc}"
        ) from exc
    if journal_in_use(root / JOURNAL_NAME):
        lock.release()
        return None, (
            f"another newsread is writing to {root} (its lock file was removed, but its "
            f"journal is open): opened read-only"
        )
    return WriterLock(root, lock), None


def journal_in_use(path: Path) -> bool:
    """Whether a running writer holds the journal at ``path`` open (and locked).

    The lock is tried on the file now at ``path``; a file replaced meanwhile (its
    writer starting a fresh journal) is tried again."""
    for _ in range(5):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return False
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = False
            except BlockingIOError:
                held = True
            with contextlib.suppress(OSError):
                if os.fstat(fd).st_ino == os.stat(path).st_ino:
                    return held
        finally:
            os.close(fd)  # lets go of the lock if it was taken
    return False
