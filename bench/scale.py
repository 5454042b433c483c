"""Benchmark: how newsread scales with hostile and huge input (issue #12).

Prints one JSON line.  Each figure is measured by one function registered in
:data:`MEASURES` (a name and a function returning a dict of figures), so that a new
figure (import growth, spaCy export memory, ...) is one more function and one more
``@measure`` line; ``--only NAME`` runs some of them.

Figures so far (analysis, model loaded once beforehand, best of ``--rounds``):

* ``analyze_pathological_s``: the issue's article, ``He said so.`` and a run of 30,000
  ``=`` (155 s before the tokenizer guard; target <= 2 s);
* ``analyze_nested_s``: 10,000 nested brackets ``[[[…]]]`` (target <= 2 s) and
  ``analyze_nested_json_s``: 60 KB of nested JSON objects (> 300 s before);
* ``analyze_normal_same_length_s``: news prose of the pathological article's length,
  the same-run comparison: pathological input should cost no more than prose;
* ``tokenize_unguarded_run_s`` (``run_chars``): spaCy's tokenizer alone on a bare run of
  ``=``, without the guard, to show the quadratic cost the guard avoids;
* ``tokens_pathological_s`` / ``tokens_normal_same_length_s``: the tokens every export
  (and the reader's token moves) computes, for the pathological article and prose.

    python bench/scale.py [--rounds 3] [--only analyze]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

Figures = dict[str, Any]
MEASURES: list[tuple[str, Callable[[argparse.Namespace], Figures]]] = []


def measure(name: str) -> Callable[[Callable[[argparse.Namespace], Figures]], Any]:
    """Register a function that returns some figures of the JSON line."""

    def register(function: Callable[[argparse.Namespace], Figures]) -> Any:
        MEASURES.append((name, function))
        return function

    return register


def best_of(rounds: int, run: Callable[[], object]) -> float:
    """The fastest of ``rounds`` runs, in seconds (noise only ever adds time)."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return round(best, 3)


def prose(length: int) -> str:
    """News prose (the seed articles, repeated) of exactly ``length`` characters."""
    from annotate.clean import clean_article
    from seeds import seed_files

    texts = [clean_article(p.read_text("utf-8")).text for p in seed_files()]
    body = "\n\n".join(texts)
    return (body * (length // len(body) + 1))[:length]


@measure("analyze")
def analyze_figures(args: argparse.Namespace) -> Figures:
    """Analysis time of pathological articles against prose of the same length."""
    from annotate.clean import clean_article
    from annotate.detect.nlp import load_model
    from annotate.detect.pipeline import analyze

    nlp = load_model(args.model)
    pathological = "He said so.\n\nResult: " + "=" * 30000 + " end."
    nested = "Brackets\n\n" + "[" * 10000 + "]" * 10000
    nested_json = "Data\n\n" + '{"a": ' * 10000 + "1" + "}" * 10000
    articles = {
        "analyze_pathological_s": pathological,
        "analyze_nested_s": nested,
        "analyze_nested_json_s": nested_json[: 60 * 1024],
        "analyze_normal_same_length_s": prose(len(pathological)),
    }
    figures: Figures = {}
    for key, raw in articles.items():
        article = clean_article(raw)
        figures[key] = best_of(args.rounds, partial(lambda a: list(analyze(nlp, [a])), article))
    run = "=" * args.run_chars
    figures["tokenize_unguarded_run_s"] = best_of(1, lambda: nlp.tokenizer(run))
    figures["run_chars"] = args.run_chars
    return figures


@measure("tokens")
def token_figures(args: argparse.Namespace) -> Figures:
    """Export tokenization (``formats.tokens.make_doc``) of the same articles."""
    from annotate.clean import clean_article
    from annotate.formats.tokens import make_doc

    pathological = clean_article("He said so.\n\nResult: " + "=" * 30000 + " end.")
    normal = clean_article(prose(len(pathological.text)))
    return {
        "tokens_pathological_s": best_of(args.rounds, lambda: make_doc(pathological)),
        "tokens_normal_same_length_s": best_of(args.rounds, lambda: make_doc(normal)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: newsread's)")
    parser.add_argument(
        "--run-chars", type=int, default=3000, help="length of the unguarded run (quadratic!)"
    )
    parser.add_argument("--only", action="append", help="run only these measures")
    args = parser.parse_args()
    figures: Figures = {}
    for name, function in MEASURES:
        if args.only is None or name in args.only:
            figures.update(function(args))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
