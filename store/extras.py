"""The extra tables a store keeps with its article files, and the tokens they use.

The store is opened with a rewrite hook (``store.trailer.RewriteHook``) or none.
:class:`ExtraTables` knows the hook's version, which articles still wait for their
table (rewritten before the hook was loaded, or by a decision that could not pay for
it), which keep a stale one, and which cannot have one this session; and it holds the
token packs (``store.tokens``) the hook makes tables from.  It never tokenizes on a
rewrite: tokens are made once, for an import (:meth:`ExtraTables.tokenize`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from annotate.model import Article, ArticleStatus
from store.history import ArticleState
from store.summary import ArticleSummary
from store.tokens import TokenPacks, write_pack
from store.trailer import RewriteHook, meta_of

ExtraDoc = tuple[bytes, dict[str, Any]]
"""An extra table to write: the payload and document 2 (``store.trailer.file_bytes``)."""


class ExtraTables:
    """The bookkeeping of extra tables and token packs for one open store."""

    def __init__(
        self,
        root: Path,
        hook: RewriteHook | None,
        notices: list[str],
        on_deferred: Callable[[], None],
    ) -> None:
        self.root = root
        self.hook = hook
        self._notices = notices
        self._on_deferred = on_deferred
        self.version: str | None = None if hook is not None else ""
        """The hook's version; ``None`` until it is loaded, ``""`` when no table is made."""
        self.deferred: dict[str, None] = {}
        """Articles rewritten without their table (before the hook was loaded, or inside
        a decision), made later by the background fold or on close."""
        self.stale: dict[str, None] = {}
        """Reviewed articles whose file keeps no table of the current version (a crash,
        an older newsread, an upgrade): made again by the background fold when idle."""
        self.failed: set[str] = set()
        """Articles whose table could not be made this session: not read again for it."""
        self._packs: TokenPacks | None = None
        self._packs_written = 0
        """Token packs written by this store: packs read before one was written do not
        see it, and must not be kept (:meth:`load_unlocked`)."""

    # -- the hook -----------------------------------------------------------------
    def load(self) -> None:
        """Learn the hook's version (slow the first time: it loads its modules)."""
        if self.version is not None:
            return
        try:
            version = self.hook.version() if self.hook is not None else ""
        except Exception as exc:  # no extra tables then; their readers do without
            self._notices.append(f"extra tables are not kept: {exc}")
            version = ""
        self.version = version

    def load_unlocked(self, lock: threading.RLock, closed: Callable[[], bool]) -> None:
        """:meth:`load` with ``lock`` (held once by the caller) let go meanwhile, so
        decisions go on; the token packs' indexes are read meanwhile too, and kept only
        if no import wrote a pack in between."""
        packs_written = self._packs_written
        lock.release()
        try:
            version: str | None = self.hook.version() if self.hook is not None else ""
            packs: TokenPacks | None = TokenPacks(self.root)
        except Exception:
            version, packs = None, None  # loaded under the lock below, with its notice
        finally:
            lock.acquire()
        if self._packs is None and packs_written == self._packs_written and not closed():
            self._packs, packs = packs, None
        if packs is not None:
            packs.close()
        if version is None:
            self.load()
        elif self.version is None:
            self.version = version

    # -- making a table -------------------------------------------------------------
    def table(
        self,
        article_id: str,
        state: ArticleState,
        summary: ArticleSummary,
        tokens: bytes | None = None,
        *,
        later: bool = False,
    ) -> ExtraDoc | None:
        """The extra table of the article as its file is rewritten from ``state``
        (``summary`` is its summary), or ``None``.

        Only from tokens at hand (given, or cached).  Before the hook is loaded, or with
        ``later`` (a fold inside a decision: the keystroke would pay for it), the
        article waits in :attr:`deferred`.  A cache: whatever fails, the article is
        saved without a table (one notice)."""
        self.deferred.pop(article_id, None)
        if summary.status is ArticleStatus.NEW or self.version == "":
            return None
        if self.version is None or later:
            self.deferred[article_id] = None
            self._on_deferred()
            return None
        assert self.hook is not None  # else the version is ""
        try:
            if tokens is None:
                tokens = self.packs().get(article_id)
            if tokens is None:
                return None
            status = str(summary.status)
            made = self.hook.make(state.article, state.annotations, status, tokens)
            if made is None:
                return None
            return made[0], meta_of(article_id, self.version, status, summary.updated, made)
        except Exception as exc:  # a cache must never stop a write
            self._notices.append(f"could not keep the extra table of article {article_id}: {exc}")
            return None

    def find_stale(self, summaries: Iterable[ArticleSummary], unfolded: set[str]) -> None:
        """Note in :attr:`stale` the reviewed articles whose files keep no table of the
        current version but could: the hook says their cached tokens fit (after a
        tokenizer upgrade none does, and reading every reviewed article for nothing in
        every session is what this avoids), and no attempt failed this session."""
        version, hook = self.version, self.hook
        if not version or hook is None:
            return
        head, new = self.packs().head, ArticleStatus.NEW
        for s in summaries:
            if (
                s.line != version
                and s.status is not new
                and s.id not in unfolded
                and s.id not in self.deferred
                and s.id not in self.failed
            ):
                record = head(s.id)
                if record is not None and hook.tokens_fit(record):
                    self.stale[s.id] = None

    # -- tokens ---------------------------------------------------------------------
    def packs(self) -> TokenPacks:
        """The token packs, opened on first use."""
        if self._packs is None:
            self._packs = TokenPacks(self.root)
        return self._packs

    def close_packs(self) -> None:
        """Close the packs (they are read again on next use)."""
        if self._packs is not None:
            self._packs.close()
            self._packs = None

    def tokenize(self, articles: Sequence[Article]) -> dict[str, bytes]:
        """Have the hook tokenize these articles and keep their tokens in one pack;
        returns them by article id, for their tables.  Done before the articles are
        written, so that their tables are made as they are.  A cache: on failure the
        articles are stored all the same (one notice)."""
        if not articles or self.hook is None:
            return {}
        try:
            made = self.hook.tokenize(articles)
            written = write_pack(self.root, list(made.items()))
        except Exception as exc:  # a cache must never stop an import
            self._notices.append(f"could not cache the tokens of the articles added: {exc}")
            return {}
        if written is None:
            return {}
        self._packs_written += 1
        self.close_packs()  # indexes read before this pack: read them again
        return made
