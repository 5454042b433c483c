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

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from annotate.terminal_text import is_safe, same_length


def visible(text: str) -> str:
    """``text`` with control and bidi characters replaced one-for-one by ``�``.

    Offsets stay unchanged (the reader maps screen cells back to ``Article.text``);
    the character class is :mod:`annotate.terminal_text`'s, the one for everything.
    """
    return same_length(text)


@dataclass(frozen=True, slots=True)
class Mark:
    """A styled range of the article text, with an optional tag shown after it."""

    start: int
    end: int
    style: Style
    tag: str = ""
    tag_style: Style | None = None


def _narrow(text: str) -> bool:
    """True when every character is one cell wide (then offsets equal cells)."""
    return cell_len(text) == len(text)


def wrap_offsets(plain: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap: ``(start, end)`` offsets of ``plain`` for each screen line.

    Lines break at newlines and after spaces; a word longer than the width is cut.
    Widths are terminal cells, so wide (CJK) characters count double.  Paragraphs of
    one-cell characters (nearly all news text) take a fast path on ``str.rfind``.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    length = len(plain)
    start = 0
    while True:
        newline = plain.find("\n", start)
        stop = length if newline == -1 else newline
        if _narrow(plain[start:stop]):
            _wrap_narrow(plain, start, stop, width, lines)
        else:
            _wrap_cells(plain, start, stop, width, lines)
        if newline == -1:
            return lines
        start = newline + 1


def _wrap_narrow(
    plain: str, start: int, stop: int, width: int, lines: list[tuple[int, int]]
) -> None:
    line_start = start
    while stop - line_start > width:
        # A space right at the edge may end the line too (it is invisible there).
        space = plain.rfind(" ", line_start, line_start + width + 1)
        cut = space + 1 if space >= line_start else line_start + width
        lines.append((line_start, cut))
        line_start = cut
    lines.append((line_start, stop))


def _wrap_cells(
    plain: str, start: int, stop: int, width: int, lines: list[tuple[int, int]]
) -> None:
    line_start = start
    cells = 0
    last_space = -1
    index = line_start
    while index < stop:
        size = get_character_cell_size(plain[index])
        if plain[index] == " " and cells + size > width:
            # A space at the edge ends the line (it is invisible there).
            lines.append((line_start, index + 1))
            line_start, cells, last_space = index + 1, 0, -1
            index += 1
            continue
        if cells + size > width and index > line_start:
            cut = last_space + 1 if last_space >= line_start else index
            lines.append((line_start, cut))
            line_start = cut
            cells = sum(get_character_cell_size(c) for c in plain[cut:index])
            last_space = -1
            continue  # look at this character again, on the new line
        if plain[index] == " ":
            last_space = index
        cells += size
        index += 1
    lines.append((line_start, stop))


@dataclass(slots=True)
class TextLayout:
    """An article rendered to styled display text and wrapped into screen lines.

    Tags inserted after marks shift display offsets; ``insert_points`` (text offsets
    with tags, sorted) and ``shifts`` (total tag length inserted up to and including
    each point) map between text and display offsets by bisection.
    """

    display: Text
    text_length: int
    insert_points: list[int]
    shifts: list[int]
    lines: list[tuple[int, int]]
    _texts: list[Text] | None = None
    _line_starts: list[int] | None = None

    @property
    def line_starts(self) -> list[int]:
        """The display offset where each screen line starts."""
        if self._line_starts is None:
            self._line_starts = [start for start, _ in self.lines]
        return self._line_starts

    def display_offset(self, offset: int) -> int:
        """Where text offset ``offset`` is in the display text (after tags before it)."""
        index = bisect_right(self.insert_points, offset) - 1
        return offset + (self.shifts[index] if index >= 0 else 0)

    def text_offset(self, display_offset: int) -> int:
        """The text offset shown at (or, inside a tag, just before) ``display_offset``."""
        low, high = 0, self.text_length
        while low < high:  # last text offset whose display offset <= display_offset
            middle = (low + high + 1) // 2
            if self.display_offset(middle) <= display_offset:
                low = middle
            else:
                high = middle - 1
        return low

    def line_of(self, offset: int) -> int:
        """The screen line showing character ``offset`` of the article text."""
        if not self.lines:
            return 0
        offset = max(0, min(offset, self.text_length))
        return max(0, bisect_right(self.line_starts, self.display_offset(offset)) - 1)

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
    in mark order.
    """
    tags_at: dict[int, list[Mark]] = {}
    for mark in marks:
        if mark.tag and (tag_filter is None or tag_filter(mark)):
            tags_at.setdefault(mark.end, []).append(mark)
    safe = visible(text)
    display = Text(style=base_style or Style())
    tag_ranges: list[tuple[int, int, Mark]] = []
    insert_points = sorted(tags_at)
    shifts: list[int] = []
    cursor = 0
    for offset in insert_points:
        display.append(safe[cursor:offset])
        for mark in tags_at[offset]:
            begin = len(display)
            display.append(f" {mark.tag}")
            tag_ranges.append((begin, len(display), mark))
        shifts.append(len(display) - offset)
        cursor = offset
    display.append(safe[cursor:])
    layout = TextLayout(display, len(text), insert_points, shifts, [])
    for mark in marks:
        if mark.end > mark.start:
            display.stylize(
                mark.style, layout.display_offset(mark.start), layout.display_offset(mark.end)
            )
    for begin, end, mark in tag_ranges:
        display.stylize(mark.style + (mark.tag_style or Style()), begin, end)
    layout.lines = wrap_offsets(display.plain, width)
    return layout


def line_strip(line: Text, console: Console, width: int, base: Style) -> Strip:
    """One screen line as a Strip of exactly ``width`` cells on the ``base`` style.

    Built in one go because every ``Strip`` allocates caches: chaining
    ``extend``/``crop``/``apply_style`` made four per line and dominated first paint.
    """
    # Last line of defence: whatever a caller forgot to escape is drawn as ``�``.
    segments = [
        s if is_safe(s.text, keep_newlines=False) else Segment(same_length(s.text), s.style)
        for s in line.render(console)
        if s.text != "\n"
    ]
    segments = Segment.adjust_line_length(segments, width, style=Style())
    return Strip(Segment.apply_style(segments, base), width)
