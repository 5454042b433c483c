"""Running the detectors over articles: spaCy once per batch, then the rules on each Doc.

``nlp.pipe`` is the expensive part, so everything else works on the Doc it returns
and hands back plain :class:`~annotate.model.Annotations` (no Doc leaves this module).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from annotate.model import Annotations, Article, Origin, Span, sorted_spans

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


def annotations_from_doc(doc: Doc) -> Annotations:
    """Entity suggestions and sentence boundaries of one analysed Doc."""
    entities = sorted_spans(
        Span(ent.start_char, ent.end_char, ent.label_, origin=Origin.MODEL) for ent in doc.ents
    )
    sentences: tuple[tuple[int, int], ...] = ()
    if doc.has_annotation("SENT_START"):
        sentences = tuple((s.start_char, s.end_char) for s in doc.sents)
    return Annotations(entities=entities, sentences=sentences)


def analyze(
    nlp: Language, articles: Iterable[Article], *, batch_size: int = 16, n_process: int = 1
) -> Iterator[tuple[Article, Annotations]]:
    """Each article with the suggestions the pipeline makes for it, in input order."""
    stream = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(
        stream, as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        yield article, annotations_from_doc(doc)
