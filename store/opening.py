"""Opening and closing a store, and the background fold: the half of the store's front
(``store.repository``) that is about its life rather than its articles.

See ``store.repository`` for the layout of a store folder and its threads.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import ClassVar, Self

from store.articles import StoredArticle
from store.decisions import DecisionLog
from store.durable import remove_temp_files
from store.errors import SchemaError, StoreError, StoreLockLost, StoreReadOnly, StoreWriteError
from store.extras import ExtraTables
from store.files import ArticleFiles
from store.fold import FoldThread
from store.journal import JOURNAL_NAME, loss_notice, read_journal
from store.loading import load_summaries
from store.lock import WriterLock, take_writer_lock
from store.schema import META_NAME, SCHEMA_VERSION, read_schema, upgrade_with_backup
from store.tokens import PACKS_DIR
from store.trailer import RewriteHook
from store.versions import EVERYTHING, Viewer


class StoreBase:
    """Opening, closing and the background fold of a store (``store.repository.Store``
    adds reading and writing)."""

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
        viewer: Viewer = EVERYTHING,
    ) -> None:
        self.root = root
        self.readonly = readonly
        self.viewer = viewer
        """Which version of each article this store shows (``store.versions``): the
        merged view by default; the app sets its annotator's own before it starts."""
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
        annotator: str | None = None,
        viewer: Viewer | None = None,
    ) -> Self:
        """Open (or create) the store at ``root``; ``on_rewrite`` makes the extra table
        kept with each rewritten article file (``store.trailer``), none without it.
        ``annotator`` shows that annotator's version of every article, blind to the
        others' (``viewer`` chooses any view; default: the merged view).

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
        if viewer is None:
            viewer = Viewer.of(annotator)
        store = cls(root, readonly=readonly, writer_lock=lock, on_rewrite=on_rewrite, viewer=viewer)
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
        existed = (self.root / META_NAME).exists()  # else a journal is not expected yet
        version = read_schema(self.root, create=not self.readonly)
        if version < SCHEMA_VERSION:
            if self.readonly:
                raise SchemaError(
                    f"{self.root} was written by an older newsread (store schema {version}); "
                    f"open it once for writing to upgrade it (a backup is kept)"
                )
            self.notices.append(upgrade_with_backup(self.root, version, self.BACKUPS_KEPT))
        upgraded = version < SCHEMA_VERSION
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
        lost = loss_notice(self.root / JOURNAL_NAME, journal, expected=existed and not upgraded)
        if lost:
            self.notices.append(lost)
        recovered = files.replay(journal.entries, self.root / JOURNAL_NAME, self.damaged, lost)
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

    def __enter__(self) -> Self:
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
