"""``newsread import PATH...``: bring articles (and gold annotations) into the store.

Thin by design: ``annotate.formats.readers`` turns each file into complete articles
or failures, and this module only streams them into ``Store.add_articles`` in
batches, reports duplicates and failures as they happen, shows a progress bar on
longer runs and prints a summary.  Nothing is analysed here: the app analyses new
articles in the background, so an import stays fast.

Exit code: 0 when every input was read, 1 when some failed (the others are still
imported), 2 when the store cannot be used at all.
"""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tui.cli.common import fail

if TYPE_CHECKING:
    from annotate.formats.base import Failure, Imported
    from store import Store
    from tui.config import Settings

BATCH = 500
"""Articles per ``add_articles`` call: the store writes its index once per batch."""
PROGRESS_MIN_FILES = 4
"""A progress bar appears from this many files on (and only on a terminal)."""
DUPLICATES_SHOWN = 20
"""Duplicates named one by one; beyond this only their number is given."""


def register(subparsers: Any) -> None:
    """Add the ``import`` command."""
    parser = subparsers.add_parser(
        "import",
        help="import articles: .txt/.md/.html, .jsonl (Prodigy, doccano), Label Studio "
        ".json, brat .txt+.ann, CoNLL/IOB and CoNLL-U-like files",
        description="Import articles into the store: text and Markdown files, HTML pages "
        "saved from news sites, JSONL (one article, Prodigy task or doccano record per line), "
        "Label Studio JSON exports, brat standoff (.txt with its .ann) and CoNLL/IOB or "
        "CoNLL-U-like files; folders are walked recursively and '-' reads stdin. Annotations "
        "that come with an import are stored as accepted decisions and their article is done "
        "(Label Studio predictions stay pending). A record whose labels cannot be read is "
        "named and left out. Articles already in the store (same text) are skipped.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file, folder or '-' (stdin)")
    parser.add_argument(
        "--as-suggestions",
        action="store_true",
        help="bring imported annotations in as pending suggestions to review instead of gold",
    )
    parser.add_argument(
        "--tag-column",
        type=_column,
        metavar="N",
        help="CoNLL files: the column (1 = first) that holds the NER tag; by default the "
        "column whose values read as IOB/BILOU tags (the last of several)",
    )
    parser.set_defaults(handler=run)


def _column(value: str) -> int:
    """A 1-based column number (argparse type)."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a column number (1, 2, …)")
    return int(value)


@dataclass
class ImportSummary:
    """What an import did: counts for the summary line, reasons for the failures."""

    imported: int = 0
    annotations: int = 0
    duplicates: int = 0
    failures: list[Failure] = field(default_factory=list)

    def line(self) -> str:
        """The one-line summary printed at the end."""
        failed = sum(f.count for f in self.failures)
        return (
            f"imported {self.imported} article{'s' if self.imported != 1 else ''} "
            f"({self.annotations} annotations), skipped {self.duplicates} "
            f"duplicate{'s' if self.duplicates != 1 else ''}, {failed} failed"
        )


class Reporter:
    """Messages on stderr, above the progress bar when there is one.

    File names and reasons are untrusted text: control and bidi characters are shown
    as escapes (one line each) and nothing is interpreted as Rich markup.
    """

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.progress: Any = None

    def say(self, message: str) -> None:
        from annotate.terminal_text import one_line

        text = f"newsread: {one_line(message)}"
        if self.progress is not None:
            self.progress.console.print(
                text, markup=False, highlight=False, emoji=False, soft_wrap=True
            )
        else:
            print(text, file=self.stream, flush=True)


def make_progress(total: int, stream: IO[str]) -> Any:
    """A Rich progress bar on ``stream`` when it is a terminal and the run is long."""
    if total < PROGRESS_MIN_FILES or not stream.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files"),
        console=Console(file=stream),
        transient=True,
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Handler of ``newsread import``."""
    from annotate.export.lines import KeptLines
    from store import Store, StoreError, StoreLockLost

    try:
        store = Store.open(settings.store, on_rewrite=KeptLines())
    except StoreError as exc:
        return fail(str(exc))
    if store.readonly:
        store.close()
        return fail(
            f"store {settings.store} is in use by another newsread; close it and import again"
        )
    summary = ImportSummary()
    stopped: StoreError | None = None
    try:
        import_paths(
            store,
            args.paths,
            summary,
            as_suggestions=args.as_suggestions,
            annotator=settings.annotator,
            tag_column=args.tag_column,
            stdin=sys.stdin.buffer,
            reporter=Reporter(sys.stderr),
        )
    except StoreError as exc:
        stopped = exc
    try:
        store.close()
    except StoreError as exc:  # every article counted is in its file already
        stopped = stopped or exc
    print(summary.line())
    if stopped is None:
        return 1 if summary.failures else 0
    if disk_full(stopped):
        return fail(
            f"disk full: the store {store.root} can take no more; the import stopped, and "
            f"the {summary.imported} articles counted above are stored",
            1,
        )
    return fail(f"import stopped: {stopped}", 1 if isinstance(stopped, StoreLockLost) else 2)


