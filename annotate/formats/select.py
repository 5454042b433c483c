"""Which decisions an export carries: the accepted ones, optionally one label or annotator.

Exports are training data, so only what a person accepted goes out: accepted
entities, accepted quotes (with their speaker only when the speaker was accepted
too) and tagged statements.  Pending and rejected suggestions stay in the store.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from annotate.model import Annotations, Quote, Span, Statement, Status


@dataclass(frozen=True, slots=True)
class Selection:
    """Export filters on single decisions (article-level filters live with the store).

    ``labels`` keeps only entities with one of these labels (quotes and statements
    are not entities and are kept); ``annotator`` keeps only decisions recorded for
    that person.
    """

    labels: frozenset[str] | None = None
    annotator: str | None = None

    @classmethod
    def of(cls, labels: Collection[str] | None = None, annotator: str | None = None) -> Selection:
        """A selection from command-line values (``None`` or empty means everything)."""
        return cls(frozenset(labels) if labels else None, annotator or None)

    def _by(self, item: Span | Quote | Statement) -> bool:
        return self.annotator is None or item.annotator == self.annotator

    def apply(self, annotations: Annotations) -> Annotations:
        """The accepted decisions of ``annotations`` that pass this selection."""
        entities = tuple(
            e
            for e in annotations.entities
            if e.status is Status.ACCEPTED
            and self._by(e)
            and (self.labels is None or e.label in self.labels)
        )
        quotes = tuple(
            _quote_for_export(q)
            for q in annotations.quotes
            if q.status is Status.ACCEPTED and self._by(q)
        )
        statements = tuple(s for s in annotations.statements if s.tags and self._by(s))
        return Annotations(
            entities=entities,
            quotes=quotes,
            statements=statements,
            sentences=annotations.sentences,
        )


def _quote_for_export(quote: Quote) -> Quote:
    """The quote without a speaker nobody confirmed."""
    if quote.speaker_status is Status.ACCEPTED:
        return quote
    return replace(quote, speaker=None, speaker_ref=None)


def count(annotations: Annotations) -> int:
    """How many annotations an export of ``annotations`` holds (entity, quote, statement)."""
    return len(annotations.entities) + len(annotations.quotes) + len(annotations.statements)
