"""Kept export lines: each article's line of the default JSONL export, inside its file.

Building a Prodigy task (selection, span dicts, sorting, two hashes, serialising) costs
several times more than reading and writing the line it gives, and an article's line
only changes when the article does -- which the store knows, since it rewrites the
article's file then (a fold of the journal, an import, a new analysis).  So the store
builds the line there, once, and writes it into the article file as its last table,
``export``::

    …,"export":{"1":<the line: the Prodigy task, then its newline>,"2":{"kept_line":1,
                 "article":…,"version":…,"answer":…,"status":…,"updated":…,"count":…,
                 "warnings":[…],"size":…}}}

Document 1 is the task itself (``TinyDB(path).table("export").get(doc_id=1)`` reads
it); document 2 says which article it belongs to, with which builder it was made
(:func:`~annotate.formats.prodigy_jsonl.line_version`: format, tokenizer and JSON
writer versions), the ``answer`` it carries, the article's status and latest decision
time (what an export selects on), how many annotations it holds, the warnings
building it reported, and the line's size in bytes (the newline, whitespace to JSON,
included: the line is one slice of the file).  ``newsread export --format
jsonl`` without ``--label``/``--annotator`` reads the file's bytes, finds document 2
at the very end (:func:`kept_in`) and writes the line as it is: no JSON parsing of the
article, no task building (as Prodigy's own database keeps its tasks as JSON).

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

from collections.abc import Sequence
from typing import Any, NamedTuple

import orjson

TABLE = "export"
LAYOUT = 1
"""Version of this table's layout (document 2's ``kept_line``)."""

_LINE_START = b',"' + TABLE.encode() + b'":{"1":'
_META_START = b',"2":{"kept_line":%d,' % LAYOUT
_END = b"}}}"  # document 2, the table, the file


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
) -> dict[str, Any]:
    """The ``export`` table of an article file, for ``ArticleFile.write`` to write last.

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
    return {"1": orjson.Fragment(line), "2": meta}


def _find(raw: bytes) -> tuple[int, dict[str, Any]] | None:
    """Where the line starts, and document 2, when the file ends with a kept line.

    A raw ``,"2":{"kept_line":`` cannot be inside a JSON string (its quotes would be
    escaped), and only document 2 of the last table ends the file with it; the line is
    the ``size`` bytes before it, behind the table's own key."""
    if raw[-3:] != _END:
        return None
    meta_at = raw.rfind(_META_START)
    if meta_at < 0:
        return None
    try:
        meta = orjson.loads(raw[meta_at + 5 : -2])
        line_at = meta_at - meta["size"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return None
    if line_at < len(_LINE_START) or raw[line_at - len(_LINE_START) : line_at] != _LINE_START:
        return None
    return line_at, meta


def kept_in(raw: bytes, article_id: str) -> KeptLine | None:
    """The kept line of an article file's bytes; ``None`` when there is no intact one
    for ``article_id``.  An export runs this once per article."""
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
    """An article file's bytes without its kept line, for whoever parses the rest."""
    return version_and_rest(raw)[1]


def version_and_rest(raw: bytes) -> tuple[str, bytes]:
    """The version of an article file's kept line (``""`` when there is none) and the
    file's bytes without it."""
    found = _find(raw)
    if found is None:
        return "", raw
    version = found[1].get("version")
    return version if isinstance(version, str) else "", raw[: found[0] - len(_LINE_START)] + b"}"
