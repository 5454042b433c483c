"""Decided articles as training examples: only what a person decided, nothing else.

The rule is the export's: a *done* article is complete (every token outside an accepted
entity is ``O``); an article *in progress* says only what was decided -- its accepted
entities, and ``O`` over the entities a person rejected -- and every other token is
*missing* (spaCy's ``ent_iob_ == ""``), so the model is neither told it is an entity nor
that it is not; a *new* article is never training data (the caller leaves it out).

The Docs are made by the pipeline's own tokenizer over the text the analysis reads
(:func:`annotate.detect.pipeline.spacy_text`, same length), so training sees the tokens
the model sees when it suggests.  An entity whose edges fall inside a token cannot be
told to spaCy: its tokens become missing (never ``O``) and it is counted in
:attr:`Converted.unaligned`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotate.detect.pipeline import spacy_text
from annotate.model import Annotations, Article, Status

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan
    from spacy.training import Example


@dataclass(frozen=True, slots=True)
class Decided:
    """One article a person worked on, as the store holds it.

    ``complete`` is true for a *done* article (nothing left to decide), false for one in
    progress.  New articles are never :class:`Decided`.
    """

    article: Article
    annotations: Annotations
    complete: bool


@dataclass(slots=True)
class Converted:
    """Examples made from decided articles, with what went into them."""

    examples: list[Example] = field(default_factory=list)
    labels: Counter[str] = field(default_factory=Counter)
    """Accepted entities per label, as the examples carry them."""
    unaligned: int = 0
    """Accepted entities not on token boundaries (their tokens left missing)."""
    overlapping: int = 0
    """Accepted entities overlapping an earlier one (``doc.ents`` holds one; left out)."""


def reference_doc(nlp: Language, item: Decided, converted: Converted) -> Doc:
    """The article's Doc with the decided entities set (module docstring)."""
    doc = nlp.make_doc(spacy_text(item.article.text))
    taken = [False] * len(doc)
    ents: list[SpacySpan] = []
    missing: list[SpacySpan] = []
    accepted = [e for e in item.annotations.entities if e.status is Status.ACCEPTED]
    for entity in sorted(accepted, key=lambda e: (e.start, -e.end, e.label)):
        span = doc.char_span(entity.start, entity.end, label=entity.label)
        if span is None:
            converted.unaligned += 1
            wide = doc.char_span(entity.start, entity.end, alignment_mode="expand")
            if wide is not None and not any(taken[wide.start : wide.end]):
                taken[wide.start : wide.end] = [True] * len(wide)
                missing.append(wide)
            continue
        if len(span) == 0 or any(taken[span.start : span.end]):
            converted.overlapping += 1
            continue
        taken[span.start : span.end] = [True] * len(span)
        ents.append(span)
        converted.labels[entity.label] += 1
    outside: list[SpacySpan] = []
    if not item.complete:
        for entity in item.annotations.entities:
            if entity.status is not Status.REJECTED:
                continue
            span = doc.char_span(entity.start, entity.end, alignment_mode="contract")
            if span is not None and len(span) and not any(taken[span.start : span.end]):
                taken[span.start : span.end] = [True] * len(span)
                outside.append(span)
    doc.set_ents(
        ents,
        missing=missing,
        outside=outside,
        default="outside" if item.complete else "missing",
    )
    return doc


def to_examples(nlp: Language, items: Iterable[Decided]) -> Converted:
    """Training examples for ``nlp`` from decided articles (module docstring)."""
    from spacy.training import Example

    converted = Converted()
    for item in items:
        reference = reference_doc(nlp, item, converted)
        predicted = nlp.make_doc(spacy_text(item.article.text))
        converted.examples.append(Example(predicted, reference))
    return converted
