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
packs).  A decision is durable when :meth:`Store.save_decision` returns (journal fsynced).

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

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from annotate.edits import Edit, merge_suggestions
from annotate.model import Annotations, Article
from store import backup as backups
from store.articles import ArticleDocs, ListedArticle, StoredArticle, read_bytes
from store.codec import edit_doc
from store.decisions import DecisionLog
from store.durable import remove_temp_files
from store.errors import SchemaError, StoreError, StoreLockLost, StoreReadOnly, StoreWriteError
from store.extras import ExtraTables
from store.files import ArticleFiles
from store.fold import FoldThread
from store.history import ArticleState, sorted_annotations
from store.journal import JOURNAL_NAME, read_journal
from store.loading import load_summaries
from store.lock import WriterLock, take_writer_lock
from store.schema import SCHEMA_VERSION, read_schema, upgrade_with_backup
from store.summary import ArticleSummary, summarize
from store.tokens import PACKS_DIR
from store.trailer import FoundExtra, RewriteHook, find_extra

__all__ = ["SCHEMA_VERSION", "ArticleSummary", "ListedArticle", "Store", "summarize"]


class Store:
    """A newsread store folder.  Create with :meth:`open`; close when done."""

    FOLD_AFTER_IDLE: ClassVar[float] = 0.5
    """Seconds without a decision after which a background thread folds the journal."""
    JOURNAL_LIMIT: ClassVar[int] = 2048
    """Journal entries past which every decision also folds one article itself (when
    the user never pauses long enough for the background fold)."""
    CACHE_SIZE: ClassVar[int] = 32
    """Articles kept parsed in memory besides those with unfolded decisions."""
    BACKUPS_KEPT: ClassVar[int] = 5
    """Snapshots kept in ``backups/``; older ones are deleted."""
    TOKENIZE_BATCH: ClassVar[int] = 100
    """:meth:`add_articles` has the hook tokenize the articles it adds (exports then
    need not) when it is given at least this many: loading the tokenizer costs about a
    second, which an import amortises but the seeds of a first start would not."""

    def __init__(
        self,
        root: Path,
        *,
        readonly: bool,
        writer_lock: WriterLock | None,
        on_rewrite: RewriteHook | None = None,
    ) -> None:
        self.root = root
        self.readonly = readonly
        self.notices: list[str] = []
        """Things the user should be told about this store (read-only, recovery, upgrade)."""
        self.damaged: dict[str, str] = {}
        """Article files left out because they are damaged (``skip_damaged``), by id."""
        self._writer_lock = writer_lock
        self._lock = threading.RLock()
        self._wake = threading.Condition(self._lock)
        self._closed = False
        self._fold: FoldThread | None = None
        self._extras = ExtraTables(root, on_rewrite, self.notices, self._wake_fold)
        self._files = ArticleFiles(root, self.CACHE_SIZE, self._extras)
        self._decisions = DecisionLog(
            root, self._files, lambda: self.JOURNAL_LIMIT, self.notices, self._wake_fold
        )

    # -- opening and closing --------------------------------------------------
    @classmethod
    def open(
        cls,
        root: str | Path,
        *,
        readonly: bool = False,
        skip_damaged: bool = False,
        on_rewrite: RewriteHook | None = None,
    ) -> Store:
        """Open (or create) the store at ``root``; ``on_rewrite`` makes the extra table
        kept with each rewritten article file (``store.trailer``), none without it.

        The writer lock is taken unless ``readonly``; when another process holds it the
        store opens read-only (check :attr:`readonly`; :attr:`notices` says why).  A
        damaged article file stops the opening with :class:`StoreCorrupt` naming it,
        unless ``skip_damaged``: then it is left out and listed in :attr:`damaged`.
        """
        root = Path(root).expanduser()
        lock, notice = None, None
        if not readonly:
            lock, notice = take_writer_lock(root)
            readonly = lock is None
        elif not root.is_dir():
            raise StoreError(f"no store at {root}")
        store = cls(root, readonly=readonly, writer_lock=lock, on_rewrite=on_rewrite)
        if notice:
            store.notices.append(notice)
        try:
            with store._lock:
                store._open(skip_damaged)
        except BaseException:
            store._release()
            raise
        if not store.readonly:
            store._fold = FoldThread(
                store._wake,
                f"newsread-fold {root}",
                closed=lambda: store._closed,
                pending=store._fold_pending,
                wait=store._seconds_to_pause,
                step=store._fold_step,
            )
            store._fold.start()
        return store

    def _open(self, skip_damaged: bool) -> None:
        version = read_schema(self.root, create=not self.readonly)
        if version < SCHEMA_VERSION:
            if self.readonly:
                raise SchemaError(
                    f"{self.root} was written by an older newsread (store schema {version}); "
                    f"open it once for writing to upgrade it (a backup is kept)"
                )
            self.notices.append(upgrade_with_backup(self.root, version, self.BACKUPS_KEPT))
        if not self.readonly:
            for folder in (self.root, self.root / PACKS_DIR):  # articles/: by the scan
                remove_temp_files(folder)
        journal = read_journal(self.root / JOURNAL_NAME)  # before the article files
        files = self._files
        files.summaries, files.index_stale, files.log_lines = load_summaries(
            self.root,
            self._read_file,
            readonly=self.readonly,
            skip_damaged=skip_damaged,
            notices=self.notices,
            damaged=self.damaged,
        )
        files.next_order = max((s.order for s in files.summaries.values()), default=-1) + 1
        recovered = files.replay(journal.entries, self.root / JOURNAL_NAME, self.damaged)
        if recovered and not self.readonly:
            self.notices.append(recovered)
        files.seq = max([journal.last_seq, *(s.seq for s in files.summaries.values())])
        if not self.readonly:
            self._decisions.checkpoint()  # folds what was replayed, starts a fresh journal
            if files.index_dirty:
                files.write_index()

    def _read_file(self, article_id: str, path: Path | None = None) -> StoredArticle:
        return self._files.read_file(article_id, path)

    def close(self) -> None:
        """Fold the journal into the article files, write the index, release the lock.

        If that fails (disk full), every decision is still safe in the journal and is
        folded in at the next start; the error says so.
        """
        try:
            with self._lock:
                if self._closed:
                    return
                try:
                    if self._writer_lock is not None:
                        self._writer_lock.check()  # a lost lock: write nothing more
                    if not self.readonly:
                        self._decisions.checkpoint()
                        self._files.make_extra_tables()
                        if self._files.index_dirty:
                            self._files.write_index()
                except StoreLockLost:
                    raise  # says itself that what was saved is kept
                except StoreWriteError as exc:
                    raise StoreWriteError(
                        f"{exc}; every decision is safe in {self.root / JOURNAL_NAME} and "
                        f"will be folded in when the store is next opened"
                    ) from exc
                finally:
                    self._shut()
        finally:
            self._join_fold()

    def _release(self) -> None:
        """Drop everything without folding: what a killed process leaves behind."""
        self._shut()
        self._join_fold()

    def _shut(self) -> None:
        with self._lock:
            self._closed = True
            self._wake.notify_all()
            self._decisions.close()
            self._extras.close_packs()
            if self._writer_lock is not None:
                self._writer_lock.release()
                self._writer_lock = None

    def _join_fold(self) -> None:
        """Wait for the background fold to stop (never while holding the store lock,
        which it needs to notice that the store closed)."""
        fold, self._fold = self._fold, None
        if fold is not None:
            fold.join()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the background fold (store.fold; called with the lock held) --------------
    def _wake_fold(self) -> None:
        if self._fold is not None:
            self._fold.wake()

    def _fold_pending(self) -> bool:
        lock = self._writer_lock
        return (lock is None or lock.lost is None) and self._decisions.pending()

    def _seconds_to_pause(self) -> float:
        return self.FOLD_AFTER_IDLE - (time.monotonic() - self._decisions.last_decision)

    def _fold_step(self) -> None:
        try:
            self._require_writer()
        except StoreError as exc:
            self.notices.append(str(exc))  # the next write says it again
            return
        if self._extras.version is None:
            self._load_hook_unlocked()  # then fold with extra tables
        elif not self._decisions.try_fold():
            self._decisions.last_decision = time.monotonic()  # retry after another pause

    def _load_hook_unlocked(self) -> None:
        """Load the rewrite hook with the lock let go (held once by the caller), then
        note the stale extra tables to make."""
        self._extras.load_unlocked(self._lock, lambda: self._closed)
        self._find_stale_extras()

    def _find_stale_extras(self) -> None:
        if not self._closed:
            self._extras.find_stale(self._files.listed(), self._files.cache.unfolded)

    def flush_index(self) -> None:
        """Fold the journal, make missing extra tables and write ``index.json`` now,
        whole, its log folded in (on close the same happens, but the index is only
        brought up to date: ``store.index``)."""
        with self._lock:
            self._require_writer()
            self._decisions.checkpoint()
            self._files.make_extra_tables()
            self._extras.load()
            self._find_stale_extras()
            self._files.make_extra_tables(stale=True)
            self._files.write_index(whole=True)

    # -- reading ----------------------------------------------------------------
    def __len__(self) -> int:
        with self._lock:
            return len(self._files.summaries)

    def __contains__(self, article_id: object) -> bool:
        with self._lock:
            return article_id in self._files.summaries

    def list_articles(self) -> list[ArticleSummary]:
        """Every article's summary in list order (the order they were added)."""
        with self._lock:
            return self._files.listed()

    def summary(self, article_id: str) -> ArticleSummary:
        """One article's list entry."""
        with self._lock:
            return self._files.summaries[article_id]

    def get(self, article_id: str) -> tuple[Article, Annotations]:
        """An article with all its suggestions and decisions."""
        with self._lock:
            state = self._files.state(article_id)
            return state.article, state.annotations

    def history(self, article_id: str) -> tuple[list[Edit], int]:
        """The decision log of an article and how many of its entries are applied."""
        with self._lock:
            state = self._files.state(article_id)
            return list(state.history), state.cursor

    def docs(self, article_id: str) -> ArticleDocs:
        """The article as :meth:`get` gives it, as plain documents, plus its cached
        token data (:class:`~store.articles.ArticleDocs`): the fast read of exports.

        An article held in memory (in particular one with decisions not folded yet) is
        given from memory; any other is read straight from its file without caching
        it.  Raises ``KeyError`` for an unknown article and :class:`StoreCorrupt`
        naming a damaged file."""
        with self._lock:
            return self._files.docs(article_id)

    def listing(
        self, wanted: Callable[[str, float], bool] | None = None, *, extra: bool = False
    ) -> Iterator[ListedArticle]:
        """Every article in list order as an export selects it (see
        :class:`~store.articles.ListedArticle`); with ``wanted``, only those of a status
        and latest decision time it wants.  (``extra`` is for readers that read extra
        tables as they list: this one reads them in :meth:`extra_table`.)"""
        for summary in self.list_articles():
            status = str(summary.status)
            if wanted is not None and not wanted(status, summary.updated):
                continue
            with self._lock:
                folded = summary.id not in self._files.cache.unfolded
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
    def _require_writer(self) -> None:
        if self._closed:
            raise StoreError(f"store {self.root} is closed")
        if self.readonly:
            raise StoreReadOnly(
                f"store {self.root} is open read-only (another newsread is writing to it); "
                f"nothing was saved"
            )
        if self._writer_lock is not None:
            self._writer_lock.check()

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
        annotations = sorted_annotations(annotations or Annotations())
        state = ArticleState(article, annotations, order=files.next_order)
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
            state = self._files.state(article_id)
            merged = sorted_annotations(merge_suggestions(state.annotations, suggested))
            article = Article.from_dict({**state.article.to_dict(), "analysis": analysis})
            updated = replace(state, article=article, annotations=merged)
            self._files.write_article(article_id, updated)
            return merged

    def save_decision(self, article_id: str, edit: Edit) -> Annotations:
        """Apply a decision durably: when this returns, it is on disk with its history.

        Raises ``EditConflict`` if the edit does not match the stored article, and
        :class:`StoreWriteError` if it could not be saved; in both cases nothing changed.
        """
        with self._lock:
            self._require_writer()
            state = self._files.state(article_id).decided(edit)
            operation = {"op": "commit", "edit": edit_doc(edit)}
            self._decisions.log(article_id, operation, state, edit)
            return state.annotations

    def undo(self, article_id: str) -> tuple[Annotations, Edit] | None:
        """Undo the article's last decision (also after a restart); ``None`` if none."""
        return self._step(article_id, back=True)

    def redo(self, article_id: str) -> tuple[Annotations, Edit] | None:
        """Redo the last undone decision; ``None`` if there is none."""
        return self._step(article_id, back=False)

    def _step(self, article_id: str, *, back: bool) -> tuple[Annotations, Edit] | None:
        with self._lock:
            self._require_writer()
            current = self._files.state(article_id)
            step = current.undone() if back else current.redone()
            if step is None:
                return None
            state, edit = step
            self._decisions.log(article_id, {"op": "undo" if back else "redo"}, state, edit)
            return state.annotations, edit
