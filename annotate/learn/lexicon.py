"""Learned suggestions: a name a person accepted in one article, suggested in the others.

The lexicon counts, per article, the accepted entities by text and label; an article's
share is replaced whenever it changes (a decision, an undo), so an undone decision stops
being suggested.  :meth:`Lexicon.suggest` proposes, in another article, every whole-word
occurrence of an accepted text (with the label most often accepted for it) that no entity
of that article touches yet: pending, origin ``learned``, to be accepted or rejected like
any suggestion.

Thread-safe: the app updates and asks it from its background thread (``tui.learned``),
never from a key press.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable

from annotate.model import Annotations, Origin, Span, Status
from annotate.propagation import occurrences

MIN_CHARS = 2
"""Shorter accepted texts (``I``, ``a``) are not suggested elsewhere."""


def accepted_texts(text: str, annotations: Annotations) -> Counter[tuple[str, str]]:
    """How often each (text, label) is accepted in one article."""
    counts: Counter[tuple[str, str]] = Counter()
    for entity in annotations.entities:
        if entity.status is Status.ACCEPTED:
            covered = text[entity.start : entity.end]
            if len(covered.strip()) >= MIN_CHARS and covered == covered.strip():
                counts[(covered, entity.label)] += 1
    return counts


class Lexicon:
    """Accepted (text, label) counts of the corpus, kept per article (module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_article: dict[str, Counter[tuple[str, str]]] = {}
        self._total: Counter[tuple[str, str]] = Counter()

    def update(self, article_id: str, text: str, annotations: Annotations) -> bool:
        """Replace the article's share; ``True`` when the lexicon changed."""
        counts = accepted_texts(text, annotations)
        with self._lock:
            old = self._by_article.get(article_id, Counter())
            if old == counts:
                return False
            self._total.subtract(old)
            self._total.update(counts)
            self._total = +self._total  # drop zero counts
            if counts:
                self._by_article[article_id] = counts
            else:
                self._by_article.pop(article_id, None)
            return True

    def labels(self) -> dict[str, str]:
        """Each accepted text with the label most often accepted for it (ties: by name)."""
        with self._lock:
            best: dict[str, tuple[int, str]] = {}
            for (text, label), count in self._total.items():
                current = best.get(text)
                if current is None or (count, current[1]) > (current[0], label):
                    best[text] = (count, label)
        return {text: label for text, (_, label) in best.items()}

    def suggest(self, text: str, annotations: Annotations) -> tuple[Span, ...]:
        """Learned suggestions for one article (module docstring), in reading order."""
        taken = [(e.start, e.end) for e in annotations.entities]
        found: list[Span] = []
        for needle, label in sorted(self.labels().items(), key=lambda kv: -len(kv[0])):
            if needle not in text:
                continue
            for start, end in occurrences(text, needle):
                if any(s < end and start < e for s, e in taken):
                    continue
                taken.append((start, end))
                found.append(Span(start, end, label, origin=Origin.LEARNED))
        return tuple(sorted(found, key=lambda s: (s.start, -s.end)))


def learned(entities: Iterable[Span]) -> set[tuple[int, int, str]]:
    """The pending learned suggestions among ``entities``, as (start, end, label)."""
    return {
        (e.start, e.end, e.label)
        for e in entities
        if e.origin is Origin.LEARNED and e.status is Status.PENDING
    }
