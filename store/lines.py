"""Kept export lines: each article's line of the default JSONL export, inside its file.

Building a Prodigy task (selection, span dicts, sorting, two hashes, serialising) costs
several times more than reading and writing the line it gives, and an article's line
only changes when the article does -- which the store knows, since it rewrites the
article's file then (a fold of the journal, an import, a new analysis).  So the store
builds the line there, once, and writes it into the article file as its last table,
``export``::

    …,"export":{"1":<the line: the Prodigy task, then its newline>,"2":{"kept_line":2,
                 "article":…,"version":…,"answer":…,"status":…,"updated":…,"count":…,
                 "warnings":[…],"size":…,"check":"<CRC-32, 8 hex digits>"}}}

Document 1 is the task itself (``TinyDB(path).table("export").get(doc_id=1)`` reads
it); document 2 says which article it belongs to, with which builder it was made
(:func:`~annotate.formats.prodigy_jsonl.line_version`: format, tokenizer and JSON
writer versions), the ``answer`` it carries, the article's status and latest decision
time (what an export selects on), how many annotations it holds, the warnings
building it reported, the line's size in bytes (the newline, whitespace to JSON,
included: the line is one slice of the file), and last the CRC-32 of every byte of the
file before ``,"check":`` -- the content, the line and document 2 itself.
``newsread export --format jsonl`` without ``--label``/``--annotator`` reads the file's
bytes, finds document 2 at the very end (:func:`kept_in`), checks the CRC and writes the
line as it is: no JSON parsing of the article, no task building (as Prodigy's own
database keeps its tasks as JSON).

Why the CRC: nothing else ties the line to the content beside it once the file is out
of the store's hands.  A hand edit of the items (``sed``) would leave a stale line
that is exported and never made again, and a damaged byte inside the line would be
exported as invalid JSON, where any damaged byte of an article file used to stop the
export with :class:`~store.errors.StoreCorrupt` naming the file.  With a CRC that does
not match, the line is not there for anyone (:func:`kept_in`, :func:`version_and_rest`):
the file is parsed whole -- damage is reported as before, an edited content gives its
own line -- and the writer makes the line again.  A CRC-32 of a few kB costs a couple
of microseconds, a tenth of an exported article's time.

Why inside the article file rather than beside it (a file per article, measured with
``bench/export.py``): the line is then always the line of the very content it sits
with -- written by the same atomic, synced rewrite, so no crash, older newsread or
journal replay can pair a line with other content -- and an export needs no ``stat``
and no second file per article to know that; a fold or an import syncs no extra file.
A line made by another builder version is not used, and an article rewritten by a
newsread that does not keep lines simply has none: the export builds its line as
before.  Articles nobody reviewed (status ``new``) keep no line: the default export
leaves them out.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any, NamedTuple

import orjson

TABLE = "export"
LAYOUT = 2
"""Version of this table's layout (document 2's ``kept_line``; 2: with its ``check``)."""

_LINE_START = b',"' + TABLE.encode() + b'":{"1":'
_META_START = b',"2":{"kept_line":%d,' % LAYOUT
_CHECK_KEY = b',"check":"'
_CHECK_AT = len(_CHECK_KEY) + 8 + len(b'"}}}')  # from the end: 8 hex digits, then document
# 2, the table and the file end: a fixed place, found with no search


class KeptLine(NamedTuple):
    """A kept line and what document 2 says of it (see the module; ``total`` is its
    ``count``).  ``line`` ends with its newline, ready to write."""

    version: str
    answer: str
    status: str
    updated: float
    total: int
    warnings: Sequence[str]
    line: memoryview


class Kept(NamedTuple):
    """An ``export`` table to write: the line (with its newline) and document 2 without
    its ``check``, which :func:`file_bytes` adds over the bytes written."""

    line: bytes
    meta: dict[str, Any]


def table(
    article_id: str,
    version: str,
    *,
    answer: str,
    status: str,
    updated: float,
    total: int,
    warnings: Sequence[str],
    line: bytes,
) -> Kept:
    """The ``export`` table of an article file, for ``ArticleFile.write`` to write last
    (with :func:`file_bytes`).

    ``line`` is the JSONL line with its final newline, which stays in the file as
    whitespace after the task, so that the line is one slice of the file's bytes."""
    if not line.endswith(b"\n"):
        line += b"\n"
    meta = {
        "kept_line": LAYOUT,
        "article": article_id,
        "version": version,
        "answer": answer,
        "status": status,
        "updated": updated,
        "count": total,
        "warnings": list(warnings),
        "size": len(line),
    }
    return Kept(line, meta)


