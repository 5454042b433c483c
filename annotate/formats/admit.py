"""What an import admits: every article within the size limit, every label a token.

Readers turn records into :class:`Imported` items; before one reaches a store it
passes :func:`check_item` here, whatever its format (JSONL, CoNLL, and the formats
added later), so no format can bring in an article over
:data:`~annotate.limits.MAX_ARTICLE_CHARS` or a label, tag or annotator name that
would put control bytes on a terminal or into an export (a label is printed raw by
CoNLL export and drawn in the reader).  A refused record is a :class:`Failure`
naming its file and line; the file's other records still come in.

:func:`capped` keeps a hopeless file (a binary renamed ``.jsonl``) from printing a
million error lines: the first :data:`MAX_ERRORS_SHOWN` failures, then one line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from annotate.formats.base import Failure, Imported
from annotate.limits import MAX_ARTICLE_CHARS
from annotate.model import Annotations
from annotate.terminal_text import check_token, escape, one_line

MAX_ERRORS_SHOWN = 20
"""Failures named one by one per file; beyond this one line says how many more."""


def check_annotations(annotations: Annotations) -> None:
    """``ValueError`` for the first label, tag or annotator name that is not a token."""
    for span in annotations.entities:
        check_token(span.label, "label")
        _check_annotator(span.annotator)
    for quote in annotations.quotes:
        _check_annotator(quote.annotator)
        for part in (quote.speaker, quote.cue, quote.speaker_ref):
            if part is not None:
                check_token(part.label, "label")
                _check_annotator(part.annotator)
    for statement in annotations.statements:
        _check_annotator(statement.annotator)
        for tag in statement.tags:
            check_token(tag, "tag")


def _check_annotator(name: str | None) -> None:
    if name is not None:
        check_token(name, "annotator", spaces=True)


def check_item(item: Imported) -> Failure | None:
    """Why ``item`` may not be imported, or ``None`` when it may."""
    size = len(item.article.text)
    if size > MAX_ARTICLE_CHARS:
        return Failure(
            item.where,
            f"article too large ({size:,} characters; at most {MAX_ARTICLE_CHARS:,}), "
            "split it first",
        )
    if item.annotations is not None:
        try:
            check_annotations(item.annotations)
        except ValueError as exc:
            return Failure(item.where, f"{exc}; record refused")
    return None


def checked(items: Iterable[Imported | Failure]) -> Iterator[Imported | Failure]:
    """``items`` with each refused article turned into its failure, the rest made safe."""
    for item in items:
        if isinstance(item, Imported):
            failure = check_item(item)
            if failure is not None:
                yield failure
                continue
            item = safe_item(item)
        yield item


def safe_item(item: Imported) -> Imported:
    """``item`` with its source and meta strings escaped (:func:`escape`).

    The text is cleaned by every reader, labels are checked; what is left from the
    file is its name (the source) and the meta an import carries, which are shown and
    exported as they are: a control or bidi character in them is kept visible instead.
    """
    article = item.article
    meta = _safe_value(article.meta)
    source = one_line(article.source)
    if source == article.source and meta == article.meta:
        return item
    safe = replace(article, source=source, meta=meta)
    return replace(item, article=safe)


def _safe_value(value: Any) -> Any:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, Mapping):
        return {key: _safe_value(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_safe_value(v) for v in value]
    return value


def capped(
    items: Iterable[Imported | Failure], where: str, shown: int = MAX_ERRORS_SHOWN
) -> Iterator[Imported | Failure]:
    """``items`` with failures past the ``shown``-th of one file folded into one more.

    Stops reading a file once failures outnumber ``shown`` a hundred times over with
    nothing imported: such a file is not the format its name says.
    """
    failures = imported = 0
    stopped = ""
    for item in items:
        if isinstance(item, Imported):
            imported += 1
            yield item
            continue
        failures += 1
        if failures <= shown:
            yield item
        elif not imported and failures >= 100 * shown:
            stopped = "; nothing in it could be read, the rest of the file was skipped"
            break
    if failures > shown:
        more = failures - shown
        reason = f"… and {more:,} more error{'s' if more != 1 else ''}{stopped}"
        yield Failure(where, reason, count=more)
