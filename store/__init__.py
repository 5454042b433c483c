"""Persistence for newsread: TinyDB files with durable writes, the repository, undo history.

Knows ``annotate``'s data classes; never imports Textual.  Nothing is opened at import
time: the app creates a :class:`Store` and passes it down.
"""

from store.errors import (
    SchemaError,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreLockLost,
    StoreReadOnly,
    StoreWriteError,
)
from store.repository import Store
from store.summary import ArticleSummary

__all__ = [
    "ArticleSummary",
    "SchemaError",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "StoreLockLost",
    "StoreReadOnly",
    "StoreWriteError",
]
