"""Benchmark: captions of the GUM news articles that cleaning moves to ``meta``.

GUM marks figure paragraphs (``# newpar_block = figure``): the caption of an image,
usually ending with its credit (``… booth. Image: Nick Moreau.``).  The articles are
rebuilt from their ``# text`` lines as plain text (sentences joined by a space,
paragraphs by a blank line) and cleaned; prints one JSON line:

* ``figure_paragraphs``: GUM's figure paragraphs; ``with_credit``: those holding a credit
  label (``Image:``, ``Photo:``, ``Credit:``);
* ``caught`` / ``credit_caught``: how many of each cleaning moved to ``meta["captions"]``;
* ``body_removed``: other paragraphs cleaning took out of the body (1 today: a
  ``Categories: …`` line of site furniture GUM keeps as a paragraph).

    python bench/captions.py [--gum tests/data/gum_news]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_CREDIT = re.compile(r"(^|\s)(Image|Photo|Picture|Credit)s?\s?:")


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """``(block kind, text)`` of each paragraph of a GUM ``.conllu`` file."""
    paras: list[tuple[str, list[str]]] = []
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("# newpar_block") and paras:
            paras[-1] = (line.split("=", 1)[1].split()[0], paras[-1][1])
        elif line.startswith("# newpar"):
            paras.append(("p", []))
        elif line.startswith("# text = "):
            if not paras:
                paras.append(("p", []))
            paras[-1][1].append(line[len("# text = ") :])
    return [(kind, " ".join(sentences)) for kind, sentences in paras if sentences]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--gum",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "tests" / "data" / "gum_news",
    )
    args = parser.parse_args()
    from annotate.clean import clean_text

    counts = dict.fromkeys(
        ("figure_paragraphs", "with_credit", "caught", "credit_caught", "body_removed"), 0
    )
    for path in sorted(args.gum.glob("GUM_news_*.conllu")):
        paras = paragraphs(path)
        cleaned = clean_text("\n\n".join(text for _, text in paras))
        captions = {c["text"] for c in cleaned.captions}
        removed = captions | {r["text"] for r in cleaned.credits + cleaned.boilerplate}
        for kind, text in paras:
            if kind != "figure":
                counts["body_removed"] += text in removed
                continue
            credit = _CREDIT.search(text) is not None
            counts["figure_paragraphs"] += 1
            counts["with_credit"] += credit
            counts["caught"] += text in captions
            counts["credit_caught"] += credit and text in captions
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
