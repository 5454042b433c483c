"""Training exports (spaCy DocBin, CoNLL, textcat): what each may claim about an article.

One rule, from the article's status, for every training format:

* *done* (no pending suggestion, every quote's speaker decided): complete -- accepted
  spans are entities, every other token is ``O``;
* *in progress*: accepted spans are entities, every other token is *missing* (spaCy
  ``ent_iob_ == ""``): nobody said it holds no entity.  A rejected span is missing too,
  never turned into ``O``.  CoNLL has no tag for "missing", so it takes done articles
  only and says on stderr how many in-progress articles it left out and why;
* *new*: nobody reviewed it, so it holds no training data and no training export
  carries it, whatever ``--status`` asks (``--status`` filters on top of this rule).

The JSONL export keeps every article and says which is which in ``answer``
(``annotate.formats.prodigy_jsonl.answer_for``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from annotate.export.writers import ExportItem, SelectedArticles, say, warn
from annotate.model import ArticleStatus
from annotate.statements import is_tagged

DONE, IN_PROGRESS, NEW = (
    ArticleStatus.DONE.value,
    ArticleStatus.IN_PROGRESS.value,
    ArticleStatus.NEW.value,
)

_WHY = {
    NEW: "nobody reviewed them, so they hold no training data",
    IN_PROGRESS: "CoNLL cannot mark unreviewed tokens as unknown and would call them O "
    "(finish them, or use --format spacy, which marks them missing)",
}


def claimed(articles: Iterable[ExportItem], keep: tuple[str, ...]) -> Iterator[ExportItem]:
    """The items of the statuses in ``keep``; says on stderr how many of each other
    status it left out, and why.

    Over a store's selection, the left-out articles are counted from the listing (no
    article file is read for them)."""
    left: Counter[str] = Counter()
    if isinstance(articles, SelectedArticles):
        left.update(str(a.status) for a in articles.listed() if a.status not in keep)
        wanted = tuple(s for s in articles.statuses if s in keep)
        narrowed = SelectedArticles(articles.store, wanted, articles.since, articles.selection)
        yield from narrowed
    else:
        for item in articles:
            if item.status in keep:
                yield item
            else:
                left[item.status] += 1
    for status in (IN_PROGRESS, NEW):
        if left[status]:
            n = left[status]
            say(f"left out {n} {status} article{'s' if n != 1 else ''}: {_WHY[status]}")


def export_conll(articles: Iterable[ExportItem], out: IO[bytes]) -> tuple[int, int]:
    """Write one CoNLL-2003 document per done article; returns (articles, entities)."""
    from annotate.formats.conll import conll_lines

    done = total = 0
    for article, decisions, _ in claimed(articles, (DONE,)):
        lines = conll_lines(article, decisions, report=warn)
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
        done += 1
        total += len(decisions.entities)
    return done, total


def export_textcat(
    articles: Iterable[ExportItem], out: IO[bytes], tags: tuple[str, ...]
) -> tuple[int, int]:
    """Write one textcat record per tagged statement; returns (articles, statements).

    A tagged statement is complete in itself (a person chose its tags), so articles in
    progress are exported too; new ones hold no tags."""
    import orjson

    from annotate.formats.textcat import textcat_records

    done = total = 0
    for article, decisions, _ in claimed(articles, (DONE, IN_PROGRESS)):
        for record in textcat_records(article, decisions, tags):
            out.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
            total += 1
        done += 1
    return done, total


def tag_set(articles: Iterable[ExportItem], configured: Iterable[str]) -> tuple[str, ...]:
    """The configured tags plus every tag in use (a first, streamed pass)."""
    tags = dict.fromkeys(configured)
    for _, decisions, _ in articles:
        for statement in decisions.statements:
            if is_tagged(statement):
                tags.update(dict.fromkeys(statement.tags))
    return tuple(tags)


def export_spacy(
    articles: Iterable[ExportItem],
    folder: Path,
    *,
    eval_split: float,
    seed: int,
    tags: tuple[str, ...],
) -> tuple[int, int]:
    """Write the DocBin pair (and the textcat pair) as the folder ``folder``; returns
    (articles, annotations) written, and says what each file holds.

    Done articles are complete, articles in progress have their undecided tokens
    missing, new ones are left out.  The files stream in bounded memory
    (``formats.docbin_stream``) into a fresh folder that replaces ``folder`` whole
    (``export.folder``): the old export stays until the new one is complete.
    ``FolderError`` when ``folder`` holds other files."""
    from annotate.export.folder import swapped_folder
    from annotate.formats.docbin import FILES, DocBinCorpus
    from annotate.formats.select import count

    done = total = 0
    with swapped_folder(folder, FILES.values()) as fresh:
        corpus = DocBinCorpus(fresh, eval_split=eval_split, seed=seed, tags=tags, report=warn)
        try:
            for article, decisions, status in claimed(articles, (DONE, IN_PROGRESS)):
                corpus.add(article, decisions, complete=status == DONE)
                done += 1
                total += count(decisions)
            sizes = corpus.close()
        except BaseException:
            corpus.discard()
            raise
    written = ", ".join(f"{FILES[key]} {n} docs" for key, n in sizes.items())
    say(f"exported {done} articles ({total} annotations) to {folder}: {written}")
    return done, total
