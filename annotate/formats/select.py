"""Which decisions an export carries: the accepted ones, optionally one label or annotator.

Exports are training data, so only what a person accepted goes out: accepted
entities, accepted quotes (with their speaker only when the speaker was accepted
too) and tagged statements (a person's own, or tag suggestions they accepted).  Pending
and rejected suggestions stay in the store: nobody said what they are.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from annotate.model import Annotations, Quote, Span, Statement, Status
from annotate.statements import is_tagged

Doc = Mapping[str, Any]
"""An item's ``to_dict`` document (what the store's fast read gives, see ``Store.docs``)."""


class SelectedDocs(NamedTuple):
    """The decisions an export carries, as ``to_dict`` documents."""

    entities: list[Doc]
    quotes: list[Doc]
    statements: list[Doc]

    def total(self) -> int:
        """How many annotations an export of these holds (entity, quote, statement)."""
        return len(self.entities) + len(self.quotes) + len(self.statements)


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
        statements = tuple(s for s in annotations.statements if is_tagged(s) and self._by(s))
        return Annotations(
            entities=entities,
            quotes=quotes,
            statements=statements,
            sentences=annotations.sentences,
        )

    def apply_docs(
        self, entities: Iterable[Doc], quotes: Iterable[Doc], statements: Iterable[Doc]
    ) -> SelectedDocs:
        """:meth:`apply` on the items' ``to_dict`` documents: the same choice, without
        building an object per item (a JSONL export reads the store this way)."""
        annotator, labels = self.annotator, self.labels
        if annotator is None and labels is None:  # the default, and the common case
            return SelectedDocs(
                [e for e in entities if e.get("status") == _ACCEPTED],
                [
                    q if q.get("speaker_status") == _ACCEPTED else _unconfirmed_speaker(q)
                    for q in quotes
                    if q.get("status") == _ACCEPTED
                ],
                [s for s in statements if _tagged(s)],
            )
        return SelectedDocs(
            [
                e
                for e in entities
                if e.get("status") == _ACCEPTED
                and (annotator is None or e.get("annotator") == annotator)
                and (labels is None or str(e["label"]) in labels)
            ],
            [
                q if q.get("speaker_status") == _ACCEPTED else _unconfirmed_speaker(q)
                for q in quotes
                if q.get("status") == _ACCEPTED
                and (annotator is None or q.get("annotator") == annotator)
            ],
            [
                s
                for s in statements
                if _tagged(s) and (annotator is None or s.get("annotator") == annotator)
            ],
        )


_ACCEPTED = str(Status.ACCEPTED)


def _tagged(statement: Doc) -> bool:
    """``annotate.statements.is_tagged`` on a statement document (no ``status``: a person's own
    tags, accepted)."""
    return bool(statement.get("tags")) and statement.get("status", _ACCEPTED) == _ACCEPTED


def _unconfirmed_speaker(quote: Doc) -> Doc:
    """A quote document without a speaker nobody confirmed (as :func:`_quote_for_export`)."""
    return {**quote, "speaker": None, "speaker_ref": None}


def _quote_for_export(quote: Quote) -> Quote:
    """The quote without a speaker nobody confirmed."""
    if quote.speaker_status is Status.ACCEPTED:
        return quote
    return replace(quote, speaker=None, speaker_ref=None)


def count(annotations: Annotations) -> int:
    """How many annotations an export of ``annotations`` holds (entity, quote, statement)."""
    return len(annotations.entities) + len(annotations.quotes) + len(annotations.statements)
