"""``newsread analyze PATH...``: print the suggestions for each article as JSON lines.

Nothing is written to the store: this is the detection engine on the command line, for
scripts and for checking what the app would suggest.  Each readable article gives one
JSON line on stdout (format in DESIGN.md; offsets are into that line's ``text``).  A
file that cannot be analysed (missing, empty, binary, not UTF-8, too large) gets one
line on stderr naming it, the others are still analysed, and the exit code is 1.

Files larger than :data:`annotate.clean.MAX_ARTICLE_CHARS` characters are refused
rather than cut: an "article" of a megabyte is a dump or many articles glued together,
and analysing a slice of it would silently give partial results.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotate.detect.nlp import ModelNotAvailable, check_model
from annotate.limits import MAX_ARTICLE_CHARS
from tui.cli.common import fail
from tui.config import ONTONOTES_LABELS, Settings

if TYPE_CHECKING:
    from annotate.model import Annotations, Article, Span

TEXT_SUFFIXES = (".txt", ".md", ".text", ".markdown")
# UTF-8 takes at most 4 bytes a character: a bigger file cannot be within the limit.
MAX_FILE_BYTES = 4 * MAX_ARTICLE_CHARS
_SNIFF = 8192
_CONTROL_BYTES = bytes(range(9)) + bytes(range(14, 32))


class InputError(ValueError):
    """One input cannot be analysed; the message says why (the path is added by the caller)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``analyze`` command."""
    parser = subparsers.add_parser(
        "analyze",
        help="print entities and quotes of articles as JSON lines (no store writes)",
        description="Clean and analyse each article and print one JSON line per article. "
        "Folders are searched for .txt/.md files; '-' reads one article from stdin.",
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


def read_article_text(path: Path) -> str:
    """The text of an article file, or :class:`InputError` saying why it cannot be used."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(_too_large(f"{size / 1e6:.1f} MB"))
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file") from None
    except IsADirectoryError:
        raise InputError("is a folder") from None
    except OSError as exc:
        raise InputError(f"cannot read it ({exc.strerror or exc})") from None
    return decode_article(data)


def decode_article(data: bytes) -> str:
    """Bytes as UTF-8 article text; binary, non-UTF-8 and oversized input is refused."""
    if not data.strip():
        raise InputError("empty file")
    head = data[:_SNIFF]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if b"\x00" in head or controls > len(head) // 10:
        raise InputError("binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise InputError(
            f"not UTF-8 text (byte 0x{byte:02x} at offset {exc.start}); convert it to UTF-8"
        ) from None
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(_too_large(f"{len(text):,} characters"))
    return text


def _too_large(size: str) -> str:
    return (
        f"too large ({size}); an article may have at most {MAX_ARTICLE_CHARS:,} characters, "
        "split it into articles first"
    )


def expand_paths(paths: Sequence[str]) -> Iterator[tuple[str, Path | None]]:
    """Each input as (name shown, path); folders give their text files, ``-`` is stdin."""
    for name in paths:
        if name == "-":
            yield "-", None
            continue
        path = Path(name)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
            )
            if not files:
                yield name, path  # reported as "is a folder" with no articles
            for file in files:
                yield str(file), file
        else:
            yield name, path


class _Run:
    """Reads inputs lazily (so spaCy can batch them) and remembers which failed."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = paths
        self.failed = 0

    def articles(self) -> Iterator[Article]:
        from annotate.clean import clean_article  # not at import: the app starts faster

        for name, path in expand_paths(self.paths):
            try:
                if path is None:
                    text = decode_article(sys.stdin.buffer.read(MAX_FILE_BYTES + 1))
                elif path.is_dir():
                    raise InputError("folder holds no .txt or .md files")
                else:
                    text = read_article_text(path)
                article = clean_article(text, source=name)
            except ValueError as exc:  # InputError, EmptyArticle, ArticleTooLarge
                self.failed += 1
                fail(f"{name}: {exc}", 1)
                continue
            yield article


def _span(span: Span | None, text: str) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"start": span.start, "end": span.end, "text": text[span.start : span.end]}


def article_record(article: Article, annotations: Annotations) -> dict[str, Any]:
    """The JSON object printed for one article (DESIGN.md, plus ``published``,
    entity ``origin``, quote ``speaker_ref`` and a mixed attribution's ``quoted``)."""
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
    )
    try:
        for article, found in results:
            out.write(orjson.dumps(article_record(article, found)) + b"\n")
            out.flush()
    except BrokenPipeError:
        # The reader went away (`newsread analyze … | head`): stop quietly, and keep
        # Python from complaining about the closed pipe when it flushes at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 1 if inputs.failed else 0
