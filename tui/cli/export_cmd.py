"""``newsread export``: the store's decisions as training data (JSONL, DocBin, CoNLL, textcat).

Thin by design: the store streams articles one at a time (summaries pick which),
``annotate.formats.select`` keeps the accepted decisions that pass the filters and
the format modules turn each article into lines; nothing is collected in a list, so
memory does not grow with the store (the spaCy DocBin, an in-memory structure by
nature, is the one exception).  JSONL, the format exports are timed on
(``bench/export.py``), reads the store as a stream (``store.stream``: not even the
summaries are held) and, without ``--label``/``--annotator``, writes each article's
line as the store kept it when the article last changed (``store.lines``), building
only the lines it cannot use -- from the store's plain documents and cached tokens
(``Store.docs``) instead of objects, the same bytes either way.  A file named with
``--out`` is written under a temporary name and renamed at the end, so a failed export
never leaves half a file where a good one was.  Warnings (an entity off token
boundaries, say) go to stderr, one line each, naming the article.

Filters: ``--status`` (article status; default: in progress and done, i.e. every
article with a decision), ``--since`` (articles with a decision at or after that
time), ``--label`` (entities with these labels; articles without one are skipped),
``--annotator`` (decisions recorded for that person; articles without one skipped).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from annotate.model import Annotations, Article
from tui.cli.common import fail

if TYPE_CHECKING:
    from annotate.formats.select import SelectedDocs, Selection
    from store.articles import ArticleDocs
    from store.repository import Listed
    from store.stream import ArticleSource
    from tui.config import Settings

FORMATS = ("jsonl", "spacy", "conll", "textcat")
STATUSES = ("new", "in progress", "done")
DEFAULT_STATUSES = ("in progress", "done")


class ExportItem(NamedTuple):
    """One article to export, its selected decisions, and whether anyone reviewed it."""

    article: Article
    decisions: Annotations
    reviewed: bool


def register(subparsers: Any) -> None:
    """Add the ``export`` command."""
    parser = subparsers.add_parser(
        "export",
        help="export accepted annotations: Prodigy JSONL, spaCy DocBin, CoNLL, textcat",
        description="Export the accepted decisions of the store. jsonl: Prodigy tasks "
        "(db-in, review, rel.manual); spacy: DIR/train.spacy and DIR/dev.spacy plus "
        "DIR/textcat_train.spacy and DIR/textcat_dev.spacy; conll: CoNLL-2003 with IOB2 "
        "tags; textcat: JSONL of tagged statements (text, cats).",
    )
    parser.add_argument("--format", choices=FORMATS, default="jsonl", help="default: jsonl")
    parser.add_argument(
        "--out",
        help="output file, '-' for stdout (default), or the folder for --format spacy",
    )
    parser.add_argument(
        "--status",
        action="append",
        metavar="STATUS",
        help="article status: new, 'in progress' (or in-progress, progress), done, all; repeat or "
        "comma-separate (default: in progress,done)",
    )
    parser.add_argument(
        "--annotator",
        dest="only_annotator",
        metavar="NAME",
        help="only decisions recorded for NAME",
    )
    parser.add_argument(
        "--label",
        action="append",
        metavar="LABEL",
        help="only entities with these labels (repeat or comma-separate)",
    )
    parser.add_argument(
        "--since",
        metavar="WHEN",
        help="only articles with a decision at or after WHEN (ISO date/time or epoch seconds)",
    )
    parser.add_argument(
        "--eval-split",
        type=float,
        default=0.2,
        help="spacy: share of articles in dev.spacy (default 0.2)",
    )
    parser.add_argument("--seed", type=int, default=0, help="spacy: split seed (default 0)")
    parser.set_defaults(handler=run)


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for value in values or () for v in value.split(",") if v.strip()]


_STATUS_ALIASES = {"progress": "in progress", "inprogress": "in progress"}
"""The words the app's filter takes (``status:progress``) mean the same here."""


def parse_statuses(values: list[str] | None) -> tuple[str, ...]:
    """The article statuses to export; ``ValueError`` naming a wrong one."""
    chosen = _split(values)
    if not chosen:
        return DEFAULT_STATUSES
    statuses: list[str] = []
    for value in chosen:
        value = value.lower().replace("-", " ").replace("_", " ")
        value = _STATUS_ALIASES.get(value, value)
        if value == "all":
            return STATUSES
        if value not in STATUSES:
            raise ValueError(f"--status: {value!r} is not new, in progress, done or all")
        statuses.append(value)
    return tuple(statuses)


