"""Where each character of a cleaned article came from in the original file.

Cleaning drops lines (boilerplate, captions), cuts header prefixes, removes control
characters and stray words, and re-joins paragraphs, so offsets into ``Article.text``
are not offsets into the file.  Gold data, an external tool or a person looking at the
raw file speaks in raw offsets, so cleaning records a compact map: a list of
``(clean_start, raw_start, length)`` segments, one per run of characters copied
unchanged in position (typically one per paragraph).  Characters cleaning inserted
itself (paragraph breaks) belong to no segment.

The map is stored in ``Article.meta["offsets"]`` as plain lists so it survives JSON.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Segment = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Clean-text offsets to raw-file offsets and back, from copied segments."""

    segments: tuple[Segment, ...] = ()
    _clean_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    _raw_order: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        segs = tuple(sorted((int(c), int(r), int(n)) for c, r, n in self.segments if n > 0))
        object.__setattr__(self, "segments", segs)
        object.__setattr__(self, "_clean_starts", tuple(s[0] for s in segs))
        order = tuple(sorted(range(len(segs)), key=lambda i: segs[i][1]))
        object.__setattr__(self, "_raw_order", order)

    def to_raw(self, offset: int) -> int:
        """The raw offset of clean ``offset``.

        An offset inside an inserted character (a paragraph break cleaning made) maps
        to the end of the segment before it, so a span end never jumps past the text
        it covers.
        """
        index = bisect_right(self._clean_starts, offset) - 1
        if index < 0:
            return self.segments[0][1] if self.segments else offset
        clean, raw, length = self.segments[index]
        return raw + min(offset - clean, length)

    def to_clean(self, raw_offset: int) -> int | None:
        """The clean offset of a raw offset, or ``None`` when cleaning removed that character."""
        for index in self._raw_order:
            clean, raw, length = self.segments[index]
            if raw <= raw_offset < raw + length:
                return clean + raw_offset - raw
        return None

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        """A clean ``start:end`` span as a raw span (end exclusive)."""
        if end <= start:
            raw = self.to_raw(start)
            return raw, raw
        return self.to_raw(start), self.to_raw(end - 1) + 1

    def span_to_clean(self, start: int, end: int) -> tuple[int, int]:
        """A raw ``start:end`` span as a clean span.

        A raw offset on a removed character moves to the next kept one, so a span
        keeps exactly the kept characters it covered (an import's spans are raw).
        """
        return self._clean_at_or_after(start), self._clean_at_or_after(end)

    def _clean_at_or_after(self, raw_offset: int) -> int:
        for index in self._raw_order:
            clean, raw, length = self.segments[index]
            if raw_offset < raw + length:
                return clean + max(0, raw_offset - raw)
        return max((c + n for c, _, n in self.segments), default=0)

    def to_list(self) -> list[list[int]]:
        """The JSON-ready form stored in ``Article.meta["offsets"]``."""
        return [list(s) for s in self.segments]

    @classmethod
    def from_list(cls, data: Iterable[Sequence[int]]) -> OffsetMap:
        """Rebuild the map from :meth:`to_list` output."""
        return cls(tuple((int(c), int(r), int(n)) for c, r, n in data))


def offset_map(meta: Mapping[str, Any]) -> OffsetMap:
    """The offset map kept in an article's ``meta`` (identity-free empty map if none)."""
    return OffsetMap.from_list(meta.get("offsets") or ())


def raw_offset(meta: Mapping[str, Any], offset: int) -> int:
    """The offset in the original file of clean ``offset``, from an article's ``meta``.

    Articles made before cleaning kept a map (or from text that needed no cleaning)
    have no ``offsets``; the offset is then returned unchanged.
    """
    if not meta.get("offsets"):
        return offset
    return offset_map(meta).to_raw(offset)
