"""The reader: an article's text with entities and quotes highlighted, line by line.

A Line-API widget (like Textual's own ``Log`` and toolong's log view): the article is
laid out once per width and per change (see ``text_layout``) and only the visible
lines are rendered, each cached, so long articles scroll smoothly.  Colours come from
the shared :class:`~tui.widgets.palette.LabelPalette`, i.e. from ``newsread.tcss``.

Every highlight also carries a text mark (``PERSON✓``, ``QUOTE``, ``SPEAKER``), so
labels and decisions stay readable without colour (``NO_COLOR``, monochrome); a sentence
with suggested statement tags ends with ``TAGS? claim,denial`` (``✓``/``✗`` once decided).  Reported
speech has no quotation marks to show where it begins, so it also gets a mark before its
first word (``SAID›``) and ends with ``REPORTED`` (``MIXED`` when it holds quoted words).

Selection mode (``v``) draws a new span token by token: arrows move its edges, enter
posts :class:`ArticleView.SpanDrawn`, escape cancels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive, var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotate.model import Annotations, Origin, Quote, QuoteKind, Status
from annotate.terminal_text import one_line
from annotate.tokens import Tokens
from tui.labels import label_class
from tui.widgets.palette import LabelPalette
from tui.widgets.text_layout import Mark, TextLayout, build_layout, line_strip

LINE_SLACK = 8
"""The virtual height is a multiple of this many lines (see ``_ensure_layout``)."""

DECISION_MARKS = {
    Status.PENDING: "",
    Status.ACCEPTED: "✓",
    Status.REJECTED: "✗",
    Status.REPLACED: "↷",  # replaced by what people chose elsewhere: still to decide
}
KIND_TAGS = {
    QuoteKind.DIRECT: "QUOTE",
    QuoteKind.PARTIAL: "QUOTE",
    QuoteKind.MIXED: "MIXED",
    QuoteKind.INDIRECT: "REPORTED",
}
"""The end tag of each attribution kind: quotations read ``QUOTE``, reported speech not."""
REPORTED_KINDS = frozenset({QuoteKind.MIXED, QuoteKind.INDIRECT})
TAG_MARKS = {Status.PENDING: "TAGS?", Status.ACCEPTED: "TAGS✓", Status.REJECTED: "TAGS✗"}
"""The mark after a sentence with suggested tags: ``TAGS? claim,denial`` waits for a
decision, ``TAGS✓ claim`` was accepted, ``TAGS✗ claim`` rejected."""
REPORTED_START = "SAID›"
"""The mark before reported speech's first word (a quotation's own marks show its start)."""


class ArticleView(ScrollView, can_focus=True):
    """Shows one article; ``show`` swaps the text, ``highlight`` the annotations."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "finish_selection", "Label it", id="span_finish",
                tooltip="Choose the new span's label (or QUOTE)"),
        Binding("escape", "cancel_selection", "Cancel", id="span_cancel",
                tooltip="Leave without a span"),
        Binding("right", "grow_end(1)", "End →", id="span_end_right",
                tooltip="Extend the new span by a token"),
        Binding("left", "grow_end(-1)", "End ←", id="span_end_left",
                tooltip="Shrink the new span by a token"),
        Binding("shift+left", "grow_start(1)", "Start ←", id="span_start_left",
                tooltip="Extend it to the left"),
        Binding("shift+right", "grow_start(-1)", "Start →", id="span_start_right",
                tooltip="Shrink it from the left"),
        Binding("w", "shift_selection(1)", "Move", id="span_move_right",
                tooltip="Move it one token right"),
        Binding("b", "shift_selection(-1)", "Back", id="span_move_left",
                tooltip="Move it one token left"),
        Binding("down", "selection_line(1)", "Line ↓", id="span_line_down", show=False,
                tooltip="Start again on the next line"),
        Binding("up", "selection_line(-1)", "Line ↑", id="span_line_up", show=False,
                tooltip="Start again on the previous line"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    ArticleView {
        padding: 0 1;
    }
    """

    focused_id: var[str | None] = var(None)
    """Id of the span or quote the person is looking at (view state only)."""

    selecting: reactive[bool] = reactive(False, bindings=True, layout=False, repaint=False)
    """True while a new span is being drawn (``v``): the footer then shows the drawing keys."""

    @dataclass
    class SpanDrawn(Message):
        """Enter ended selection mode on ``start:end`` (``purpose``: entity or speaker)."""

        start: int
        end: int
        purpose: str

    @dataclass
    class SelectionCancelled(Message):
        """Escape left selection mode without a span."""

        purpose: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        self.annotations = Annotations()
        self.palette: LabelPalette | None = None
        self._layout: TextLayout | None = None
        self._layout_width = -1
        self._line_cache: dict[int, Strip] = {}
        self._base: Style | None = None
        self._tokens: Tokens | None = None
        self._selection: tuple[int, int] | None = None  # first and last token index
        self.selection_purpose = "entity"

    # -- public API -------------------------------------------------------------
    def show(self, text: str, annotations: Annotations | None = None) -> None:
        """Display a new article (annotations may follow later) from the top."""
        self.text = text
        self.annotations = annotations or Annotations()
        self._selection = None
        self.selecting = False
        self.focused_id = None
        self._invalidate()
        self.scroll_to(0, 0, animate=False)

    def highlight(self, annotations: Annotations, focused_id: str | None = None) -> None:
        """Repaint with new annotations (and focus), keeping the scroll position.

        Both change in one re-layout: a decision's repaint costs one layout, not two.
        """
        self.annotations = annotations
        self.set_reactive(ArticleView.focused_id, focused_id)
        self._restyle()

    def use_palette(self, palette: LabelPalette) -> None:
        """Take colours from ``palette`` (until then highlights show as text tags only)."""
        self.palette = palette
        self._invalidate()

    def watch_focused_id(self) -> None:
        self._restyle()

    def scroll_to_offset(self, offset: int, end: int | None = None) -> None:
        """Scroll so that the text between ``offset`` and ``end`` is visible."""
        layout = self._ensure_layout()
        first = layout.line_of(offset)
        last = layout.line_of(max(offset, (end or offset) - 1))
        self.scroll_to_region(Region(0, first, 1, last - first + 1), animate=False, spacing=None)

    def first_visible_offset(self) -> int:
        """The text offset at the top of the visible area."""
        layout = self._ensure_layout()
        if not layout.lines:
            return 0
        line = min(int(self.scroll_offset.y), len(layout.lines) - 1)
        return layout.text_offset(layout.lines[line][0])

    @property
    def rendered_text(self) -> str:
        """The text as laid out on screen, tags included (for tests and debugging)."""
        return self._ensure_layout().display.plain

    # -- selection mode -----------------------------------------------------------
    @property
    def selection(self) -> tuple[int, int] | None:
        """Character offsets of the span being drawn."""
        if self._selection is None or self._tokens is None:
            return None
        first, last = self._selection
        return self._tokens.starts[first], self._tokens.ends[last]

    def begin_selection(self, tokens: Tokens, offset: int, purpose: str) -> None:
        """Start drawing a one-token span at the token containing ``offset``."""
        if not len(tokens):
            return
        self._tokens = tokens
        index = tokens.index_at(offset)
        self._selection = (index, index)
        self.selecting = True
        self.selection_purpose = purpose
        self._selection_changed()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {
            "grow_end",
            "grow_start",
            "shift_selection",
            "selection_line",
            "finish_selection",
            "cancel_selection",
        }:
            return self.selecting
        return True

    def action_grow_end(self, delta: int) -> None:
        assert self._selection is not None and self._tokens is not None
        first, last = self._selection
        self._selection = (first, max(first, min(len(self._tokens) - 1, last + delta)))
        self._selection_changed()

    def action_grow_start(self, delta: int) -> None:
        assert self._selection is not None
        first, last = self._selection
        self._selection = (min(last, max(0, first - delta)), last)
        self._selection_changed()

    def action_shift_selection(self, delta: int) -> None:
        assert self._selection is not None and self._tokens is not None
        first, last = self._selection
        width = last - first
        first = max(0, min(len(self._tokens) - 1 - width, first + delta))
        self._selection = (first, first + width)
        self._selection_changed()

    def action_selection_line(self, delta: int) -> None:
        assert self._selection is not None and self._tokens is not None
        layout = self._ensure_layout()
        start = self._tokens.starts[self._selection[0]]
        line = max(0, min(len(layout.lines) - 1, layout.line_of(start) + delta))
        index = self._tokens.index_at(layout.text_offset(layout.lines[line][0]))
        self._selection = (index, index)
        self._selection_changed()

    def action_finish_selection(self) -> None:
        span = self.selection
        purpose = self.selection_purpose
        self._selection = None
        self.selecting = False
        self._invalidate()
        if span is not None:
            self.post_message(self.SpanDrawn(span[0], span[1], purpose))

    def action_cancel_selection(self) -> None:
        self._selection = None
        self.selecting = False
        self._invalidate()
        self.post_message(self.SelectionCancelled(self.selection_purpose))

    def _selection_changed(self) -> None:
        self._invalidate()
        span = self.selection
        if span is not None:
            self.scroll_to_offset(*span)

    # -- layout -----------------------------------------------------------------
    def _invalidate(self) -> None:
        self._layout = None
        self._line_cache.clear()
        self.refresh()

    def _restyle(self) -> None:
        """Re-lay out after a decision or a focus move, repainting only changed lines.

        A key changes one or two marks (a tag gains a check mark, the focus moves), so
        most visible lines stay the same; rendering only the changed ones keeps a key
        press to a few lines of work instead of the whole view.
        """
        old = self._layout
        if old is None or not self.is_mounted or self._layout_width < 1:
            self._invalidate()
            return
        self._layout = None
        new = self._ensure_layout()
        top = int(self.scroll_offset.y)
        visible_lines = range(top, top + self.size.height)
        cache, self._line_cache = self._line_cache, {}
        for index in visible_lines:
            if index >= len(new.lines) and index >= len(old.lines):
                break
            if (
                index < len(new.lines)
                and index < len(old.lines)
                and new.lines[index] == old.lines[index]
                and new.line_text(index) == old.line_text(index)
            ):
                if index in cache:
                    self._line_cache[index] = cache[index]
            else:
                # Only the line's cells (refresh_line would also dirty the scrollbar).
                region = self.scrollable_content_region
                self.refresh(Region(0, index - top, region.width, 1))

    def _style(self, component: str) -> Style:
        return self.palette.style(component) if self.palette is not None else Style()

    def _marks(self) -> Iterable[Mark]:
        style = self._style
        focused = style("palette--focused")
        tag_style = style("palette--tag")
        by_id = {q.id: q for q in self.annotations.quotes}
        focused_quote = by_id.get(self.focused_id or "")
        starts: list[Mark] = []
        for quote in self.annotations.quotes:
            yield from self._quote_marks(quote, quote is focused_quote, focused, tag_style, starts)
        for span in self.annotations.entities:
            if span.status is Status.REJECTED or span.status is Status.REPLACED:
                mark_style = style("palette--rejected")
            else:
                mark_style = style(label_class(span.label))
            if span.id == self.focused_id:
                mark_style += focused
            tag = f"{one_line(span.label)}{DECISION_MARKS[span.status]}"
            yield Mark(span.start, span.end, mark_style, tag, tag_style)
        if focused_quote is not None:
            yield from self._speaker_marks(focused_quote, tag_style)
        for statement in self.annotations.statements:
            if statement.origin is not Origin.USER:
                sentence = focused if statement.id == self.focused_id else Style()
                tag = f"{TAG_MARKS[statement.status]} {one_line(','.join(statement.tags))}"
                yield Mark(statement.start, statement.end, sentence, tag, tag_style)
        yield from starts  # last: after any tag ending at the same place (``said CUE SAID›``)
        selection = self.selection
        if selection is not None:
            yield Mark(*selection, style("palette--selection"), "NEW…", tag_style)

    def _quote_marks(
        self, quote: Quote, is_focused: bool, focused: Style, tag_style: Style, starts: list[Mark]
    ) -> Iterable[Mark]:
        """A quotation, or reported speech (another style, a start mark, its quoted words)."""
        reported = quote.kind in REPORTED_KINDS
        if quote.status is Status.REJECTED:
            quote_style = self._style("palette--rejected")
        else:
            quote_style = self._style("palette--reported" if reported else "palette--quote")
        if is_focused:
            quote_style += focused
        tag = f"{KIND_TAGS[quote.kind]}{DECISION_MARKS[quote.status]}"
        yield Mark(quote.start, quote.end, quote_style, tag, tag_style)
        if not reported:
            return
        # Before the first word, in the space before it when there is one ("said SAID› the").
        at = quote.start - 1 if quote.start and self.text[quote.start - 1] == " " else quote.start
        starts.append(Mark(at, at, quote_style, REPORTED_START, tag_style))
        if quote.status is not Status.REJECTED:
            words = self._style("palette--quote") + (focused if is_focused else Style())
            for start, end in quote.quoted:
                yield Mark(start, end, words)

    def _speaker_marks(self, quote: Quote, tag_style: Style) -> Iterable[Mark]:
        """The focused quote's speaker, cue and resolved name, linked by their tags."""
        parts = (
            (quote.cue, "palette--cue", "CUE"),
            (quote.speaker, "palette--speaker", f"SPEAKER{DECISION_MARKS[quote.speaker_status]}"),
            (quote.speaker_ref, "palette--speaker", "= SPEAKER"),
        )
        for span, component, tag in parts:
            if span is not None:
                yield Mark(span.start, span.end, self._style(component), tag, tag_style)

    def _ensure_layout(self) -> TextLayout:
        width = max(1, self.scrollable_content_region.width)
        if self._layout is None or self._layout_width != width:
            if self._layout_width != width:
                self._line_cache.clear()
            self._layout = build_layout(self.text, list(self._marks()), width)
            self._layout_width = width
            # The height is rounded up to whole pages of slack: a tag gaining a check
            # mark often pushes a word to a new line, and every change of the virtual
            # size costs a layout pass of the whole screen (~40 ms, measured).
            lines = len(self._layout.lines)
            size = Size(width, lines + (-lines % LINE_SLACK) if lines else 0)
            if self.virtual_size != size:
                self.virtual_size = size
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
