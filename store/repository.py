"""The store's front: the one object the app and the commands talk to.

Layout of a store folder::

    meta.json                  schema version (``store.schema``)
    journal.jsonl              decisions not yet folded into article files (``store.journal``)
    articles/ab/abcdef….json   one TinyDB file per article (``store.articles``)
    index.json                 TinyDB table of article summaries, a cache (``store.index``)
    tokens/<time>-<pid>.pack   cached token data of imported articles (``store.tokens``)
    backups/<time>-<reason>/   hard-link snapshots (``store.backup``)
    .lock                      the writer lock (``store.lock``)

:class:`Store` only opens, closes and hands each call to the room doing that job:
``store.loading`` (summaries and journal replay at open), ``store.files`` (article
files, summaries, the bounded cache of ``store.cache``), ``store.decisions`` (journal,
decisions, undo, folding), ``store.fold`` (the background fold thread),
``store.extras`` (the extra tables a rewrite hook makes, ``store.trailer``, and token
packs); its life -- opening, closing, the fold -- is ``store.opening``; the versions of
each article, one per annotator, ``store.versions``.  A decision is durable when
:meth:`Store.save_decision` returns (journal fsynced).

Threads.  One re-entrant lock, ``Store._lock``, guards every piece of shared state.
Every public method takes it, except :meth:`Store.extra_table`, which touches no
in-memory state (it reads one file, replaced atomically by writers), and the attributes
``root`` and ``readonly`` (set at open, never changed).  Any thread may call any method:
the app calls from its UI thread and from its analysis worker.  The background fold
thread holds the lock for each step and lets it go while it waits, and while the
rewrite hook loads (:meth:`Store._load_hook_unlocked`).  :meth:`Store.listing` is a
generator: it takes the lock for each article it yields, not between them.
``notices`` (a list) is only ever appended to, under the lock (the fold thread may
append); ``damaged`` is filled while the store opens.

One process writes at a time (``store.lock``); a second one gets a read-only store
(:attr:`Store.readonly`, with a notice) whose writes raise
:class:`~store.errors.StoreReadOnly` and which writes nothing at all, not even the
index.  A reader sees the store as it was when it opened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from annotate.edits import Edit
from annotate.model import Annotations, Article
from store import backup as backups
from store.articles import ArticleDocs, ListedArticle, read_bytes
from store.codec import edit_doc
from store.history import from_pool, sorted_annotations
from store.opening import StoreBase
from store.schema import SCHEMA_VERSION
from store.summary import ArticleSummary, summarize
from store.trailer import FoundExtra, find_extra
from store.versions import EVERYTHING, Overlay, overlay_of, resolve

__all__ = ["SCHEMA_VERSION", "ArticleSummary", "ListedArticle", "Store", "summarize"]


class Store(StoreBase):
    """A newsread store folder.  Create with :meth:`open`; close when done."""

    # -- reading ----------------------------------------------------------------
    def __len__(self) -> int:
        with self._lock:
            return len(self._files.summaries)

    def __contains__(self, article_id: object) -> bool:
        with self._lock:
            return article_id in self._files.summaries

    def list_articles(self) -> list[ArticleSummary]:
        """Every article's summary in list order (the order they were added), as the
        store's viewer sees it (``ArticleSummary.seen_by``)."""
        with self._lock:
            viewer = self.viewer
            return [s.seen_by(viewer) for s in self._files.listed()]

    def summary(self, article_id: str) -> ArticleSummary:
        """One article's list entry, as the store's viewer sees it."""
        with self._lock:
            return self._files.summaries[article_id].seen_by(self.viewer)

    def get(self, article_id: str, version: str | None = None) -> tuple[Article, Annotations]:
        """An article with its suggestions and the decisions of ``version`` (default:
        what the store's viewer sees)."""
        with self._lock:
            state = self._files.state(article_id)
            if version is not None:
                return state.article, state.version(version).annotations
            return state.article, state.seen_by(self.viewer)

    def suggestions(self, article_id: str) -> Annotations:
        """The article's shared suggestions (its base: what a new version starts from)."""
        with self._lock:
            return self._files.state(article_id).base

    def versions(self, article_id: str) -> dict[str, Annotations]:
        """Every annotator's version of an article (agreement, review), by name."""
        with self._lock:
            state = self._files.state(article_id)
            return {name: v.annotations for name, v in sorted(state.versions.items())}

    def history(self, article_id: str, version: str | None = None) -> tuple[list[Edit], int]:
        """The decision log of an article's ``version`` (default: the viewer's own) and
        how many of its entries are applied."""
        with self._lock:
            state = self._files.state(article_id)
            name = self._own(version)
            current = state.version(state.last() if name is None else name)
            return list(current.history), current.cursor

    def _own(self, version: str | None) -> str | None:
        """The version an undo without one goes to: the viewer's own (``None``, the
        version decided last, for a store opened without an annotator)."""
        if version is not None:
            return version
        return self.viewer.names[0] if self.viewer.names else None

    def docs(self, article_id: str) -> ArticleDocs:
        """The article as :meth:`get` gives it, as plain documents, plus its cached
        token data (:class:`~store.articles.ArticleDocs`): the fast read of exports.

        An article held in memory (in particular one with decisions not folded yet) is
        given from memory; any other is read straight from its file without caching
        it.  Raises ``KeyError`` for an unknown article and :class:`StoreCorrupt`
        naming a damaged file."""
        with self._lock:
            summary = self._files.summaries.get(article_id)
            if summary is None or self._merged(summary):
                return self._files.docs(article_id)
            state = self._files.state(article_id)
            tokens = self._extras.packs().get(article_id)
            return ArticleDocs.of(state, tokens, state.seen_by(self.viewer))

    def _merged(self, summary: ArticleSummary) -> bool:
        """Whether the viewer sees the merged view of this article (what the article
        file's caches describe)."""
        if not summary.versions:
            return True
        names = summary.names()
        return resolve(self.viewer, names) == resolve(EVERYTHING, names)

    def listing(
        self, wanted: Callable[[str, float], bool] | None = None, *, extra: bool = False
    ) -> Iterator[ListedArticle]:
        """Every article in list order as an export selects it (see
        :class:`~store.articles.ListedArticle`); with ``wanted``, only those of a status
        and latest decision time it wants.  (``extra`` is for readers that read extra
        tables as they list: this one reads them in :meth:`extra_table`.)"""
        with self._lock:
            listed = self._files.listed()
        for summary in listed:
            merged = self._merged(summary)
            summary = summary.seen_by(self.viewer)
            status = str(summary.status)
            if wanted is not None and not wanted(status, summary.updated):
                continue
            with self._lock:
                folded = merged and summary.id not in self._files.cache.unfolded
            yield ListedArticle(summary.id, status, summary.updated, folded)

    def extra_table(self, listed: ListedArticle) -> FoundExtra | None:
        """The extra table (``store.trailer``) of the article ``listed`` describes when
        it was made for its current content -- its file holds all its decisions, and the
        status it was listed with -- or ``None``.  The caller checks its version.

        Takes no lock: it reads only the file, which writers replace atomically."""
        if listed.extra is not None or not listed.folded:
            return listed.extra
        raw = read_bytes(self._files.file(listed.id))
        found = find_extra(raw, listed.id) if raw else None
        return found if found is not None and found.status == listed.status else None

    def _article_path(self, article_id: str) -> Path:
        return self._files.path(article_id)

    # -- writing ----------------------------------------------------------------
    def add_article(self, article: Article, annotations: Annotations | None = None) -> bool:
        """Add an article; ``False`` (and nothing written) when its id is already stored
        (or belongs to a damaged file that was left out)."""
        with self._lock:
            self._require_writer()
            return self._add(article, annotations)

    def _is_new(self, article: Article) -> bool:
        if article.id in self._files.summaries or article.id in self.damaged:
            return False
        return not self._files.path(article.id).exists()  # else not ours to overwrite

    def _add(
        self, article: Article, annotations: Annotations | None, tokens: bytes | None = None
    ) -> bool:
        if not self._is_new(article):
            return False
        files = self._files
        state = from_pool(article, annotations or Annotations(), files.next_order)
        files.write_article(article.id, state, tokens=tokens)
        files.next_order += 1
        files.list_order = None
        return True

    def add_articles(
        self, items: Iterable[tuple[Article, Annotations | None]], *, backup: bool = True
    ) -> list[bool]:
        """Add many articles, then write the index once.

        With ``backup`` (the default) a non-empty store is snapshotted first (see
        :meth:`backup`); an import that adds in several chunks should back up once and
        pass ``backup=False``.  At least :attr:`TOKENIZE_BATCH` new articles have their
        tokens made by the rewrite hook and cached (``store.extras``).
        """
        with self._lock:
            self._require_writer()
            if backup and self._files.summaries:
                self.backup("import")
            items = list(items)
            tokens: dict[str, bytes] = {}
            if len(items) >= self.TOKENIZE_BATCH and self._extras.hook is not None:
                fresh = {a.id: a for a, _ in items if self._is_new(a)}
                tokens = self._extras.tokenize(list(fresh.values()))
                self._extras.load()  # an import loads the tokenizer anyway
            added = [self._add(a, ann, tokens.get(a.id)) for a, ann in items]
            self._decisions.checkpoint()
            self._files.write_index()
            return added

    def backup(self, reason: str = "manual") -> Path:
        """Snapshot the store into ``backups/`` (hard links, see ``store.backup``), keeping
        the newest :attr:`BACKUPS_KEPT`; returns the snapshot folder."""
        with self._lock:
            self._require_writer()
            self._decisions.checkpoint()
            self._files.write_index()
            return backups.snapshot(self.root, reason, self.BACKUPS_KEPT)

    def save_analysis(
        self, article_id: str, suggested: Annotations, analysis: dict[str, Any]
    ) -> Annotations:
        """Store a new analysis, keeping every decision already made on the article."""
        with self._lock:
            self._require_writer()
            state = self._files.state(article_id).with_suggestions(suggested)
            article = Article.from_dict({**state.article.to_dict(), "analysis": analysis})
            updated = replace(state, article=article)
            self._files.write_article(article_id, updated)
            return updated.seen_by(self.viewer)

    def save_version(self, article_id: str, version: str, annotations: Annotations) -> str:
        """Make ``annotations`` the article's ``version`` (an import of that annotator's
        work) and say what happened: ``"added"`` (a new version), ``"updated"`` (it
        replaced an imported one), ``"unchanged"`` (it holds these already, decision
        times aside: a re-import changes nothing) or ``"kept"`` (the version was made
        by hand, with a history: never overwritten by an import).  The base and every
        other version are left as they are."""
        with self._lock:
            self._require_writer()
            state = self._files.state(article_id)
            if not annotations.sentences:
                annotations = annotations.replace(sentences=state.base.sentences)
            wanted = _untimed(overlay_of(state.base, sorted_annotations(annotations)))
            current = state.versions.get(version)
            if current is not None:
                if _untimed(overlay_of(state.base, current.annotations)) == wanted:
                    return "unchanged"
                if current.history:
                    return "kept"
            elif not wanted.items and not wanted.removed:
                return "unchanged"
            self._files.write_article(article_id, state.with_version(version, annotations))
            return "added" if current is None else "updated"

    def save_decision(self, article_id: str, edit: Edit, version: str | None = None) -> Annotations:
        """Apply a decision durably: when this returns, it is on disk with its history.
        It goes to ``version`` (default: the version of the edit's annotator), whose
        annotations are returned.

        Raises ``EditConflict`` if the edit does not match that version, and
        :class:`StoreWriteError` if it could not be saved; in both cases nothing changed.
        """
        with self._lock:
            self._require_writer()
            name = (edit.annotator or "") if version is None else version
            state = self._files.state(article_id).decided(edit, name)
            operation = {"op": "commit", "edit": edit_doc(edit)}
            self._decisions.log(article_id, operation, state, edit, name)
            return state.version(name).annotations

    def undo(self, article_id: str, version: str | None = None) -> tuple[Annotations, Edit] | None:
        """Undo the last decision of the article's ``version`` (default: the viewer's
        own), also after a restart; ``None`` if none."""
        return self._step(article_id, self._own(version), back=True)

    def redo(self, article_id: str, version: str | None = None) -> tuple[Annotations, Edit] | None:
        """Redo the last undone decision of ``version``; ``None`` if there is none."""
        return self._step(article_id, self._own(version), back=False)

    def _step(
        self, article_id: str, version: str | None, *, back: bool
    ) -> tuple[Annotations, Edit] | None:
        with self._lock:
            self._require_writer()
            current = self._files.state(article_id)
            version = current.last() if version is None else version
            step = current.undone(version) if back else current.redone(version)
            if step is None:
                return None
            state, edit = step
            operation = {"op": "undo" if back else "redo"}
            self._decisions.log(article_id, operation, state, edit, version)
            return state.version(version).annotations, edit


def _untimed(overlay: Overlay) -> Overlay:
    """An overlay with its decision times left out (what a re-import compares)."""
    return replace(overlay, items=tuple(replace(i, timestamp=None) for i in overlay.items))
