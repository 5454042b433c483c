"""The annotation repository: the one object the app and the commands talk to.

Layout of a store folder::

    meta.json                  schema version (``store.schema``)
    journal.jsonl              decisions not yet folded into article files (``store.journal``)
    articles/ab/abcdef….json   one TinyDB file per article (``store.articles``)
    index.json                 TinyDB table of article summaries, a cache (``store.index``)
    tokens/<time>-<pid>.pack   the cached tokens of imported articles (``store.tokens``)
    backups/<time>-<reason>/   hard-link snapshots (``store.backup``)
    .lock                      the writer lock

How a decision is saved, and why (measured with ``bench/store.py`` on the project's
2-core VM, ext4, while other jobs kept it busy -- load average 5.5)

``commit`` checks the edit against the article's state held in memory, appends one
line (~400 bytes) to ``journal.jsonl`` and ``fdatasync``-s it: when it returns, the
decision is on disk.  It then updates the state and the article's summary from the
edit alone (binary search into the sorted spans, counts adjusted by the edit), so no
part of a decision grows with the store or with the article.  Median time of one
decision, and of the designs this replaces, on stores of 1k and 100k annotations::

    design                                        1k        100k    100k in 10 articles
    TinyDB default JSONStorage (one file)       16 ms    1,430 ms        (same file)
    a TinyDB file per article, rewritten        6.6 ms    12.4 ms     478 ms
      atomically at each decision (first version of this store, commit e013624)
    journal line + fdatasync (this design)     0.27 ms   0.27 ms     0.43 ms

Why the per-article rewrite was not enough: each decision re-read, re-parsed and
re-counted its article and rewrote it with two fsyncs (file and folder), in a file
that also grows with its undo history, so the cost follows the article's size.  The
disk's floors, measured the same way: an ``fdatasync``-ed append 0.15 ms; an atomic
rewrite (temp file, fsync, rename, folder fsync) 0.6 ms at 20 kB, 1.5 ms at 400 kB,
3.5 ms at 2 MB.  At 100k annotations p99 is 6.3 ms (5.8 ms at 1k: the tail is the busy
machine, not the store) and latency@100k / latency@1k is 1.0.

The article files -- TinyDB databases, one per article, readable by a person and by
TinyDB -- are brought up to date by *folding* the journal into them: a background
thread does it once nobody has decided anything for :attr:`Store.FOLD_AFTER_IDLE`
seconds, one article file per step (1.2 ms for a 25-entity article, 170 ms for a
10,000-entity one), letting decisions in between steps; a decision folds one article
itself only when the journal passes :attr:`Store.JOURNAL_LIMIT` entries (a user who
never pauses).  Closing, backups and bulk imports fold everything.  ``index.json``
(the summaries, so that opening reads one file) is written at bulk imports and on
close, never on the keystroke path.  Opening a 100k-annotation store and listing it
takes 0.17 s (4,000 articles), 0.42 s with 10,000 articles, 0.43 s after a crash (the
journal replayed; idempotently, see ``store.journal``: a crash at any moment loses no
acknowledged decision).

One process writes at a time: :meth:`Store.open` takes a file lock (``filelock``), and
a second process gets a read-only store (:attr:`Store.readonly`, with a notice in
:attr:`Store.notices`) whose writes raise :class:`~store.errors.StoreReadOnly` and which
writes nothing at all -- not even the index.  A reader sees the store as it was when it
opened (the journal is read first, then the article files, so a checkpoint running
meanwhile cannot make it miss or double a decision).

The store is safe to use from several threads (the app reads from its analysis
worker): every public method holds one lock.
"""

from __future__ import annotations

import gc
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from operator import attrgetter
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from filelock import FileLock, Timeout

from annotate.edits import Edit, EditConflict, merge_suggestions
from annotate.model import Annotations, Article, ArticleStatus
from store import backup as backups
from store.articles import ArticleDocs, ArticleFile, StoredArticle, read_bytes, read_docs
from store.codec import edit_doc
from store.durable import remove_temp_files
from store.errors import SchemaError, StoreCorrupt, StoreError, StoreReadOnly, StoreWriteError
from store.history import ArticleState, sorted_annotations
from store.index import read_index, scan_article_files, write_index
from store.journal import JOURNAL_NAME, Journal, JournalContent, read_journal
from store.schema import SCHEMA_VERSION, migrate, read_schema
from store.summary import ArticleSummary, summarize, summary_after
from store.tokens import PACKS_DIR, TokenPacks, write_pack
from store.trailer import ExtraTable, FoundExtra, RewriteHook, find_extra, meta_of

