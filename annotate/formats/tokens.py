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

import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from annotate.detect.tokenization import (
    TOKENIZATION_KEY,
    WHITESPACE,
    guarded_doc,
    is_pretokenized,
    make_doc,
    whitespace_doc,
)
from annotate.model import Article

__all__ = [
    "TOKENIZATION_KEY",
    "WHITESPACE",
    "CachedTokens",
    "TokenIndex",
    "cache_tokens",
    "guarded_doc",
    "is_pretokenized",
    "make_doc",
    "whitespace_doc",
]

if TYPE_CHECKING:
    from spacy.tokens import Doc


class TokenIndex:
    """Token boundaries of one Doc, to turn character offsets into token indices.

    Both lists are sorted (tokens follow each other and are never empty), so every
    question is a binary search: an export asks a dozen of them per article, which is
    cheaper than building sets of all the boundaries first.
    """

    __slots__ = ("starts", "ends")

    def __init__(self, starts: list[int], ends: list[int]) -> None:
        self.starts = starts
        self.ends = ends

    def __len__(self) -> int:
        return len(self.starts)

    def aligned(self, start: int, end: int) -> bool:
        """True when ``start:end`` begins and ends exactly on token boundaries."""
        if start >= end:
            return False
        starts, ends = self.starts, self.ends
        first, last = bisect_left(starts, start), bisect_left(ends, end)
        starts_here = first < len(starts) and starts[first] == start
        return starts_here and last < len(ends) and ends[last] == end

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


# -- tokens cached with the article ------------------------------------------------

TOKENS_FORMAT = 1
"""Layout of :class:`CachedTokens` and of the token dicts it holds; bump it whenever
:func:`token_records` changes what it writes, so every cached copy is made again."""


@cache
def _spacy_version() -> str:
    """The installed spaCy's version; without importing spaCy when it is not loaded yet
    (a second), and without ``importlib.metadata`` when it is (a tenth of a second)."""
    loaded = sys.modules.get("spacy")
    version = getattr(loaded, "__version__", None)
    if isinstance(version, str):
        return version
    from importlib.metadata import version as installed

    return installed("spacy")


@cache
def _tokenizer_name(pretokenized: bool) -> str:
    mode = WHITESPACE if pretokenized else "blank:en"
    return f"{mode} {tokens_version()}"


def tokens_version() -> str:
    """The part of :func:`tokenizer_name` that is not the article's own: the spaCy
    version (its tokenizer rules) and :data:`TOKENS_FORMAT`."""
    return f"spacy-{_spacy_version()} tokens-{TOKENS_FORMAT}"


def tokenizer_name(meta: Mapping[str, Any]) -> str:
    """What makes an article's tokens, with every version their output depends on.

    Tokens are a pure function of the text and this name: the tokenizer rules ship
    with spaCy, so a cached copy made under another spaCy version (or another
    :data:`TOKENS_FORMAT`) is not used.
    """
    return _tokenizer_name(is_pretokenized(meta))


def char_table(starts: Sequence[int], ends: Sequence[int], length: int) -> array[int]:
    """Per character of a text of ``length``, its token and whether a token starts or
    ends there, for offset -> token look-ups by indexing instead of binary search.

    Entry ``c`` (``0 <= c <= length``) is ``token_at(c) << 2 | 2 * (a token starts at
    c) | (a token ends after c)``, ``token_at`` as :meth:`TokenIndex.token_at` (the last
    token starting at or before ``c``).  So a span ``start:end`` covers tokens
    ``table[start] >> 2`` to ``table[end - 1] >> 2`` and is aligned exactly when
    ``table[start] & 2`` and ``table[end - 1] & 1``; the extra entry ``length`` answers
    for offsets at or past the end of the text.
    """
    count = len(starts)
    table = array("I", bytes(4 * (length + 1)))
    for i in range(count):
        until = starts[i + 1] if i + 1 < count else length + 1
        table[starts[i] : until] = array("I", [i << 2]) * (until - starts[i])
    for start in starts:
        table[start] |= 2
    for end in ends:
        table[end - 1] |= 1
    return table


