"""The reader: an article's text with entities and quotes highlighted, line by line.

A Line-API widget (like Textual's own ``Log`` and toolong's log view): the article is
laid out once per width (see ``text_layout``) and only the visible lines are rendered,
each cached, so long articles scroll smoothly.  Colours come from component classes
styled in ``newsread.tcss``, never from literals in Python.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import Style
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotate.model import Annotations, Quote, Span, Status
from tui.labels import label_class
from tui.widgets.palette import LabelPalette
from tui.widgets.text_layout import Mark, TextLayout, build_layout, line_strip


class ArticleView(ScrollView, can_focus=True):
    """Shows one article; ``show`` swaps the text, ``highlight`` the annotations."""

    DEFAULT_CSS = """
    ArticleView {
        padding: 0 1;
    }
    """

    focused_id: reactive[str | None] = reactive(None)
    """Id of the span or quote the person is looking at (view state only)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        self.annotations = Annotations()
        self.palette: LabelPalette | None = None
        self._layout: TextLayout | None = None
        self._layout_width = -1
        self._line_cache: dict[int, Strip] = {}
        self._base: Style | None = None

    # -- public API -------------------------------------------------------------
    def show(self, text: str, annotations: Annotations | None = None) -> None:
        """Display a new article (annotations may follow later) from the top."""
        self.text = text
        self.annotations = annotations or Annotations()
        self.focused_id = None
        self._invalidate()
        self.scroll_to(0, 0, animate=False)

    def highlight(self, annotations: Annotations) -> None:
        """Repaint with new annotations, keeping the scroll position."""
        self.annotations = annotations
        self._invalidate()

    def watch_focused_id(self) -> None:
        self._invalidate()

    def scroll_to_offset(self, offset: int, end: int | None = None) -> None:
        """Scroll so that the text between ``offset`` and ``end`` is visible."""
        layout = self._ensure_layout()
        first = layout.line_of(offset)
        last = layout.line_of(max(offset, (end or offset) - 1))
        self.scroll_to_region(Region(0, first, 1, last - first + 1), animate=False, spacing=None)

    def use_palette(self, palette: LabelPalette) -> None:
        """Take colours from ``palette`` (until then highlights show as text tags only)."""
        self.palette = palette
        self._invalidate()

    def _style(self, component: str) -> Style:
        return self.palette.style(component) if self.palette is not None else Style()

    @property
    def rendered_text(self) -> str:
        """The text as laid out on screen, tags included (for tests and debugging)."""
        return self._ensure_layout().display.plain

    def rendered_spans(self) -> list[tuple[str, str]]:
        """``(covered display text, style)`` of every styled range (for tests)."""
        layout = self._ensure_layout()
        plain = layout.display.plain
        return [(plain[s.start : s.end], str(s.style)) for s in layout.display.spans]

    # -- layout -----------------------------------------------------------------
    def _invalidate(self) -> None:
        self._layout = None
        self._line_cache.clear()
        self.refresh()

    def _marks(self) -> Iterable[Mark]:
        style = self._style
        focused = style("palette--focused")
        tag_style = style("palette--tag")
        for quote in self.annotations.quotes:
            yield from self._quote_marks(quote, focused)
        for span in self.annotations.entities:
            mark_style = style(label_class(span.label))
            if span.status is Status.REJECTED:
                mark_style = style("palette--rejected")
            if span.id == self.focused_id:
                mark_style += focused
            tag = span.label if span.status is not Status.REJECTED else ""
            yield Mark(span.start, span.end, mark_style, tag, tag_style)

    def _quote_marks(self, quote: Quote, focused: Style) -> Iterable[Mark]:
        style = self._style
        if quote.status is Status.REJECTED:
            return
        quote_style = style("palette--quote")
        is_focused = quote.id == self.focused_id
        yield Mark(quote.start, quote.end, quote_style + focused if is_focused else quote_style)
        parts: tuple[tuple[Span | None, str], ...] = (
            (quote.cue, "palette--cue"),
            (quote.speaker, "palette--speaker"),
        )
        for span, component in parts:
            if span is not None and is_focused:
                yield Mark(span.start, span.end, style(component))

    def _ensure_layout(self) -> TextLayout:
        width = max(1, self.scrollable_content_region.width)
        if self._layout is None or self._layout_width != width:
            self._layout = build_layout(self.text, list(self._marks()), width)
            self._layout_width = width
            self._line_cache.clear()
            self.virtual_size = Size(width, len(self._layout.lines))
        return self._layout

    def _base_style(self) -> Style:
        # ``rich_style`` walks the ancestors to blend backgrounds: compute it once.
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def notify_style_update(self) -> None:
        super().notify_style_update()
        base = self.rich_style if self.is_mounted else None
        if base != self._base:
            self._base = base
            self._line_cache.clear()
            self.refresh()

    # -- Line API ---------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        layout = self._ensure_layout()
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if index >= len(layout.lines):
            return Strip.blank(width, self._base_style())
        strip = self._line_cache.get(index)
        if strip is None:
            line = layout.line_text(index)
            strip = line_strip(line, self.app.console, width, self._base_style())
            self._line_cache[index] = strip
        return strip
