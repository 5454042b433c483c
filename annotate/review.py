"""Review: the items where the annotators' versions differ, and the gold version a
reviewer's answers make.

Pure functions over plain annotations (``newsread review`` walks them and the store
keeps the result as the article's ``gold`` version).  An *item* is a place the
annotators decide on: an entity span (its answer: the label accepted there, or none),
an attribution content span (accepted or not) and a statement tag on a span (given or
not).  Every annotator of the article has a *choice* on every item -- ``None`` when
they did not claim it -- so an item one person marked and another passed over is a
conflict too.  Items where every choice is the same are agreed: merged into gold
without a question unless the reviewer asks to see them.

The **majority** choice is preselected: the most common one; a tie goes to a claim
over none, then to the choice of the first annotator by name.  The gold version starts
from the shared suggestions, every one rejected, and accepts the answers: so it is
complete (done), and nothing a reviewer did not confirm is training data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace

from annotate.model import Annotations, Quote, Span, Statement, Status
from annotate.statements import is_tagged

Key = tuple[str, int, int, str]
"""An item: kind (``entity``, ``quote``, ``tag``), start, end, and the tag's name."""


@dataclass(frozen=True, slots=True)
class Item:
    """One place the annotators decided on, and each one's choice there."""

    key: Key
    choices: Mapping[str, str | None]

    @property
    def agreed(self) -> bool:
        """Every annotator made the same choice."""
        return len(set(self.choices.values())) == 1

    @property
    def options(self) -> list[str | None]:
        """The distinct choices, the majority first (see the module), then by count."""
        counts = Counter(self.choices.values())
        first: dict[str | None, int] = {}
        for index, name in enumerate(sorted(self.choices)):
            first.setdefault(self.choices[name], index)
        return sorted(counts, key=lambda c: (-counts[c], c is None, first[c]))

    @property
    def majority(self) -> str | None:
        """The preselected answer."""
        return self.options[0]

    def who(self, choice: str | None) -> list[str]:
        """The annotators who made ``choice``."""
        return sorted(n for n, c in self.choices.items() if c == choice)


def _claims(annotations: Annotations) -> dict[Key, str]:
    found: dict[Key, str] = {}
    for span in annotations.entities:
        if span.status is Status.ACCEPTED:
            found.setdefault(("entity", span.start, span.end, ""), span.label)
    for quote in annotations.quotes:
        if quote.status is Status.ACCEPTED:
            found[("quote", quote.start, quote.end, "")] = "QUOTE"
    for statement in annotations.statements:
        if not is_tagged(statement):  # a pending or rejected tag suggestion claims nothing
            continue
        for tag in statement.tags:
            found[("tag", statement.start, statement.end, tag)] = tag
    return found


def items(versions: Mapping[str, Annotations]) -> list[Item]:
    """Every item any annotator claimed, in reading order, with everyone's choice."""
    claims = {name: _claims(v) for name, v in versions.items()}
    keys = sorted({k for c in claims.values() for k in c}, key=lambda k: (k[1], -k[2], k[0], k[3]))
    return [Item(k, {name: claims[name].get(k) for name in sorted(versions)}) for k in keys]


def conflicts(versions: Mapping[str, Annotations]) -> list[Item]:
    """The items where the versions differ."""
    return [item for item in items(versions) if not item.agreed]


def gold(
    base: Annotations,
    versions: Mapping[str, Annotations],
    answers: Mapping[Key, str | None],
    reviewer: str,
    timestamp: float,
) -> Annotations:
    """The gold version: the shared suggestions rejected, the ``answers`` accepted (an
    item without an answer takes its majority), stamped with the reviewer and time."""
    chosen = {item.key: answers.get(item.key, item.majority) for item in items(versions)}

    def stamp(item: Span | Quote, status: Status) -> Span | Quote:
        return replace(item, status=status, annotator=reviewer, timestamp=timestamp)

    entities: dict[str, Span | Quote] = {s.id: stamp(s, Status.REJECTED) for s in base.entities}
    quotes: dict[str, Span | Quote] = {q.id: stamp(q, Status.REJECTED) for q in base.quotes}
    tags: dict[tuple[int, int], list[str]] = {}
    for (kind, start, end, tag), answer in chosen.items():
        if answer is None:
            continue
        if kind == "tag":
            tags.setdefault((start, end), []).append(tag)
            continue
        source = _source(versions, kind, start, end, answer)
        if source is not None:
            target = entities if kind == "entity" else quotes
            target[source.id] = stamp(source, Status.ACCEPTED)
    statements = tuple(
        Statement(start, end, tuple(names), annotator=reviewer, timestamp=timestamp)
        for (start, end), names in sorted(tags.items())
    )
    return Annotations(
        entities=tuple(e for e in entities.values() if isinstance(e, Span)),
        quotes=tuple(q for q in quotes.values() if isinstance(q, Quote)),
        statements=statements,
        sentences=base.sentences,
    )


def _source(
    versions: Mapping[str, Annotations], kind: str, start: int, end: int, answer: str
) -> Span | Quote | None:
    """An annotator's accepted item that gives ``answer`` (the first by name): gold
    keeps its id, origin, speaker and cue."""
    for name in sorted(versions):
        version = versions[name]
        group: tuple[Span, ...] | tuple[Quote, ...] = (
            version.entities if kind == "entity" else version.quotes
        )
        for item in group:
            if (item.start, item.end) != (start, end) or item.status is not Status.ACCEPTED:
                continue
            if isinstance(item, Quote) or item.label == answer:
                return item
    return None
