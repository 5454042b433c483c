"""The article files of a store and what is known of them in memory.

:class:`ArticleFiles` holds every article's summary (what the list shows, kept for all
articles), the parsed articles in a bounded cache (``store.cache``) and the extra tables
(``store.extras``), and is the one place that reads and rewrites an article file: a
rewrite updates the file, then the summary (with the new file's signature), then the
cache.  It takes no lock: the store's front (``store.repository``) calls it with its
lock held.
"""

from __future__ import annotations

import os
from collections.abc import Container
from dataclasses import replace
from operator import attrgetter
from pathlib import Path
from typing import Any

from store.articles import (
    ArticleDocs,
    ArticleFile,
    StoredArticle,
    article_file,
    read_article,
    read_docs,
)
from store.cache import ArticleCache
from store.errors import StoreCorrupt, StoreError
from store.extras import ExtraDoc, ExtraTables
from store.history import ArticleState
from store.index import append_index, compact_at, write_index
from store.loading import EntryDoesNotApply, replay_entries, summary_of_stored
from store.summary import ArticleSummary, summarize


class ArticleFiles:
    """Summaries, cache and rewrites of one store's article files."""

    def __init__(self, root: Path, cache_size: int, extras: ExtraTables) -> None:
        self.root = root
        self.articles_dir = os.path.join(root, "articles")
        self.summaries: dict[str, ArticleSummary] = {}
        """Every article's summary, by id."""
        self.list_order: list[str] | None = None
        """The ids in list order; ``None`` when an article was added since it was made."""
        self.cache = ArticleCache(cache_size)
        self.extras = extras
        self.seq = 0
        """The last journal entry written; a rewritten file includes every one up to it."""
        self.next_order = 0
        """The list position of the next article added."""
        self.index_stale = False
        """True when ``index.json`` must be written again whole (see ``store.index``)."""
        self.changed: dict[str, None] = {}
        """Articles whose summary changed since the index (and its log) was written."""
        self.log_lines: int | None = None
        """Summaries in ``index.log``; ``None`` when nothing may be appended to it."""

    @property
    def index_dirty(self) -> bool:
        """True when ``index.json`` and its log no longer match the summaries."""
        return self.index_stale or bool(self.changed)

    # -- reading ----------------------------------------------------------------
    def path(self, article_id: str) -> Path:
        """The article's file."""
        return Path(self.file(article_id))

    def file(self, article_id: str) -> str:
        """The article's file, as a string (see ``store.articles.article_file``)."""
        return article_file(self.articles_dir, article_id)

    def read_file(self, article_id: str, path: Path | None = None) -> StoredArticle:
        """The article as its file holds it (``path``: when the caller knows it)."""
        return read_article(path or self.path(article_id), article_id)

    def listed(self) -> list[ArticleSummary]:
        """Every summary in list order (the order the articles were added)."""
        if self.list_order is None:
            ordered = sorted(self.summaries.values(), key=attrgetter("order", "id"))
            self.list_order = [s.id for s in ordered]
        return [self.summaries[i] for i in self.list_order]

    def state(self, article_id: str) -> ArticleState:
        """The article's live state, from the cache or its file."""
        if article_id not in self.summaries:
            raise KeyError(article_id)
        state = self.cache.get(article_id)
        if state is not None:
            return state
        stored = self.read_file(article_id)
        if stored.signature != self.summaries[article_id].signature:
            # Changed since the index (a reader watching a writer): show the newer file.
            self.summaries[article_id] = summary_of_stored(stored)
        self.cache.put(article_id, stored.state)
        return stored.state

    def docs(self, article_id: str) -> ArticleDocs:
        """``Store.docs``: from memory when held, else straight from the file."""
        if article_id not in self.summaries:
            raise KeyError(article_id)
        path = self.file(article_id)
        tokens = self.extras.packs().get(article_id)
        state = self.cache.peek(article_id)
        if state is not None:
            return ArticleDocs.of(state, tokens)
        docs = read_docs(path, tokens)
        if docs.article.get("id") != article_id:
            raise StoreCorrupt(Path(path), f"it holds article {docs.article.get('id')!r}")
        return docs

    def replay(self, entries: list[dict[str, Any]], journal: Path, skip: Container[str]) -> str:
        """Apply the journal's entries the files do not include yet (articles in
        ``skip`` left out); returns a notice when some were recovered, else ``""``."""

        def read(article_id: str) -> StoredArticle:
            if article_id not in self.summaries:
                raise StoreCorrupt(journal, f"an entry names an unknown article {article_id}")
            return self.read_file(article_id)

        try:
            states, touched = replay_entries(entries, read, skip)
        except EntryDoesNotApply as exc:
            raise StoreCorrupt(journal, str(exc)) from exc
        for article_id, state in states.items():
            self.cache.put(article_id, state, unfolded=article_id in touched)
            if article_id in touched:
                self.set_live_summary(article_id, state)
        if not touched:
            return ""
        return (
            f"recovered {len(entries)} decisions from {journal.name}: newsread had "
            f"stopped before folding them into the article files; nothing was lost"
        )

    def set_live_summary(self, article_id: str, state: ArticleState) -> None:
        """The summary of the live state; signature and seq still describe the file."""
        old = self.summaries[article_id]
        self.summaries[article_id] = summarize(
            state.article, state.annotations, state.order, old.signature, old.seq, old.line
        )

    # -- writing ----------------------------------------------------------------
    def write_article(
        self,
        article_id: str,
        state: ArticleState,
        *,
        fold: bool = False,
        tokens: bytes | None = None,
        extra_later: bool = False,
    ) -> None:
        """Rewrite an article file from ``state`` (it then includes all journal entries),
        with its extra table (``tokens`` when the caller has them).

        With ``fold`` the state is the live one whose summary is up to date already, so
        only the file's signature and seq change in it.  With ``extra_later`` the table
        is left for the background (``ExtraTables.table``)."""
        if fold:
            summary = self.summaries[article_id]
        else:
            summary = summarize(state.article, state.annotations, state.order)
        extra = self.extras.table(article_id, state, summary, tokens, later=extra_later)
        self.write_file(article_id, state, summary, extra)

    def write_file(
        self, article_id: str, state: ArticleState, summary: ArticleSummary, extra: ExtraDoc | None
    ) -> None:
        """:meth:`write_article` once the extra table is made (or none): the file, then
        the summary (``summary`` with the new file's signature), then the cache."""
        signature = ArticleFile(self.path(article_id)).write(state, self.seq, extra)
        line = (self.extras.version or "") if extra is not None else ""
        self.summaries[article_id] = replace(summary, signature=signature, seq=self.seq, line=line)
        self.extras.stale.pop(article_id, None)
        self.cache.folded(article_id)
        self.cache.put(article_id, state)
        self.changed[article_id] = None

    def make_extra_tables(self, limit: int | None = None, *, stale: bool = False) -> None:
        """Rewrite (up to ``limit``) articles waiting for their extra table (deferred, or
        with ``stale`` stale ones) with it; those whose table cannot be made are left as
        they are, and not tried again this session."""
        extras = self.extras
        waiting = extras.stale if stale else extras.deferred
        if not waiting:
            return
        extras.load()
        for article_id in list(waiting)[:limit]:
            waiting.pop(article_id, None)
            if article_id in self.cache.unfolded or article_id not in self.summaries:
                continue  # made when folded
            # Every decision on it is in the file: the file is the truth, even over the
            # cache (somebody may have edited it meanwhile; rewriting from memory would
            # undo that, and a summary of other content would mislabel the table).
            try:
                stored = self.read_file(article_id)
            except StoreError:  # reported when the article is opened
                extras.failed.add(article_id)
                continue
            state, summary = stored.state, self.summaries[article_id]
            if stored.signature != summary.signature:
                summary = summary_of_stored(stored)
                self.summaries[article_id] = summary
                self.changed[article_id] = None
                self.cache.drop(article_id)
            extra = extras.table(article_id, state, summary)
            if extra is None:
                extras.failed.add(article_id)
            else:
                self.write_file(article_id, state, summary, extra)

    def write_index(self, *, whole: bool = False) -> None:
        """Bring the index up to date: append the changed summaries to its log, or
        (``whole``, or when the log is due for compaction or cannot be appended to)
        rewrite ``index.json`` from all of them.  Appending keeps an import batch's
        cost independent of the store's size (see ``store.index``)."""
        lines = self.log_lines
        if (
            whole
            or self.index_stale
            or lines is None
            or lines + len(self.changed) > compact_at(len(self.summaries))
        ):
            self.log_lines = None  # until the new index and log are both written
            write_index(self.root, self.listed())
            self.log_lines = 0
        elif self.changed:
            self.log_lines = None  # until the append is known to be whole
            changed = (self.summaries[i] for i in self.changed if i in self.summaries)
            added = append_index(self.root, changed)
            self.log_lines = lines + added
        self.changed.clear()
        self.index_stale = False
