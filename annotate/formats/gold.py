"""What every annotated import shares: checked labels, offsets into cleaned text, *done*.

doccano, Label Studio, brat, CoNLL and Prodigy files all arrive as a text plus labelled
character ranges made by a person.  Three rules hold for all of them, so they live here
once instead of in each reader:

* A label or annotator name is data from someone else's tool: it must pass
  :func:`~annotate.terminal_text.check_token` (short, printable, no control or bidi
  characters), or the record is refused with a message naming its place; both are later
  printed in the app, in ``stats`` and in CoNLL columns, where a newline or an escape
  sequence would do harm.
* Offsets point into the raw text; the stored text is cleaned (control characters
  removed), so every range is moved with :class:`~annotate.offsets.OffsetMap`.
  The article size limit (:data:`~annotate.limits.MAX_ARTICLE_CHARS`) applies here too.
* A record from a format that marks the whole text (every entity of it was looked at)
  makes its article *done*: :func:`complete` records the import as the article's
  analysis, so the model's suggestions are not laid on top of gold.  With
  ``--as-suggestions`` the spans are pending and the article is analysed as usual.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from annotate.control import clean_with_offsets
from annotate.formats.base import FormatError
from annotate.limits import MAX_ARTICLE_CHARS
from annotate.model import Annotations, Article, Origin, Quote, Span, Status
from annotate.offsets import OffsetMap
from annotate.terminal_text import check_token

IMPORT_ANALYSIS = "import"
"""``Article.analysis["model"]`` of an article whose gold came whole with an import."""
QUOTE = "QUOTE"
"""The span label of a quotation in formats without quotes of their own."""
SPEAKER = "SPEAKER"
"""The relation label that makes a head span the speaker of a quote (Prodigy's too)."""


def check_label(value: Any, what: str) -> str:
    """``value`` if it is a usable label, else :class:`FormatError` saying why."""
    if not isinstance(value, str) or not value:
        raise FormatError(f"{what} has no label")
    try:
        return check_token(value, f"{what} label")
    except ValueError as exc:
        raise FormatError(str(exc)) from None


def check_annotator(value: Any, fallback: str | None) -> str | None:
    """The record's annotator, else ``fallback`` (``--annotator``) when it names none.

    A name that is there but unusable (control characters, too long) refuses the
    record, as a bad label does: it is hostile or corrupt, not missing.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # Label Studio and doccano name users by number
    if not isinstance(value, str) or not value:
        return fallback
    try:
        return check_token(value, "annotator", spaces=True)
    except ValueError as exc:
        raise FormatError(str(exc)) from None


def complete(article: Article, fmt: str) -> Article:
    """``article`` marked as analysed by its import (see the module docstring)."""
    analysis = {"model": IMPORT_ANALYSIS, "version": fmt}
    return Article.from_dict({**article.to_dict(), "analysis": analysis})


@dataclass
class GoldText:
    """The cleaned text of one record and the factory of its spans.

    ``status`` is ``accepted`` for gold, ``pending`` with ``--as-suggestions``;
    ``annotator`` and ``timestamp`` are recorded on every span it makes.
    """

    raw: str
    status: Status
    annotator: str | None
    timestamp: float
    text: str = ""
    offsets: OffsetMap | None = None

    def __post_init__(self) -> None:
        if len(self.raw) > MAX_ARTICLE_CHARS:
            raise FormatError(
                f"text of {len(self.raw):,} characters is more than the "
                f"{MAX_ARTICLE_CHARS:,} an article may have"
            )
        try:
            self.text, self.offsets = clean_with_offsets(self.raw)
        except ValueError as exc:
            raise FormatError(str(exc)) from None
        if not self.text.strip():
            raise FormatError("the text is empty")

    def bounds(self, start: Any, end: Any, what: str) -> tuple[int, int]:
        """Cleaned-text offsets of raw ``start:end``, checked against the text."""
        if not _is_int(start) or not _is_int(end):
            raise FormatError(f"{what} needs integer start and end offsets")
        if not 0 <= start < end <= len(self.raw):
            raise FormatError(
                f"{what} offsets {start}:{end} are outside the text (length {len(self.raw)})"
            )
        assert self.offsets is not None
        new_start, new_end = self.offsets.span_to_clean(start, end)
        if new_start >= new_end:
            raise FormatError(f"{what} covers only control characters")
        return new_start, new_end

    def entity(self, start: Any, end: Any, label: Any, what: str) -> Span:
        """A person's span on raw ``start:end`` with a checked label."""
        first, last = self.bounds(start, end, what)
        return Span(
            first,
            last,
            check_label(label, what),
            origin=Origin.USER,
            status=self.status,
            annotator=self.annotator,
            timestamp=self.timestamp,
        )

    def quote(self, content: Span, speaker: Span | None) -> Quote:
        """A quote (a ``QUOTE`` span) said by ``speaker``, decided together with it."""
        mention = None
        if speaker is not None:
            mention = Span(speaker.start, speaker.end, SPEAKER, origin=Origin.USER,
                           status=self.status, annotator=self.annotator,
                           timestamp=self.timestamp)  # fmt: skip
        return Quote(
            content.start,
            content.end,
            speaker=mention,
            origin=Origin.USER,
            status=self.status,
            speaker_status=self.status,
            annotator=self.annotator,
            timestamp=self.timestamp,
        )

    def assemble(
        self, spans: dict[str, Span], relations: Iterable[tuple[str, str, Any, str]]
    ) -> tuple[list[Span], list[Quote]]:
        """Entities and quotes from a record's labelled spans (by the record's own ids) and
        relations ``(head id, child id, label, where)``.

        ``QUOTE`` spans become quotes, ``SPEAKER`` spans only speakers; a ``SPEAKER``
        relation makes its head the speaker of its child.  newsread keeps no other
        relation, so a record with one is refused rather than imported without it.
        """
        speakers: dict[str, str] = {}
        for head, child, label, what in relations:
            if check_label(label, what).upper() != SPEAKER:
                raise FormatError(
                    f"{what} is a {label!r} relation; newsread keeps only SPEAKER relations "
                    f"(speaker -> quote)"
                )
            if head not in spans or child not in spans:
                raise FormatError(f"{what} points to a span the record does not have")
            if child in speakers:
                raise FormatError(f"{what}: the quote has a second speaker")
            speakers[child] = head
        quotes = [
            self.quote(span, spans[speakers[key]] if key in speakers else None)
            for key, span in spans.items()
            if key in speakers or span.label.upper() == QUOTE
        ]
        heads = set(speakers.values())
        entities = [
            span
            for key, span in spans.items()
            if key not in speakers
            and span.label.upper() != QUOTE
            and not (key in heads and span.label.upper() == SPEAKER)
        ]
        return entities, quotes


def gold_status(as_suggestions: bool) -> Status:
    """Accepted decisions, or pending suggestions with ``--as-suggestions``."""
    return Status.PENDING if as_suggestions else Status.ACCEPTED


def stamp_of(value: Any, now: float | None) -> float:
    """A record's own timestamp when it has a number, else the import's time."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return time.time() if now is None else now


def gold_article(
    gold: GoldText,
    entities: Iterable[Span],
    quotes: Iterable[Quote],
    *,
    fmt: str,
    source: str,
    title: str = "",
    as_suggestions: bool = False,
) -> tuple[Article, Annotations]:
    """The article of one record and its annotations (unique, in reading order),
    marked complete unless they are suggestions (see the module docstring)."""
    unique: dict[str, Span] = {}
    for span in entities:
        unique.setdefault(span.id, span)
    quote_ids: dict[str, Quote] = {}
    for quote in quotes:
        quote_ids.setdefault(quote.id, quote)
    annotations = Annotations(
        entities=tuple(sorted(unique.values(), key=_order)),
        quotes=tuple(sorted(quote_ids.values(), key=_order)),
    )
    article = Article.from_text(gold.text, title=title, source=source)
    if not as_suggestions and (annotations.entities or annotations.quotes):
        article = complete(article, fmt)
    return article, annotations


def _order(item: Span | Quote) -> tuple[int, int, str]:
    return (item.start, -item.end, item.id)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_K = TypeVar("_K")


def write_ranges(
    annotations: Annotations, add: Callable[[int, int, str], _K], relate: Callable[[_K, _K], None]
) -> None:
    """Walk the ranges a span-and-relation format writes, in the order it writes them.

    Entities first, then each quote as a ``QUOTE`` range with its speaker as a
    ``SPEAKER`` range and a ``relate(speaker, quote)``: doccano and Label Studio
    differ only in what a range and a relation look like (``add`` and ``relate``).
    """
    for span in annotations.entities:
        add(span.start, span.end, span.label)
    for quote in annotations.quotes:
        child = add(quote.start, quote.end, QUOTE)
        if quote.speaker is not None:
            relate(add(quote.speaker.start, quote.speaker.end, SPEAKER), child)
