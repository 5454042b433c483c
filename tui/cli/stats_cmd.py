"""``newsread stats``: articles by status, decisions by label, status and annotator.

The store is opened read-only, so this works while the app has the same store open
for writing (and sees its latest decisions, which are read from the journal).  A
damaged article file does not stop the count: it is left out and named on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from annotate.terminal_text import one_line
from store import Store, StoreError
from store.stats import DECIDED, StoreStats, compute_stats
from tui.cli.common import fail
from tui.config import Settings

STATUSES = ("accepted", "rejected", "pending")


def register(subparsers: Any) -> None:
    """Add the ``stats`` command."""
    parser = subparsers.add_parser(
        "stats",
        help="count articles by status and decisions by label, status and annotator",
        description="Count articles by status and suggestions/decisions by label, status "
        "and annotator. Read-only: safe while the app is open on the same store.",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the statistics of the configured store."""
    path = settings.store
    if not path.is_dir():
        return fail(f"no store at {path} (use --store PATH or NEWSREAD_STORE)")
    try:
        with Store.open(path, readonly=True, skip_damaged=True) as store:
            stats = compute_stats(store.list_articles())
            damaged = sorted(store.damaged.values())
    except StoreError as exc:
        return fail(str(exc))
    for message in damaged:
        print(f"newsread: warning: left out of the counts: {one_line(message)}", file=sys.stderr)
    if args.json:
        print(json.dumps({"store": str(path), **stats.to_dict(), "damaged": damaged}))
    else:
        print(render(stats, str(path)))
    return 0


def render(stats: StoreStats, where: str) -> str:
    """The human-readable report: three small tables."""
    status_line = " · ".join(f"{status} {n}" for status, n in stats.by_status.items())
    decisions = stats.decisions
    lines = [
        f"Store {where}",
        f"Articles: {stats.articles}   ({status_line})",
        f"Decisions: {sum(decisions.values())}   "
        f"(accepted {decisions['accepted']} · rejected {decisions['rejected']}) · "
        f"pending suggestions: {stats.pending}"
        + (f" ({stats.replaced} replaced)" if stats.replaced else ""),
        "",
        "By label",
    ]
    columns = (*STATUSES, "replaced") if stats.replaced else STATUSES
    rows = [
        [kind, label, *(str(statuses.get(s, 0)) for s in columns)]
        for kind, labels in stats.by_label.items()
        for label, statuses in labels.items()
    ]
    lines += _table(["kind", "label", *columns], rows, numeric=len(columns))
    lines += ["", "By annotator"]
    rows = [
        [name, *(str(counts.get(s, 0)) for s in DECIDED)]
        for name, counts in sorted(stats.by_annotator.items())
    ]
    lines += _table(["annotator", *DECIDED], rows, numeric=len(DECIDED))
    lines += ["", "Progress by annotator (articles of their own version)"]
    rows = [
        [name, str(counts.get("done", 0)), str(counts.get("in progress", 0))]
        for name, counts in stats.progress.items()
    ]
    lines += _table(["annotator", "done", "in progress"], rows, numeric=2)
    from annotate.terminal_text import escape  # only when printing: keeps start-up light

    return escape("\n".join(lines))


def _table(header: list[str], rows: list[list[str]], *, numeric: int) -> list[str]:
    """Aligned columns: text left, the last ``numeric`` columns right."""
    if not rows:
        return ["  (none)"]
    rows = [[" ".join(cell.split()) or "-" for cell in row] for row in rows]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    text_columns = len(header) - numeric

    def line(cells: list[str]) -> str:
        return "  " + "  ".join(
            cell.ljust(w) if i < text_columns else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        )

    return [line(header), *(line(r) for r in rows)]
