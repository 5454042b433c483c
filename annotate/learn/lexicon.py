"""Learned suggestions: a name a person accepted in one article, suggested in the others.

The lexicon counts, per article, the accepted entities by text and label; an article's
share is replaced whenever it changes (a decision, an undo), so an undone decision stops
being suggested.  :meth:`Lexicon.suggest` proposes, in another article, every whole-word
occurrence of an accepted text (with the label most often accepted for it) that no entity
of that article touches yet: pending, origin ``learned``, to be accepted or rejected like
any suggestion.

It also counts the corrections of the model (:func:`corrected_texts`): a text whose
suggestion a person rejected, or relabelled, in :data:`MIN_CORRECTIONS` articles or more
*overrides* the model's same suggestion elsewhere (:meth:`Lexicon.overrides`): a pending
model suggestion of that text and label is replaced by a learned one with the label people
chose, or by none when they rejected it.  The replaced suggestion is kept, marked
``Status.REPLACED`` (:func:`with_learned`): shown as replaced, never deleted, and still
waiting for the person, because a correction made elsewhere is not a decision here.

Thread-safe: the app updates and asks it from its background thread (``tui.learned``),
never from a key press.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from annotate.model import Annotations, Origin, Span, Status, span_id
from annotate.propagation import occurrences

MIN_CHARS = 2
"""Shorter accepted texts (``I``, ``a``) are not suggested elsewhere."""
MIN_CORRECTIONS = 2
"""A text corrected in this many articles overrides the model's same suggestion."""
REJECTED = ""
"""The "label" of a rejection in :func:`corrected_texts`."""
Correction = tuple[str, str, str]
"""(text, the model's label, what people made of it: a label or :data:`REJECTED`)."""


def _proposed(entity: Span) -> str | None:
    """The label the model (or a rule) first proposed for ``entity``, if it is still
    known: a suggestion's id is derived from how it was proposed (``span_id``), so an
    entity whose id matches its current offsets and label was not relabelled."""
    if entity.origin not in (Origin.MODEL, Origin.RULE):
        return None
    if entity.id == span_id("span", entity.start, entity.end, entity.label, entity.origin):
        return entity.label
    return None