class CachedTokens(NamedTuple):
    """An article's Prodigy tokens, serialised once and kept in the store.

    Tokenizing costs more than everything else an export does with an article (spaCy
    runs its rules, then ~80 token dicts per article are built and serialised), and
    the result never changes for a given text and :func:`tokenizer_name`.  So the
    store keeps :meth:`to_bytes` (``store.tokens``) and the JSONL export embeds
    :attr:`json` as it is (``orjson.Fragment``): exactly the bytes ``orjson.dumps``
    writes for :func:`token_records`' list.  :attr:`table` is the
    :func:`char_table` of the tokens.

    The stored form is one JSON header line (tokenizer, text length, table width, byte
    order), a newline, the table as raw integers, then :attr:`json`: reading it parses
    a few header fields and copies nothing but the JSON.  (No checksum: the store
    writes its caches atomically and synced, and a checksum of every record cost an
    export 3 % of its time.)
    """

    tokenizer: str
    length: int
    table: Sequence[int]
    json: bytes

    def fits(self, text: str, meta: Mapping[str, Any]) -> bool:
        """True when these tokens were made from a text of this length by the tokenizer
        that would tokenize it now (the text of a stored article never changes)."""
        return self.length == len(text) and self.tokenizer == tokenizer_name(meta)

    def fragment(self) -> orjson.Fragment:
        """The token list as ready-made JSON for ``orjson.dumps``."""
        return orjson.Fragment(self.json)

    def to_bytes(self) -> bytes:
        """The stored form (see the class)."""
        widest = max(self.table, default=0)
        code = "H" if widest < 1 << 16 else "I"
        header = {
            "tokenizer": self.tokenizer,
            "length": self.length,
            "width": code,
            "byteorder": sys.byteorder,
        }
        return orjson.dumps(header) + b"\n" + array(code, self.table).tobytes() + self.json

    @classmethod
    def from_bytes(cls, raw: bytes | None) -> CachedTokens | None:
        """The tokens of a :meth:`to_bytes` copy; ``None`` for nothing, or for anything
        else than an intact copy (a damaged cache is not an error: the text is simply
        tokenized again)."""
        newline = raw.find(b"\n") if raw else -1
        if newline <= 0:
            return None
        assert raw is not None
        view = memoryview(raw)
        try:
            header = orjson.loads(view[:newline])
            tokenizer, length, code = header["tokenizer"], header["length"], header["width"]
            if (
                header["byteorder"] != sys.byteorder
                or code not in ("H", "I")
                or type(length) is not int
                or not isinstance(tokenizer, str)
            ):
                return None
            split = newline + 1 + (length + 1) * (2 if code == "H" else 4)
            table = view[newline + 1 : split].cast(code)
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None
        json = raw[split:]
        if len(table) != length + 1 or json[:1] != b"[" or json[-1:] != b"]":
            return None
        return cls(tokenizer, length, table, json)


def made_by_current_tokenizer(head: bytes) -> bool:
    """Whether the :meth:`CachedTokens.to_bytes` copy that starts with ``head`` (its
    header line, at least) was made by the tokenizer of now -- this spaCy, this
    :data:`TOKENS_FORMAT` -- so that it fits its article's text still.

    The store asks before it plans to make lines from cached tokens: after a spaCy
    upgrade none fit, and reading each article to find that out would be wasted."""
    newline = head.find(b"\n")
    if newline <= 0:
        return False
    try:
        tokenizer = orjson.loads(head[:newline])["tokenizer"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return False
    return tokenizer in (_tokenizer_name(True), _tokenizer_name(False))


def cache_tokens(article: Article) -> CachedTokens:
    """Tokenize an article and serialise its Prodigy tokens (see :class:`CachedTokens`)."""
    text = article.text
    tokens, index = token_records(make_doc(article), text)
    return CachedTokens(
        tokenizer=tokenizer_name(article.meta),
        length=len(text),
        table=char_table(index.starts, index.ends, len(text)),
        json=orjson.dumps(tokens),
    )
