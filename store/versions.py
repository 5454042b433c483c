"""Annotator versions: each annotator's decisions over the article's shared suggestions.

Decisions belong to (article, annotator).  An article holds one **base** -- the shared
suggestions: model, rule and imported-as-suggestion items, all *pending* -- and one
**version** per annotator (and ``gold`` for a review): the annotations that annotator
sees, i.e. the base with their own decisions laid over it.  An edit goes to the version
of its annotator (``Store.save_decision(..., version=)`` may name another, as a review
writing ``gold`` does); undo, redo and history are a version's own.

On disk a version is its **overlay**: only the items it changed with respect to the
base (decided copies of suggestions, spans it added, statements it tagged) written in
the article file's ``items`` table with a ``version`` key, plus *tombstones*
(``"removed": true``) for base items it removed.  Base items are written as before,
without the key.  So the store stays one file per article, a decision is still one
journal line (now naming its version), and a version is a fold of that annotator's
edits over the base.

Older files (before versions) have no ``version`` keys: a pending item is a base
suggestion, any other item is a decision of the version named by its ``annotator``
(``""`` when none was recorded) -- the rule that also splits the annotations handed to
``Store.add_article``.  Their history is split the same way, and the suggestions an old
decision replaced are recovered from it into the base, so a second annotator still sees
them.

Which version a reader sees is a :class:`Viewer`: a list of names (the first one the
article has wins) and what to show when it has none of them -- the base (the app: blind
to the others) or the **merged** view, every version laid over the base, the most
recently decided last.  An article with a single version has a merged view equal to that
version, which is why the article file's caches (the summary in ``index.json``, the
extra table of exports) keep describing the merged view: a reader whose viewer resolves
to the same view (:func:`resolve`) uses them; any other reads the article's version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from annotate.edits import Edit, Item, kind_of
from annotate.model import Annotations, Quote, Statement, Status

GOLD = "gold"
"""The version a review writes."""

BASE = "\x00base"
"""View key of the base (the shared suggestions alone)."""
MERGED = "\x00merged"
"""View key of the merged view of several versions."""

_FIELDS = {"entity": "entities", "quote": "quotes", "statement": "statements"}


@dataclass(frozen=True, slots=True)
class Viewer:
    """Which version a reader sees: the first of ``names`` the article has, else the
    merged view (``merged``) or the base."""

    names: tuple[str, ...] = ()
    merged: bool = True

    @classmethod
    def of(cls, annotator: str | None) -> Viewer:
        """An annotator's own view, blind to the others (``None``: the merged view)."""
        return cls() if annotator is None else cls((annotator,), merged=False)


EVERYTHING = Viewer()
"""The merged view: what a store showed before versions, and what its caches hold."""


def resolve(viewer: Viewer, present: Iterable[str]) -> str:
    """The view key (a version name, :data:`BASE` or :data:`MERGED`) of ``viewer`` on an
    article whose versions are ``present``; two viewers see the same annotations exactly
    when their keys are equal."""
    names = set(present)
    for name in viewer.names:
        if name in names:
            return name
    if not viewer.merged or not names:
        return BASE
    return next(iter(names)) if len(names) == 1 else MERGED


def is_suggestion(item: Item) -> bool:
    """Whether an item written without a version belongs to the base: a pending
    suggestion (a tag suggestion on a statement too; a person's own statement, or
    anything decided, is somebody's decision)."""
    if isinstance(item, Statement):
        return item.status is Status.PENDING
    if isinstance(item, Quote):
        return item.status is Status.PENDING and item.speaker_status is Status.PENDING
    return not item.status.decided  # pending, or replaced by a learned suggestion


def version_name(item: Item) -> str:
    """The version an unversioned decision belongs to: its annotator's."""
    return item.annotator or ""


def split(annotations: Annotations) -> tuple[Annotations, dict[str, list[Item]]]:
    """Annotations of one pool (an old file, an import) as a base and the decided
    items of each version (:func:`is_suggestion`, :func:`version_name`)."""
    base: dict[str, list[Item]] = {"entity": [], "quote": [], "statement": []}
    decided: dict[str, list[Item]] = {}
    for item in iter_items(annotations):
        if is_suggestion(item):
            base[kind_of(item)].append(item)
        else:
            decided.setdefault(version_name(item), []).append(item)
    return annotations.replace(**{_FIELDS[k]: tuple(v) for k, v in base.items()}), decided


def grouped(items: Iterable[Item], sentences: tuple[tuple[int, int], ...] = ()) -> Annotations:
    """Items of every kind as :class:`Annotations`."""
    groups: dict[str, list[Any]] = {"entity": [], "quote": [], "statement": []}
    for item in items:
        groups[kind_of(item)].append(item)
    return Annotations(
        entities=tuple(groups["entity"]),
        quotes=tuple(groups["quote"]),
        statements=tuple(groups["statement"]),
        sentences=sentences,
    )


def iter_items(annotations: Annotations) -> Iterator[Item]:
    """Every entity, quote and statement."""
    yield from annotations.entities
    yield from annotations.quotes
    yield from annotations.statements


Key = tuple[str, str]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Overlay:
    """What a version changes in the base: items set (new or changed) and removed."""

    items: tuple[Item, ...] = ()
    removed: tuple[Key, ...] = ()

    @property
    def latest(self) -> float:
        """The newest decision time among its items (orders the merged view)."""
        return max((i.timestamp or 0.0 for i in self.items), default=0.0)


def overlay_of(base: Annotations, view: Annotations) -> Overlay:
    """The overlay that turns ``base`` into ``view``."""
    known = {(kind_of(i), i.id): i for i in iter_items(base)}
    items: list[Item] = []
    seen: set[Key] = set()
    for item in iter_items(view):
        key = (kind_of(item), item.id)
        seen.add(key)
        if known.get(key) != item:
            items.append(item)
    removed = tuple(k for k in known if k not in seen)
    return Overlay(tuple(items), removed)


def apply_overlays(base: Annotations, overlays: Iterable[Overlay]) -> Annotations:
    """``base`` with ``overlays`` laid over it in order (a later one wins an item)."""
    from store.history import sorted_annotations  # the reading order of every group

    items = {(kind_of(i), i.id): i for i in iter_items(base)}
    for overlay in overlays:
        for key in overlay.removed:
            items.pop(key, None)
        for item in overlay.items:
            items[(kind_of(item), item.id)] = item
    groups: dict[str, list[Any]] = {"entity": [], "quote": [], "statement": []}
    for (kind, _), item in items.items():
        groups[kind].append(item)
    return sorted_annotations(base.replace(**{_FIELDS[k]: tuple(v) for k, v in groups.items()}))


def merge_order(overlays: Mapping[str, T], latest: Callable[[T], float]) -> list[str]:
    """Version names in the order the merged view lays them: oldest decision first."""
    return sorted(overlays, key=lambda name: (latest(overlays[name]), name))


def recovered_suggestions(base: Annotations, history: Iterable[Edit]) -> list[Item]:
    """Suggestions an old (unversioned) file's decisions replaced, recovered from its
    history: the first pending form of each item the base lacks."""
    known = {(kind_of(i), i.id) for i in iter_items(base)}
    found: list[Item] = []
    for edit in history:
        for item in edit.before:
            key = (kind_of(item), item.id)
            if key not in known and is_suggestion(item):
                known.add(key)
                found.append(item)
    return found
