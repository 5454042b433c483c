"""``index.json``: the article summaries, cached so that opening a store reads one file.

It is a TinyDB database with one table, ``articles``, one document per article
summary.  It is only a cache: every entry carries the signature ``(inode, mtime_ns,
size)`` of the article file it was computed from, and opening a store re-reads exactly
the article files whose signature changed (or that the index does not know), so a
stale, missing or damaged index costs time, never data.  It is written at bulk imports,
checkpoints that fold the journal on close, and backups -- never on the keystroke path.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

import orjson

from store.durable import Signature, atomic_write_bytes, read_json_file, signature_of
from store.errors import StoreCorrupt
from store.summary import ArticleSummary

INDEX_NAME = "index.json"


def read_index(root: Path) -> tuple[dict[str, ArticleSummary], str | None]:
    """The cached summaries by article id, and a notice when the index had to be dropped."""
    path = root / INDEX_NAME
    try:
        data = read_json_file(path)
    except StoreCorrupt as exc:
        return {}, f"{path} was unreadable ({exc.reason}); it is only a cache and is rebuilt"
    if data is None:
        return {}, None
    try:
        table = data["articles"]
        summaries = [ArticleSummary.from_dict(doc) for doc in table.values()]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return {}, f"{path} was malformed ({exc}); it is only a cache and is rebuilt"
    return {s.id: s for s in summaries}, None


def write_index(root: Path, summaries: Iterable[ArticleSummary]) -> None:
    """Replace ``index.json`` with ``summaries`` (atomically)."""
    table = {str(i + 1): s.to_dict() for i, s in enumerate(summaries)}
    atomic_write_bytes(root / INDEX_NAME, orjson.dumps({"articles": table}))


def scan_article_files(
    root: Path, *, remove_temp: bool = False
) -> dict[str, tuple[str, Signature]]:
    """Every article file under ``root/articles`` (its path as a string: building 10,000
    ``Path`` objects would cost more than the scan) with its current signature.

    With ``remove_temp`` (the writer only), the temporary files that writes killed
    half-way left behind are deleted in the same pass: a second walk over 10,000
    files would cost as much again.
    """
    found: dict[str, tuple[str, Signature]] = {}
    folder = root / "articles"
    if not folder.is_dir():
        return found
    for bucket in os.scandir(folder):
        if not bucket.is_dir():
            continue
        for entry in os.scandir(bucket.path):
            name = entry.name
            if name.startswith("."):
                if remove_temp and name.endswith(".tmp"):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
            elif name.endswith(".json"):
                try:
                    found[name[:-5]] = (entry.path, signature_of(entry.stat()))
                except FileNotFoundError:
                    continue  # deleted between listing and stat
    return found
