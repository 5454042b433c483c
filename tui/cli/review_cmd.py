"""``newsread review``: walk the items where the annotators' versions differ and write
each article's ``gold`` version.

Each conflict shows the annotators' choices side by side with the majority first and
preselected: Enter confirms it (one key), a digit and Enter picks another (two), ``q``
stops (the articles finished so far keep their gold).  Items everyone agreed on go
into gold without a question (``--ask-agreed`` asks them too).  The choices and rules
are ``annotate.review``'s; the gold version is stored with ``Store.save_version`` and
exported with ``newsread export --version gold``.  Article text, labels and names are
untrusted: printed on one line with control characters escaped.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import IO, TYPE_CHECKING, Any

from tui.cli.common import fail

if TYPE_CHECKING:
    from annotate.review import Item
    from store import Store
    from tui.config import Settings

EXCERPT = 60
"""Characters of an item's text shown."""


def register(subparsers: Any) -> None:
    """Add the ``review`` command."""
    parser = subparsers.add_parser(
        "review",
        help="walk the disagreements between annotators and write the gold version",
        description="For every article two annotators or more have a version of, show each "
        "item their versions differ on with everyone's choice, the majority preselected: "
        "Enter confirms it, a digit picks another, q stops. The answers, and the items "
        "everyone agreed on, become the article's gold version (newsread export --version "
        "gold). Articles with a gold version already are passed over unless --again.",
    )
    parser.add_argument(
        "--ask-agreed", action="store_true", help="ask about agreed items too (default: merged)"
    )
    parser.add_argument("--again", action="store_true", help="review articles with a gold too")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Handler of ``newsread review``."""
    from store import Store, StoreError

    try:
        store = Store.open(settings.store)
    except StoreError as exc:
        return fail(str(exc))
    try:
        if store.readonly:
            return fail(f"store {settings.store} is in use by another newsread; close it first")
        reviewed, asked, keys = review(
            store,
            settings.annotator,
            sys.stdin,
            sys.stdout,
            ask_agreed=args.ask_agreed,
            again=args.again,
        )
    except StoreError as exc:
        return fail(f"review stopped: {exc}")
    finally:
        store.close()
    print(f"gold written for {reviewed} articles; {asked} questions answered with {keys} keys")
    return 0


def review(
    store: Store,
    reviewer: str,
    answers_in: IO[str],
    out: IO[str],
    *,
    ask_agreed: bool = False,
    again: bool = False,
) -> tuple[int, int, int]:
    """Review every article with two versions or more; returns the articles given a
    gold version, the questions asked and the keys pressed (Enter counts as one)."""
    from annotate.review import conflicts, gold, items
    from annotate.terminal_text import one_line
    from store.versions import GOLD

    reviewed = asked = keys = 0
    for summary in store.list_articles():
        names = [n for n in summary.names() if n != GOLD]
        if len(names) < 2 or (GOLD in summary.names() and not again):
            continue
        article, _ = store.get(summary.id)
        versions = {n: v for n, v in store.versions(summary.id).items() if n != GOLD}
        questions = items(versions) if ask_agreed else conflicts(versions)
        answers: dict[tuple[str, int, int, str], str | None] = {}
        for number, item in enumerate(questions, 1):
            title = one_line(article.title)[:EXCERPT]
            _show(out, f"[{number}/{len(questions)}] {title}", article.text, item)
            line = answers_in.readline()
            if not line or line.strip().lower() == "q":
                return reviewed, asked, keys
            choice = line.strip()
            keys += len(choice) + 1
            asked += 1
            options = item.options
            if choice.isdigit() and 1 <= int(choice) <= len(options):
                answers[item.key] = options[int(choice) - 1]
            else:
                answers[item.key] = item.majority
            shown = answers[item.key]
            out.write(f"  -> {one_line(shown) if shown is not None else '—'}\n")
        result = gold(store.suggestions(summary.id), versions, answers, reviewer, time.time())
        store.save_version(summary.id, GOLD, result)
        reviewed += 1
    return reviewed, asked, keys


def _show(out: IO[str], heading: str, text: str, item: Item) -> None:
    """One question: the item, then each choice with who made it (majority first)."""
    from annotate.terminal_text import one_line

    kind, start, end, tag = item.key
    excerpt = one_line(text[start:end])
    if len(excerpt) > EXCERPT:
        excerpt = excerpt[: EXCERPT - 1] + "…"
    what = {"entity": "entity", "quote": "attribution", "tag": f"tag {one_line(tag)} on"}[kind]
    out.write(f"{heading} · {what} “{excerpt}” ({start}:{end})\n")
    for number, option in enumerate(item.options, 1):
        mark = "*" if number == 1 else " "
        shown = one_line(option) if option is not None else "—"
        who = ", ".join(one_line(n) or "(unnamed)" for n in item.who(option))
        out.write(f"  {number}{mark} {shown:<12} {who}\n")
    out.write("  enter: 1 · a digit: another · q: stop > ")
    out.flush()
