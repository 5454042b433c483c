"""The store's schema version, and the migrations that bring an older store up to date.

``meta.json`` holds ``{"kind": "newsread-store", "schema": N}``.  Opening a store:

* ``N == SCHEMA_VERSION``: read it;
* ``N < SCHEMA_VERSION``: snapshot it (``store.backup``), then run the registered
  migrations ``N -> N+1 -> …`` one by one, writing ``meta.json`` after each step, so a
  crash in the middle resumes at the step that did not finish (each step skips files
  it already converted);
* ``N > SCHEMA_VERSION``: refuse with :class:`~store.errors.SchemaError` -- a newer
  newsread may have stored things this one would silently drop.

A read-only open never migrates: it refuses an older store and says how to upgrade it.

History of the schema:

1. first version: per-article TinyDB files, history documents keyed by an absolute
   ``seq`` with an absolute undo ``cursor``; ``index.json`` signatures ``(mtime, size)``.
2. an item's class is stored under ``type`` (schema 1 stored it under ``kind``, which a
   quote's own ``kind`` overwrote, so a schema-1 store with quotes could not be read
   back; the migration recovers them); decisions go through ``journal.jsonl`` first
   (``store.journal``); article files record the last journal entry they include
   (``state.seq``); history documents are numbered by position (``pos``) with a cursor
   into the kept window; index signatures gain the inode.  Why a new number: a
   schema-1 newsread would ignore the journal and show (and rewrite) articles without
   their latest decisions.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from store.durable import atomic_write_bytes, read_json_file
from store.errors import SchemaError, StoreCorrupt
from store.history import HISTORY_LIMIT

SCHEMA_VERSION = 2
STORE_KIND = "newsread-store"
META_NAME = "meta.json"


@dataclass(frozen=True, slots=True)
class Migration:
    """One step from ``source`` to ``source + 1``, and what it changes (for the notice)."""

    source: int
    summary: str
    run: Callable[[Path], None]


def read_schema(root: Path, *, create: bool) -> int:
    """The schema version of the store at ``root``.

    A missing ``meta.json`` in an empty folder starts a new store (when ``create``);
    anywhere else it is an error, never a silently empty store.
    """
    path = root / META_NAME
    meta = read_json_file(path)
    if meta is None:
        content = [p.name for p in root.iterdir() if p.name != ".lock"]
        if "articles" in content or "journal.jsonl" in content:
            raise StoreCorrupt(
                path,
                "it is missing although the folder holds articles",
                advice="copy meta.json back from the newest folder in the store's backups/",
            )
        if content:
            raise SchemaError(
                f"{root} is not a newsread store (no meta.json) and is not empty; "
                f"choose an empty folder or an existing store"
            )
        if create:
            write_schema(root, SCHEMA_VERSION)
        return SCHEMA_VERSION
    if not isinstance(meta, dict) or meta.get("kind") != STORE_KIND:
        raise StoreCorrupt(path, "it is not a newsread store header")
    version = meta.get("schema")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StoreCorrupt(path, f"its schema version {version!r} is not valid")
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"{root} was written by a newer newsread (store schema {version}; this one "
            f"reads up to {SCHEMA_VERSION}); upgrade newsread to open it (the store was "
            f"not changed)"
        )
    return version


def write_schema(root: Path, version: int) -> None:
    """Record ``version`` in ``meta.json`` (atomically)."""
    payload = orjson.dumps({"kind": STORE_KIND, "schema": version})
    atomic_write_bytes(root / META_NAME, payload)


def migrate(root: Path, version: int) -> list[str]:
    """Bring the store at ``root`` from ``version`` to :data:`SCHEMA_VERSION`.

    The caller holds the writer lock and has taken a backup.  Returns what each step did.
    """
    done = []
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise SchemaError(f"{root} uses store schema {version}, which cannot be upgraded")
        step.run(root)
        version += 1
        write_schema(root, version)
        done.append(f"schema {step.source} -> {version}: {step.summary}")
    return done


def _article_files(root: Path) -> list[Path]:
    folder = root / "articles"
    if not folder.is_dir():
        return []
    return sorted(
        Path(entry.path)
        for bucket in os.scandir(folder)
        if bucket.is_dir()
        for entry in os.scandir(bucket.path)
        if entry.name.endswith(".json") and not entry.name.startswith(".")
    )


def _migrate_1_to_2(root: Path) -> None:
    for path in _article_files(root):
        data = read_json_file(path)
        try:
            converted = _article_1_to_2(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise StoreCorrupt(path, f"it is not a schema-1 article file ({exc})") from exc
        if converted is not None:
            atomic_write_bytes(path, orjson.dumps(converted))
    index = root / "index.json"
    if index.exists():
        os.unlink(index)  # a cache in the old format: rebuilt from the article files


def _article_1_to_2(data: Any) -> dict[str, Any] | None:
    """A schema-1 article file in schema 2, or ``None`` if it is converted already."""
    if not isinstance(data, dict):
        raise TypeError("not a JSON object")
    states = list(data.get("state", {}).values())
    state: dict[str, Any] = dict(states[0]) if states else {"order": 0, "cursor": 0}
    history = list(data.get("history", {}).values())
    if "seq" in state and all("pos" in doc for doc in history):
        return None
    absolute_cursor = int(state.get("cursor", 0))
    ordered = sorted(history, key=lambda d: int(d["seq"]))
    applied = sum(1 for d in ordered if int(d["seq"]) < absolute_cursor)
    dropped = max(0, len(ordered) - HISTORY_LIMIT)
    kept = ordered[dropped:]
    state["cursor"] = max(0, applied - dropped)
    state["seq"] = 0
    items = [_item_1_to_2(doc) for doc in data.get("items", {}).values()]
    return {
        **data,
        "items": {str(i + 1): doc for i, doc in enumerate(items)},
        "state": {"1": state},
        "history": {
            str(i + 1): {"pos": i, "edit": _edit_1_to_2(d["edit"])} for i, d in enumerate(kept)
        },
    }


def _item_1_to_2(doc: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 kept an item's class under ``kind``, which a quote's own ``kind``
    (``direct``/``partial``) overwrote; schema 2 keeps the class under ``type``."""
    doc = dict(doc)
    kind = doc.pop("kind")
    if kind in ("entity", "statement", "quote"):
        doc["type"] = kind
    elif kind in ("direct", "partial"):
        doc["type"], doc["kind"] = "quote", kind
    else:
        raise ValueError(f"unknown item kind {kind!r}")
    return doc


def _edit_1_to_2(edit: dict[str, Any]) -> dict[str, Any]:
    return {
        **edit,
        "before": [_item_1_to_2(d) for d in edit.get("before", ())],
        "after": [_item_1_to_2(d) for d in edit.get("after", ())],
    }


MIGRATIONS: dict[int, Migration] = {
    1: Migration(
        source=1,
        summary="item class kept under 'type' (recovers quotes), history renumbered by "
        "position, journal added, index rebuilt",
        run=_migrate_1_to_2,
    ),
}
"""Registered steps, keyed by the schema they upgrade from."""


def upgrade_with_backup(root: Path, version: int, keep: int) -> str:
    """Snapshot the store (``store.backup``), migrate it from ``version`` to
    :data:`SCHEMA_VERSION` and prune old snapshots to ``keep``; returns the notice that
    tells the user where the previous version is."""
    from store import backup

    saved = backup.snapshot(root, f"before-schema-{SCHEMA_VERSION}", 1_000)
    steps = migrate(root, version)
    backup.prune(root / backup.BACKUPS_DIR, keep)
    return f"store upgraded ({'; '.join(steps)}); the previous version is in {saved}"
