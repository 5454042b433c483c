"""Token boundaries of an article, exactly as the exports will draw them.

Moving a span's edge "by a token", selecting a new span token by token and exporting
Prodigy tokens must all agree with the tokens ``spacy train`` will see, otherwise a
span a person drew would not align with any token.  So boundaries come from the
exporters' own tokenization (:func:`annotate.detect.tokenization.make_doc`: spaCy's English
tokenizer rules, or the source's tokens for a CoNLL import), never a regex.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from annotate.model import Article


@dataclass(frozen=True, slots=True)
class Tokens:
    """Token ``(start, end)`` offsets of one text, with snapping helpers."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.starts)

    def index_at(self, offset: int) -> int:
        """The token containing ``offset`` (or the next one after whitespace)."""
        index = bisect_right(self.starts, offset) - 1
        if index < 0:
            return 0
        if offset >= self.ends[index] and index + 1 < len(self.starts):
            return index + 1
        return index

    def first_starting_at_or_after(self, offset: int) -> int:
        """Index of the first token whose start is at or after ``offset``."""
        return min(bisect_left(self.starts, offset), len(self.starts) - 1)

    def last_ending_at_or_before(self, offset: int) -> int:
        """Index of the last token whose end is at or before ``offset``."""
        return max(bisect_right(self.ends, offset) - 1, 0)


def tokenize(article: Article) -> Tokens:
    """Token offsets of an article's text (cached: the open article is tokenized once)."""
    from annotate.detect.tokenization import is_pretokenized  # spaCy loads on first use

    return _tokenize(article.text, is_pretokenized(article.meta))


@lru_cache(maxsize=64)
def _tokenize(text: str, pretokenized: bool) -> Tokens:
    from annotate.detect.tokenization import TOKENIZATION_KEY, WHITESPACE, make_doc

    meta = {TOKENIZATION_KEY: WHITESPACE} if pretokenized else {}
    doc = make_doc(Article(id="", title="", text=text, meta=meta))
    tokens = [(t.idx, t.idx + len(t.text)) for t in doc if not t.is_space]
    return Tokens(tuple(s for s, _ in tokens), tuple(e for _, e in tokens))
