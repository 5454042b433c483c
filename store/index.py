"""``index.json``: the article summaries, cached so that opening a store reads one file.

It is a TinyDB database with one table, ``articles``, one document per article
summary.  It is only a cache: every entry carries the signature ``(inode, mtime_ns,
size)`` of the article file it was computed from, and opening a store re-reads exactly
the article files whose signature changed (or that the index does not know), so a
stale, missing or damaged index costs time, never data.  It is written at bulk imports,
checkpoints that fold the journal on close, and backups -- never on the keystroke path.

Log-structured: rewriting the whole index (24 MB at 50,000 articles) after every
import batch made an import slower the bigger the store.  The summaries changed since
``index.json`` was written are appended to ``index.log`` instead, one per line after a
header naming the signature of the ``index.json`` they follow (a log left by a crash
between the two writes of a compaction names another file and is ignored).  The log
is folded into a new ``index.json`` (*compacted*) once it holds more than a quarter of
the store's summaries: each summary appended costs a few lines of rewriting on
average, whatever the store's size.  Appends are not synced: a torn or lost line only
costs reading that article's file at the next open.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from store.durable import (
    Signature,
    atomic_write_bytes,
    read_json_with_signature,
    signature_of,
    write_all,
)
from store.errors import StoreCorrupt, StoreWriteError
from store.summary import ArticleSummary

INDEX_NAME = "index.json"
LOG_NAME = "index.log"
LOG_KIND = "newsread-index-log"
LOG_MIN = 2048
"""Summaries the log may hold before it is compacted, however small the store."""


def compact_at(articles: int) -> int:
    """How many summaries the log of a store of ``articles`` may hold."""
    return max(LOG_MIN, articles // 4)


@dataclass(slots=True)
class CachedIndex:
    """What ``index.json`` and ``index.log`` hold together."""

    summaries: dict[str, ArticleSummary] = field(default_factory=dict)
    """By article id, in list order (a summary of the log replaces the index's)."""
    notice: str | None = None
    """Said when the index had to be dropped."""
    log_lines: int = 0
    """Summaries the log holds."""
    log_usable: bool = False
    """Whether the log follows this ``index.json`` and ends with a whole line: summaries
    may be appended to it (else the next write rewrites the index whole)."""


def read_index(root: Path) -> tuple[dict[str, ArticleSummary], str | None]:
    """The cached summaries by article id, and a notice when the index had to be dropped."""
    cached = read_cached(root)
    return cached.summaries, cached.notice


def read_cached(root: Path) -> CachedIndex:
    """``index.json`` with the summaries of ``index.log`` that follow it applied."""
    path = root / INDEX_NAME
    try:
        data, signature = read_json_with_signature(path)
    except StoreCorrupt as exc:
        notice = f"{path} was unreadable ({exc.reason}); it is only a cache and is rebuilt"
        return CachedIndex(notice=notice)
    if data is None:
        return CachedIndex()
    try:
        table = data["articles"]
        summaries = [ArticleSummary.from_dict(doc) for doc in table.values()]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        notice = f"{path} was malformed ({exc}); it is only a cache and is rebuilt"
        return CachedIndex(notice=notice)
    cached = CachedIndex({s.id: s for s in summaries})
    lines, cached.log_usable = read_log(root, signature)
    for line in lines:
        try:
            summary = ArticleSummary.from_dict(orjson.loads(line))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
            cached.log_usable = False  # a damaged line: compacted at the next write
            continue
        cached.summaries[summary.id] = summary
        cached.log_lines += 1
    return cached


def read_log(root: Path, index: Signature | None) -> tuple[list[bytes], bool]:
    """The summary lines of ``index.log`` when it follows the ``index.json`` of signature
    ``index`` (none otherwise), and whether more may be appended to it."""
    try:
        raw = (root / LOG_NAME).read_bytes()
    except OSError:
        return [], False
    lines = raw.split(b"\n")
    whole = lines.pop() == b""  # a torn last line: kept out, and no append after it
    if not lines or index is None or lines[0] != log_header(index)[:-1]:
        return [], False
    return lines[1:], whole


def log_header(index: Signature) -> bytes:
    """The first line of a log that follows the ``index.json`` of signature ``index``."""
    return orjson.dumps({"kind": LOG_KIND, "index": list(index)}) + b"\n"


def write_index(root: Path, summaries: Iterable[ArticleSummary]) -> None:
    """Replace ``index.json`` with ``summaries`` (atomically), one per line, and start
    an empty ``index.log`` after it.

    The file is the same TinyDB document either way; one summary per line lets an
    export read it one summary at a time (``store.reading``) instead of parsing
    the whole table at once, whose objects outweigh the rest of an export's memory.
    (JSON strings never hold a raw newline, so every line is one whole summary.)
    """
    entries = [b'"%d":%b' % (i, orjson.dumps(_listed_first(s))) for i, s in enumerate(summaries, 1)]
    body = b",\n".join(entries)
    payload = _HEAD + body + (b"\n" if entries else b"") + _TAIL
    signature = atomic_write_bytes(root / INDEX_NAME, payload)
    atomic_write_bytes(root / LOG_NAME, log_header(signature))


def append_index(root: Path, summaries: Iterable[ArticleSummary]) -> int:
    """Append ``summaries`` to ``index.log`` (which must exist: :func:`write_index`
    starts it); returns how many.  Raises :class:`StoreWriteError`, after cutting off
    what it wrote, when the log cannot take them (the caller rewrites the index whole
    next time)."""
    lines = [orjson.dumps(_listed_first(s)) + b"\n" for s in summaries]
    if not lines:
        return 0
    path = root / LOG_NAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    except OSError as exc:
        raise StoreWriteError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        size = os.fstat(fd).st_size
        try:
            write_all(fd, b"".join(lines))
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise StoreWriteError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    return len(lines)


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
