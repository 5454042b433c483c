"""Decisions as edits: one small, invertible description of every change a person makes.

Every decision (accept, reject, relabel, re-bound, add, set speaker, tag, accept all)
is an :class:`Edit`: the items as they were (``before``) and as they are now
(``after``), matched by kind and id.  An item only in ``before`` is removed, one only
in ``after`` is added.  Because an edit carries both sides, undo is the same edit
turned around (:meth:`Edit.inverted`), the store can keep a history log of edits
that survives restarts, and the UI never needs a special case per action.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from annotate.model import Annotations, Quote, Span, Statement, Status

Item = Span | Quote | Statement
KINDS: dict[type, str] = {Span: "entity", Quote: "quote", Statement: "statement"}
_FIELDS = {"entity": "entities", "quote": "quotes", "statement": "statements"}


class EditConflict(ValueError):
    """An edit's ``before`` does not match what is stored (stale view or double undo)."""


def kind_of(item: Item) -> str:
    """``entity``, ``quote`` or ``statement``."""
    return KINDS[type(item)]


@dataclass(frozen=True, slots=True)
class Edit:
    """One decision: items before and after, plus who made it, when and why."""

    action: str
    before: tuple[Item, ...] = ()
    after: tuple[Item, ...] = ()
    annotator: str | None = None
    timestamp: float = 0.0

    def inverted(self) -> Edit:
        """The edit that undoes this one."""
        return replace(self, action=f"undo {self.action}", before=self.after, after=self.before)


def stamp(item: Item, annotator: str | None, timestamp: float) -> Item:
    """The item with the decision's annotator and timestamp recorded on it."""
    return replace(item, annotator=annotator, timestamp=timestamp)


def make_edit(
    action: str,
    before: Iterable[Item],
    after: Iterable[Item],
    annotator: str | None,
    timestamp: float | None = None,
) -> Edit:
    """An edit whose new items carry the annotator and timestamp of the decision."""
    ts = time.time() if timestamp is None else timestamp
    return Edit(
        action=action,
        before=tuple(before),
        after=tuple(stamp(i, annotator, ts) for i in after),
        annotator=annotator,
        timestamp=ts,
    )


def apply_edit(annotations: Annotations, edit: Edit, *, strict: bool = True) -> Annotations:
    """The annotations with ``edit`` applied.

    With ``strict`` the items of ``before`` must be present exactly as given, so a
    stale or repeated edit raises :class:`EditConflict` instead of silently
    overwriting a newer decision.
    """
    groups: dict[str, list[Any]] = {
        kind: list(getattr(annotations, field)) for kind, field in _FIELDS.items()
    }
    for item in edit.before:
        items = groups[kind_of(item)]
        index = next((i for i, cur in enumerate(items) if cur.id == item.id), None)
        if index is None or (strict and items[index] != item):
            raise EditConflict(f"{kind_of(item)} {item.id} changed since it was shown")
        del items[index]
    for item in edit.after:
        items = groups[kind_of(item)]
        if any(cur.id == item.id for cur in items):
            raise EditConflict(f"{kind_of(item)} {item.id} exists already")
        items.append(item)
    return annotations.replace(
        entities=tuple(sorted(groups["entity"], key=_order)),
        quotes=tuple(sorted(groups["quote"], key=_order)),
        statements=tuple(sorted(groups["statement"], key=_order)),
    )


def _order(item: Item) -> tuple[int, int, str]:
    return (item.start, -item.end, item.id)


def merge_suggestions(current: Annotations, suggested: Annotations) -> Annotations:
    """New model output merged with what a person already decided.

    Decided items and user-made items stay as they are; pending suggestions (tag
    suggestions on statements too) are replaced by the new analysis, except where a
    decided item already covers the same span (so a rejected suggestion does not come
    back as pending).
    """
    kept_entities = [s for s in current.entities if s.status.decided]
    kept_quotes = [q for q in current.quotes if q.status is not Status.PENDING]
    taken = {(s.start, s.end) for s in kept_entities}
    taken_ids = {s.id for s in kept_entities}
    entities = kept_entities + [
        s for s in suggested.entities if (s.start, s.end) not in taken and s.id not in taken_ids
    ]
    quote_spans = {(q.start, q.end) for q in kept_quotes}
    quote_ids = {q.id for q in kept_quotes}
    quotes = kept_quotes + [
        q for q in suggested.quotes if (q.start, q.end) not in quote_spans and q.id not in quote_ids
    ]
    kept_statements = [s for s in current.statements if s.status is not Status.PENDING]
    statement_spans = {(s.start, s.end) for s in kept_statements}
    statement_ids = {s.id for s in kept_statements}
    statements = kept_statements + [
        s
        for s in suggested.statements
        if (s.start, s.end) not in statement_spans and s.id not in statement_ids
    ]
    return Annotations(
        entities=tuple(sorted(entities, key=_order)),
        quotes=tuple(sorted(quotes, key=_order)),
        statements=tuple(sorted(statements, key=_order)),
        sentences=suggested.sentences or current.sentences,
    )
