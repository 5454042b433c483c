"""The tokens of an article, as every export format needs them.

Exports carry token indices (Prodigy's ``token_start``/``token_end``, CoNLL lines,
DocBin entities), so they must all tokenize the same way: spaCy's blank English
tokenizer, which applies the same rules as ``en_core_web_sm``'s tokenizer and needs
no model weights.  An article imported from CoNLL keeps the tokens it came with
(``meta["tokenization"] == "whitespace"``: its text is those tokens joined by
spaces, sentences by newlines), so that a CoNLL round trip gives back the same tokens
even where spaCy would split them differently.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from annotate.model import Article
from annotate.nlp import load_model

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
    nlp = load_model("blank:en")
    if is_pretokenized(article.meta):
        return whitespace_doc(article.text)
    return nlp.make_doc(article.text)


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


class TokenIndex:
    """Token boundaries of one Doc, to turn character offsets into token indices."""

    __slots__ = ("starts", "ends", "_start_set", "_end_set")

    def __init__(self, starts: list[int], ends: list[int]) -> None:
        self.starts = starts
        self.ends = ends
        self._start_set = frozenset(starts)
        self._end_set = frozenset(ends)

    def __len__(self) -> int:
        return len(self.starts)

    def aligned(self, start: int, end: int) -> bool:
        """True when ``start:end`` begins and ends exactly on token boundaries."""
        return start in self._start_set and end in self._end_set and start < end

    def token_at(self, char: int) -> int:
        """The index of the token holding character ``char`` (the one before a gap)."""
        return max(bisect_right(self.starts, char) - 1, 0)

    def token_span(self, start: int, end: int) -> tuple[int, int]:
        """First and last (inclusive) token touched by ``start:end``, as Prodigy counts."""
        first = self.token_at(start)
        last = self.token_at(max(end - 1, start))
        return first, max(last, first)


def token_records(doc: Doc, text: str) -> tuple[list[dict[str, Any]], TokenIndex]:
    """Prodigy's token dicts (``text,start,end,id,ws``) and the index to map offsets.

    ``text`` is the text the Doc was made from (``Doc.text`` would rebuild it from
    Token objects).  Built from one ``Doc.to_array`` call instead of touching each
    ``Token``, which more than halves the cost of the slowest part of a JSONL export.
    """
    from spacy.attrs import IDX, LENGTH, SPACY

    if len(doc) == 0:
        return [], TokenIndex([], [])
    array = doc.to_array([IDX, LENGTH, SPACY])
    starts: list[int] = array[:, 0].tolist()
    ends: list[int] = (array[:, 0] + array[:, 1]).tolist()
    spaces: list[bool] = (array[:, 2] > 0).tolist()
    tokens = [
        {"text": text[s:e], "start": s, "end": e, "id": i, "ws": w}
        for s, e, i, w in zip(starts, ends, range(len(starts)), spaces, strict=True)
    ]
    return tokens, TokenIndex(starts, ends)


def token_index(doc: Doc) -> TokenIndex:
    """Only the token boundaries of ``doc`` (for formats that need no token dicts)."""
    from spacy.attrs import IDX, LENGTH

    if len(doc) == 0:
        return TokenIndex([], [])
    array = doc.to_array([IDX, LENGTH])
    return TokenIndex(array[:, 0].tolist(), (array[:, 0] + array[:, 1]).tolist())
