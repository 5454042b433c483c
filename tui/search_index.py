"""Words of every article, for the filter: titles and bodies, speakers, quote contents.

Typing in the filter must stay fast at 10,000 articles, so no keystroke reads an
article: an inverted index maps each word (lower-cased, prefixed by its field: ``t:``
for title, source and body, ``s:`` for speakers, ``q:`` for quote contents) to the
articles holding it, and a sorted vocabulary answers prefix queries (``greg`` finds
``gregoire``) by bisection.

Thread model: :meth:`SearchIndex.add` runs on a worker thread while the index is
built (after the first ``/``); the UI thread calls :meth:`update` after each decision
and :meth:`match` per keystroke.  One lock guards everything; an update for an article
not yet added is kept and applied when the worker adds it, so no decision is missed.
"""

from __future__ import annotations

import bisect
import re
import threading

from annotate.model import Annotations, Status

WORD = re.compile(r"\w+")

TEXT, SPEAKER, QUOTE = "t:", "s:", "q:"
"""Field prefixes of the index keys."""


def words(text: str) -> set[str]:
    """The distinct lower-cased words of ``text``."""
    return set(WORD.findall(text.lower()))


def annotation_keys(text: str, annotations: Annotations) -> set[str]:
    """Index keys of the speakers and quotes an article has (rejected quotes left out)."""
    keys: set[str] = set()
    for quote in annotations.quotes:
        if quote.status is Status.REJECTED:
            continue
        keys |= {QUOTE + w for w in words(text[quote.start : quote.end])}
        for mention in (quote.speaker, quote.speaker_ref):
            if mention is not None and quote.speaker_status is not Status.REJECTED:
                keys |= {SPEAKER + w for w in words(text[mention.start : mention.end])}
    return keys


class SearchIndex:
    """Word -> articles, with prefix lookup; see the module docstring for threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: list[str] = []  # article number -> id
        self._numbers: dict[str, int] = {}
        self._text_postings: dict[str, list[int]] = {}  # bodies never change: append only
        self._annotation_postings: dict[str, set[int]] = {}
        self._annotation_keys: dict[int, set[str]] = {}
        self._vocabulary: list[str] = []  # sorted keys of both postings
        self._unsorted: list[str] = []  # new keys not yet in the vocabulary
        self._early: dict[str, tuple[str, Annotations]] = {}  # updates before add
        self._memo: dict[str, set[int]] = {}  # prefix -> articles, until the index changes
        self.complete = False
        """True once every stored article was added (set by the builder)."""

    def __len__(self) -> int:
        return len(self._ids)

    def add(
        self, article_id: str, title: str, source: str, text: str, annotations: Annotations
    ) -> None:
        """Index one article (the builder calls this once per article)."""
        keys = {TEXT + w for w in words(f"{title} {source} {text}")}
        with self._lock:
            if article_id in self._numbers:
                return
            number = len(self._ids)
            self._memo.clear()
            self._ids.append(article_id)
            self._numbers[article_id] = number
            for key in keys:
                postings = self._text_postings.get(key)
                if postings is None:
                    self._text_postings[key] = [number]
                    self._unsorted.append(key)
                else:
                    postings.append(number)
            text, annotations = self._early.pop(article_id, (text, annotations))
            self._set_annotation_keys(number, annotation_keys(text, annotations))

    def update(self, article_id: str, text: str, annotations: Annotations) -> None:
        """An article's speakers or quotes changed (a decision, an undo, an analysis)."""
        keys = annotation_keys(text, annotations)
        with self._lock:
            number = self._numbers.get(article_id)
            if number is None:
                self._early[article_id] = (text, annotations)
            else:
                self._set_annotation_keys(number, keys)

    def _set_annotation_keys(self, number: int, keys: set[str]) -> None:
        self._memo.clear()
        old = self._annotation_keys.get(number, set())
        for key in old - keys:
            self._annotation_postings[key].discard(number)
        for key in keys - old:
            postings = self._annotation_postings.get(key)
            if postings is None:
                self._annotation_postings[key] = {number}
                self._unsorted.append(key)
            else:
                postings.add(number)
        self._annotation_keys[number] = keys

    def match(self, field: str, term: str) -> set[str]:
        """Ids of the articles with a word of ``field`` starting with every word of ``term``."""
        parts = WORD.findall(term.lower())
        if not parts:
            return set(self._ids)
        with self._lock:
            if self._unsorted:
                self._vocabulary = sorted({*self._vocabulary, *self._unsorted})
                self._unsorted = []
            found: set[int] | None = None
            for part in parts:
                numbers = self._prefixed(field + part)
                found = numbers if found is None else found & numbers
                if not found:
                    return set()
            ids = self._ids
            return {ids[n] for n in found or ()}

    def _prefixed(self, prefix: str) -> set[int]:
        """Articles with a key starting with ``prefix`` (never mutate the result: it is
        kept, so that a backspace or a query typed again costs a lookup; a one-letter
        prefix unions thousands of postings)."""
        known = self._memo.get(prefix)
        if known is not None:
            return known
        numbers: set[int] = set()
        vocabulary = self._vocabulary
        index = bisect.bisect_left(vocabulary, prefix)
        while index < len(vocabulary) and vocabulary[index].startswith(prefix):
            key = vocabulary[index]
            numbers.update(self._text_postings.get(key, ()))
            numbers.update(self._annotation_postings.get(key, ()))
            index += 1
        if len(self._memo) >= 256:
            self._memo.clear()
        self._memo[prefix] = numbers
        return numbers
