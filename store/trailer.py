"""An extra table written last in an article file, with a CRC: a cache tied to its content.

A caller of the store may want something derived from an article kept with it (an
export, say, a line it would otherwise build for every article) and remade only
when the article changes, which the store knows: it rewrites the file
then.  The store asks its :class:`RewriteHook` for the table at each rewrite and
writes it as the file's last table, ``export``::

    …,"export":{"1":<payload, ending with a newline>,"2":{"kept_line":2,"article":…,
                 "version":…,"status":…,"updated":…,<the hook's fields>,"size":…,
                 "check":"<CRC-32, 8 hex digits>"}}}

Document 2 names the article, the ``version`` of what made the table (a table made by
another version is stale), the article's status and latest decision time when it was
made, the hook's own fields, the payload's size, and last the CRC-32 of every byte of
the file before ``,"check":``.  A reader finds document 2 at a fixed place from the
end (:func:`find_extra`), checks the CRC and uses the payload as one slice of the
file: no JSON parse of the article.  Why the CRC: a hand edit of the items or a damaged
byte would otherwise leave a stale or broken payload in use; with a CRC that does not
match, the table is not there for anyone and the file is parsed whole (damage is
reported as before).  Inside the file rather than beside it: the same atomic, synced
rewrite writes both, so no crash or replay can pair a table with other content.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol

import orjson

from annotate.model import Annotations, Article

TABLE = "export"
LAYOUT = 2
"""Version of this table's layout (document 2's first key; 2: with its ``check``)."""

_LINE_START = b',"' + TABLE.encode() + b'":{"1":'
_META_START = b',"2":{"kept_line":%d,' % LAYOUT
_CHECK_KEY = b',"check":"'
_CHECK_AT = len(_CHECK_KEY) + 8 + len(b'"}}}')  # from the end: 8 hex digits, then document
# 2, the table and the file end: a fixed place, found with no search


ExtraTable = tuple[bytes, dict[str, Any]]
"""What a :class:`RewriteHook` makes: the payload (ending with a newline) and the hook's
own fields of document 2."""


class FoundExtra(NamedTuple):
    """An intact extra table read back: document 2 (``status``, ``updated``, ``version``
    and the hook's fields) and the payload, a slice of the file's bytes."""

    meta: dict[str, Any]
    payload: memoryview

    @property
    def status(self) -> str:
        """The article's status when the table was made."""
        return str(self.meta["status"])

    @property
    def updated(self) -> float:
        """The article's latest decision time when the table was made."""
        return float(self.meta["updated"])

    @property
    def version(self) -> str:
        """What made the table (see :meth:`RewriteHook.version`)."""
        return str(self.meta["version"])


class RewriteHook(Protocol):
    """What the store calls when it rewrites an article file (see the module).

    The store knows nothing of what the table holds; it only caches opaque token data
    (``store.tokens``) made by :meth:`tokenize` and hands it back to :meth:`make`."""

    def version(self) -> str:
        """What tables are made with now; ``""`` when none can be.  May be slow the first
        time (the store calls it without its lock held, in the background)."""
        ...

    def make(
        self, article: Article, annotations: Annotations, status: str, tokens: bytes | None
    ) -> ExtraTable | None:
        """The article's table (``None``: none for it) for its ``status`` (a summary's);
        ``tokens`` is its cached token data, if any."""
        ...

    def tokenize(self, articles: Sequence[Article]) -> dict[str, bytes]:
        """Token data to cache for these articles (an import), by article id."""
        ...

    def tokens_fit(self, head: bytes) -> bool:
        """Whether cached token data with this header can still make a table (a record
        made by another tokenizer cannot: its articles are not read for nothing)."""
        ...


def meta_of(
    article_id: str, version: str, status: str, updated: float, extra: ExtraTable
) -> dict[str, Any]:
    """Document 2 of ``extra`` without its ``check``, which :func:`file_bytes` adds."""
    payload, fields = extra
    return {
        "kept_line": LAYOUT,
        "article": article_id,
        "version": version,
        "status": status,
        "updated": updated,
        **fields,
        "size": len(payload),
    }


def file_bytes(tables: dict[str, Any], payload: bytes, meta: dict[str, Any]) -> bytes:
    """The bytes of an article file holding ``tables`` (TinyDB's layout, not empty) and
    then the extra table (``payload``, ending with a newline, and document 2 ``meta``):
    serialised here because document 2 ends with the CRC of the very bytes before it."""
    body = b"".join(
        (
            orjson.dumps(tables)[:-1],  # the file's closing brace comes last
            _LINE_START,
            payload,
            b',"2":',
            orjson.dumps(meta)[:-1],  # document 2, open for its check
        )
    )
    return body + b'%s%08x"}}}' % (_CHECK_KEY, zlib.crc32(body))


def _find(raw: bytes) -> tuple[int, dict[str, Any]] | None:
    """Where the payload starts, and document 2, when the file ends with an extra table
    whose CRC matches the file's bytes.

    A raw ``,"2":{"kept_line":`` cannot be inside a JSON string (its quotes would be
    escaped), and only document 2 of the last table ends the file with it; the payload
    is the ``size`` bytes before it, behind the table's own key."""
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


def find_extra(raw: bytes, article_id: str) -> FoundExtra | None:
    """The intact extra table of an article file's bytes for ``article_id``, or ``None``
    (then the file is parsed whole, which reports damage).  Runs once per exported
    article."""
    found = _find(raw)
    if found is None:
        return None
    at, meta = found
    try:
        if meta["article"] != article_id:
            return None
        str(meta["version"]), str(meta["status"]), float(meta["updated"])
        return FoundExtra(meta, memoryview(raw)[at : at + meta["size"]])
    except (KeyError, TypeError, ValueError):
        return None


def version_and_rest(raw: bytes) -> tuple[str, bytes]:
    """The version of an article file's extra table (``""`` when there is no intact one:
    the writer makes it again) and the file's bytes without it (all of them then, so
    that whoever parses them reports a damaged file as it would without one)."""
    found = _find(raw)
    if found is None:
        return "", raw
    version = found[1].get("version")
    return version if isinstance(version, str) else "", raw[: found[0] - len(_LINE_START)] + b"}"


__all__ = [
    "TABLE",
    "ExtraTable",
    "FoundExtra",
    "RewriteHook",
    "file_bytes",
    "find_extra",
    "meta_of",
    "version_and_rest",
]
