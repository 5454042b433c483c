"""The newsread Textual app: article list, reader, side panel, status line and footer.

Data flow: the :class:`~store.Store` is the truth and is only written from the UI
thread.  The spaCy pipeline never loads in ``compose``/``on_mount``: after the first
paint a thread worker loads it and analyses the articles that have no suggestions
yet (the open one first), posting an :class:`~tui.messages.AnalysisReady` per
article; the UI thread stores it and repaints.  So the list and the text appear at
once and the highlights follow.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.widgets import Footer, Static

from annotate.model import Annotations, Article
from store import Store, StoreError
from tui import trace
from tui.config import Settings
from tui.messages import AnalysisFailed, AnalysisReady, ModelLoaded
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.legend import Legend
from tui.widgets.palette import LabelPalette
from tui.widgets.text_layout import visible


class NewsreadApp(App[None]):
    """Annotate news articles from the keyboard."""

    CSS_PATH = Path(__file__).with_name("newsread.tcss")
    TITLE = "newsread"

    BINDINGS: list[BindingType] = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit (every decision is saved)"),
        Binding("ctrl+d,pagedown", "scroll_reader(1)", "Page down", id="reader.page_down",
                show=False),
        Binding("ctrl+u,pageup", "scroll_reader(-1)", "Page up", id="reader.page_up",
                show=False),
    ]  # fmt: skip

    def __init__(self, store: Store, settings: Settings, *, analyze: bool = True) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.analyze_in_background = analyze
        self.article: Article | None = None
        self.annotations = Annotations()
        self._priority: str | None = None
        self._wake = threading.Event()
        self._model_ready = False

    # -- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield ArticleList(id="articles")
            yield ArticleView(id="reader")
            with Vertical(id="side"):
                yield Static("", id="details")
                yield Legend(id="legend")
        yield Static("", id="status")
        yield Footer()

    @property
    def article_list(self) -> ArticleList:
        """The list widget."""
        return self.query_one(ArticleList)

    @property
    def reader(self) -> ArticleView:
        """The reader widget."""
        return self.query_one(ArticleView)

    def on_mount(self) -> None:
        trace.mark("mount")
        if self.store.readonly:
            self.say("Another newsread is writing to this store: opened read-only.", "warning")
        summaries = self.store.list_articles()
        self.article_list.set_rows(summaries)
        start = self.store.last_touched() or (summaries[0].id if summaries else None)
        if start is not None:
            self.article_list.move_to(start)
            self.open_article(start)
        self.article_list.focus()
        self.update_status()
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        trace.mark("first_paint")
        self.mount(LabelPalette())
        if self.analyze_in_background and not self.store.readonly:
            self.run_analysis()

    def say(self, message: str, severity: SeverityLevel = "information") -> None:
        """A notification whose text is shown literally (file names, errors are data)."""
        timeout = 4 if severity == "information" else 12
        self.notify(message, severity=severity, timeout=timeout, markup=False)

    def on_label_palette_changed(self, message: LabelPalette.Changed) -> None:
        palette = self.query_one(LabelPalette)
        self.reader.use_palette(palette)
        self.query_one(Legend).use_palette(palette.label_style)

    # -- opening articles -------------------------------------------------------------
    def open_article(self, article_id: str) -> None:
        """Show an article in the reader (its text at once, highlights if analysed)."""
        try:
            article, annotations = self.store.get(article_id)
        except StoreError as exc:
            self.say(str(exc), "error")
            return
        self.article, self.annotations = article, annotations
        self.reader.show(article.text, annotations)
        self.reader.border_title = Text(visible(article.title).replace("\n", " "))
        self.query_one(Legend).show(annotations)
        self.article_list.mark_open(article_id)
        self.update_details()
        if article.analysis is None:
            self._priority = article_id
            self._wake.set()

    def on_article_list_highlighted(self, message: ArticleList.Highlighted) -> None:
        self.open_article(message.article_id)

    def on_article_list_selected(self, message: ArticleList.Selected) -> None:
        if self.article is None or self.article.id != message.article_id:
            self.open_article(message.article_id)
        self.reader.focus()

    def action_scroll_reader(self, direction: int) -> None:
        """Scroll the reader by a page, wherever the focus is."""
        reader = self.reader
        reader.scroll_relative(
            y=direction * max(1, reader.scrollable_content_region.height - 1), animate=False
        )

    # -- side panel and status ----------------------------------------------------------
    def update_details(self) -> None:
        """The side panel: what the open article holds."""
        details = self.query_one("#details", Static)
        if self.article is None:
            details.update("")
            return
        summary = self.store.summary(self.article.id)
        analysed = (
            "analysing…"
            if self.article.analysis is None
            else (
                f"{len(self.annotations.entities)} entities · {len(self.annotations.quotes)} quotes"
            )
        )
        details.update(Text(f"{summary.status}\n{analysed}\n{summary.pending} pending"))

    def update_status(self, message: str | None = None) -> None:
        """The status line: model state and corpus progress."""
        summaries = self.store.list_articles()
        done = sum(1 for s in summaries if s.status == "done")
        analysed = sum(1 for s in summaries if s.analysed)
        model = "model ready" if self._model_ready else "model loading…"
        parts = [f"{done}/{len(summaries)} done", f"{analysed}/{len(summaries)} analysed", model]
        if self.store.readonly:
            parts.append("READ-ONLY")
        if message:
            parts.append(message)
        self.query_one("#status", Static).update(Text("  ·  ".join(parts)))

    # -- analysis worker ------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="analysis", name="analysis")
    def run_analysis(self) -> None:
        """Load the model, then analyse every article without suggestions (open one first)."""
        from annotate.nlp import ModelNotAvailable, load_model, model_label, resolve_model_name
        from annotate.pipeline import analyze

        worker = self._current_worker()
        started = time.perf_counter()
        name = resolve_model_name(self.settings.model)
        try:
            nlp = load_model(name)
        except ModelNotAvailable as exc:
            self.post_message(AnalysisFailed(str(exc)))
            return
        self.post_message(ModelLoaded(name, time.perf_counter() - started))
        info = model_label(nlp)
        pending = [s.id for s in self.store.list_articles() if not s.analysed]
        done: set[str] = set()
        while not worker.is_cancelled:
            article_id = self._priority if self._priority not in done else None
            self._priority = None
            if article_id is None:
                article_id = next((i for i in pending if i not in done), None)
            if article_id is None:
                self._wake.clear()
                if self._wake.wait(0.5) and self._priority:
                    continue
                if worker.is_cancelled:
                    return
                continue
            done.add(article_id)
            try:
                article, _ = self.store.get(article_id)
                if article.analysis is not None:
                    continue
                for _, annotations in analyze(nlp, [article]):
                    self.post_message(AnalysisReady(article_id, annotations, info))
            except Exception as exc:  # one bad article must not stop the others
                self.post_message(AnalysisFailed(f"{type(exc).__name__}: {exc}", article_id))

    def _current_worker(self):  # type: ignore[no-untyped-def]
        from textual.worker import get_current_worker

        return get_current_worker()

    def on_model_loaded(self, message: ModelLoaded) -> None:
        self._model_ready = True
        self.update_status()

    def on_analysis_ready(self, message: AnalysisReady) -> None:
        try:
            merged = self.store.save_analysis(
                message.article_id, message.annotations, message.analysis
            )
        except StoreError as exc:
            self.say(str(exc), "error")
            return
        self.article_list.update_row(self.store.summary(message.article_id))
        if self.article is not None and self.article.id == message.article_id:
            self.article, self.annotations = self.store.get(message.article_id)
            self.reader.highlight(merged)
            self.query_one(Legend).show(merged)
            self.update_details()
            trace.mark("highlights")
        self.update_status()

    def on_analysis_failed(self, message: AnalysisFailed) -> None:
        self.say(message.error, "error")
        self.update_status("analysis failed")
