"""The newsread Textual app: owns the store, the settings and the analysis worker.

Data flow: the :class:`~store.Store` is the truth and is written only from the UI
thread (TinyDB is not thread-safe).  The screen (:mod:`tui.screens.annotate`) turns
keys into edits and calls :meth:`NewsreadApp.save_decision`, which returns only once the
decision is on disk.  The spaCy pipeline never loads in ``compose``/``on_mount``:
after the first paint a thread worker loads it and analyses the articles that have
no suggestions yet, posting an :class:`~tui.messages.AnalysisReady` per article; the UI
thread stores and repaints.  Opening an unanalysed article puts its id on the worker's
``queue.Queue`` (:attr:`NewsreadApp.analysis_requests`), which the worker serves before
the rest; with nothing to do it blocks on that queue, and quitting puts ``None`` on it.
The app talks to the screen through the screen's methods and reactives, never its widgets.
"""

from __future__ import annotations

import gc
import queue
import time
from collections import deque
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.worker import get_current_worker

from annotate.assignment import assigned
from annotate.edits import Edit, EditConflict
from annotate.learn.lexicon import with_learned
from annotate.limits import ARTICLE_BUDGET_S
from annotate.model import Annotations, Article, ArticleStatus, Origin, Statement, Status
from annotate.terminal_text import escape, one_line
from store import ArticleSummary, Store, StoreError
from store.versions import Viewer
from tui import trace
from tui.collector import CHECK_EVERY_S, IdleCollector
from tui.commands import ArticleCommands
from tui.config import Settings
from tui.learned import LearnedReady, LearnedSuggestions
from tui.messages import AnalysisFailed, AnalysisReady, ModelLoaded
from tui.screens.annotate import AnnotateScreen
from tui.training import (
    Training,
    TrainingFinished,
    TrainingProgress,
    finished,
    progress_text,
    show_training,
)
from tui.widgets.palette import LabelPalette

if TYPE_CHECKING:
    from spacy.language import Language


def _stale(analysis: Mapping[str, Any], info: Mapping[str, str], summary: ArticleSummary) -> bool:
    """True when a trained model should suggest again: another model made the article's
    suggestions, it is not done, and its analysis was not skipped (over the budget)."""
    other = (analysis.get("model"), analysis.get("version")) != (info["model"], info["version"])
    return other and summary.status is not ArticleStatus.DONE and "skipped" not in analysis


