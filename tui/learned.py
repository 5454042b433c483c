"""Learned suggestions, kept fresh by a background thread (never inside a key press).

One thread, fed by a queue, owns the :class:`~annotate.learn.lexicon.Lexicon`: at start it
reads the decided articles; after a decision (or an undo) it re-reads that article's share;
when an article is opened it computes that article's learned suggestions and the model
suggestions they replace and, when that differs from what is stored, posts
:class:`LearnedReady`.  The app stores them on the UI thread (the store has one writing
thread): pending suggestions of origin ``learned`` next to the model's, the replaced ones
marked ``replaced``.  The queue keeps the jobs in order: an undo followed by opening an
article is seen in that order, so the undone name is no longer suggested there.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message

from annotate.learn.lexicon import Learned, Lexicon
from annotate.model import ArticleStatus
from store import Store, StoreError


@dataclass
class LearnedReady(Message):
    """What an article should now hold of what was learned (replacing what it holds)."""

    article_id: str
    plan: Learned


class LearnedSuggestions:
    """The background thread and its queue (module docstring)."""

    def __init__(self, store: Store, post: Callable[[Message], object]) -> None:
        self.store = store
        self.lexicon = Lexicon()
        self._post = post
        self._jobs: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="newsread-learned", daemon=True)

    def start(self) -> None:
        """Read the decided articles, then serve the jobs."""
        self._jobs.put(("build", ""))
        self._thread.start()

    def decided(self, article_id: str) -> None:
        """A decision was saved (or undone) in this article."""
        self._jobs.put(("decided", article_id))

    def opened(self, article_id: str) -> None:
        """This article is shown: bring its learned suggestions up to date."""
        self._jobs.put(("opened", article_id))

    def stop(self) -> None:
        """End the thread after the jobs already queued."""
        self._jobs.put(None)

    def wait(self) -> None:
        """Block until every job queued so far is done (tests)."""
        self._jobs.join()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                self._do(*job)
            except (StoreError, KeyError, OSError):
                pass  # the store closed or an article went away: nothing to suggest
            finally:
                self._jobs.task_done()

    def _do(self, kind: str, article_id: str) -> None:
        if kind == "build":
            for summary in self.store.list_articles():
                if summary.decided:
                    article, annotations = self.store.get(summary.id)
                    self.lexicon.update(summary.id, article.text, annotations)
        elif kind == "decided":
            article, annotations = self.store.get(article_id)
            self.lexicon.update(article_id, article.text, annotations)
        elif kind == "opened":
            if self.store.summary(article_id).status is ArticleStatus.DONE:
                return
            article, annotations = self.store.get(article_id)
            if article.analysis is None:
                return  # the analysis would replace them: suggest after it
            plan = self.lexicon.plan(article.text, annotations)
            if not plan.held_by(annotations):
                self._post(LearnedReady(article_id, plan))
