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
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

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
        # An entry without "versions" was written before versions (store.versions): it
        # may describe another annotator's work as everyone's, so its file is read again.
        summaries = [ArticleSummary.from_dict(doc) for doc in table.values() if "versions" in doc]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return {}, f"{path} was malformed ({exc}); it is only a cache and is rebuilt"
    return {s.id: s for s in summaries}, None


def write_index(root: Path, summaries: Iterable[ArticleSummary]) -> None:
    """Replace ``index.json`` with ``summaries`` (atomically), one per line.

    The file is the same TinyDB document either way; one summary per line lets an
    export read it one summary at a time (``store.reading``) instead of parsing
    the whole table at once, whose objects outweigh the rest of an export's memory.
    (JSON strings never hold a raw newline, so every line is one whole summary.)
    """
    entries = [b'"%d":%b' % (i, orjson.dumps(_listed_first(s))) for i, s in enumerate(summaries, 1)]
    body = b",\n".join(entries)
    atomic_write_bytes(root / INDEX_NAME, _HEAD + body + (b"\n" if entries else b"") + _TAIL)


LISTED_FIRST = ("id", "order", "status", "updated", "signature")
"""The keys every summary line starts with, in this order: what a streaming reader
needs of an article is found at fixed places, without parsing the rest."""


def _listed_first(summary: ArticleSummary) -> dict[str, Any]:
    data = summary.to_dict()
    first = {key: data[key] for key in LISTED_FIRST}
    first.update(data)
    return first


_HEAD = b'{"articles":{\n'
_TAIL = b"}}"
_KEY = re.compile(rb'"[0-9]+":')


def open_index(root: Path) -> BinaryIO | None:
    """``index.json`` opened to be read a line at a time (``store.reading``: memory
    that does not grow with the store); ``None`` when there is none or it is not laid
    out one summary per line (an index of an older newsread: whoever reads it then
    reads it whole with :func:`read_index`).  Several passes over the same handle read
    the same file even if a writer replaces it meanwhile."""
    try:
        handle = open(root / INDEX_NAME, "rb")  # the caller closes it
    except OSError:
        return None
    try:
        if handle.readline() == _HEAD:
            return handle
    except OSError:
        pass
    handle.close()
    return None


def summary_of(line: bytes) -> bytes:
    """The summary JSON of one line of the index (``ValueError`` if it holds none)."""
    key = _KEY.match(line)
    if key is None:
        raise ValueError(f"index line {line[:40]!r} is not a summary")
    return line[key.end() :].rstrip(b",\n")


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


def article_names(root: Path) -> set[bytes]:
    """The names of every entry of the article folders under ``root/articles`` (as
    bytes: no decoding), from the folder listings alone -- no ``stat``, no filtering:
    a reader that streams the index strikes out the names of the files it lists, and
    looks at the few left (:func:`article_id_of`)."""
    found: set[bytes] = set()
    folder = os.fsencode(root / "articles")
    try:
        buckets = os.listdir(folder)
    except FileNotFoundError:
        return found
    for bucket in buckets:
        try:
            found.update(os.listdir(folder + b"/" + bucket))
        except NotADirectoryError:
            continue
    return found


def article_id_of(name: bytes) -> str | None:
    """The article id of an entry of :func:`article_names`; ``None`` when it is not an
    article file (a write's temporary file, say)."""
    if name.endswith(b".json") and not name.startswith(b"."):
        return os.fsdecode(name[:-5])
    return None
