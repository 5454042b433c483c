"""Laying out an annotated article for the terminal (plain functions over Rich text).

The reader shows the article text with label tags inserted after each entity (so a
label is readable without colour, as in Prodigy), then wraps it to the view width.
Everything is kept as offsets so the view can map a character of ``Article.text``
to a screen line (to scroll a span into view) and render only the visible lines.

Article text is untrusted: it is only ever put into ``rich.text.Text`` objects as
plain strings (never parsed as markup), and any control character that survived
cleaning is replaced by a visible placeholder of the same length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with control characters replaced one-for-one by ``�`` (offsets unchanged)."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text)


@dataclass(frozen=True, slots=True)
class Mark:
    """A styled range of the article text, with an optional tag shown after it."""

    start: int
    end: int
    style: Style
    tag: str = ""
    tag_style: Style | None = None


def wrap_offsets(plain: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap: ``(start, end)`` offsets of ``plain`` for each screen line.

    Lines break at newlines and after spaces; a word longer than the width is cut.
    Widths are terminal cells, so wide (CJK) characters count double.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    length = len(plain)
    start = 0
    while True:
        newline = plain.find("\n", start)
        stop = length if newline == -1 else newline
        line_start = start
        cells = 0
        last_space = -1
        index = line_start
        while index < stop:
            size = get_character_cell_size(plain[index])
            if cells + size > width and index > line_start:
                cut = last_space + 1 if last_space >= line_start else index
                lines.append((line_start, cut))
                line_start = cut
                cells = sum(get_character_cell_size(c) for c in plain[cut:index])
                last_space = -1
            if plain[index] == " ":
                last_space = index
            cells += size
            index += 1
        lines.append((line_start, stop))
        if newline == -1:
            return lines
        start = newline + 1


@dataclass(slots=True)
class TextLayout:
    """An article rendered to styled display text and wrapped into screen lines."""

    display: Text
    to_display: list[int]
    lines: list[tuple[int, int]]
    _texts: list[Text] | None = None

    @property
    def line_starts(self) -> list[int]:
        """The display offset where each screen line starts."""
        return [start for start, _ in self.lines]

    def line_of(self, offset: int) -> int:
        """The screen line showing character ``offset`` of the article text."""
        if not self.lines:
            return 0
        offset = max(0, min(offset, len(self.to_display) - 1))
        return max(0, bisect_right(self.line_starts, self.to_display[offset]) - 1)

    def text_offset(self, display_offset: int) -> int:
        """The text offset shown at (or just before) ``display_offset``."""
        return max(0, bisect_right(self.to_display, display_offset) - 1)

    def line_text(self, index: int) -> Text:
        """The styled text of one screen line."""
        if self._texts is None:
            # One divide pass for all lines: slicing a Text per line re-scans its spans.
            cuts = [offset for line in self.lines for offset in line]
            pieces = self.display.divide(cuts)
            self._texts = [pieces[2 * i + 1] for i in range(len(self.lines))]
        return self._texts[index]


def build_layout(
    text: str,
    marks: Sequence[Mark],
    width: int,
    base_style: Style | None = None,
    tag_filter: Callable[[Mark], bool] | None = None,
) -> TextLayout:
    """Style ``text`` with ``marks`` (later marks paint over earlier ones) and wrap it.

    Tags are inserted after the end of their mark; several tags at one offset come
    in mark order.  ``to_display[i]`` is the display offset of text offset ``i``.
    """
    tags_at: dict[int, list[Mark]] = {}
    for mark in marks:
        if mark.tag and (tag_filter is None or tag_filter(mark)):
            tags_at.setdefault(mark.end, []).append(mark)
    safe = visible(text)
    display = Text(style=base_style or Style())
    to_display: list[int] = []
    tag_ranges: list[tuple[int, int, Mark]] = []
    cursor = 0
    for offset in sorted(tags_at):
        display.append(safe[cursor:offset])
        for mark in tags_at[offset]:
            tag = f" {mark.tag}"
            begin = len(display)
            display.append(tag)
            tag_ranges.append((begin, len(display), mark))
        cursor = offset
    display.append(safe[cursor:])
    # Map text offsets to display offsets by walking the tag insert points.
    shift = 0
    insert_points = sorted(tags_at)
    point = 0
    for offset in range(len(text) + 1):
        while point < len(insert_points) and insert_points[point] <= offset:
            shift += sum(len(m.tag) + 1 for m in tags_at[insert_points[point]])
            point += 1
        to_display.append(offset + shift)
    for mark in marks:
        if mark.end > mark.start:
            display.stylize(mark.style, to_display[mark.start], to_display[mark.end])
    for begin, end, mark in tag_ranges:
        display.stylize(mark.style + (mark.tag_style or Style()), begin, end)
    return TextLayout(
        display=display, to_display=to_display, lines=wrap_offsets(display.plain, width)
    )


def line_strip(line: Text, console: Console, width: int, base: Style) -> Strip:
    """One screen line as a Strip of exactly ``width`` cells on the ``base`` style.

    Built in one go because every ``Strip`` allocates caches: chaining
    ``extend``/``crop``/``apply_style`` made four per line and dominated first paint.
    """
    segments = [s for s in line.render(console) if s.text != "\n"]
    segments = Segment.adjust_line_length(segments, width, style=Style())
    return Strip(Segment.apply_style(segments, base), width)
