"""One decision applied to every other mention of the same text (key ``m``).

A person who relabels ``Molano`` as PERSON means every ``Molano`` of the article; doing
it mention by mention is the tedium annotation tools exist to remove.  The decision
is copied as one edit (one undo) and only onto whole-word mentions, never onto part of
a longer word or into a longer entity.  :func:`occurrences` is shared with the learned
suggestions (``annotate.learn.lexicon``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from annotate.actions import find, overlapped
from annotate.edits import Edit, Item, make_edit
from annotate.model import Annotations, Origin, Span, Status


def occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """Every place ``needle`` occurs in ``text`` as a whole word (or words).

    A match must not continue a word on either side (``Molano`` is not in ``Molanos``),
    so a decision never lands on part of a longer word.
    """
    if not needle.strip():
        return []
    found = []
    head, tail = needle[0].isalnum(), needle[-1].isalnum()
    for match in re.finditer(re.escape(needle), text):
        s, e = match.span()
        if (head and s > 0 and text[s - 1].isalnum()) or (
            tail and e < len(text) and text[e].isalnum()
        ):
            continue
        found.append((s, e))
    return found


def mentions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Every other whole-word place where ``text[start:end]`` occurs (:func:`occurrences`)."""
    return [found for found in occurrences(text, text[start:end]) if found != (start, end)]


def last_decided(history: Sequence[Edit], cursor: int) -> str | None:
    """The id of the entity the last applied decision was about (``None``: not one)."""
    if cursor <= 0 or cursor > len(history):
        return None
    after = history[cursor - 1].after
    first = after[0] if after else None
    if isinstance(first, Span) and first.status.decided:
        return first.id
    return None


def propagate(
    annotations: Annotations, text: str, source_id: str | None, annotator: str
) -> tuple[Edit, int] | None:
    """The decision on entity ``source_id`` applied to every other mention of its text.

    Accepted (or relabelled) as ``L``: each mention becomes an accepted ``L`` -- the
    entity already on exactly that mention is changed, else a new one is added, unless
    the mention lies inside or across another entity (``Molano`` within ``Diego
    Molano`` stays as it is).  Rejected as ``L``: each entity ``L`` on exactly a mention
    is rejected.  One edit (one undo), with how many mentions it changed; ``None`` when
    there is nothing to change.
    """
    source = find(annotations, source_id)
    if not isinstance(source, Span) or not source.status.decided:
        return None
    before: list[Item] = []
    after: list[Item] = []
    changed = 0
    for start, end in mentions(text, source.start, source.end):
        exact = [s for s in annotations.entities if (s.start, s.end) == (start, end)]
        if source.status is Status.REJECTED:
            hit = [s for s in exact if s.label == source.label and s.status is not Status.REJECTED]
            before += hit
            after += [replace(s, status=Status.REJECTED) for s in hit]
            changed += bool(hit)
            continue
        if any(s.label == source.label and s.status is Status.ACCEPTED for s in exact):
            continue
        live = [s for s in exact if s.status is not Status.REJECTED]
        if exact:
            target = (live or exact)[0]
            before.append(target)
            after.append(replace(target, label=source.label, status=Status.ACCEPTED))
            others = [s for s in live if s is not target]
            before += others
            after += [replace(s, status=Status.REJECTED) for s in others]
        elif overlapped(annotations, start, end, keep=None):
            continue
        else:
            after.append(Span(start, end, source.label, origin=Origin.USER, status=Status.ACCEPTED))
        changed += 1
    if not changed:
        return None
    verb = "reject" if source.status is Status.REJECTED else f"label {source.label}"
    mention = "mention" if changed == 1 else "mentions"
    return make_edit(f"{verb} {changed} more {mention}", before, after, annotator), changed
