"""``newsread analyze PATH...``: print the suggestions for each article as JSON lines.

Nothing is written to the store: this is the detection engine on the command line, for
scripts and for checking what the app would suggest.  Each readable article gives one
JSON line on stdout (format in the README; offsets are into that line's ``text``).  A
file that cannot be analysed (missing, empty, binary, not UTF-8, too large) gets one
line on stderr naming it, the others are still analysed, and the exit code is 1.

Files are opened and read by :mod:`annotate.formats.readers`, as ``import`` does.
Articles larger than :data:`annotate.limits.MAX_ARTICLE_CHARS` characters are refused
rather than cut: an "article" of a megabyte is a dump or many articles glued together,
and analysing a slice of it would silently give partial results.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from annotate.detect.nlp import ModelNotAvailable, check_model
from tui.cli.common import fail
from tui.config import ONTONOTES_LABELS, Settings

if TYPE_CHECKING:
    from annotate.formats.base import Failure
    from annotate.model import Annotations, Article, Span, Statement


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``analyze`` command."""
    parser = subparsers.add_parser(
        "analyze",
        help="print entities and quotes of articles as JSON lines (no store writes)",
        description="Clean and analyse each article and print one JSON line per article. "
        "Files and folders are read as 'import' reads them (.txt/.md/.html, .jsonl, "
        "CoNLL); '-' reads stdin.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    parser.add_argument("--model", dest="analyze_model", help="spaCy pipeline for this run")
    parser.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="processes parsing in parallel (spaCy n_process; default 1)",
    )
    parser.add_argument(
        "--batch-size", type=_positive, default=16, help="articles per spaCy batch (default 16)"
    )
    parser.set_defaults(handler=run)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return number


class _Run:
    """Reads inputs lazily (so spaCy can batch them) and remembers which failed.

    Files are read exactly as ``newsread import`` reads them (one shared reader:
    regular files only, bounded reads, HTML through trafilatura, JSONL and CoNLL one
    article a record); the annotations that come with a file are ignored here.
    """

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = paths
        self.failed = 0

    def articles(self) -> Iterator[Article]:
        from annotate.formats.base import Failure  # not at import: the app starts faster
        from annotate.formats.readers import iter_paths, read_path, read_stream

        for entry in iter_paths(self.paths):
            if isinstance(entry, Failure):
                self._failed(entry)
                continue
            if str(entry) == "-":
                items = read_stream(sys.stdin.buffer, "-")
            else:
                items = read_path(entry)
            for item in items:
                if isinstance(item, Failure):
                    self._failed(item)
                else:
                    yield item.article

    def _failed(self, failure: Failure) -> None:
        self.failed += failure.count
        fail(f"{failure.where}: {failure.reason}", 1)


def _span(span: Span | None, text: str) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"start": span.start, "end": span.end, "text": text[span.start : span.end]}


def article_record(article: Article, annotations: Annotations) -> dict[str, Any]:
    """The JSON object printed for one article (the README's analyze format: text, title,
    entities with ``origin``, quotes with ``kind``, ``speaker_ref``, a mixed one's ``quoted``,
    and ``statements``: the tags a trained classifier suggests, when there are any)."""
    text = article.text
    return {
        "source": article.source,
        "id": article.id,
        "title": article.title,
        "published": article.published,
        "text": text,
        "entities": [
            {
                "start": e.start,
                "end": e.end,
                "label": e.label,
                "text": text[e.start : e.end],
                "origin": str(e.origin),
            }
            for e in annotations.entities
        ],
        "quotes": [
            {
                "start": q.start,
                "end": q.end,
                "text": text[q.start : q.end],
                "kind": str(q.kind),
                "speaker": _span(q.speaker, text),
                "cue": _span(q.cue, text),
                "speaker_ref": _span(q.speaker_ref, text),
                **({"quoted": [{"start": a, "end": b} for a, b in q.quoted]} if q.quoted else {}),
            }
            for q in annotations.quotes
        ],
        # Tag suggestions, only from a model trained with statement tags (the key is left
        # out otherwise, so the base model's output keeps DESIGN.md's shape).
        **(
            {"statements": [_statement(s, text) for s in annotations.statements]}
            if annotations.statements
            else {}
        ),
    }


def _statement(statement: Statement, text: str) -> dict[str, Any]:
    return {
        "start": statement.start,
        "end": statement.end,
        "text": text[statement.start : statement.end],
        "tags": list(statement.tags),
    }


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Analyse every input; exit 0 when all were analysed, 1 when some failed, 2 without model."""
    model = args.analyze_model or settings.model
    try:
        check_model(model)
    except ModelNotAvailable as exc:
        return fail(str(exc))
    if args.workers > 1:
        # Each worker process should use one core; BLAS threads per worker would fight
        # over the same cores.  Only effective before numpy is first imported.
        for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(variable, "1")
    import orjson

    from annotate.detect.nlp import load_model
    from annotate.detect.pipeline import analyze
    from annotate.terminal_text import json_safe

    try:
        nlp = load_model(model)
    except ModelNotAvailable as exc:
        return fail(str(exc))
    inputs = _Run(args.paths)
    out = sys.stdout.buffer
    results = analyze(
        nlp,
        inputs.articles(),
        batch_size=args.batch_size,
        n_process=args.workers,
        labels=None if settings.labels == ONTONOTES_LABELS else settings.labels,
        scare_quotes=settings.scare_quotes,
        cognition=settings.cognition_cues,
    )
    try:
        for article, found in results:
            out.write(json_safe(orjson.dumps(article_record(article, found))) + b"\n")
            out.flush()
    except BrokenPipeError:
        # The reader went away (`newsread analyze … | head`): stop quietly, and keep
        # Python from complaining about the closed pipe when it flushes at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 1 if inputs.failed else 0
