"""Writing an export: the articles a filter selects, read one at a time, in every format.

The source streams articles one at a time (``store.reading``; summaries pick which),
``annotate.formats.select`` keeps the accepted decisions that pass the filters and the
format modules turn each article into lines; nothing is collected in a list, so memory
does not grow with the store (the spaCy DocBins stream too, ``formats.docbin_stream``;
the training formats are in :mod:`annotate.export.training`).  JSONL without
``--label``/``--annotator`` writes each article's line as the store kept it when the
article last changed (:mod:`annotate.export.lines`), building only the lines it cannot
use -- from the store's plain documents and cached tokens instead of objects, the same
bytes either way.  Warnings go to stderr, one line each, naming the article.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

from annotate.export.lines import kept_line
from annotate.model import Annotations, Article
from annotate.terminal_text import one_line, safe_stdout

if TYPE_CHECKING:
    from annotate.export.source import ArticleDocs, ArticleSource, ListedArticle
    from annotate.formats.select import SelectedDocs, Selection

STATUSES = ("new", "in progress", "done")
DEFAULT_STATUSES = ("in progress", "done")


class ExportItem(NamedTuple):
    """One article to export, its selected decisions, and its status (``new``, ``in
    progress``, ``done``): the status decides what an export may claim about the text
    outside the decisions (see :mod:`annotate.export.training`)."""

    article: Article
    decisions: Annotations
    status: str


def say(message: str) -> None:
    """One line on stderr; untrusted parts (ids, labels, paths) show as escapes."""
    print(f"newsread: {one_line(message)}", file=sys.stderr)


def warn(message: str) -> None:
    """A one-line warning on stderr (untrusted text is stripped of control characters)."""
    say(f"warning: {message}")


class SelectedArticles:
    """The articles an export carries, with their selected decisions, read one at a time.

    Iterating gives :class:`ExportItem` objects, which every format understands;
    :meth:`docs` gives the same selection as plain documents straight from the store's
    fast read (``Store.docs``), and :meth:`listed` the articles alone, so that the
    JSONL export can write their kept lines (:mod:`annotate.export.lines`).
    """

    def __init__(
        self,
        store: ArticleSource,
        statuses: tuple[str, ...],
        since: float | None,
        selection: Selection,
    ) -> None:
        self.store = store
        self.statuses = statuses
        self.since = since
        self.selection = selection

    def listed(self, *, extra: bool = False) -> Iterator[ListedArticle]:
        """Each article passing the article-level filters (status, ``--since``); with
        ``extra``, each with its extra table when the source reads it while listing."""
        wanted = self.wanted
        for listed in self.store.listing(wanted, extra=extra):
            if wanted(listed.status, listed.updated):
                yield listed

    def wanted(self, status: str, updated: float) -> bool:
        """Whether an article of this status and latest decision time is exported."""
        return status in self.statuses and (self.since is None or updated >= self.since)

    def _summaries(self) -> Iterator[tuple[str, str]]:
        """Id and status of each article passing the article-level filters."""
        for listed in self.listed():
            yield listed.id, str(listed.status)

    def _wanted(self, entities: int, total: int) -> bool:
        """Whether an article with these selected decisions is exported at all."""
        selection = self.selection
        if (selection.labels is not None or selection.annotator is not None) and not total:
            return False
        return selection.labels is None or entities > 0

    def __iter__(self) -> Iterator[ExportItem]:
        for article_id, status in self._summaries():
            item = self.item(article_id, status)
            if item is not None:
                yield item

    def item(self, article_id: str, status: str) -> ExportItem | None:
        """One article as objects (``None`` when the filters leave nothing of it)."""
        article, annotations = self.store.get(article_id)
        chosen = self.selection.apply(annotations)
        if not self._wanted(len(chosen.entities), _count(chosen)):
            return None
        return ExportItem(article, chosen, status)

    def docs(self) -> Iterator[tuple[str, ArticleDocs, SelectedDocs, str]]:
        """Id, documents, selected decisions (as documents) and status of each article
        (the filters of :meth:`_summaries` and :meth:`_wanted`, on documents)."""
        for listed in self.listed():
            found = self.docs_of(listed.id)
            if found is not None:
                yield listed.id, found[0], found[1], str(listed.status)

    def docs_of(self, article_id: str) -> tuple[ArticleDocs, SelectedDocs] | None:
        """One article's documents and selected decisions (``None`` when the filters
        leave nothing of it)."""
        docs = self.store.docs(article_id)
        selection = self.selection
        chosen = selection.apply_docs(docs.entities, docs.quotes, docs.statements)
        if selection.labels is not None or selection.annotator is not None:
            if not (chosen.entities or chosen.quotes or chosen.statements):
                return None
            if selection.labels is not None and not chosen.entities:
                return None
        return docs, chosen

    @property
    def everything(self) -> bool:
        """True when no filter drops single decisions: the default export, whose lines
        the store keeps."""
        return self.selection.labels is None and self.selection.annotator is None


def selected_articles(
    store: ArticleSource, statuses: tuple[str, ...], since: float | None, selection: Selection
) -> SelectedArticles:
    """The articles to export with their selected decisions, read one at a time."""
    return SelectedArticles(store, statuses, since, selection)


def _count(annotations: Annotations) -> int:
    return len(annotations.entities) + len(annotations.quotes) + len(annotations.statements)


def export_jsonl(articles: Iterable[ExportItem], out: IO[bytes]) -> tuple[int, int]:
    """Write one Prodigy task per article; returns (articles, annotations) written.

    The answer follows the article's status (``prodigy_jsonl.answer_for``): a done
    article is ``accept`` (complete: what is not a span is no entity); an article in
    progress or new is ``ignore`` with its status in ``meta`` -- ``accept`` would claim
    that its unreviewed text holds no entities -- and its decisions still come back on
    import.
    """
    from annotate.formats.prodigy_jsonl import answer_for, dumps, task_from_article

    if isinstance(articles, SelectedArticles):
        return _export_jsonl_docs(articles, out)
    done = total = 0
    for article, decisions, status in articles:
        task = task_from_article(
            article, decisions, report=warn, answer=answer_for(status), status=status
        )
        out.write(dumps(task))
        done += 1
        total += _count(decisions)
    return done, total


def _export_jsonl_docs(articles: SelectedArticles, out: IO[bytes]) -> tuple[int, int]:
    """:func:`export_jsonl` from the store's kept lines, documents and cached tokens.

    Without filters on single decisions, an article whose line the store kept for its
    current content (:mod:`annotate.export.lines`: made when the article last changed, by the same
    builder) costs one small file read and one buffered write, and its warnings are
    replayed.  Any other article: one file read, one ``orjson.loads``, the task built
    from the documents with the cached tokens embedded as they are, one
    ``orjson.dumps`` and one buffered write -- the same bytes as the object path.  A
    document that does not convert (a damaged file) is read again the slow way,
    whose error names it.
    """
    from annotate.formats.prodigy_jsonl import (
        answer_for,
        dumps,
        line_from_docs,
        line_version,
        task_from_article,
    )
    from annotate.formats.tokens import CachedTokens

    write, extra_table = out.write, articles.store.extra_table
    version = line_version() if articles.everything else None
    done = total = 0
    for listed in articles.listed(extra=version is not None):
        article_id = listed.id
        status = str(listed.status)
        answer = answer_for(status)
        if version is not None:
            kept = kept_line(extra_table(listed))
            if kept is not None and kept.version == version and kept.answer == answer:
                for warning in kept.warnings:
                    warn(warning)
                write(kept.line)
                done += 1
                total += kept.total
                continue
        found = articles.docs_of(article_id)
        if found is None:
            continue
        docs, chosen = found
        cached = CachedTokens.from_bytes(docs.tokens)
        try:
            line = line_from_docs(
                docs.article, chosen, cached, report=warn, answer=answer, status=status
            )
            count = chosen.total()
        except (KeyError, TypeError, ValueError, AttributeError):
            item = articles.item(article_id, status)
            if item is None:
                continue
            article, decisions, _ = item
            task = task_from_article(article, decisions, report=warn, answer=answer, status=status)
            line = dumps(task)
            count = _count(decisions)
        write(line)
        done += 1
        total += count
    return done, total


def export_jsonl_rel(articles: SelectedArticles, out: IO[bytes]) -> tuple[int, int]:
    """Write one Prodigy ``rel.manual`` task per article (``formats.prodigy_rel``);
    returns (articles, annotations) written.  Answers as :func:`export_jsonl`."""
    from annotate.formats.prodigy_jsonl import answer_for, dumps, task_from_cached
    from annotate.formats.prodigy_rel import rel_task
    from annotate.formats.tokens import CachedTokens

    done = total = 0
    for listed in articles.listed():
        found = articles.docs_of(listed.id)
        if found is None:
            continue
        docs, chosen = found
        status = str(listed.status)
        task = task_from_cached(
            docs.article,
            chosen,
            CachedTokens.from_bytes(docs.tokens),
            report=warn,
            answer=answer_for(status),
            status=status,
        )
        out.write(dumps(rel_task(task)))
        done += 1
        total += chosen.total()
    return done, total


@contextmanager
def output(name: str | None) -> Iterator[IO[bytes]]:
    """stdout, or a file written under a temporary name and renamed when complete.

    stdout may be a terminal, so what goes there has its control characters escaped
    (JSON lines stay the same JSON; a CoNLL label from an old store shows ``\\u001b``).
    """
    if not name or name == "-":
        stream = safe_stdout()
        yield stream
        stream.flush()
        return
    path = Path(name).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb", buffering=1024 * 1024) as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