def corrected_texts(text: str, annotations: Annotations) -> Counter[Correction]:
    """The model's suggestions a person rejected or relabelled in one article, by text.

    A rejection is counted by the label it had; a relabel is an accepted model suggestion
    whose id no longer matches its label (the model's label is then unknown: counted as
    ``*``, any label other than the one chosen).  One article counts each once.
    """
    found: set[Correction] = set()
    for entity in annotations.entities:
        covered = text[entity.start : entity.end]
        if len(covered.strip()) < MIN_CHARS or covered != covered.strip():
            continue
        if entity.status is Status.REJECTED and entity.origin in (Origin.MODEL, Origin.RULE):
            found.add((covered, entity.label, REJECTED))
        elif entity.status is Status.ACCEPTED and entity.origin in (Origin.MODEL, Origin.RULE):
            if _proposed(entity) is None:
                found.add((covered, "*", entity.label))
    return Counter(found)


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
        self._corrections: dict[str, Counter[Correction]] = {}
        self._corrected: Counter[Correction] = Counter()

    def update(self, article_id: str, text: str, annotations: Annotations) -> bool:
        """Replace the article's share; ``True`` when the lexicon changed."""
        counts = accepted_texts(text, annotations)
        corrections = corrected_texts(text, annotations)
        with self._lock:
            changed = self._update_corrections(article_id, corrections)
            old = self._by_article.get(article_id, Counter())
            if old == counts:
                return changed
            self._total.subtract(old)
            self._total.update(counts)
            self._total = +self._total  # drop zero counts
            if counts:
                self._by_article[article_id] = counts
            else:
                self._by_article.pop(article_id, None)
            return True

    def _update_corrections(self, article_id: str, corrections: Counter[Correction]) -> bool:
        old = self._corrections.get(article_id, Counter())
        if old == corrections:
            return False
        self._corrected.subtract(old)
        self._corrected.update(corrections)
        self._corrected = +self._corrected
        if corrections:
            self._corrections[article_id] = corrections
        else:
            self._corrections.pop(article_id, None)
        return True

    def overrides(self, text: str, annotations: Annotations) -> list[tuple[Span, Span | None]]:
        """The pending model suggestions of one article that people's corrections
        override, each with its replacement: a pending learned suggestion with the label
        most often chosen for the text, or ``None`` for a text rejected with that label.

        The label chosen most often (ties: by name) wins, and a suggestion with that label
        stays; a relabel (a positive decision) wins over rejections; a rejection overrides
        only when the text was rejected with that label more often than accepted with it.
        """
        with self._lock:
            corrected = {k: n for k, n in self._corrected.items() if n >= MIN_CORRECTIONS}
            accepted = Counter(self._total)
        if not corrected:
            return []
        found: list[tuple[Span, Span | None]] = []
        for entity in annotations.entities:
            if entity.status.decided or entity.origin is not Origin.MODEL:
                continue
            covered = text[entity.start : entity.end]
            chosen = [
                (n, to) for (t, was, to), n in corrected.items() if (t, was) == (covered, "*")
            ]
            rejected = corrected.get((covered, entity.label, REJECTED), 0)
            if chosen:
                label = max(chosen)[1]
                if label != entity.label:
                    replacement = Span(entity.start, entity.end, label, origin=Origin.LEARNED)
                    found.append((entity, replacement))
            elif rejected > accepted[(covered, entity.label)]:
                found.append((entity, None))
        return found

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

    def plan(self, text: str, annotations: Annotations) -> Learned:
        """What one article should hold of what was learned (:class:`Learned`)."""
        base = restored(annotations)
        overrides = self.overrides(text, base)
        replacements = [new for _, new in overrides if new is not None]
        spans = self.suggest(text, base.replace(entities=(*base.entities, *replacements)))
        return Learned(
            tuple(sorted((*replacements, *spans), key=lambda s: (s.start, -s.end, s.label))),
            frozenset(old.id for old, _ in overrides),
        )


@dataclass(frozen=True, slots=True)
class Learned:
    """An article's learned suggestions (pending, origin ``learned``: new names and the
    replacements of overridden suggestions) and the ids of the model suggestions that
    people's corrections replace."""

    spans: tuple[Span, ...] = ()
    replaced: frozenset[str] = frozenset()

    def held_by(self, annotations: Annotations) -> bool:
        """True when ``annotations`` already hold exactly this (nothing to store)."""
        now = {e.id for e in annotations.entities if e.status is Status.REPLACED}
        return learned(self.spans) == learned(annotations.entities) and now == self.replaced


def restored(annotations: Annotations) -> Annotations:
    """The annotations as the model left them: pending learned suggestions removed and
    replaced suggestions pending again (what :meth:`Lexicon.plan` starts from)."""
    return annotations.replace(
        entities=tuple(
            replace(e, status=Status.PENDING) if e.status is Status.REPLACED else e
            for e in annotations.entities
            if not (e.origin is Origin.LEARNED and e.status is Status.PENDING)
        )
    )


def with_learned(annotations: Annotations, plan: Learned) -> tuple[Span, ...]:
    """The pending entity suggestions ``annotations`` should hold under ``plan``, made
    from their state *now* (decisions taken since the plan was computed win).

    The model's pending suggestions stay, those ``plan`` replaces marked ``REPLACED``;
    a learned span is added where it touches no entity but the ones it replaces.
    """
    base = restored(annotations)
    waiting = [
        replace(e, status=Status.REPLACED) if e.id in plan.replaced else e
        for e in base.entities
        if e.status is Status.PENDING
    ]
    live = [e for e in base.entities if e.id not in plan.replaced]
    added = [s for s in plan.spans if not any(e.overlaps(s.start, s.end) for e in live)]
    return (*waiting, *added)


def learned(entities: Iterable[Span]) -> set[tuple[int, int, str]]:
    """The pending learned suggestions among ``entities``, as (start, end, label)."""
    return {
        (e.start, e.end, e.label)
        for e in entities
        if e.origin is Origin.LEARNED and e.status is Status.PENDING
    }