__all__ = ["SCHEMA_VERSION", "ArticleSummary", "Listed", "Store", "summarize"]

_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


class Listed(NamedTuple):
    """An article as an export lists it: what it selects on, whether its file holds
    all its decisions (``False``: some are still in the journal, held in memory), and
    its extra table (``store.trailer``) when the lister read it already."""

    id: str
    status: str
    updated: float
    folded: bool = True
    extra: FoundExtra | None = None


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
    """:meth:`add_articles` caches the tokens of the articles it adds (``store.tokens``:
    exports then need not tokenize them) when it is given at least this many: loading
    the tokenizer costs about a second, which an import amortises but the two seed
    articles of a first start (before the app's first paint) would not."""

    def __init__(
        self,
        root: Path,
        *,
        readonly: bool,
        lock: FileLock | None,
        on_rewrite: RewriteHook | None = None,
    ) -> None:
        self.root = root
        self._articles_folder = os.path.join(root, "articles")
        self.readonly = readonly
        self.notices: list[str] = []
        """Things the user should be told about this store (read-only, recovery, upgrade)."""
        self.damaged: dict[str, str] = {}
        """Article files left out because they are damaged (``skip_damaged``), by id."""
        self._lock = lock
        self._mutex = threading.RLock()
        self._summaries: dict[str, ArticleSummary] = {}
        self._ordered: list[str] | None = None
        self._states: OrderedDict[str, ArticleState] = OrderedDict()
        self._dirty: set[str] = set()
        self._journal: Journal | None = None
        self._seq = 0
        self._next_order = 0
        self._fold_limit = self.JOURNAL_LIMIT
        self._index_dirty = False
        self._closed = False
        self._last_decision = 0.0
        self._fold_thread_asleep = False
        self._wake = threading.Condition(self._mutex)
        self._fold_thread: threading.Thread | None = None
        self._token_packs: TokenPacks | None = None
        self._packs_written = 0
        """Token packs this store wrote: a reader of the packs made before a pack was
        written does not see it, and must not be kept (:meth:`_load_hook_unlocked`)."""
        self._hook = on_rewrite
        """Makes the extra table written with each article file (``store.trailer``)."""
        self._extra_version: str | None = None if on_rewrite is not None else ""
        """The hook's version; ``None`` until it is loaded, ``""`` when no table is made."""
        self._extra_deferred: dict[str, None] = {}
        """Articles rewritten before the hook was loaded, whose tables are made later
        (by the background fold, or on close)."""
        self._extra_stale: dict[str, None] = {}
        """Reviewed articles whose file keeps no table of the current version (a crash,
        an older newsread, an upgrade): made again by the background fold when idle."""
        self._extra_failed: set[str] = set()
        """Articles whose table could not be made this session (their cached tokens do
        not fit): not read again for it until the next."""

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
        lock: FileLock | None = None
        notice = None
        if not readonly:
            try:
                root.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreWriteError(
                    f"cannot create store folder {root}: {exc.strerror or exc}"
                ) from exc
            read_schema(root, create=False)  # refuse a foreign folder before adding a lock file
            try:
                lock = FileLock(str(root / ".lock"))
                lock.acquire(timeout=0)
            except Timeout:
                lock, readonly = None, True
                notice = f"another newsread is writing to {root}: opened read-only"
            except OSError as exc:
                raise StoreWriteError(
                    f"cannot open store folder {root} for writing: {exc.strerror or exc}"
                ) from exc
        elif not root.is_dir():
            raise StoreError(f"no store at {root}")
        store = cls(root, readonly=readonly, lock=lock, on_rewrite=on_rewrite)
        if notice:
            store.notices.append(notice)
        try:
            store._open(skip_damaged)
        except BaseException:
            store._release()
            raise
        if not store.readonly:
            store._fold_thread = threading.Thread(
                target=store._fold_when_idle, name=f"newsread-fold {root}", daemon=True
            )
            store._fold_thread.start()
        return store

    def _open(self, skip_damaged: bool) -> None:
        version = read_schema(self.root, create=not self.readonly)
        if version < SCHEMA_VERSION:
            if self.readonly:
                raise SchemaError(
                    f"{self.root} was written by an older newsread (store schema {version}); "
                    f"open it once for writing to upgrade it (a backup is kept)"
                )
            snapshot = backups.snapshot(self.root, f"before-schema-{SCHEMA_VERSION}", 1_000)
            steps = migrate(self.root, version)
            backups.prune(self.root / backups.BACKUPS_DIR, self.BACKUPS_KEPT)
            self.notices.append(
                f"store upgraded ({'; '.join(steps)}); the previous version is in {snapshot}"
            )
        if not self.readonly:
            self._remove_temp_files()
        journal = read_journal(self.root / JOURNAL_NAME)  # before the article files
        self._load_summaries(skip_damaged)
        self._replay(journal)
        self._seq = max([journal.last_seq, *(s.seq for s in self._summaries.values())])
        if not self.readonly:
            self._checkpoint()  # folds what was replayed and starts a fresh journal
            if self._index_dirty:
                self._write_index()

    def _remove_temp_files(self) -> None:
        # The article folders are cleaned by the scan in _load_summaries_from.
        for folder in (self.root, self.root / PACKS_DIR):
            remove_temp_files(folder)

    def close(self) -> None:
        """Fold the journal into the article files, write the index, release the lock.

        If that fails (disk full), every decision is still safe in the journal and is
        folded in at the next start; the error says so.
        """
        try:
            with self._mutex:
                if self._closed:
                    return
                try:
                    if not self.readonly:
                        self._checkpoint()
                        self._make_extra_tables()
                        if self._index_dirty:
                            self._write_index()
                except StoreWriteError as exc:
                    raise StoreWriteError(
                        f"{exc}; every decision is safe in {self.root / JOURNAL_NAME} and "
                        f"will be folded in when the store is next opened"
                    ) from exc
                finally:
                    self._shut()
        finally:
            self._join_fold_thread()

    def _release(self) -> None:
        """Drop everything without folding: what a killed process leaves behind."""
        self._shut()
        self._join_fold_thread()

    def _shut(self) -> None:
        with self._mutex:
            self._closed = True
            self._wake.notify_all()
            if self._journal is not None:
                self._journal.close()
                self._journal = None
            self._close_token_packs()
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def _join_fold_thread(self) -> None:
        """Wait for the background fold to stop (never while holding the store lock,
        which it needs to notice that the store closed)."""
        thread, self._fold_thread = self._fold_thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- loading ----------------------------------------------------------------
    def _load_summaries(self, skip_damaged: bool) -> None:
        # Tens of thousands of small objects are built here: the cyclic garbage collector
        # would scan them over and over (a third of the time) although none is garbage.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._load_summaries_from(skip_damaged)
        finally:
            if collecting:
                gc.enable()

    def _load_summaries_from(self, skip_damaged: bool) -> None:
        cached, notice = read_index(self.root)
        if notice:
            self.notices.append(notice)
            self._index_dirty = True
        on_disk = scan_article_files(self.root, remove_temp=not self.readonly)
        for article_id, (path, signature) in on_disk.items():
            summary = cached.get(article_id)
            if summary is None or summary.signature != signature:
                try:
                    stored = self._read_file(article_id, Path(path))
                except StoreCorrupt as exc:
                    if not skip_damaged:
                        raise
                    self.damaged[article_id] = str(exc)
                    self.notices.append(str(exc))
                    continue
                summary = self._summarize(stored.state, stored)
                self._index_dirty = True
            self._summaries[article_id] = summary
        if set(cached) - set(self._summaries):
            self._index_dirty = True
        # Keep the index's order (it is list order): sorting already-ordered summaries
        # for the article list is then a linear pass instead of a full sort.
        loaded = self._summaries
        ordered = {i: loaded[i] for i in cached if i in loaded}
        ordered.update(loaded)
        self._summaries = ordered
        self._next_order = max((s.order for s in self._summaries.values()), default=-1) + 1

    def _read_file(self, article_id: str, path: Path | None = None) -> StoredArticle:
        path = path or self._article_path(article_id)
        stored = ArticleFile(path, readonly=True).read()
        if stored.state.article.id != article_id:
            raise StoreCorrupt(path, f"it holds article {stored.state.article.id!r}")
        return stored

    def _replay(self, journal: JournalContent) -> None:
        """Apply the journal's entries that the article files do not include yet."""
        path = self.root / JOURNAL_NAME
        stored_seq: dict[str, int] = {}
        for entry in journal.entries:
            article_id, seq = entry["article"], int(entry["seq"])
            if article_id in self.damaged:
                continue  # its file is left out; the entry stays in the backup of the journal
            if article_id not in self._summaries:
                raise StoreCorrupt(path, f"entry {seq} names an unknown article {article_id}")
            if article_id not in stored_seq:
                stored = self._read_file(article_id)
                stored_seq[article_id] = stored.seq
                self._states[article_id] = stored.state
            if seq <= stored_seq[article_id]:
                continue  # already folded into the article file
            try:
                self._states[article_id] = self._states[article_id].replayed(entry)
            except (EditConflict, ValueError, KeyError, TypeError) as exc:
                raise StoreCorrupt(
                    path, f"entry {seq} does not apply to article {article_id} ({exc})"
                ) from exc
            self._dirty.add(article_id)
        for article_id in self._dirty:
            self._set_summary(article_id, self._states[article_id])
        if self._dirty and not self.readonly:
            self.notices.append(
                f"recovered {len(journal.entries)} decisions from {path.name}: newsread had "
                f"stopped before folding them into the article files; nothing was lost"
            )

    # -- the summaries ------------------------------------------------------------
    def _summarize(self, state: ArticleState, stored: StoredArticle) -> ArticleSummary:
        return summarize(
            state.article, state.annotations, state.order, stored.signature, stored.seq, stored.line
        )

    def _set_summary(self, article_id: str, state: ArticleState) -> None:
        """The summary of the live state; signature and seq still describe the file."""
        old = self._summaries[article_id]
        self._summaries[article_id] = summarize(
            state.article, state.annotations, state.order, old.signature, old.seq, old.line
        )

    def _write_index(self) -> None:
        write_index(self.root, self.list_articles())
        self._index_dirty = False

    def flush_index(self) -> None:
        """Fold the journal and write ``index.json`` now (both also happen on close)."""
        with self._mutex:
            self._require_writer()
            self._checkpoint()
            self._make_extra_tables()
            self._load_hook()
            self._find_stale_extras()
            self._make_extra_tables(stale=True)
            self._write_index()

    # -- reading ----------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._summaries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._summaries

    def list_articles(self) -> list[ArticleSummary]:
        """Every article's summary in list order (the order they were added)."""
        with self._mutex:
            if self._ordered is None:
                ordered = sorted(self._summaries.values(), key=attrgetter("order", "id"))
                self._ordered = [s.id for s in ordered]
            return [self._summaries[i] for i in self._ordered]

    def summary(self, article_id: str) -> ArticleSummary:
        """One article's list entry."""
        return self._summaries[article_id]

    def get(self, article_id: str) -> tuple[Article, Annotations]:
        """An article with all its suggestions and decisions."""
        with self._mutex:
            state = self._state(article_id)
            return state.article, state.annotations

    def history(self, article_id: str) -> tuple[list[Edit], int]:
        """The decision log of an article and how many of its entries are applied."""
        with self._mutex:
            state = self._state(article_id)
            return list(state.history), state.cursor

    def docs(self, article_id: str) -> ArticleDocs:
        """The article as :meth:`get` gives it, as plain documents, plus its tokens cache
        (:class:`~store.articles.ArticleDocs`): the fast read of exports.

        An article held in memory -- in particular one with decisions not folded into
        its file yet (a read-only store replays the journal when it opens) -- is given
        from memory; any other is read straight from its file (``store.articles.read_docs``:
        no object per annotation, no undo history, nothing kept).  Raises ``KeyError``
        for an unknown article and :class:`StoreCorrupt` naming a damaged file.
        """
        with self._mutex:
            if article_id not in self._summaries:
                raise KeyError(article_id)
            path = self._article_file(article_id)
            tokens = self._packs().get(article_id)
            state = self._states.get(article_id)
            if state is not None:
                return ArticleDocs.of(state, tokens)
            docs = read_docs(path, tokens)
            if docs.article.get("id") != article_id:
                raise StoreCorrupt(Path(path), f"it holds article {docs.article.get('id')!r}")
            return docs

    def listing(
        self, wanted: Callable[[str, float], bool] | None = None, *, extra: bool = False
    ) -> Iterator[Listed]:
        """Every article in list order as an export selects it (see :class:`Listed`);
        with ``wanted``, only those of a status and latest decision time it wants.
        (``extra`` is for readers that read extra tables as they list: this one reads
        them in :meth:`extra_table`.)"""
        for summary in self.list_articles():
            status = str(summary.status)
            if wanted is not None and not wanted(status, summary.updated):
                continue
            with self._mutex:
                folded = summary.id not in self._dirty
            yield Listed(summary.id, status, summary.updated, folded)

    def extra_table(self, listed: Listed) -> FoundExtra | None:
        """The extra table (``store.trailer``) of the article ``listed`` describes when
        it was made for its current content -- its file holds all its decisions, and the
        status it was listed with -- or ``None``.  The caller checks its version."""
        if listed.extra is not None or not listed.folded:
            return listed.extra
        raw = read_bytes(self._article_file(listed.id))
        found = find_extra(raw, listed.id) if raw else None
        return found if found is not None and found.status == listed.status else None

    def _article_path(self, article_id: str) -> Path:
        return Path(self._article_file(article_id))

    def _article_file(self, article_id: str) -> str:
        """The path of the article's file (as a string: building ``Path`` objects cost
        an export more than reading the file's bytes)."""
        if not _SAFE_ID.fullmatch(article_id):
            raise StoreError(f"article id {article_id!r} cannot be used as a file name")
        return f"{self._articles_folder}/{article_id[:2]}/{article_id}.json"

    def _state(self, article_id: str) -> ArticleState:
        """The article's live state, from memory or its file (kept in a small LRU)."""
        if article_id not in self._summaries:
            raise KeyError(article_id)
        state = self._states.get(article_id)
        if state is not None:
            self._states.move_to_end(article_id)
            return state
        stored = self._read_file(article_id)
        if stored.signature != self._summaries[article_id].signature:
            # Changed since the index (a reader watching a writer): show the newer file.
            self._summaries[article_id] = self._summarize(stored.state, stored)
        self._cache(article_id, stored.state)
        return stored.state

    # -- writing ----------------------------------------------------------------
    def _require_writer(self) -> None:
        if self._closed:
            raise StoreError(f"store {self.root} is closed")
        if self.readonly:
            raise StoreReadOnly(
                f"store {self.root} is open read-only (another newsread is writing to it); "
                f"nothing was saved"
            )

    def add_article(self, article: Article, annotations: Annotations | None = None) -> bool:
        """Add an article; ``False`` (and nothing written) when its id is already stored
        (or belongs to a damaged file that was left out)."""
        with self._mutex:
            self._require_writer()
            return self._add(article, annotations)

    def _is_new(self, article: Article) -> bool:
        if article.id in self._summaries or article.id in self.damaged:
            return False
        return not self._article_path(article.id).exists()  # else not ours to overwrite

    def _add(
        self,
        article: Article,
        annotations: Annotations | None,
        tokens: bytes | None = None,
    ) -> bool:
        if not self._is_new(article):
            return False
        annotations = sorted_annotations(annotations or Annotations())
        state = ArticleState(article, annotations, order=self._next_order)
        self._write_article(article.id, state, tokens=tokens)
        self._next_order += 1
        self._ordered = None
        return True

    def add_articles(
        self, items: Iterable[tuple[Article, Annotations | None]], *, backup: bool = True
    ) -> list[bool]:
        """Add many articles, then write the index once.

        With ``backup`` (the default) a non-empty store is snapshotted first (see
        :meth:`backup`); an import that adds in several chunks should back up once and
        pass ``backup=False``.
        """
        with self._mutex:
            self._require_writer()
            if backup and self._summaries:
                self.backup("import")
            items = list(items)
            tokens: dict[str, bytes] = {}
            if len(items) >= self.TOKENIZE_BATCH and self._hook is not None:
                fresh = {a.id: a for a, _ in items if self._is_new(a)}
                tokens = self._cache_tokens(self._hook, list(fresh.values()))
                self._load_hook()  # an import loads the tokenizer anyway
            added = [self._add(a, ann, tokens.get(a.id)) for a, ann in items]
            self._checkpoint()
            self._write_index()
            return added

    def _cache_tokens(self, hook: RewriteHook, articles: list[Article]) -> dict[str, bytes]:
        """Have the hook tokenize these articles and keep their tokens in one pack
        (``store.tokens``); returns them by article id (their extra tables use them).

        Done before the articles are written, so that their lines can be kept as they
        are (a pack whose articles a crash left unwritten only holds records nobody
        asks for).  A cache: if that fails, the articles are stored all the same and
        exports tokenize them; the failure is one notice.
        """
        if not articles:
            return {}
        try:
            made = hook.tokenize(articles)
            written = write_pack(self.root, list(made.items()))
        except Exception as exc:  # a cache must never stop an import
            self.notices.append(f"could not cache the tokens of the articles added: {exc}")
            return {}
        if written is None:
            return {}
        self._packs_written += 1
        self._close_token_packs()  # indexes read before this pack: read them again
        return made

    def _close_token_packs(self) -> None:
        if self._token_packs is not None:
            self._token_packs.close()
            self._token_packs = None

    def backup(self, reason: str = "manual") -> Path:
        """Snapshot the store into ``backups/`` (hard links, see ``store.backup``), keeping
        the newest :attr:`BACKUPS_KEPT`; returns the snapshot folder."""
        with self._mutex:
            self._require_writer()
            self._checkpoint()
            self._write_index()
            return backups.snapshot(self.root, reason, self.BACKUPS_KEPT)

    def save_analysis(
        self, article_id: str, suggested: Annotations, analysis: dict[str, Any]
    ) -> Annotations:
        """Store a new analysis, keeping every decision already made on the article."""
        with self._mutex:
            self._require_writer()
            state = self._state(article_id)
            merged = sorted_annotations(merge_suggestions(state.annotations, suggested))
            article = Article.from_dict({**state.article.to_dict(), "analysis": analysis})
            self._write_article(article_id, replace(state, article=article, annotations=merged))
            return merged

    def commit(self, article_id: str, edit: Edit) -> Annotations:
        """Apply a decision durably: when this returns, it is on disk with its history.

        Raises ``EditConflict`` if the edit does not match the stored article, and
        :class:`StoreWriteError` if it could not be saved; in both cases nothing changed.
        """
        with self._mutex:
            self._require_writer()
            state = self._state(article_id).committed(edit)
            self._log(article_id, {"op": "commit", "edit": edit_doc(edit)}, state, edit)
            return state.annotations

    def undo(self, article_id: str) -> tuple[Annotations, Edit] | None:
        """Undo the article's last decision (also after a restart); ``None`` if none."""
        return self._step(article_id, back=True)

    def redo(self, article_id: str) -> tuple[Annotations, Edit] | None:
        """Redo the last undone decision; ``None`` if there is none."""
        return self._step(article_id, back=False)

    def _step(self, article_id: str, *, back: bool) -> tuple[Annotations, Edit] | None:
        with self._mutex:
            self._require_writer()
            current = self._state(article_id)
            step = current.undone() if back else current.redone()
            if step is None:
                return None
            state, edit = step
            self._log(article_id, {"op": "undo" if back else "redo"}, state, edit)
            return state.annotations, edit

    def _log(
        self, article_id: str, operation: dict[str, Any], state: ArticleState, applied: Edit
    ) -> None:
        """Journal one operation; only once it is on disk does memory change.

        ``applied`` is the edit that turned the previous state into ``state`` (for an
        undo, the inverted decision): the summary is updated from it alone.
        """
        assert self._journal is not None  # a writer always has one
        self._journal.append({"seq": self._seq + 1, "article": article_id, **operation})
        self._seq += 1
        self._states[article_id] = state
        self._states.move_to_end(article_id)
        self._dirty.add(article_id)
        self._summaries[article_id] = summary_after(
            self._summaries[article_id], applied.before, applied.after, state.annotations
        )
        self._last_decision = time.monotonic()
        if self._fold_thread_asleep:  # wake it only when it waits for work, not on every key
            self._wake.notify()
        if self._journal.count >= self._fold_limit:
            self._try_fold(decision=True)

    def _try_fold(self, *, decision: bool = False) -> bool:
        """Fold one step (``decision``: inside one, see :meth:`_fold_some`); on failure
        keep the decisions in the journal and retry later (the decisions are saved:
        only their copy into the article files waits)."""
        try:
            self._fold_some(decision=decision)
        except Exception as exc:  # whatever went wrong, the decision itself is saved
            if self._journal is not None:
                self._fold_limit = self._journal.count + self.JOURNAL_LIMIT
            self.notices.append(f"could not fold the journal yet: {exc}")
            return False
        return True

    def _fold_when_idle(self) -> None:
        """The background fold: once no decision came for :attr:`FOLD_AFTER_IDLE`
        seconds, fold the journal one article at a time, letting decisions in between.

        A person pauses between decisions, so the article rewrites happen in the pauses
        instead of inside a keystroke; :attr:`JOURNAL_LIMIT` covers one who never does.
        """
        with self._wake:
            while not self._closed:
                journal = self._journal
                work = self._dirty or journal is not None and journal.count
                if journal is None or not (work or self._extra_deferred or self._extra_stale):
                    self._fold_thread_asleep = True
                    self._wake.wait()
                    self._fold_thread_asleep = False
                    continue
                idle = time.monotonic() - self._last_decision
                if idle < self.FOLD_AFTER_IDLE:
                    self._wake.wait(self.FOLD_AFTER_IDLE - idle)
                    continue
                if self._extra_version is None:
                    self._load_hook_unlocked()  # then fold with extra tables
                    continue
                if not self._try_fold():
                    self._last_decision = time.monotonic()  # retry after another pause
                self._wake.wait(0.001)  # let a waiting decision in between two articles

    def _write_article(
        self,
        article_id: str,
        state: ArticleState,
        *,
        fold: bool = False,
        tokens: bytes | None = None,
        extra_later: bool = False,
    ) -> None:
        """Rewrite an article file from ``state`` (it then includes all journal entries),
        with its extra table (``store.trailer``; ``tokens`` when the caller has them).

        With ``fold`` the state is the live one whose summary is up to date already, so
        only the file's signature and seq change in it.  With ``extra_later`` the table
        is left for the background (see :meth:`_extra_table`).
        """
        if fold:
            summary = self._summaries[article_id]
        else:
            summary = summarize(state.article, state.annotations, state.order)
        extra = self._extra_table(article_id, state, summary, tokens, later=extra_later)
        self._write_file(article_id, state, summary, extra)

    def _write_file(
        self,
        article_id: str,
        state: ArticleState,
        summary: ArticleSummary,
        extra: tuple[bytes, dict[str, Any]] | None,
    ) -> None:
        """:meth:`_write_article` once the extra table is made (or none): the file, then
        the summary (``summary`` with the new file's signature), the cache."""
        signature = ArticleFile(self._article_path(article_id)).write(state, self._seq, extra)
        line = (self._extra_version or "") if extra is not None else ""
        self._summaries[article_id] = replace(
            summary, signature=signature, seq=self._seq, line=line
        )
        self._extra_stale.pop(article_id, None)
        self._dirty.discard(article_id)
        self._cache(article_id, state)
        self._index_dirty = True

    def _cache(self, article_id: str, state: ArticleState) -> None:
        """Keep ``state`` as the most recently used, and at most :attr:`CACHE_SIZE`
        states besides those with unfolded decisions (which must stay): an import or
        the background making of lines writes thousands of articles in a session."""
        states = self._states
        states[article_id] = state
        states.move_to_end(article_id)
        excess = len(states) - len(self._dirty) - self.CACHE_SIZE  # every dirty one is here
        if excess > 0:
            for old in [i for i in states if i not in self._dirty][:excess]:
                del states[old]

    # -- extra tables (store.trailer) -------------------------------------------------
    def _extra_table(
        self,
        article_id: str,
        state: ArticleState,
        summary: ArticleSummary,
        tokens: bytes | None = None,
        *,
        later: bool = False,
    ) -> tuple[bytes, dict[str, Any]] | None:
        """The extra table the rewrite hook makes for the article as its file is
        rewritten from ``state`` (``summary`` is its summary), payload and document 2.

        Only when its cached tokens are at hand (given, or in the token cache): this
        never tokenizes.  Before the hook is loaded (by the background fold outside the
        store's lock, or by an import or a close), or with ``later`` (a fold inside a
        decision: the keystroke would pay for it), the article waits in
        :attr:`_extra_deferred`.  A cache: whatever fails, the article is saved without
        one.
        """
        self._extra_deferred.pop(article_id, None)
        if summary.status is ArticleStatus.NEW or self._extra_version == "":
            return None
        if self._extra_version is None or later:
            self._extra_deferred[article_id] = None
            if self._fold_thread_asleep:
                with self._wake:  # re-entrant: held already on every store path
                    self._wake.notify()
            return None
        assert self._hook is not None  # else the version is ""
        try:
            if tokens is None:
                tokens = self._packs().get(article_id)
            if tokens is None:
                return None
            status = str(summary.status)
            made: ExtraTable | None = self._hook.make(
                state.article, state.annotations, status, tokens
            )
            if made is None:
                return None
            meta = meta_of(article_id, self._extra_version, status, summary.updated, made)
            return made[0], meta
        except Exception as exc:  # a cache must never stop a write
            self.notices.append(f"could not keep the extra table of article {article_id}: {exc}")
            return None

    def _packs(self) -> TokenPacks:
        if self._token_packs is None:
            self._token_packs = TokenPacks(self.root)
        return self._token_packs

    def _load_hook(self) -> None:
        """Learn the hook's version (slow the first time: it loads its modules).
        Idempotent; without a hook no table is made."""
        if self._extra_version is not None:
            return
        try:
            version = self._hook.version() if self._hook is not None else ""
        except Exception as exc:  # no extra tables then; their readers do without
            self.notices.append(f"extra tables are not kept: {exc}")
            version = ""
        self._extra_version = version

    def _load_hook_unlocked(self) -> None:
        """:meth:`_load_hook` without holding the store's lock (the background fold
        calls it with the lock held once, so decisions go on meanwhile).

        The token packs' indexes are read meanwhile too, and kept only if no import
        wrote a pack in between: a reader listed the packs before, and would hide the
        new one for the rest of the session."""
        packs_written = self._packs_written
        self._mutex.release()
        try:
            version: str | None = self._hook.version() if self._hook is not None else ""
            packs: TokenPacks | None = TokenPacks(self.root)
        except Exception:
            version, packs = None, None  # loaded under the lock below, with its notice
        finally:
            self._mutex.acquire()
        fresh = packs_written == self._packs_written
        if self._token_packs is None and fresh and not self._closed:
            self._token_packs, packs = packs, None
        if packs is not None:
            packs.close()
        if version is None:
            self._load_hook()
        elif self._extra_version is None:
            self._extra_version = version
        self._find_stale_extras()

    def _find_stale_extras(self) -> None:
        """Note the reviewed articles whose files keep no table of the current version
        but could: :attr:`_extra_stale`, made in the background.

        Could: the hook says their cached tokens fit (after a tokenizer upgrade none
        does, and reading every reviewed article for nothing in every session is what
        this check avoids), and no attempt failed this session."""
        version, hook = self._extra_version, self._hook
        if not version or hook is None or self._closed:
            return
        head, skip, new = self._packs().head, self._extra_failed, ArticleStatus.NEW
        for s in self.list_articles():
            if (
                s.line != version
                and s.status is not new
                and s.id not in self._dirty
                and s.id not in self._extra_deferred
                and s.id not in skip
            ):
                record = head(s.id)
                if record is not None and hook.tokens_fit(record):
                    self._extra_stale[s.id] = None

    def _make_extra_tables(self, limit: int | None = None, *, stale: bool = False) -> None:
        """Rewrite (up to ``limit``) articles waiting in :attr:`_extra_deferred` (or in
        :attr:`_extra_stale`) with their extra tables; those whose table cannot be made
        are left as they are, and not tried again this session (:attr:`_extra_failed`)."""
        waiting = self._extra_stale if stale else self._extra_deferred
        if not waiting:
            return
        self._load_hook()
        for article_id in list(waiting)[:limit]:
            waiting.pop(article_id, None)
            if article_id in self._dirty or article_id not in self._summaries:
                continue  # made when folded
            # Every decision on it is in the file: the file is the truth, even over the
            # cache (somebody may have edited it meanwhile; rewriting from memory would
            # undo that, and a summary of other content would mislabel the table).
            try:
                stored = self._read_file(article_id)
            except StoreError:  # reported when the article is opened
                self._extra_failed.add(article_id)
                continue
            state, summary = stored.state, self._summaries[article_id]
            if stored.signature != summary.signature:
                summary = self._summarize(state, stored)
                self._summaries[article_id] = summary
                self._index_dirty = True
                self._states.pop(article_id, None)
            extra = self._extra_table(article_id, state, summary)
            if extra is None:
                self._extra_failed.add(article_id)
            else:
                self._write_file(article_id, state, summary, extra)

    def _fold_some(self, *, decision: bool = False) -> None:
        """One step of folding the journal: rewrite the least recently used article with
        unfolded decisions, and start a fresh journal once none is left.  One article
        per step bounds the time a decision can wait for (or pay for) folding.

        With ``decision`` (a decision folds, past :attr:`JOURNAL_LIMIT`) no line is
        made: the article is written without one, which the background makes later
        (with its line, a 2,000-entity article's fold took 3.9 ms instead of 2.3)."""
        oldest = next((i for i in self._states if i in self._dirty), None)
        if oldest is not None:
            self._write_article(oldest, self._states[oldest], fold=True, extra_later=decision)
        elif decision:
            pass  # missing tables are made in the pauses
        elif self._extra_deferred and self._extra_version is not None:
            self._make_extra_tables(limit=1)
        elif self._extra_stale and self._extra_version:
            self._make_extra_tables(limit=1, stale=True)
        if not self._dirty:
            self._checkpoint()

    def _checkpoint(self) -> None:
        """Fold the journal into the article files, then start a fresh journal."""
        for article_id in sorted(self._dirty):
            self._write_article(article_id, self._states[article_id], fold=True)
        if self._journal is None:
            self._journal = Journal(self.root / JOURNAL_NAME, self._seq)
        elif self._journal.count or self._journal.base != self._seq:
            self._journal.reset(self._seq)
        self._fold_limit = self.JOURNAL_LIMIT