def disk_full(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) is a full disk or an exhausted quota."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        seen = seen.__cause__
    return False


def import_paths(
    store: Store,
    names: Iterable[str],
    summary: ImportSummary,
    *,
    as_suggestions: bool,
    annotator: str | None,
    stdin: IO[bytes],
    reporter: Reporter,
    tag_column: int | None = None,
) -> ImportSummary:
    """Import every file of ``names`` into ``store``, filling ``summary`` as it goes."""
    from annotate.formats.base import Failure
    from annotate.formats.readers import iter_paths, read_path, read_stream
    from store import StoreError

    files: list[Path] = []
    for entry in iter_paths(names):
        if isinstance(entry, Failure):
            _failed(summary, reporter, entry)
        else:
            files.append(entry)
    progress = make_progress(len(files), reporter.stream)
    reporter.progress = progress
    batch: list[Imported] = []
    if len(store):
        store.backup("import")  # once: each batch then adds without a snapshot
    flush = _flusher(store, summary, reporter, batch)
    task = None
    if progress is not None:
        progress.start()
        task = progress.add_task("import", total=len(files))
    try:
        for path in files:
            if str(path) == "-":
                items: Iterable[Imported | Failure] = read_stream(
                    stdin, "<stdin>", as_suggestions=as_suggestions, annotator=annotator,
                    tag_column=tag_column,
                )  # fmt: skip
            else:
                items = read_path(
                    path, as_suggestions=as_suggestions, annotator=annotator,
                    tag_column=tag_column,
                )  # fmt: skip
            try:
                for item in items:
                    if isinstance(item, Failure):
                        _failed(summary, reporter, item)
                        continue
                    batch.append(item)
                    if len(batch) >= BATCH:
                        flush()
            except StoreError:
                raise  # the store cannot take more: stop, the summary says how far it got
            except Exception as exc:  # noqa: BLE001 - a reader's bug must not stop the others
                reason = f"could not be read ({exc.__class__.__name__}: {exc})"
                _failed(summary, reporter, Failure(str(path), reason))
            if progress is not None:
                progress.advance(task)
        flush()
    finally:
        if progress is not None:
            progress.stop()
        reporter.progress = None
    if summary.duplicates > DUPLICATES_SHOWN:
        reporter.say(f"… and {summary.duplicates - DUPLICATES_SHOWN} more duplicates skipped")
    return summary


def _failed(summary: ImportSummary, reporter: Reporter, failure: Failure) -> None:
    summary.failures.append(failure)
    reporter.say(f"{failure.where}: {failure.reason}")


def _count(summary: ImportSummary, item: Imported) -> None:
    summary.imported += 1
    ann = item.annotations
    if ann is not None:
        summary.annotations += len(ann.entities) + len(ann.quotes) + len(ann.statements)


def _flusher(
    store: Store, summary: ImportSummary, reporter: Reporter, batch: list[Imported]
) -> Callable[[], None]:
    """The function that writes the pending batch (each article whole, or not at all)."""

    from store import StoreError

    def flush() -> None:
        if not batch:
            return
        items = [(item.article, item.annotations) for item in batch]
        stored_before = {a.id for a, _ in items if a.id in store}
        try:
            added = store.add_articles(items, backup=False)
        except StoreError:  # stopped part-way (disk full): count what the batch stored
            for item in batch:
                if item.article.id in store and item.article.id not in stored_before:
                    stored_before.add(item.article.id)  # counted once
                    _count(summary, item)
            raise
        for item, was_added in zip(batch, added, strict=True):
            if was_added:
                _count(summary, item)
                continue
            summary.duplicates += 1
            if summary.duplicates <= DUPLICATES_SHOWN:
                reporter.say(
                    f"{item.where}: skipped, the store already holds this text "
                    f"(article {item.article.id})"
                )
        batch.clear()

    return flush