class NewsreadApp(App[None]):
    """Annotate news articles from the keyboard."""

    CSS_PATH = Path(__file__).with_name("newsread.tcss")
    TITLE = "newsread"
    COMMANDS = App.COMMANDS | {ArticleCommands}
    PAUSE_GC_ON_SCROLL = False  # the collector is tui.collector's, scrolling or not

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit (every decision is saved)"),
        Binding(
            "question_mark",
            "help",
            "Help",
            id="help",
            tooltip="Every key with its binding id, and what the marks mean",
        ),
    ]

    def __init__(self, store: Store, settings: Settings, *, analyze: bool = True) -> None:
        super().__init__()
        self.store = store
        store.viewer = Viewer.of(settings.annotator)  # blind: this annotator's version only
        self.settings = settings
        self.analyze_in_background = analyze
        self.analysis_requests: queue.Queue[str | None] = queue.Queue()
        """Articles to analyse before the rest (the one just opened); ``None`` stops."""
        self.analysis_budget_s = ARTICLE_BUDGET_S
        self.reanalyse: set[str] = set()
        """Articles a person asked to analyse again although they have an analysis."""
        """Seconds one article's analysis may take before it is stored as skipped."""
        self._collector = IdleCollector(self.call_after_refresh)
        self.learned: LearnedSuggestions | None = None
        """Learned suggestions (``tui.learned``), started after the first paint."""
        self.training: Training | None = None
        """The ``newsread train`` child started from the palette (``tui.training``)."""
        self.training_args: tuple[str, ...] = ()
        """Extra arguments of that child's ``train`` (tests: ``--epochs 1``)."""

    def get_default_screen(self) -> AnnotateScreen:
        return AnnotateScreen()

    @property
    def main(self) -> AnnotateScreen:
        """The annotation screen (always the bottom of the screen stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, AnnotateScreen)
        return screen

    @property
    def _screens_gone(self) -> bool:
        """True once the screens are gone: a worker's late message has nothing to update."""
        return not self.screen_stack or not isinstance(self.screen_stack[0], AnnotateScreen)

    def on_mount(self) -> None:
        trace.mark("mount")

    def on_unmount(self) -> None:
        # The process may go on (tests, an embedding program): give the collector back.
        # What was frozen stays frozen: unfreezing makes the next full collection scan
        # the ~200,000 objects of the app and model, 170 ms measured on quitting.
        gc.enable()
        self.analysis_requests.put(None)  # an idle worker waits on the queue: let it end
        if self.learned is not None:
            self.learned.stop()
        if self.training is not None:
            self.training.stop()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._collector.touched()  # no collection while the user is typing
        await super().on_event(event)

    def populate(self) -> None:
        """Fill the main screen once it is composed (called from its ``on_mount``)."""
        if self.settings.keys:
            self.set_keymap(dict(self.settings.keys))
        for notice in self.store.notices:
            self.say(notice, "warning")
        if self.store.readonly and not self.store.notices:
            self.say("This store is open read-only: decisions cannot be saved.", "warning")
        summaries = self.store.list_articles()
        if self.settings.overlap:  # this annotator's queue first (annotate.assignment)
            summaries.sort(key=lambda s: not self.is_mine(s))
        touched = max((s for s in summaries if s.updated), key=lambda s: s.updated, default=None)
        start = touched.id if touched else (summaries[0].id if summaries else None)
        self.main.model_state = "model not loaded" if self.analyze_in_background else "analysis off"
        self.main.set_rows(summaries, current=start)
        if start is not None:
            self.open_article(start)
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        trace.mark("first_paint")
        # Start-up ran with the collector off (see tui.entry); from now on it runs
        # between key presses (tui.collector).
        self._collector.start()
        self.set_interval(CHECK_EVERY_S, self._collector.tick, name="idle-gc")
        self.main.mount(LabelPalette())  # its Changed message goes to the screen
        if not self.store.readonly:
            self.learned = LearnedSuggestions(self.store, self.post_message)
            self.learned.start()
            if self.main.article is not None:
                self.learned.opened(self.main.article.id)
        if self.analyze_in_background and not self.store.readonly:
            self.main.model_state = "model loading…"
            self.run_analysis()

    def say(self, message: str, severity: SeverityLevel = "information") -> None:
        """A notification whose text is shown literally (file names, errors are data)."""
        timeout = 4 if severity == "information" else 12
        self.notify(escape(message), severity=severity, timeout=timeout, markup=False)

    @work(thread=True, exclusive=True, group="agreement", name="agreement")
    def action_agreement(self) -> None:
        """Compute the agreement between annotators and show it (``newsread agreement``)."""
        from annotate.agreement import agreement
        from tui.cli.agreement_cmd import article_versions, renderables
        from tui.screens.report import ReportScreen

        try:
            parts = renderables(agreement(article_versions(self.store)))
        except (StoreError, KeyError) as exc:
            self.call_from_thread(self.say, f"agreement failed: {exc}", "error")
            return
        self.call_from_thread(self.push_screen, ReportScreen(parts))

    def action_compare(self) -> None:
        """Show every annotator's choices on the open article (this annotator works blind
        to them until they ask: ``annotate.review``)."""
        from tui.screens.report import ReportScreen, compare_table

        article = self.main.article
        if article is None:
            return
        table = compare_table(article, self.store.versions(article.id))
        if table is None:
            self.say("no annotator has decided anything in this article yet")
            return
        self.push_screen(ReportScreen([table]))

    def action_help(self) -> None:
        """Show every key."""
        from tui.screens.help import HelpScreen  # loaded on first use

        self.push_screen(HelpScreen(self.main))

    def is_mine(self, summary: ArticleSummary) -> bool:
        """Whether the article is this annotator's: assigned to them by the overlap
        setting, or already in their version (the filter ``status:mine``)."""
        settings = self.settings
        return settings.annotator in summary.versions or assigned(
            summary.id, settings.annotator, settings.team, settings.overlap
        )

    # -- articles and decisions ---------------------------------------------------------
    def open_article(self, article_id: str) -> None:
        """Show an article in the reader (its text at once, highlights if analysed)."""
        try:
            article, annotations = self.store.get(article_id)
        except (StoreError, KeyError) as exc:
            self.say(f"cannot open article {article_id}: {exc}", "error")
            return
        self.main.show_article(article, annotations, self.store.summary(article_id))
        if self.learned is not None:
            self.learned.opened(article_id)
        if article.analysis is None:
            self.analysis_requests.put(article_id)

    def save_decision(self, article_id: str, edit: Edit) -> Annotations | None:
        """Save a decision; ``None`` (and a visible notification) if it was not saved."""
        old = self.store.summary(article_id)
        try:
            annotations = self.store.save_decision(article_id, edit)
        except EditConflict as exc:
            self.say(f"not saved: {exc}; the article was reloaded", "warning")
            self.open_article(article_id)
            return None
        except StoreError as exc:
            self.say(f"NOT SAVED: {exc}", "error")
            return None
        self.main.summary_changed(old, self.store.summary(article_id), annotations)
        if self.learned is not None:
            self.learned.decided(article_id)
        return annotations

    def step_history(self, *, back: bool) -> None:
        """Undo (or redo) the open article's last decision, also after a restart."""
        article = self.main.article
        if article is None:
            return
        old = self.store.summary(article.id)
        try:
            result = self.store.undo(article.id) if back else self.store.redo(article.id)
        except (StoreError, EditConflict) as exc:
            self.say(f"{'undo' if back else 'redo'} failed: {exc}", "error")
            return
        if result is None:
            self.say(f"nothing to {'undo' if back else 'redo'} in this article")
            return
        annotations, edit = result
        self.main.summary_changed(old, self.store.summary(article.id), annotations)
        if self.learned is not None:
            self.learned.decided(article.id)
        # Focus what the step changed back (a person's own statement is not focusable).
        touched = [
            i.id for i in edit.after if not (isinstance(i, Statement) and i.origin is Origin.USER)
        ]
        self.main.refresh_annotations(annotations, focus=touched[0] if touched else None)
        action = edit.action.removeprefix("undo ")
        self.say(f"undone: {action}" if back else f"redone: {action}")

    def propagate_last_decision(self) -> None:
        """Apply the open article's last decision to every other mention of its text
        (``annotate.propagation.propagate``): one decision, one undo, the count shown."""
        from annotate import actions, propagation

        article, screen = self.main.article, self.main
        if article is None:
            return
        history, cursor = self.store.history(article.id)
        source = actions.find(screen.annotations, propagation.last_decided(history, cursor))
        found = propagation.propagate(
            screen.annotations, article.text, source.id if source else None, screen.annotator
        )
        if source is None or found is None:
            what = f"'{source.text(article.text)}'" if source else "the last decision"
            self.say(f"no other mention of {what} to change")
            return
        edit, _count = found
        screen.apply_decision(edit, then=screen.reader.focused_id)
        self.say(f"{edit.action} of '{source.text(article.text)}'")

    def action_train(self) -> None:
        """Palette: train a model on the decisions in a child process (``tui.training``)."""
        self.training = self.training or Training(self)
        self.training.start()

    def on_training_progress(self, message: TrainingProgress) -> None:
        if not self._screens_gone:
            show_training(self, progress_text(message))

    def on_training_finished(self, message: TrainingFinished) -> None:
        if not self._screens_gone:
            finished(self, message)

    def restart_analysis(self) -> None:
        """Analyse again with :attr:`settings`' model (a trained model was chosen)."""
        old, self.analysis_requests = self.analysis_requests, queue.Queue()
        self.workers.cancel_group(self, "analysis")
        old.put(None)  # an idle worker waits on its queue: let it end
        self.main.model_state = "model loading…"
        self.run_analysis()

    # -- analysis worker ------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="analysis", name="analysis")
    def run_analysis(self) -> None:
        """Load the model, then analyse every article without suggestions.

        Requested articles (the one just opened) come first; with nothing left the
        thread blocks on :attr:`analysis_requests` until the next request or ``None``.

        With a trained model (a folder, ``newsread train``), articles not done whose
        suggestions another model made are analysed again: ``Store.save_analysis``
        replaces their pending suggestions and keeps every decision as it was.
        """
        from annotate.detect.nlp import (
            ModelNotAvailable,
            is_model_path,
            load_model,
            model_label,
            resolve_model_name,
        )
        from annotate.detect.pipeline import BudgetedRunner, OverBudget

        worker = get_current_worker()
        started = time.perf_counter()
        name = resolve_model_name(self.settings.model)
        try:
            nlp = load_model(name)
        except ModelNotAvailable as exc:
            self.post_message(AnalysisFailed(str(exc)))
            return
        self.post_message(ModelLoaded(name, time.perf_counter() - started))
        info = model_label(nlp)
        unanalysed = deque(s.id for s in self.store.list_articles() if not s.analysed)
        labels = tuple(self.settings.labels)  # the config may restrict the label set
        detection = (self.settings.scare_quotes, self.settings.cognition_cues)
        done: set[str] = set()
        trained = is_model_path(name)  # a trained model: suggest again where another did
        if trained:
            unanalysed.extend(s.id for s in self.store.list_articles() if s.analysed)

        def analysed(article: Article) -> bool:
            if article.analysis is None:
                return False
            return not trained or not _stale(article.analysis, info, self.store.summary(article.id))

        runner = BudgetedRunner()  # quitting never waits for an analysis
        while not worker.is_cancelled:
            try:  # a request first; block on the queue only when nothing else is left
                article_id = self.analysis_requests.get(block=not unanalysed)
            except queue.Empty:
                article_id = unanalysed.popleft()
            if article_id is None:
                return  # the app is quitting
            forced = article_id in self.reanalyse
            if article_id in done and not forced:
                continue
            self.reanalyse.discard(article_id)
            done.add(article_id)
            try:
                article, _ = self.store.get(article_id)
                if analysed(article) and not forced:
                    continue
                found = runner.run(
                    partial(_suggestions, nlp, article, labels, *detection),
                    self.analysis_budget_s,
                    lambda: worker.is_cancelled,
                )
            except OverBudget as exc:  # stored without suggestions, never tried again
                skipped = {**info, "skipped": str(exc)}
                self.post_message(AnalysisReady(article_id, Annotations(), skipped))
                continue
            except Exception as exc:  # one bad article must not stop the others
                self.post_message(AnalysisFailed(f"{type(exc).__name__}: {exc}", article_id))
                continue
            if found is None:
                return  # cancelled: the app is quitting
            for suggestions in found:
                self.post_message(AnalysisReady(article_id, suggestions, info))

    def action_reanalyse(self) -> None:
        """Analyse the open article again (palette): the model's pending suggestions are
        laid over its decisions, which stay as they are -- e.g. on gold imported whole,
        which an import leaves without suggestions."""
        article = self.main.article
        if article is None:
            return
        if not self.analyze_in_background or self.store.readonly:
            self.say("analysis is off in this session (the store is read-only)", "warning")
            return
        self.reanalyse.add(article.id)
        self.analysis_requests.put(article.id)
        self.say(f"analysing '{one_line(article.title)}' again")

    def on_model_loaded(self, message: ModelLoaded) -> None:
        # The pipeline is a few hundred thousand long-lived objects: out of the
        # collector's sight, or a full collection rescans them all (seen as 50-100 ms
        # spikes in bench/keys.py); loading it switched automatic collection back on.
        self._collector.start()
        if self._screens_gone:
            return
        self.main.model_state = "model ready"
        trace.mark("model_ready")

    def on_analysis_ready(self, message: AnalysisReady) -> None:
        old = self.store.summary(message.article_id)
        try:
            merged = self.store.save_analysis(
                message.article_id, message.annotations, message.analysis
            )
        except StoreError as exc:
            self.say(str(exc), "error")
            return
        if self._screens_gone:  # stored; no screen left to show it on
            return
        self.main.summary_changed(old, self.store.summary(message.article_id), merged)
        article = self.main.article
        if article is not None and article.id == message.article_id:
            self.main.article, _ = self.store.get(article.id)
            self.main.refresh_annotations(merged)
            trace.mark("highlights")

    def on_learned_ready(self, message: LearnedReady) -> None:
        """Store an article's learned suggestions next to the model's pending ones."""
        article_id = message.article_id
        try:
            article, annotations = self.store.get(article_id)
            old = self.store.summary(article_id)
            if article.analysis is None or old.status is ArticleStatus.DONE:
                return
            suggested = Annotations(
                entities=with_learned(annotations, message.plan),  # as of now, not of the job
                quotes=tuple(q for q in annotations.quotes if q.status is Status.PENDING),
                statements=tuple(s for s in annotations.statements if s.status is Status.PENDING),
                sentences=annotations.sentences,
            )
            merged = self.store.save_analysis(article_id, suggested, dict(article.analysis))
        except StoreError as exc:
            self.say(str(exc), "error")
            return
        self.main.summary_changed(old, self.store.summary(article_id), merged)
        shown = self.main.article
        if shown is not None and shown.id == article_id:
            self.main.refresh_annotations(merged, focus=self.main.reader.focused_id)

    def on_analysis_failed(self, message: AnalysisFailed) -> None:
        if self._screens_gone:
            return
        self.say(message.error, "error")
        if message.article_id is None:
            self.main.model_state = "no model"


def _suggestions(
    nlp: Language,
    article: Article,
    labels: tuple[str, ...],
    scare_quotes: bool,
    cognition: bool = True,
) -> list[Annotations]:
    """The suggestions for one article (run on the analysis thread)."""
    from annotate.detect.pipeline import analyze

    found = analyze(nlp, [article], labels=labels, scare_quotes=scare_quotes, cognition=cognition)
    return [annotations for _, annotations in found]
