"""``newsread export``: the store's decisions as training data (JSONL, DocBin, CoNLL, textcat).

Argument parsing only: ``store.reading`` opens the store for reading and
``annotate.export`` selects and writes (see ``annotate.export.writers``).

Filters: ``--status`` (article status; default: in progress and done, i.e. every
article with a decision), ``--since`` (articles with a decision at or after that
time), ``--label`` (entities with these labels; articles without one are skipped),
``--annotator`` (decisions recorded for that person; articles without one skipped).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotate.export.writers import DEFAULT_STATUSES, STATUSES
from tui.cli.common import fail

if TYPE_CHECKING:
    from annotate.export.source import ArticleSource
    from tui.config import Settings

FORMATS = ("jsonl", "jsonl-rel", "spacy", "conll", "textcat")


def register(subparsers: Any) -> None:
    """Add the ``export`` command."""
    parser = subparsers.add_parser(
        "export",
        help="export accepted annotations: Prodigy JSONL, spaCy DocBin, CoNLL, textcat",
        description="Export the accepted decisions of the store. jsonl: Prodigy tasks "
        "(db-in, review, ner); jsonl-rel: the same in rel.manual's shape (attributions "
        "by kind, speakers, cues and their relations as spans and relations); spacy: "
        "DIR/train.spacy and DIR/dev.spacy plus DIR/textcat_train.spacy and "
        "DIR/textcat_dev.spacy (the folder is replaced whole); conll: CoNLL-2003 with "
        "IOB2 tags; textcat: JSONL of tagged statements (text, cats).",
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
    from annotate.export import training, writers
    from annotate.export.folder import FolderError
    from annotate.formats.select import Selection
    from store import Store, StoreError
    from store.reading import open_source

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
        if args.format in ("jsonl", "jsonl-rel"):
            store: ArticleSource = open_source(settings.store)
        else:
            store = Store.open(settings.store, readonly=True)
    except StoreError as exc:
        return fail(str(exc))
    try:
        articles = writers.selected_articles(store, statuses, since, selection)
        if args.format == "spacy":
            training.export_spacy(
                articles,
                Path(args.out),
                eval_split=args.eval_split,
                seed=args.seed,
                tags=tuple(settings.tags),
            )
            return 0
        with writers.output(args.out) as out:
            if args.format == "jsonl":
                count = writers.export_jsonl(articles, out)
            elif args.format == "jsonl-rel":
                count = writers.export_jsonl_rel(articles, out)
            elif args.format == "conll":
                count = training.export_conll(articles, out)
            else:
                again = writers.selected_articles(store, statuses, since, selection)
                tags = training.tag_set(again, settings.tags)
                count = training.export_textcat(articles, out, tags)
    except BrokenPipeError:
        # The reader went away (``export | head``): not an error, and nothing to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except FolderError as exc:
        return fail(str(exc))
    except (StoreError, OSError) as exc:
        return fail(f"export failed: {exc}")
    finally:
        store.close()
    where = "stdout" if not args.out or args.out == "-" else args.out
    writers.say(f"exported {count[0]} articles ({count[1]} annotations) to {where}")
    return 0
