"""Statement tags suggested by a trained ``textcat_multilabel`` (``newsread train``).

A pipeline trained from the decisions carries a multi-label classifier of statement
tags (``annotate.learn.tags``).  It was trained on single statements, so it is asked
about single sentences: each sentence of an analysed article is scored on its own, and
the tags scoring :data:`THRESHOLD` or more become one *pending* statement on that
sentence, accepted or rejected like any other suggestion.  A sentence where no tag
reaches it gets nothing (no suggestion is not a "none of the tags" claim).

The classifier is a bag of words over the tokenizer's output, so scoring a sentence is
one ``make_doc`` and one cheap ``pipe`` batch per article; the whole article is never
given to it (``analyze`` disables it in the main ``nlp.pipe``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from annotate.model import Statement
from annotate.statements import suggested_statement

if TYPE_CHECKING:
    from spacy.language import Language

PIPE = "textcat_multilabel"
"""The name of the statement-tag classifier in a trained pipeline."""
THRESHOLD = 0.5
"""A tag is predicted (and suggested) when its score reaches this."""


def tag_classifier(nlp: Language) -> Any | None:
    """The pipeline's statement-tag classifier, or ``None`` when it has none."""
    return nlp.get_pipe(PIPE) if PIPE in nlp.pipe_names else None


def suggest_tags(
    nlp: Language,
    classifier: Any,
    text: str,
    sentences: Sequence[tuple[int, int]],
    *,
    threshold: float = THRESHOLD,
) -> tuple[Statement, ...]:
    """A pending statement on each sentence of ``text`` with the tags scoring at least
    ``threshold`` (in the classifier's label order); none on the other sentences."""
    if not sentences:
        return ()
    docs = classifier.pipe(nlp.make_doc(text[start:end]) for start, end in sentences)
    found = []
    for (start, end), doc in zip(sentences, docs, strict=True):
        tags = [tag for tag, score in doc.cats.items() if score >= threshold]
        if tags:
            found.append(suggested_statement(start, end, tags))
    return tuple(found)
