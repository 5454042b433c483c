"""The decision path: a decision journaled and synced, then folded into the article files.

A decision is checked against the article's state held in memory, appended as one line
to ``journal.jsonl`` and ``fdatasync``-ed (``store.journal``): when :meth:`DecisionLog.log`
returns, it is on disk.  Memory is then updated from the edit alone (the summary by
``summary_after``), so no part of a decision grows with the store or the article.  The
article files are brought up to date by *folding* the journal into them, one article
per step (:meth:`DecisionLog.fold_step`) -- by the background fold in the pauses, by a
decision itself only past a limit of journal entries (a user who never pauses), and
whole at close, backups and imports (:meth:`DecisionLog.checkpoint`).  It takes no lock:
the store's front calls it with its lock held.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from annotate.edits import Edit
from store.files import ArticleFiles
from store.history import ArticleState
from store.journal import JOURNAL_NAME, Journal
from store.summary import summary_after


class DecisionLog:
    """The journal of one writer and the folding of it into the article files."""

    def __init__(
        self,
        root: Path,
        files: ArticleFiles,
        journal_limit: Callable[[], int],
        notices: list[str],
        on_decision: Callable[[], None],
    ) -> None:
        self.root = root
        self.files = files
        self.journal: Journal | None = None
        """The open journal (``None`` for a reader, and once closed)."""
        self.journal_limit = journal_limit
        """Entries past which a decision folds one article itself (``Store.JOURNAL_LIMIT``)."""
        self.fold_limit = journal_limit()
        """Entries at which the next decision folds (raised after a failed fold)."""
        self.last_decision = 0.0
        """``time.monotonic()`` of the last decision: the fold waits for a pause."""
        self._notices = notices
        self._on_decision = on_decision

    def log(
        self, article_id: str, operation: dict[str, Any], state: ArticleState, applied: Edit
    ) -> None:
        """Journal one operation; only once it is on disk does memory change.

        ``applied`` is the edit that turned the previous state into ``state`` (for an
        undo, the inverted decision): the summary is updated from it alone."""
        assert self.journal is not None  # a writer always has one
        files = self.files
        if self.journal.replaced():
            self._journal_replaced()
        self.journal.append({"seq": files.seq + 1, "article": article_id, **operation})
        files.seq += 1
        files.cache.put(article_id, state, unfolded=True)
        files.summaries[article_id] = summary_after(
            files.summaries[article_id], applied.before, applied.after, state.annotations
        )
        self.last_decision = time.monotonic()
        self._on_decision()
        if self.journal.count >= self.fold_limit:
            self.try_fold(decision=True)

    def _journal_replaced(self) -> None:
        """The journal file was removed or replaced under the writer (by hand): its
        decisions would be appended to a file no longer in the store.  Every decision it
        held is in memory: fold them all into the article files, start a new journal."""
        assert self.journal is not None
        path = self.journal.path
        self.journal.count = max(self.journal.count, 1)  # a reset however it looks
        self.checkpoint()
        self._notices.append(
            f"{path} was removed or replaced while newsread was running; the decisions "
            f"it held were written into the article files and a new journal was started"
        )

    def pending(self) -> bool:
        """Whether anything waits to be folded or made."""
        files, journal = self.files, self.journal
        if journal is None:
            return False
        extras = files.extras
        return bool(files.cache.unfolded or journal.count or extras.deferred or extras.stale)

    def try_fold(self, *, decision: bool = False) -> bool:
        """Fold one step (``decision``: inside one, see :meth:`fold_step`); on failure
        keep the decisions in the journal and retry later (the decisions are saved:
        only their copy into the article files waits)."""
        try:
            self.fold_step(decision=decision)
        except Exception as exc:  # whatever went wrong, the decision itself is saved
            if self.journal is not None:
                self.fold_limit = self.journal.count + self.journal_limit()
            self._notices.append(f"could not fold the journal yet: {exc}")
            return False
        return True

    def fold_step(self, *, decision: bool = False) -> None:
        """One step of folding: rewrite the least recently used article with unfolded
        decisions (else make one waiting extra table), and start a fresh journal once
        none is left.  One article per step bounds what a decision can wait for.

        With ``decision`` (past the limit) no extra table is made: the keystroke would
        pay for it; the background makes it later."""
        files = self.files
        extras = files.extras
        oldest = files.cache.oldest_unfolded()
        if oldest is not None:
            state = files.cache.peek(oldest)
            assert state is not None  # unfolded states are pinned
            files.write_article(oldest, state, fold=True, extra_later=decision)
        elif decision:
            pass  # missing tables are made in the pauses
        elif extras.deferred and extras.version is not None:
            files.make_extra_tables(limit=1)
        elif extras.stale and extras.version:
            files.make_extra_tables(limit=1, stale=True)
        if not files.cache.unfolded:
            self.checkpoint()

    def checkpoint(self) -> None:
        """Fold the whole journal into the article files, then start a fresh journal."""
        files = self.files
        for article_id in sorted(files.cache.unfolded):
            state = files.cache.peek(article_id)
            assert state is not None  # unfolded states are pinned
            files.write_article(article_id, state, fold=True)
        if self.journal is None:
            self.journal = Journal(self.root / JOURNAL_NAME, files.seq)
        elif self.journal.count or self.journal.base != files.seq:
            self.journal.reset(files.seq)
        self.fold_limit = self.journal_limit()

    def close(self) -> None:
        """Close the journal (what it holds is on disk already)."""
        if self.journal is not None:
            self.journal.close()
            self.journal = None