def parse_since(value: str | None) -> float | None:
    """Epoch seconds from an ISO date/time or a number; ``ValueError`` when unreadable."""
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        raise ValueError(
            f"--since: cannot read {value!r} as a date (use e.g. 2024-05-01 or 2024-05-01T14:30)"
        ) from None


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Handler of ``newsread export``."""
    from annotate.formats.select import Selection
    from store import Store, StoreError

    try:
        statuses = parse_statuses(args.status)
        since = parse_since(args.since)
    except ValueError as exc:
        return fail(str(exc))
    if args.format == "spacy" and (not args.out or args.out == "-"):
        return fail("--format spacy writes a folder: give it with --out DIR")
    if not 0.0 <= args.eval_split < 1.0:
        return fail(f"--eval-split {args.eval_split} must be at least 0 and below 1")
    selection = Selection.of(_split(args.label), args.only_annotator)
    try:
        if args.format == "jsonl":
            store: ArticleSource = open_for_export(settings.store)
        else:
            store = Store.open(settings.store, readonly=True)
    except StoreError as exc:
        return fail(str(exc))
    try:
        articles = selected_articles(store, statuses, since, selection)
        if args.format == "spacy":
            return _export_spacy(articles, Path(args.out), args, settings)
        with _output(args.out) as out:
            if args.format == "jsonl":
                count = export_jsonl(articles, out)
            elif args.format == "conll":
                count = export_conll(articles, out)
            else:
                tags = _tag_set(selected_articles(store, statuses, since, selection), settings)
                count = export_textcat(articles, out, tags)
    except BrokenPipeError:
        # The reader went away (``export | head``): not an error, and nothing to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (StoreError, OSError) as exc:
        return fail(f"export failed: {exc}")
    finally:
        store.close()
    where = "stdout" if not args.out or args.out == "-" else args.out
    _say(f"exported {count[0]} articles ({count[1]} annotations) to {where}")
    return 0


def open_for_export(path: str | Path) -> ArticleSource:
    """The store at ``path`` read as a stream (``store.stream``: memory that does not
    grow with the store), or opened read-only when it cannot be streamed."""
    from store import Store
    from store.stream import StreamedStore

    return StreamedStore.open(path) or Store.open(path, readonly=True)


def _say(message: str) -> None:
    from annotate.clean import strip_control

    print(f"newsread: {strip_control(message)}", file=sys.stderr)


def warn(message: str) -> None:
    """A one-line warning on stderr (untrusted text is stripped of control characters)."""
    _say(f"warning: {message}")


class SelectedArticles:
    """The articles an export carries, with their selected decisions, read one at a time.

    Iterating gives :class:`ExportItem` objects, which every format understands;
    :meth:`docs` gives the same selection as plain documents straight from the store's
    fast read (``Store.docs``), and :meth:`listed` the articles alone, so that the
    JSONL export can write their kept lines (``store.lines``).
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

    def listed(self, *, kept: bool = False) -> Iterator[Listed]:
        """Each article passing the article-level filters (status, ``--since``); with
        ``kept``, each with its kept line when the source reads it while listing."""
        wanted = self.wanted
        for listed in self.store.listing(wanted, kept=kept):
            if wanted(listed.status, listed.updated):
                yield listed

    def wanted(self, status: str, updated: float) -> bool:
        """Whether an article of this status and latest decision time is exported."""
        return status in self.statuses and (self.since is None or updated >= self.since)

    def _summaries(self) -> Iterator[tuple[str, bool]]:
        """Id and "reviewed" of each article passing the article-level filters."""
        for listed in self.listed():
            yield listed.id, listed.status != "new"

    def _wanted(self, entities: int, total: int) -> bool:
        """Whether an article with these selected decisions is exported at all."""
        selection = self.selection
        if (selection.labels is not None or selection.annotator is not None) and not total:
            return False
        return selection.labels is None or entities > 0

    def __iter__(self) -> Iterator[ExportItem]:
        for article_id, reviewed in self._summaries():
            item = self.item(article_id, reviewed)
            if item is not None:
                yield item

    def item(self, article_id: str, reviewed: bool) -> ExportItem | None:
        """One article as objects (``None`` when the filters leave nothing of it)."""
        article, annotations = self.store.get(article_id)
        chosen = self.selection.apply(annotations)
        if not self._wanted(len(chosen.entities), _count(chosen)):
            return None
        return ExportItem(article, chosen, reviewed)

    def docs(self) -> Iterator[tuple[str, ArticleDocs, SelectedDocs, bool]]:
        """Id, documents, selected decisions (as documents) and "reviewed" of each article
        (the filters of :meth:`_summaries` and :meth:`_wanted`, on documents)."""
        for listed in self.listed():
            found = self.docs_of(listed.id)
            if found is not None:
                yield listed.id, found[0], found[1], listed.status != "new"

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

    An article nobody reviewed yet (only exported with ``--status new`` or ``all``)
    is answered ``ignore``: ``accept`` would claim it holds no entities.
    """
    from annotate.formats.prodigy_jsonl import dumps, task_from_article

    if isinstance(articles, SelectedArticles):
        return _export_jsonl_docs(articles, out)
    done = total = 0
    for article, decisions, reviewed in articles:
        answer = "accept" if reviewed else "ignore"
        out.write(dumps(task_from_article(article, decisions, report=warn, answer=answer)))
        done += 1
        total += _count(decisions)
    return done, total


def _export_jsonl_docs(articles: SelectedArticles, out: IO[bytes]) -> tuple[int, int]:
    """:func:`export_jsonl` from the store's kept lines, documents and cached tokens.

    Without filters on single decisions, an article whose line the store kept for its
    current content (``store.lines``: made when the article last changed, by the same
    builder) costs one small file read and one buffered write, and its warnings are
    replayed.  Any other article: one file read, one ``orjson.loads``, the task built
    from the documents with the cached tokens embedded as they are, one
    ``orjson.dumps`` and one buffered write -- the same bytes as the object path.  A
    document that does not convert (a damaged file) is read again the slow way,
    whose error names it.
    """
    from annotate.formats.prodigy_jsonl import (
        dumps,
        line_from_docs,
        line_version,
        task_from_article,
    )
    from annotate.formats.tokens import CachedTokens

    write, kept_line = out.write, articles.store.kept_line
    version = line_version() if articles.everything else None
    done = total = 0
    for listed in articles.listed(kept=version is not None):
        article_id = listed.id
        answer = "accept" if listed.status != "new" else "ignore"
        if version is not None:
            kept = kept_line(listed)
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
        reviewed = listed.status != "new"
        cached = CachedTokens.from_bytes(docs.tokens)
        try:
            line = line_from_docs(docs.article, chosen, cached, report=warn, answer=answer)
            count = chosen.total()
        except (KeyError, TypeError, ValueError, AttributeError):
            item = articles.item(article_id, reviewed)
            if item is None:
                continue
            article, decisions, _ = item
            line = dumps(task_from_article(article, decisions, report=warn, answer=answer))
            count = _count(decisions)
        write(line)
        done += 1
        total += count
    return done, total


def export_conll(articles: Iterable[ExportItem], out: IO[bytes]) -> tuple[int, int]:
    """Write one CoNLL-2003 document per article; returns (articles, entities) written."""
    from annotate.formats.conll import conll_lines

    done = total = 0
    for article, decisions, _ in articles:
        lines = conll_lines(article, decisions, report=warn)
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
        done += 1
        total += len(decisions.entities)
    return done, total


def export_textcat(
    articles: Iterable[ExportItem], out: IO[bytes], tags: tuple[str, ...]
) -> tuple[int, int]:
    """Write one textcat record per tagged statement; returns (articles, statements)."""
    import orjson

    from annotate.formats.textcat import textcat_records

    done = total = 0
    for article, decisions, _ in articles:
        for record in textcat_records(article, decisions, tags):
            out.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
            total += 1
        done += 1
    return done, total


def _tag_set(articles: Iterable[ExportItem], settings: Settings) -> tuple[str, ...]:
    """The configured tags plus every tag in use (a first, streamed pass)."""
    tags = dict.fromkeys(settings.tags)
    for _, decisions, _ in articles:
        for statement in decisions.statements:
            tags.update(dict.fromkeys(statement.tags))
    return tuple(tags)


def _export_spacy(
    articles: Iterable[ExportItem],
    folder: Path,
    args: argparse.Namespace,
    settings: Settings,
) -> int:
    from annotate.formats.docbin import FILES, DocBinCorpus

    corpus = DocBinCorpus(
        eval_split=args.eval_split, seed=args.seed, tags=tuple(settings.tags), report=warn
    )
    done = total = 0
    for article, decisions, _ in articles:
        corpus.add(article, decisions)
        done += 1
        total += _count(decisions)
    sizes = corpus.write(folder)
    written = ", ".join(f"{FILES[key]} {n} docs" for key, n in sizes.items())
    _say(f"exported {done} articles ({total} annotations) to {folder}: {written}")
    return 0


@contextmanager
def _output(name: str | None) -> Iterator[IO[bytes]]:
    """stdout, or a file written under a temporary name and renamed when complete."""
    if not name or name == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
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
