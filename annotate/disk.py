"""Making a rename durable: the one ``fsync`` of a folder that the store's files and an
export's folder swap both need (a rename is on disk only once its folder is synced)."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    """Make renames and new names in ``folder`` durable (raises ``OSError``)."""
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
