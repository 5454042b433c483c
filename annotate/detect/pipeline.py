"""Running the detectors over articles: spaCy once per batch, then the rules on each Doc.

``nlp.pipe`` is the expensive part, so everything else works on the Doc it returns
and hands back plain :class:`~annotate.model.Annotations` (no Doc leaves this module):
entities (:mod:`annotate.detect.entities`), quotations with speakers (:mod:`annotate.detect.quotes`)
and sentence bounds.  With ``n_process > 1`` spaCy parses in worker processes and the
rules run here, on the Docs as they come back, in input order.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import TYPE_CHECKING

from annotate.detect.attribution import annotated
from annotate.detect.entities import fix_entities
from annotate.detect.quotes import detect_quotes
from annotate.model import Annotations, Article

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


def sentence_bounds(doc: Doc, text: str) -> tuple[tuple[int, int], ...]:
    """Sentence character bounds without trailing whitespace (``()`` without a parser)."""
    if not annotated(doc, "SENT_START"):
        return ()
    bounds = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            bounds.append((start, end))
    return tuple(bounds)


def annotations_from_doc(doc: Doc, *, labels: Collection[str] | None = None) -> Annotations:
    """Entity and quotation suggestions and sentence bounds of one analysed Doc.

    ``labels`` restricts the entity labels suggested (``None``: all the model's).
    Quotations are found with every entity available, so that a pronoun speaker can
    resolve to a PERSON even when PERSON is not an annotated label.
    """
    text = doc.text  # spaCy joins the tokens on every access: once is enough
    sentences = sentence_bounds(doc, text)
    entities = fix_entities(doc, text=text)
    quotes = detect_quotes(doc, entities=entities, sentences=sentences, text=text)
    if labels is not None:
        allowed = set(labels)
        entities = tuple(e for e in entities if e.label in allowed)
    return Annotations(entities=entities, quotes=quotes, sentences=sentences)


def analyze(
    nlp: Language,
    articles: Iterable[Article],
    *,
    batch_size: int = 16,
    n_process: int = 1,
    labels: Collection[str] | None = None,
) -> Iterator[tuple[Article, Annotations]]:
    """Each article with the suggestions made for it, in input order.

    ``n_process`` is spaCy's multiprocessing (worker processes parse, this process
    applies the rules); ``labels`` restricts the entity labels.
    """
    stream = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(
        stream, as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        yield article, annotations_from_doc(doc, labels=labels)
