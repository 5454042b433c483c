"""How an article's text becomes tokens: one tokenizer for the screen and every export.

The reader moves a selection by tokens (:mod:`annotate.tokens`) and every export
carries token indices (:mod:`annotate.formats.tokens`); both must cut the text the
same way, so the cutting lives here, below both: spaCy's blank English tokenizer
(the same rules as ``en_core_web_sm``'s, no model weights), guarded against
pathological text, or the whitespace tokens an article came with (CoNLL imports:
``meta["tokenization"] == "whitespace"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from annotate.detect.nlp import load_model
from annotate.model import Article

if TYPE_CHECKING:
    from spacy.tokens import Doc

TOKENIZATION_KEY = "tokenization"
"""``Article.meta`` key saying how an article was tokenized at its source."""
WHITESPACE = "whitespace"
"""The tokens are the whitespace-separated pieces of the text (CoNLL imports)."""


def is_pretokenized(meta: Mapping[str, Any]) -> bool:
    """True when the article's text is already its tokens joined by whitespace."""
    return meta.get(TOKENIZATION_KEY) == WHITESPACE


def make_doc(article: Article) -> Doc:
    """The article's text as a tokenized spaCy ``Doc`` (no pipeline components run)."""
    if is_pretokenized(article.meta):
        return whitespace_doc(article.text)
    return guarded_doc(article.text)


def guarded_doc(text: str) -> Doc:
    """spaCy's tokens of ``text``, in linear time even on pathological text.

    spaCy's tokenizer is quadratic on a long whitespace-free stretch (30,000 ``=``:
    minutes).  The tokenizer reads the text the analysis reads
    (:func:`annotate.detect.pipeline.spacy_text`, same length, symbol runs and symbol
    lines blanked); each blanked stretch then becomes one token of the original
    characters.  Prose is never blanked, so its tokens are exactly spaCy's.
    """
    from spacy.tokens import Doc
    from spacy.util import get_words_and_spaces

    from annotate.detect.pipeline import spacy_text

    nlp = load_model("blank:en")
    guarded = spacy_text(text)
    if guarded == text:
        return nlp.make_doc(text)
    pieces = [(t.idx, t.idx + len(t.text)) for t in nlp.make_doc(guarded) if not t.is_space]
    start = None
    for i, (old, new) in enumerate(zip(text, guarded, strict=True)):
        if old != new and start is None:
            start = i
        elif old == new and start is not None:
            pieces.append((start, i))
            start = None
    if start is not None:
        pieces.append((start, len(text)))
    words, spaces = get_words_and_spaces([text[s:e] for s, e in sorted(pieces)], text)
    return Doc(nlp.vocab, words=words, spaces=spaces)


def whitespace_doc(text: str) -> Doc:
    """A ``Doc`` whose tokens are the whitespace-separated pieces of ``text``.

    Runs of whitespace other than one space (newlines, double spaces) become
    whitespace tokens, as spaCy's own tokenizer makes them, so the Doc's text is
    exactly ``text``.
    """
    from spacy.tokens import Doc
    from spacy.util import get_words_and_spaces

    nlp = load_model("blank:en")
    words, spaces = get_words_and_spaces(text.split(), text)
    return Doc(nlp.vocab, words=words, spaces=spaces)
