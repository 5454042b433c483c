"""``newsread agreement``: how far the annotators' versions of the same articles agree.

Argument parsing and printing only: the store gives each article's versions
(``store.versions``), ``annotate.agreement`` computes every figure.  Read-only, so it
runs while the app has the store open.  Annotator names and titles are untrusted text:
the table shows them as plain text with control characters escaped, never as markup.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from tui.cli.common import fail

if TYPE_CHECKING:
    from rich.console import RenderableType

    from annotate.agreement import ArticleVersions
    from store import Store
    from tui.config import Settings

DISAGREEMENTS_SHOWN = 10
"""Articles listed in the table's disagreement list (``--json`` has them all)."""


def register(subparsers: Any) -> None:
    """Add the ``agreement`` command."""
    parser = subparsers.add_parser(
        "agreement",
        help="agreement between annotators: span F1, Cohen's kappa, Krippendorff's alpha",
        description="Compare the annotators' versions of the articles that at least two "
        "of them annotated: exact and overlap F1 per label for entities, attribution contents "
        "and speakers, Cohen's kappa on token entity tags and per statement tag, Krippendorff's "
        "alpha over all annotators, and the articles with the most disagreements.",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--done-only",
        action="store_true",
        help="only versions their annotator finished (an article needs two of them)",
    )
    parser.set_defaults(handler=run)


def article_versions(store: Store) -> Iterator[ArticleVersions]:
    """Each article that two annotators or more have a version of, as the computation
    takes it (articles with fewer are passed over without reading their files; a
    ``gold`` version, a review's result, is not an annotator's)."""
    from annotate.agreement import ArticleVersions
    from store.versions import GOLD

    for summary in store.list_articles():
        names = [n for n in summary.names() if n != GOLD]  # a review's result is no annotator
        if len(names) < 2:
            continue
        article, _ = store.get(summary.id)
        versions = {n: v for n, v in store.versions(summary.id).items() if n != GOLD}
        sentences = next(iter(versions.values())).sentences  # the article's, in every version
        done = frozenset(n for n in names if summary.versions[n][0] == "done")
        yield ArticleVersions(article.id, article.title, article.text, versions, sentences, done)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Handler of ``newsread agreement``."""
    import orjson

    from annotate.agreement import agreement
    from annotate.terminal_text import safe_stdout
    from store import Store, StoreError

    if not settings.store.is_dir():
        return fail(f"no store at {settings.store} (use --store PATH or NEWSREAD_STORE)")
    try:
        with Store.open(settings.store, readonly=True) as store:
            report = agreement(article_versions(store), done_only=args.done_only)
    except StoreError as exc:
        return fail(str(exc))
    if args.json:
        out = safe_stdout()
        out.write(orjson.dumps(report) + b"\n")
        out.flush()
    else:
        render(report)
    return 0


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def render(report: dict[str, Any]) -> None:
    """The report as rich tables on stdout."""
    from rich.console import Console

    console = Console(file=sys.stdout, highlight=False, emoji=False)
    for part in renderables(report):
        console.print(part)


def renderables(report: dict[str, Any]) -> list[RenderableType]:
    """The report as rich tables, every name and title as plain text (the CLI prints
    them; the app's agreement screen shows them)."""
    from rich.table import Table
    from rich.text import Text

    from annotate.terminal_text import one_line

    def pair_name(pair: dict[str, Any]) -> Text:
        return Text(f"{one_line(pair['a']) or '(unnamed)'} · {one_line(pair['b']) or '(unnamed)'}")

    names = ", ".join(one_line(n) or "(unnamed)" for n in report["annotators"])
    parts: list[RenderableType] = [
        Text(
            f"{report['articles']} articles with two versions or more · annotators: {names}"
            f" · Krippendorff's alpha (entity tags): {_figure(report['alpha'])}"
        )
    ]
    if not report["pairs"]:
        parts.append(Text("No article has two annotators' versions yet."))
        return parts
    table = Table(title="Pairwise agreement (F1 exact / overlap)")
    columns = ("pair", "articles", "entities", "contents", "speakers", "same speaker entity",
               "token κ", "tag κ")  # fmt: skip
    for column in columns:
        table.add_column(column)
    for pair in report["pairs"]:
        cells = [pair_name(pair), Text(str(pair["articles"]))]
        for kind in ("entities", "quotes", "speakers"):
            exact = pair["exact"][kind]["overall"]
            overlap = pair["overlap"][kind]["overall"]
            cells.append(Text(f"{_figure(exact)} / {_figure(overlap)}"))
        link = pair["speaker_link"]
        cells.append(Text(f"{_figure(link['share'])} ({link['agreed']}/{link['compared']})"))
        cells.append(Text(_figure(pair["token_kappa"])))
        tags = ", ".join(f"{one_line(t)} {_figure(k)}" for t, k in pair["tag_kappa"].items())
        cells.append(Text(tags or "-"))
        table.add_row(*cells)
    labels = Table(title="Entities by label (F1 exact / overlap)")
    for column in ("pair", "label", "F1"):
        labels.add_column(column)
    for pair in report["pairs"]:
        exact, overlap = pair["exact"]["entities"], pair["overlap"]["entities"]
        for label, value in exact["by_label"].items():
            labels.add_row(
                pair_name(pair),
                Text(one_line(label)),
                Text(f"{_figure(value)} / {_figure(overlap['by_label'].get(label))}"),
            )
    worst = Table(title="Most disagreements")
    for column in ("article", "title", "disagreements"):
        worst.add_column(column)
    for entry in report["disagreements"][:DISAGREEMENTS_SHOWN]:
        title = Text(one_line(entry["title"]))
        worst.add_row(Text(entry["article"]), title, Text(str(entry["count"])))
    return [*parts, table, labels, worst]
