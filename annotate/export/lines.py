"""Kept export lines: each reviewed article's line of the default JSONL export, kept in
its file by the store so that an export copies it instead of building it.

Building a Prodigy task costs several times more than reading and writing the line it
gives, and the line only changes when the article does -- which the store knows, since
it rewrites the article's file then.  :class:`KeptLines` is the hook the store calls
there (``store.trailer.RewriteHook``: the store writes what it returns as the file's
last table, with a CRC); :func:`kept_line` reads a line back from what the store found.
Articles nobody reviewed (status ``new``) keep no line: the default export leaves them
out.  A line made by another builder version (``line_version``: format, tokenizer and
JSON writer) is stale and not used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from annotate.export.source import ExtraFound
from annotate.model import Annotations, Article, ArticleStatus


class KeptLine(NamedTuple):
    """A kept line and what it was made for; ``line`` ends with its newline."""

    version: str
    answer: str
    status: str
    updated: float
    total: int
    warnings: Sequence[str]
    line: memoryview


class Table(NamedTuple):
    """The table the store writes (``store.trailer.ExtraTable``: same fields)."""

    payload: bytes
    fields: dict[str, Any]


def kept_line(found: ExtraFound | None) -> KeptLine | None:
    """The kept line in a table the store read back; ``None`` when it is not one."""
    if found is None:
        return None
    meta = found.meta
    try:
        return KeptLine(
            meta["version"],
            meta["answer"],
            meta["status"],
            meta["updated"],
            meta["count"],
            meta["warnings"],
            found.payload,
        )
    except (KeyError, TypeError):
        return None


class KeptLines:
    """The store's rewrite hook that keeps each reviewed article's default export line.

    Heavy modules (the export formats, spaCy's tokenizer) load on first use, outside
    the store's lock where the store allows it."""

    def version(self) -> str:
        """The builder's version (``prodigy_jsonl.line_version``)."""
        from annotate.formats.prodigy_jsonl import line_version

        return line_version()

    def make(
        self, article: Article, annotations: Annotations, status: str, tokens: bytes | None
    ) -> Table | None:
        """The article's line, from its cached tokens (never loads the tokenizer)."""
        from annotate.formats.prodigy_jsonl import answer_for, default_line
        from annotate.formats.tokens import CachedTokens

        if status == ArticleStatus.NEW:
            return None
        cached = CachedTokens.from_bytes(tokens)
        if cached is None:
            return None
        built = default_line(article, annotations, cached, status=status)
        if built is None:
            return None
        line = built.line if built.line.endswith(b"\n") else built.line + b"\n"
        fields = {
            "answer": answer_for(status),
            "count": built.total,
            "warnings": list(built.warnings),
        }
        return Table(line, fields)

    def tokenize(self, articles: Sequence[Article]) -> dict[str, bytes]:
        """The articles' tokens as the export embeds them (an import caches them)."""
        from annotate.formats.tokens import cache_tokens

        return {a.id: cache_tokens(a).to_bytes() for a in articles}

    def tokens_fit(self, head: bytes) -> bool:
        """Whether tokens cached with this header were made by today's tokenizer."""
        from annotate.formats.tokens import made_by_current_tokenizer

        return made_by_current_tokenizer(head)
