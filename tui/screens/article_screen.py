"""The main screen's state and layout: list, reader, side panel, status line, search.

:class:`ArticleScreen` opens articles, moves the focus, saves decisions through the app
and keeps the status line; :class:`~tui.screens.annotate.AnnotateScreen` adds the keys
that decide.  Keys act on the open article wherever the focus is (list or reader),
except inside the filter input.  None of them is a priority binding: every key then
travels the same path (focused widget, then this screen) and is handled in the order it
was typed -- a priority binding overtakes keys still queued, so "a" then tab typed fast
would move the focus before the accept.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive, var
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import get_current_worker

from annotate import actions
from annotate.edits import Edit
from annotate.model import Annotations, Article, ArticleStatus
from store import ArticleSummary, StoreError
from tui import trace
from tui.bindings import DECISIONS
from tui.filtering import parse_filter
from tui.messages import SearchIndexReady
from tui.search_index import SearchIndex
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.details import DetailsPanel
from tui.widgets.details_bar import DetailsBar
from tui.widgets.filter_box import FilterBox
from tui.widgets.key_footer import KeyFooter
from tui.widgets.legend import Legend
from tui.widgets.palette import LabelPalette
from tui.widgets.status_bar import Progress, StatusBar
from tui.widgets.text_layout import visible

if TYPE_CHECKING:
    from tui.app import NewsreadApp


class ArticleScreen(Screen[None]):
    """List, reader and side panel; what is open, what is focused, what the status says."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    progress: var[Progress] = var(Progress, init=False)
    """What the status line shows; every change of it repaints the line (watcher)."""

    model_state: reactive[str] = reactive("", init=False)
    """Where the model is (loading, ready, off): set by the app, shown in the status line."""

    def __init__(self) -> None:
        super().__init__()
        self.article: Article | None = None
        self.annotations = Annotations()
        self._status_counts: Counter[ArticleStatus] = Counter()
        self._search_index: SearchIndex | None = None  # built on the first "/"

    # -- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield ArticleList(id="articles")
            yield ArticleView(id="reader")
            with Vertical(id="side"):
                yield DetailsPanel(id="details")
                yield Legend(id="legend")
        yield DetailsBar(id="details-bar")  # shown instead of the side panel when narrow
        yield StatusBar(id="status")  # drawn line by line: cheaper than a Static per key
        yield KeyFooter()

    def on_mount(self) -> None:
        self.newsread.populate()
        self.article_list.focus()

    @property
    def newsread(self) -> NewsreadApp:
        """The app, typed (it owns the store and the settings)."""
        return cast("NewsreadApp", self.app)

    @property
    def reader(self) -> ArticleView:
        """The reader widget."""
        return self.query_one(ArticleView)

    @property
    def article_list(self) -> ArticleList:
        """The list widget."""
        return self.query_one(ArticleList)

    @property
    def focused_item(self) -> actions.Focusable | None:
        """The entity or quote the reader focuses."""
        return actions.find(self.annotations, self.reader.focused_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in DECISIONS:
            if isinstance(self.focused, Input):
                return False
            if self.reader.selecting and action not in {"undo", "redo"}:
                return False
        return True

    # -- opening articles ---------------------------------------------------------------
    def show_article(
        self, article: Article, annotations: Annotations, summary: ArticleSummary
    ) -> None:
        """Display an article and focus its first pending suggestion."""
        self.article, self.annotations = article, annotations
        self.progress = replace(
            self.progress,
            article_decided=summary.decided,
            article_total=summary.decided + summary.pending,
        )
        self.reader.show(article.text, annotations)
        self.reader.border_title = Text(visible(article.title).replace("\n", " "))
        self.article_list.mark_open(article.id)
        self.query_one(Legend).show(annotations)
        first = actions.step(annotations, None)
        self.focus_item(first.id if first else None)

    def refresh_annotations(self, annotations: Annotations, focus: str | None = None) -> None:
        """Repaint after a decision or an analysis; keep or move the focus."""
        self.annotations = annotations
        current = focus if focus is not None else self.reader.focused_id
        if actions.find(annotations, current) is None:
            nxt = actions.step(annotations, None)
            current = nxt.id if nxt else None
        self.reader.highlight(annotations, current)
        self.query_one(Legend).show(annotations)
        self._reveal(current)

    def focus_item(self, item_id: str | None) -> None:
        """Focus an entity or quote in the reader and scroll it into view."""
        self.reader.focused_id = item_id
        self._reveal(item_id)

    def _reveal(self, item_id: str | None) -> None:
        item = actions.find(self.annotations, item_id)
        if item is not None:
            self.reader.scroll_to_offset(item.start, item.end)
        self.update_details()

    def update_details(self) -> None:
        """The side panel for the focused item."""
        text = self.article.text if self.article else ""
        item = self.focused_item
        self.query_one(DetailsPanel).show(text, self.annotations, item)
        self.query_one(DetailsBar).show(text, item)

    def on_article_list_highlighted(self, message: ArticleList.Highlighted) -> None:
        self.newsread.open_article(message.article_id)

    def on_article_list_selected(self, message: ArticleList.Selected) -> None:
        if self.article is None or self.article.id != message.article_id:
            self.newsread.open_article(message.article_id)
        self.reader.focus()

    # -- saving decisions --------------------------------------------------------------
    def apply_decision(
        self, edit: Edit | None, *, then: str | None = None, advance: bool = False
    ) -> None:
        """Save ``edit`` through the store, then repaint and optionally move on."""
        if edit is None or self.article is None:
            return
        annotations = self.newsread.save_decision(self.article.id, edit)
        if annotations is None:
            return  # the app already said why (read-only, disk full…)
        self.annotations = annotations
        target = then
        if advance:
            nxt = actions.step(annotations, self.reader.focused_id)
            target = nxt.id if nxt else None
        self.refresh_annotations(annotations, focus=target)

    @property
    def annotator(self) -> str:
        """Who is deciding."""
        return str(self.newsread.settings.annotator)

    # -- navigation ---------------------------------------------------------------------
    def action_next_suggestion(self) -> None:
        nxt = actions.step(self.annotations, self.reader.focused_id)
        self.focus_item(nxt.id if nxt else None)

    def action_prev_suggestion(self) -> None:
        prev = actions.step(self.annotations, self.reader.focused_id, backwards=True)
        self.focus_item(prev.id if prev else None)

    def action_next_item(self, delta: int = 1, quotes: bool = False) -> None:
        """Step through every item (decided too), or every quote, in reading order."""
        item = actions.step_any(
            self.annotations, self.reader.focused_id, backwards=delta < 0, quotes_only=quotes
        )
        if item is None:
            self.app.bell()
            return
        self.focus_item(item.id)

    def action_go_to_item(self) -> None:
        """Jump to an item picked from a list (the ten after the focus are one digit away)."""
        if self.article is None or not actions.focusables(self.annotations):
            self.app.bell()
            return
        from tui.screens.pickers import ItemPicker

        picker = ItemPicker(self.article.text, self.annotations, self.reader.focused_id)

        def chosen(item_id: str | None) -> None:
            if item_id is not None:
                self.focus_item(item_id)

        self.app.push_screen(picker, chosen)

    def action_skip(self) -> None:
        self.action_next_suggestion()

    def action_next_article(self) -> None:
        self._open_neighbour(1)

    def action_prev_article(self) -> None:
        self._open_neighbour(-1)

    def _open_neighbour(self, delta: int) -> None:
        article_id = self.article_list.step(delta)
        if article_id is not None and (self.article is None or self.article.id != article_id):
            self.newsread.open_article(article_id)

    def action_scroll_reader(self, direction: int) -> None:
        reader = self.reader
        page = max(1, reader.scrollable_content_region.height - 1)
        reader.scroll_relative(y=direction * page, animate=False)

    # -- filtering ------------------------------------------------------------------------
    def _filter_box(self) -> Input | None:
        found = self.query("#filter")
        return found.first(Input) if found else None

    def action_filter(self) -> None:
        box = self._filter_box()
        if box is None:
            # Mounted on first use: an Input costs ~15 ms of the first paint.
            box = FilterBox(placeholder="words speaker: quote: status: label:", id="filter")
            box.cursor_blink = False  # a blink is a repaint between keystrokes
            self.query_one("#left").mount(box, before=self.article_list)
        if self._search_index is None:
            self._search_index = SearchIndex()
            self.build_search_index(self._search_index)
        box.display = True
        box.focus()
        self._show_match_count()

    @property
    def search_ready(self) -> bool:
        """True once the filter's word index holds every article."""
        return self._search_index is not None and self._search_index.complete

    @work(thread=True, exclusive=True, group="search", name="search index")
    def build_search_index(self, index: SearchIndex) -> None:
        """Read every article once, off the UI thread, into the filter's word index."""
        worker = get_current_worker()
        store = self.newsread.store
        for summary in store.list_articles():
            if worker.is_cancelled:
                return
            try:
                article, annotations = store.get(summary.id)
            except (StoreError, KeyError):
                continue  # an unreadable article is reported when it is opened
            index.add(article.id, article.title, article.source, article.text, annotations)
        self.post_message(SearchIndexReady())

    def on_search_index_ready(self, message: SearchIndexReady) -> None:
        trace.mark("search_index")
        if self._search_index is not None:
            self._search_index.complete = True
        box = self._filter_box()
        if box is not None and box.value:
            self._apply_filter(box.value)  # words in bodies, speakers, quotes count now
        self._show_match_count()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self._apply_filter(event.value)

    def _apply_filter(self, query: str) -> None:
        # The reader stays on the open article while the query is typed.
        self.article_list.set_filter(parse_filter(query, self._search_index, self.newsread.is_mine))
        self.progress = replace(self.progress, shown=self.article_list.row_count)
        self._show_match_count()

    def _show_match_count(self) -> None:
        box = self._filter_box()
        if box is None:
            return
        index = self._search_index
        building = " · indexing…" if index is not None and not index.complete else ""
        subtitle = f"{self.article_list.row_count} of {self.progress.total}{building}"
        if box.border_subtitle != subtitle:  # each assignment repaints the box
            box.border_subtitle = subtitle

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self.article_list.focus()
        highlighted = self.article_list.highlighted_id
        if highlighted is not None and (self.article is None or self.article.id != highlighted):
            self.newsread.open_article(highlighted)

    def action_escape(self) -> None:
        box = self._filter_box()
        if box is not None and (box.has_focus or box.value):
            box.value = ""
            box.display = False
            self.article_list.set_filter(None)
            self.article_list.focus()
            self.progress = replace(self.progress, shown=self.article_list.row_count)

    def go_to(self, article_id: str) -> None:
        """Open an article from elsewhere (the palette): list cursor and reader follow."""
        self.action_escape()
        self.article_list.move_to(article_id)
        self.newsread.open_article(article_id)

    # -- status line ------------------------------------------------------------------
    def set_rows(self, summaries: list[ArticleSummary], *, current: str | None) -> None:
        """Fill the list, put its cursor on ``current`` and count the corpus's progress."""
        self.article_list.set_rows(summaries)
        if current is not None:
            self.article_list.move_to(current)
        self._status_counts = Counter(s.status for s in summaries)
        self.progress = replace(
            self.progress,
            annotator=self.annotator,
            readonly=self.newsread.store.readonly,
            model=self.model_state,
            **self._corpus_progress(),  # type: ignore[arg-type]  # ints, never training
        )

    def summary_changed(
        self, old: ArticleSummary, new: ArticleSummary, annotations: Annotations | None = None
    ) -> None:
        """An article's counts changed (a decision, an undo, an analysis)."""
        if annotations is not None and self._search_index is not None:
            if self.article is not None and self.article.id == new.id:
                text = self.article.text
            else:
                text = self.newsread.store.get(new.id)[0].text
            self._search_index.update(new.id, text, annotations)
        self._status_counts[old.status] -= 1
        self._status_counts[new.status] += 1
        self.article_list.update_row(new)
        changes: dict[str, object] = dict(self._corpus_progress())
        if self.article is not None and self.article.id == new.id:
            changes.update(article_decided=new.decided, article_total=new.decided + new.pending)
        self.progress = replace(self.progress, **changes)  # type: ignore[arg-type]

    def _corpus_progress(self) -> dict[str, int]:
        counts = self._status_counts
        return {
            "done": counts[ArticleStatus.DONE],
            "started": counts[ArticleStatus.IN_PROGRESS],
            "total": sum(counts.values()),
            "shown": self.article_list.row_count,
        }

    def watch_progress(self, progress: Progress) -> None:
        self.query_one(StatusBar).show(progress)

    def watch_model_state(self, state: str) -> None:
        self.progress = replace(self.progress, model=state)

    def on_label_palette_changed(self, message: LabelPalette.Changed) -> None:
        self.reader.use_palette(message.palette)
        self.query_one(Legend).use_palette(message.palette.label_style)
