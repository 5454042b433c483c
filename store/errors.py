"""The store's errors: each one says which file or folder, and what to do about it."""

from __future__ import annotations

from pathlib import Path

DEFAULT_ADVICE = "restore it from the newest folder in the store's backups/ or move it away"


class StoreError(RuntimeError):
    """Base class: anything the store cannot do, explained on one line."""


class StoreWriteError(StoreError):
    """A write did not reach the disk (disk full, read-only folder): nothing was saved."""


class StoreReadOnly(StoreWriteError):
    """The store was opened read-only (another newsread holds the writer lock)."""


class StoreLockLost(StoreWriteError):
    """The writer's lock file was removed or replaced: it stops writing for good."""


class StoreLocked(StoreError):
    """Another process holds the writer lock and read-only access was not wanted."""


class StoreCorrupt(StoreError):
    """A store file cannot be parsed; it is left untouched for the user to repair."""

    def __init__(self, path: Path, reason: str, advice: str = DEFAULT_ADVICE) -> None:
        self.path = Path(path)
        self.reason = reason
        self.advice = advice
        super().__init__(
            f"store file {self.path} is damaged ({reason}); it was left untouched: {advice}"
        )


class SchemaError(StoreError):
    """The store was written by an incompatible newsread version."""