def file_bytes(tables: dict[str, Any], kept: Kept) -> bytes:
    """The bytes of an article file holding ``tables`` (TinyDB's layout, not empty) and
    then the ``export`` table ``kept``: serialised here rather than by the storage,
    because document 2 ends with the CRC of the very bytes before it (see the module)."""
    body = b"".join(
        (
            orjson.dumps(tables)[:-1],  # the file's closing brace comes last
            _LINE_START,
            kept.line,
            b',"2":',
            orjson.dumps(kept.meta)[:-1],  # document 2, open for its check
        )
    )
    return body + b'%s%08x"}}}' % (_CHECK_KEY, zlib.crc32(body))


def _find(raw: bytes) -> tuple[int, dict[str, Any]] | None:
    """Where the line starts, and document 2, when the file ends with a kept line whose
    CRC matches the file's bytes.

    A raw ``,"2":{"kept_line":`` cannot be inside a JSON string (its quotes would be
    escaped), and only document 2 of the last table ends the file with it; the line is
    the ``size`` bytes before it, behind the table's own key."""
    end = len(raw) - _CHECK_AT
    if end < 0 or not raw.startswith(_CHECK_KEY, end) or not raw.endswith(b'"}}}'):
        return None
    try:
        check = int(raw[end + len(_CHECK_KEY) : -4], 16)
    except ValueError:
        return None
    if zlib.crc32(memoryview(raw)[:end]) != check:
        return None
    meta_at = raw.rfind(_META_START, 0, end)
    if meta_at < 0:
        return None
    try:
        meta = orjson.loads(raw[meta_at + 5 : -2])
        line_at = meta_at - meta["size"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return None
    if line_at < len(_LINE_START) or not raw.startswith(_LINE_START, line_at - len(_LINE_START)):
        return None
    return line_at, meta


def kept_in(raw: bytes, article_id: str) -> KeptLine | None:
    """The kept line of an article file's bytes; ``None`` when there is no intact one
    for ``article_id`` (the CRC does not match: the file is then parsed whole, which
    reports damage and builds an edited content's line).  An export runs this once per
    article."""
    found = _find(raw)
    if found is None:
        return None
    line_at, meta = found
    try:
        if meta["article"] != article_id:
            return None
        return KeptLine(
            meta["version"],
            meta["answer"],
            meta["status"],
            meta["updated"],
            meta["count"],
            meta["warnings"],
            memoryview(raw)[line_at : line_at + meta["size"]],
        )
    except (KeyError, TypeError):
        return None


def without_kept(raw: bytes) -> bytes:
    """An article file's bytes without its kept line, for whoever parses the rest (all
    of them when the line is not intact, so that damage is not hidden)."""
    return version_and_rest(raw)[1]


def version_and_rest(raw: bytes) -> tuple[str, bytes]:
    """The version of an article file's kept line (``""`` when there is no intact one:
    the writer makes it again) and the file's bytes without it (all of them then, so
    that whoever parses them reports a damaged file as it would without kept lines)."""
    found = _find(raw)
    if found is None:
        return "", raw
    version = found[1].get("version")
    return version if isinstance(version, str) else "", raw[: found[0] - len(_LINE_START)] + b"}"
