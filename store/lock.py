"""The writer lock: one process writes a store, any other opens it read-only.

A file lock (``filelock``) on ``.lock`` in the store folder, taken without waiting: a
second ``newsread`` on the same store is told it is read-only instead of hanging.
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from store.errors import StoreWriteError
from store.schema import read_schema

LOCK_NAME = ".lock"


def take_writer_lock(root: Path) -> tuple[FileLock | None, str | None]:
    """Create the store folder if needed and take its writer lock.

    Returns the lock, or ``None`` and a notice for the user when another process holds
    it.  A folder that is not a store is refused (``read_schema``) before a lock file
    is added to it; a folder that cannot be written raises :class:`StoreWriteError`.
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
    return lock, None
