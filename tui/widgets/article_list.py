"""The article list: one line per article, rendered on demand so 10,000 rows cost nothing.

A Line-API widget rather than a ``ListView`` of row widgets: mounting a widget per
row takes seconds at ten thousand articles, while rendering only the visible lines
is constant.  Titles are untrusted text and are only ever placed in ``Text`` objects.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotate.model import ArticleStatus
from store import ArticleSummary
from tui.widgets.text_layout import line_strip, visible

STATUS_MARKS = {
    ArticleStatus.NEW: "○",
    ArticleStatus.IN_PROGRESS: "◐",
    ArticleStatus.DONE: "●",
}


class ArticleList(ScrollView, can_focus=True):
    """The list of articles with status and pending counts; j/k move, enter opens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Next article", id="list_down", show=False,
                tooltip="Next article in the list"),
        Binding("up", "cursor_up", "Previous article", id="list_up", show=False,
                tooltip="Previous article in the list"),
        Binding("enter", "select", "Open", id="open", show=False,
                tooltip="Open the article in the reader"),
        Binding("home", "first", "First", id="list_first", show=False,
                tooltip="First article of the list"),
        Binding("end", "last", "Last", id="list_last", show=False,
                tooltip="Last article of the list"),
        Binding("shift+down", "page(1)", "Page down", id="list_page_down", show=False,
                tooltip="Page down the list"),
        Binding("shift+up", "page(-1)", "Page up", id="list_page_up", show=False,
                tooltip="Page up the list"),
    ]  # fmt: skip

    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--open",
        "article-list--count",
        "article-list--done",
    }

    DEFAULT_CSS = """
    ArticleList {
        width: 36;
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True)
    """Index of the highlighted row among the visible rows."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved to an article."""

        article_id: str

    @dataclass
    class Selected(Message):
        """Enter was pressed on an article."""

        article_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._summaries: list[ArticleSummary] = []  # every article, filtered or not
        self._rows: list[ArticleSummary] = []  # the rows the filter shows
        self._predicate: Callable[[ArticleSummary], bool] | None = None
        self._summary_index: dict[str, int] = {}
        self._styles: dict[str, Style] = {}
        self._row_index: dict[str, int] = {}
        self.open_id: str | None = None
        self._cache: dict[int, Strip] = {}

    # -- data ---------------------------------------------------------------------
    def set_rows(self, summaries: Sequence[ArticleSummary]) -> None:
        """Replace every row (keeps the cursor on the same article when possible)."""
        current = self.highlighted_id
        self._summaries = list(summaries)
        self._summary_index = {s.id: i for i, s in enumerate(self._summaries)}
        self._apply_filter(keep=current)

    def update_row(self, summary: ArticleSummary) -> None:
        """Refresh one article's row after a decision or an analysis."""
        index = self._summary_index.get(summary.id)
        if index is not None:
            self._summaries[index] = summary
        row = self._row_index.get(summary.id)
        if row is not None:
            self._rows[row] = summary
            self._refresh_row(row)

    def set_filter(self, predicate: Callable[[ArticleSummary], bool] | None) -> None:
        """Show only the rows the predicate accepts (``None`` shows all).

        The cursor may land on another article, but nothing opens while a query is
        typed (no :class:`Highlighted`): the reader stays where the person is.
        """
        self._predicate = predicate
        with self.prevent(self.Highlighted):
            self._apply_filter(keep=self.open_id or self.highlighted_id)

    def _apply_filter(self, keep: str | None) -> None:
        predicate = self._predicate
        rows = [r for r in self._summaries if predicate is None or predicate(r)]
        if rows == self._rows and rows:
            return  # most keystrokes of a query keep the same rows: nothing to repaint
        self._rows = rows
        self._row_index = {s.id: i for i, s in enumerate(self._rows)}
        self._cache.clear()
        self._set_row_count(len(self._rows))
        index = next((i for i, r in enumerate(self._rows) if r.id == keep), 0)
        self.cursor = min(index, max(0, len(self._rows) - 1))
        self.refresh()

    @property
    def allow_vertical_scroll(self) -> bool:
        """Only with rows out of sight: the scrollbar is always shown (newsread.tcss), and
        a scroll key with nothing to scroll must reach the screen (pagedown: the reader)."""
        return super().allow_vertical_scroll and self.max_scroll_y > 0

    def _set_row_count(self, count: int) -> None:
        """The virtual height follows the rows, without a layout pass when it can.

        Assigning ``virtual_size`` lays out the whole screen (~30 ms at 120x40, most of
        a filter keystroke).  A layout is only needed when the scrollbar appears or
        goes (it takes a column), never with ``overflow-y: scroll`` (newsread.tcss);
        otherwise the scroll range is updated in place.
        """
        size = Size(self.size.width, count)
        viewport = self.scrollable_content_region.height
        old = self.virtual_size.height
        always = self.styles.overflow_y == "scroll"  # the scrollbar never comes or goes
        if self.is_mounted and viewport > 0 and (always or (old > viewport) == (count > viewport)):
            self.set_reactive(ArticleList.virtual_size, size)
            self._scroll_update(size)
        else:
            self.virtual_size = size

    @property
    def rows(self) -> list[ArticleSummary]:
        """The visible rows, in order."""
        return list(self._rows)

    @property
    def row_count(self) -> int:
        """How many rows the filter shows (no copy, unlike :attr:`rows`)."""
        return len(self._rows)

    @property
    def highlighted_id(self) -> str | None:
        """The article under the cursor."""
        if 0 <= self.cursor < len(self._rows):
            return self._rows[self.cursor].id
        return None

    def move_to(self, article_id: str) -> None:
        """Put the cursor on an article (if it is visible)."""
        index = self._row_index.get(article_id)
        if index is not None:
            self.cursor = index

    def mark_open(self, article_id: str | None) -> None:
        """Mark the article shown in the reader."""
        previous, self.open_id = self.open_id, article_id
        for changed in (previous, article_id):
            index = self._row_index.get(changed) if changed is not None else None
            if index is not None:
                self._refresh_row(index)

    def _refresh_row(self, index: int) -> None:
        """Repaint one row only: a cursor move must not re-render the whole list."""
        self._cache.pop(index, None)
        y = index - self.scroll_offset.y
        if 0 <= y < self.scrollable_content_region.height:
            # The row's cells only (refresh_line would also dirty the scrollbar).
            self.refresh(Region(0, y, self.scrollable_content_region.width, 1))

    # -- actions ------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, spacing=None)
        if self.scroll_offset.y != top:
            self._cache.clear()
            self.refresh()
        else:
            self._refresh_row(old)
            self._refresh_row(new)
        article_id = self.highlighted_id
        if article_id is not None and old != new:
            self.post_message(self.Highlighted(article_id))

    def step(self, delta: int) -> str | None:
        """Move the cursor by ``delta`` rows without posting :class:`Highlighted`.

        For a caller that opens the article itself, in the same frame: the message
        would only arrive after a frame showing the cursor moved and the old article.
        """
        with self.prevent(self.Highlighted):
            self.cursor = max(0, min(len(self._rows) - 1, self.cursor + delta))
        return self.highlighted_id

    def action_cursor_down(self) -> None:
        if self.cursor < len(self._rows) - 1:
            self.cursor += 1

    def action_cursor_up(self) -> None:
        if self.cursor > 0:
            self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(0, len(self._rows) - 1)

    def action_page(self, direction: int) -> None:
        step = max(1, self.scrollable_content_region.height - 1)
        self.cursor = max(0, min(len(self._rows) - 1, self.cursor + direction * step))

    def action_select(self) -> None:
        article_id = self.highlighted_id
        if article_id is not None:
            self.post_message(self.Selected(article_id))

    # -- rendering ----------------------------------------------------------------
    def render_row(self, summary: ArticleSummary, width: int) -> Text:
        """One row: status mark, title, pending count."""
        count = f" {summary.pending}" if summary.pending else ""
        mark = STATUS_MARKS[summary.status]
        title_width = max(1, width - 2 - cell_len(count))
        title = visible(summary.title).replace("\n", " ")
        row = Text(no_wrap=True, overflow="ellipsis")
        row.append(f"{mark} ")
        title_text = Text(title)
        title_text.truncate(title_width, overflow="ellipsis", pad=True)
        row.append_text(title_text)
        row.append(count, style=self._style("article-list--count"))
        if summary.status is ArticleStatus.DONE:
            row.stylize(self._style("article-list--done"))
        return row

    def _style(self, component: str) -> Style:
        """A component class's style, resolved once per style update (not per row)."""
        style = self._styles.get(component)
        if style is None:
            style = self._styles[component] = self.get_component_rich_style(component, partial=True)
        return style

    def _base_style(self) -> Style:
        # ``rich_style`` walks the ancestors to blend backgrounds: once per style update.
        base = self._styles.get("")
        if base is None:
            base = self._styles[""] = self.rich_style
        return base

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = {}
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if index >= len(self._rows):
            return Strip.blank(width, self._base_style())
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        summary = self._rows[index]
        row = self.render_row(summary, width)
        if summary.id == self.open_id:
            row.stylize(self._style("article-list--open"))
        if index == self.cursor:
            row.stylize(self._style("article-list--cursor"))
        strip = line_strip(row, self.app.console, width, self._base_style())
        self._cache[index] = strip
        return strip

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(self._rows))
