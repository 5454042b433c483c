"""Opening a store: the article summaries from the index and the files, then the journal's
decisions the files do not hold yet.

A reader and a writer open the same way, and the streamed reader of exports
(``store.reading``) replays the journal with the same :func:`replay_entries`.  The
journal is read before the article files, so a fold running meanwhile in another
process cannot make a reader miss or double a decision.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Container, Iterable
from pathlib import Path
from typing import Any

from annotate.edits import EditConflict
from store.articles import StoredArticle
from store.errors import StoreCorrupt
from store.history import ArticleState
from store.index import read_cached, scan_article_files
from store.summary import ArticleSummary, summarize

ReadFile = Callable[[str, Path | None], StoredArticle]
"""Reads an article's file (at the path given, else at its own), checking its id."""


def summary_of_stored(stored: StoredArticle) -> ArticleSummary:
    """The summary of an article as its file holds it."""
    state = stored.state
    return summarize(
        state.article, state.annotations, state.order, stored.signature, stored.seq, stored.line
    )


def load_summaries(
    root: Path,
    read: ReadFile,
    *,
    readonly: bool,
    skip_damaged: bool,
    notices: list[str],
    damaged: dict[str, str],
) -> tuple[dict[str, ArticleSummary], bool, int | None]:
    """Every article's summary in list order, whether ``index.json`` should be written
    again (whole), and how many summaries ``index.log`` holds (``None`` when nothing may
    be appended to it).  A summary of the index (or its log) is used while it describes
    the file on disk; any other file is read.  A damaged file raises :class:`StoreCorrupt`, or with
    ``skip_damaged`` goes into ``damaged`` (and ``notices``)."""
    # Tens of thousands of small objects are built here: the cyclic garbage collector
    # would scan them over and over (a third of the time) although none is garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        index = read_cached(root)
        cached, notice = index.summaries, index.notice
        index_dirty = bool(notice)
        if notice:
            notices.append(notice)
        summaries: dict[str, ArticleSummary] = {}
        for article_id, (path, signature) in scan_article_files(
            root, remove_temp=not readonly
        ).items():
            summary = cached.get(article_id)
            if summary is None or summary.signature != signature:
                try:
                    summary = summary_of_stored(read(article_id, Path(path)))
                except StoreCorrupt as exc:
                    if not skip_damaged:
                        raise
                    damaged[article_id] = str(exc)
                    notices.append(str(exc))
                    continue
                index_dirty = True
            summaries[article_id] = summary
    finally:
        if collecting:
            gc.enable()
    if set(cached) - set(summaries):
        index_dirty = True
    # Keep the index's order (it is list order): sorting already-ordered summaries for
    # the article list is then a linear pass instead of a full sort.
    ordered = {i: summaries[i] for i in cached if i in summaries}
    ordered.update(summaries)
    return ordered, index_dirty, index.log_lines if index.log_usable else None


class EntryDoesNotApply(ValueError):
    """A journal entry that does not apply to its article's state."""

    def __init__(self, seq: int, article_id: str, reason: Exception) -> None:
        super().__init__(f"entry {seq} does not apply to article {article_id} ({reason})")


def replay_entries(
    entries: Iterable[dict[str, Any]],
    read: Callable[[str], StoredArticle],
    skip: Container[str] = (),
) -> tuple[dict[str, ArticleState], set[str]]:
    """The states of the articles the journal's ``entries`` name (read once each with
    ``read``), with the entries their files do not include yet applied; and the ids of
    those that changed.  Articles in ``skip`` are left out.  Replaying is idempotent:
    an entry whose seq the file already includes is skipped."""
    states: dict[str, ArticleState] = {}
    stored_seq: dict[str, int] = {}
    touched: set[str] = set()
    for entry in entries:
        article_id, seq = entry["article"], int(entry["seq"])
        if article_id in skip:
            continue  # its file is left out; the entry stays in the backup of the journal
        if article_id not in stored_seq:
            stored = read(article_id)
            stored_seq[article_id] = stored.seq
            states[article_id] = stored.state
        if seq <= stored_seq[article_id]:
            continue  # already folded into the article file
        try:
            states[article_id] = states[article_id].replayed(entry)
        except (EditConflict, ValueError, KeyError, TypeError) as exc:
            raise EntryDoesNotApply(seq, article_id, exc) from exc
        touched.add(article_id)
    return states, touched
